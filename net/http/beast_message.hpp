// Internal to net/http: http::Request/Response <-> Beast messages.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/result.hpp"
#include "net/http/message.hpp"

namespace tender::net::http::detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

BeastRequest to_beast(const Request& request);
Result<Request> from_beast(const BeastRequest& request);
BeastResponse to_beast(const Response& response);
Response from_beast(const BeastResponse& response);

// Whether a parsed header declares a Content-Length above `limit`.
template <bool IsRequest>
bool declared_length_exceeds(const boost::beast::http::parser<IsRequest, boost::beast::http::string_body>& parser,
                             std::size_t limit) {
  const auto length = parser.content_length();
  return length && *length > limit;
}

}  // namespace tender::net::http::detail
