// A keep-alive HTTPS client for one host, implementing http::Transport over Boost.Beast
// and the mbedTLS stream (net/tls). One connection, reused across requests and reopened
// when the server closed it; requests are sent one at a time, in order. Each exchange
// (resolve, connect, handshake, write, read) is bounded by the deadline given to
// async_send; the client never retries. No Beast or Asio types here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "net/http/transport.hpp"
#include "net/tls/context.hpp"

namespace boost::asio {
class io_context;
}

namespace tender::net::http {

struct ClientOptions {
  std::string host;                // what to connect to: a DNS name or an IP address
  std::uint16_t port = 443;
  std::string server_name;         // SNI and the name the certificate must carry; empty = host
  tls::ClientConfig tls;           // CA bundle, optional SPKI pins
  std::size_t max_response_bytes = 1024 * 1024;  // header + body; beyond it: Errc::out_of_range
  // Status line + fields; beyond it: Errc::out_of_range. Far above what hosts send; keep
  // it below 64 KiB, where Beast can no longer store a field (the client still copes).
  std::size_t max_header_bytes = 32 * 1024;
  std::string user_agent = "Tender";
};

struct ClientStats {
  std::size_t connections_opened = 0;
  std::size_t sessions_resumed = 0;  // TLS handshakes that resumed the saved session
  std::size_t requests_sent = 0;
};

class Client final : public Transport {
 public:
  static Result<std::unique_ptr<Client>> create(boost::asio::io_context& io, ClientOptions options);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sets Host, User-Agent and Content-Length. Errors as described in transport.hpp, plus
  // Errc::invalid_argument, before anything is sent, for a request that cannot be put on
  // the wire (a header name that is not a token, CR/LF in a value, an oversized field).
  // An answer that cannot be read is Errc::malformed (not HTTP), Errc::out_of_range (too
  // large) or Errc::io_error (cut short); the handler runs exactly once in every case.
  void async_send(Request request, std::chrono::milliseconds deadline, ResponseHandler handler) override;

  [[nodiscard]] ClientStats stats() const;
  // Drops the kept-alive connection (the next request opens a new one).
  void close();

  struct Impl;

 private:
  explicit Client(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace tender::net::http
