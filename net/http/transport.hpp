// The seam between host adapters and the network: an adapter hands a Request to a
// Transport and gets the Response (or a typed error) back through a completion
// handler, on the terminal's one io_context. The Beast/mbedTLS client implements it;
// tests use a fake.
//
// Errors: Errc::timeout (a deadline passed: the request may or may not have reached
// the host), Errc::io_error (connect/TLS/connection failure, an answer cut short),
// Errc::malformed (not HTTP), Errc::out_of_range (response or its header larger than
// allowed), Errc::invalid_argument (a request that cannot be put on the wire: nothing
// was sent). The handler runs exactly once; no input from the peer makes the transport
// throw. Whether a failed request may be sent again is the adapter's decision, never
// the transport's.
#pragma once

#include <chrono>
#include <functional>

#include "common/result.hpp"
#include "net/http/message.hpp"

namespace tender::net::http {

using ResponseHandler = std::function<void(Result<Response>)>;

class Transport {
 public:
  virtual ~Transport() = default;
  // `deadline` bounds the whole exchange (connect, handshake, write, read).
  virtual void async_send(Request request, std::chrono::milliseconds deadline, ResponseHandler handler) = 0;
};

}  // namespace tender::net::http
