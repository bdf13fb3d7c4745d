#include "net/http/beast_message.hpp"

namespace tender::net::http::detail {

namespace bhttp = boost::beast::http;

BeastRequest to_beast(const Request& request) {
  BeastRequest out;
  const auto name = to_string(request.method);
  const auto verb = bhttp::string_to_verb(boost::beast::string_view(name.data(), name.size()));
  out.method(verb);
  out.target(request.target.empty() ? "/" : request.target);
  out.version(11);
  for (const auto& h : request.headers) out.insert(h.name, h.value);
  out.body() = request.body;
  out.prepare_payload();
  return out;
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

BeastResponse to_beast(const Response& response) {
  BeastResponse out;
  out.result(static_cast<unsigned>(response.status));
  out.version(11);
  for (const auto& h : response.headers) out.insert(h.name, h.value);
  out.body() = response.body;
  out.prepare_payload();
  return out;
}

Response from_beast(const BeastResponse& response) {
  Response out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& f : response) out.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  out.body = response.body();
  return out;
}

}  // namespace tender::net::http::detail
