// Internal to net/http: http::Request/Response <-> Beast messages.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>

#include "common/result.hpp"
#include "net/http/message.hpp"

namespace tender::net::http::detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The longest header field value we put on the wire: far above any credential or id the
// adapters send, far below the 64 KiB beyond which Beast throws std::length_error.
inline constexpr std::size_t kMaxOutgoingFieldBytes = 32 * 1024;

// Errc::invalid_argument for what Beast would throw on or what would change the
// message's framing: a header name that is not an RFC 9110 token, a value with CR, LF
// or NUL or longer than kMaxOutgoingFieldBytes, a target with spaces or controls.
Result<BeastRequest> to_beast(const Request& request);
Result<Request> from_beast(const BeastRequest& request);
// The same checks, and a status from 100 to 999 with no body on 1xx, 204 and 304.
Result<BeastResponse> to_beast(const Response& response);
Response from_beast(const BeastResponse& response);

}  // namespace tender::net::http::detail
