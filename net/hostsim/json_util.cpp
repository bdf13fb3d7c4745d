#include "net/hostsim/json_util.hpp"

namespace tender::net::hostsim {

Json parse_object(std::string_view body) {
  Json value = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return Json(Json::value_t::discarded);
  return value;
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const Json& object, std::string_view key, bool& ok) {
  const Json* v = member(object, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    ok = false;
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::int64_t> int_member(const Json& object, std::string_view key, bool& ok) {
  const Json* v = member(object, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    return v->get<std::int64_t>();
  }
  ok = false;
  return std::nullopt;
}

std::optional<bool> bool_member(const Json& object, std::string_view key, bool& ok) {
  const Json* v = member(object, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_boolean()) {
    ok = false;
    return std::nullopt;
  }
  return v->get<bool>();
}

std::string dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

http::Response json_response(int status, const Json& body) {
  http::Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = dump(body);
  return r;
}

}  // namespace tender::net::hostsim
