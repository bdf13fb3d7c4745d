#include "drivers/icc/sim/json_fields.hpp"

#include <algorithm>

namespace tender::icc::sim {

Result<Json> parse_json(std::string_view text, std::string_view what) {
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return make_error(Errc::malformed, std::string(what) + ": not valid JSON");
  return value;
}

Error field_error(Errc code, const std::string& field, std::string_view problem) {
  return make_error(code, field + ": " + std::string(problem));
}

Result<JsonObject> JsonObject::of(const Json& value, std::string path) {
  if (!value.is_object()) return field_error(Errc::malformed, path, "must be an object");
  return JsonObject(value, std::move(path));
}

std::string JsonObject::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool JsonObject::has(std::string_view key) const { return value_->contains(key); }

const Json* JsonObject::get(std::string_view key) {
  known_.emplace(key);
  auto it = value_->find(key);
  return it == value_->end() ? nullptr : &*it;
}

Result<std::optional<std::string>> JsonObject::optional_text(std::string_view key, std::size_t min_length,
                                                             std::size_t max_length) {
  const Json* v = get(key);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return field_error(Errc::malformed, field(key), "must be a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() < min_length || s.size() > max_length)
    return field_error(Errc::out_of_range, field(key),
                       "must be " + std::to_string(min_length) + ".." + std::to_string(max_length) + " characters");
  return std::optional<std::string>{s};
}

Result<std::string> JsonObject::text(std::string_view key, std::size_t min_length, std::size_t max_length) {
  auto v = optional_text(key, min_length, max_length);
  if (!v) return std::move(v).error();
  if (!*v) return field_error(Errc::not_found, field(key), "is required");
  return std::move(**v);
}

Result<std::optional<Bytes>> JsonObject::optional_hex(std::string_view key, std::size_t min_bytes,
                                                      std::size_t max_bytes) {
  auto s = optional_text(key);
  if (!s) return std::move(s).error();
  if (!*s) return std::optional<Bytes>{};
  auto bytes = from_hex(**s);
  if (!bytes) return field_error(Errc::malformed, field(key), "must be hexadecimal, two digits a byte");
  if (bytes->size() < min_bytes || bytes->size() > max_bytes)
    return field_error(Errc::out_of_range, field(key),
                       "must be " + std::to_string(min_bytes) + ".." + std::to_string(max_bytes) + " bytes");
  return std::optional<Bytes>{std::move(*bytes)};
}

Result<Bytes> JsonObject::hex(std::string_view key, std::size_t min_bytes, std::size_t max_bytes) {
  auto v = optional_hex(key, min_bytes, max_bytes);
  if (!v) return std::move(v).error();
  if (!*v) return field_error(Errc::not_found, field(key), "is required");
  return std::move(**v);
}

Result<bool> JsonObject::boolean(std::string_view key, bool fallback) {
  const Json* v = get(key);
  if (!v) return fallback;
  if (!v->is_boolean()) return field_error(Errc::malformed, field(key), "must be true or false");
  return v->get<bool>();
}

Result<std::int64_t> JsonObject::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const Json* v = get(key);
  if (!v) return field_error(Errc::not_found, field(key), "is required");
  if (!v->is_number_integer()) return field_error(Errc::malformed, field(key), "must be an integer");
  const auto n = v->get<std::int64_t>();
  if (n < min || n > max)
    return field_error(Errc::out_of_range, field(key),
                       "must be " + std::to_string(min) + ".." + std::to_string(max));
  return n;
}

Result<std::int64_t> JsonObject::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                         std::int64_t fallback) {
  if (!has(key)) {
    known_.emplace(key);
    return fallback;
  }
  return integer(key, min, max);
}

Result<std::string> JsonObject::choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                       std::optional<std::string_view> fallback) {
  auto v = optional_text(key);
  if (!v) return std::move(v).error();
  if (!*v) {
    if (fallback) return std::string(*fallback);
    return field_error(Errc::not_found, field(key), "is required");
  }
  if (std::find(choices.begin(), choices.end(), **v) == choices.end()) {
    std::string allowed;
    for (auto c : choices) allowed += (allowed.empty() ? "" : "|") + std::string(c);
    return field_error(Errc::out_of_range, field(key), "must be one of " + allowed);
  }
  return std::move(**v);
}

Result<void> JsonObject::finish() const {
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    if (!known_.contains(it.key())) return field_error(Errc::malformed, field(it.key()), "unknown field");
  }
  return ok();
}

Result<const Json*> json_array(const Json* value, const std::string& field) {
  if (!value || !value->is_array()) return field_error(Errc::malformed, field, "must be an array");
  return value;
}

}  // namespace tender::icc::sim
