#include "net/http/beast_message.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace tender::net::http::detail {

namespace bhttp = boost::beast::http;

namespace {

// RFC 9110 5.6.2: token = 1*tchar.
bool is_token(std::string_view s) {
  constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
  });
}

// Messages name the header, never its value: it may be a credential.
Result<void> check_headers(const std::vector<Header>& headers) {
  for (const auto& h : headers) {
    if (!is_token(h.name)) return make_error(Errc::invalid_argument, "HTTP header name is not a token");
    if (h.value.size() > kMaxOutgoingFieldBytes)
      return make_error(Errc::invalid_argument, "HTTP header " + h.name + " is longer than " +
                                                    std::to_string(kMaxOutgoingFieldBytes) + " bytes");
    if (h.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return make_error(Errc::invalid_argument, "HTTP header " + h.name + " has CR, LF or NUL in its value");
  }
  return ok();
}

bool is_target_char(char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7F; }

}  // namespace

Result<BeastRequest> to_beast(const Request& request) {
  if (auto checked = check_headers(request.headers); !checked) return std::move(checked).error();
  if (request.target.size() > kMaxOutgoingFieldBytes ||
      !std::all_of(request.target.begin(), request.target.end(), is_target_char))
    return make_error(Errc::invalid_argument, "HTTP request target has spaces or control characters, or is too long");
  // The checks above leave Beast nothing to throw on; the catch is the last line of
  // defence for a Beast release that checks more (std::bad_alloc is not input).
  try {
    BeastRequest out;
    const auto name = to_string(request.method);
    out.method(bhttp::string_to_verb(boost::beast::string_view(name.data(), name.size())));
    out.target(request.target.empty() ? "/" : request.target);
    out.version(11);
    for (const auto& h : request.headers) out.insert(h.name, h.value);
    out.body() = request.body;
    out.prepare_payload();
    return out;
  } catch (const std::logic_error&) {
    return make_error(Errc::invalid_argument, "HTTP request cannot be written");
  }
}

Result<Request> from_beast(const BeastRequest& request) {
  auto method = method_from_string(std::string_view(request.method_string().data(), request.method_string().size()));
  if (!method) return make_error(Errc::unsupported, "HTTP method not supported");
  Request out;
  out.method = *method;
  out.target = std::string(request.target());
  for (const auto& f : request) out.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  out.body = request.body();
  return out;
}

Result<BeastResponse> to_beast(const Response& response) {
  if (response.status < 100 || response.status > 999)
    return make_error(Errc::invalid_argument, "HTTP status " + std::to_string(response.status) + " is not 3 digits");
  const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
  if (bodiless && !response.body.empty())
    return make_error(Errc::invalid_argument, "HTTP status " + std::to_string(response.status) + " cannot carry a body");
  if (auto checked = check_headers(response.headers); !checked) return std::move(checked).error();
  try {
    BeastResponse out;
    out.result(static_cast<unsigned>(response.status));
    out.version(11);
    for (const auto& h : response.headers) out.insert(h.name, h.value);
    out.body() = response.body;
    out.prepare_payload();
    return out;
  } catch (const std::logic_error&) {
    return make_error(Errc::invalid_argument, "HTTP response cannot be written");
  }
}

Response from_beast(const BeastResponse& response) {
  Response out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& f : response) out.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  out.body = response.body();
  return out;
}

}  // namespace tender::net::http::detail
