#include "net/host/json_edge.hpp"

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "common/secure_zero.hpp"

namespace tender::net::host {
namespace {

// Builds the DOM; floats keep their text. Returning false stops the parse (no throw).
class ExactDomBuilder {
 public:
  explicit ExactDomBuilder(Json& root) : root_(root) {}

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return put(Json(v)); }
  bool number_float(Json::number_float_t /*unused*/, const Json::string_t& text) {
    return put(Json::binary(Json::binary_t::container_type(text.begin(), text.end())));
  }
  bool string(Json::string_t& v) { return put(Json(v)); }
  bool binary(Json::binary_t& /*unused*/) { return false; }
  bool start_object(std::size_t /*unused*/) { return open(Json::object()); }
  bool key(Json::string_t& k) {
    key_ = k;
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*unused*/) { return open(Json::array()); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/, const nlohmann::detail::exception& /*unused*/) {
    return false;
  }

 private:
  Json* place(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.get_ref<Json::array_t&>().push_back(std::move(value));
      return &parent.get_ref<Json::array_t&>().back();
    }
    auto& object = parent.get_ref<Json::object_t&>();
    object[key_] = std::move(value);
    return &object[key_];
  }
  bool put(Json value) {
    place(std::move(value));
    return true;
  }
  bool open(Json value) {
    stack_.push_back(place(std::move(value)));
    return true;
  }
  bool close() {
    if (stack_.empty()) return false;
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Json*> stack_;
  std::string key_;
};

Result<std::int64_t> pow10(std::uint8_t exponent) {
  std::int64_t p = 1;
  for (std::uint8_t i = 0; i < exponent; ++i) p *= 10;
  return p;
}

}  // namespace

Result<Json> parse_json(std::string_view text) {
  Json root;
  ExactDomBuilder builder(root);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) return make_error(Errc::malformed, "host response is not valid JSON");
  return root;
}

Result<Money> money_from_json(const Json& value, AmountUnit unit, Currency currency, std::string_view field) {
  const std::string name(field);
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<Json::number_unsigned_t>() >
                                          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return make_error(Errc::out_of_range, "amount " + name + " is too large");
    }
    const auto units = value.get<std::int64_t>();
    if (unit == AmountUnit::minor_units) return Money(units, currency);
    const std::int64_t scale = pow10(currency.exponent).value();
    if (units > std::numeric_limits<std::int64_t>::max() / scale ||
        units < std::numeric_limits<std::int64_t>::min() / scale) {
      return make_error(Errc::out_of_range, "amount " + name + " is too large");
    }
    return Money(units * scale, currency);
  }
  if (value.is_binary()) {
    if (unit == AmountUnit::minor_units) {
      return make_error(Errc::malformed, "amount " + name + " must be an integer count of minor units");
    }
    const auto& raw = value.get_binary();
    const std::string text(raw.begin(), raw.end());
    // The text is a valid JSON number with a fraction or an exponent (the parser said so).
    if (text.find_first_of("eE") != std::string::npos) {
      return make_error(Errc::malformed, "amount " + name + " uses an exponent");
    }
    const auto dot = text.find('.');
    if (dot != std::string::npos && text.size() - dot - 1 > currency.exponent) {
      return make_error(Errc::out_of_range, "amount " + name + " has more decimals than " + std::string(currency.alpha));
    }
    auto money = Money::parse(text, currency);
    if (!money) return make_error(Errc::out_of_range, "amount " + name + " is too large");  // the only cause left
    return money;
  }
  return make_error(Errc::malformed, "amount " + name + " is missing or not a number");
}

Result<std::string> string_field(const Json& object, std::string_view field) {
  if (!object.is_object()) return make_error(Errc::malformed, "expected an object holding " + std::string(field));
  const auto it = object.find(std::string(field));
  if (it == object.end() || !it->is_string()) {
    return make_error(Errc::malformed, "field " + std::string(field) + " is missing or not a string");
  }
  return it->get<std::string>();
}

Result<std::string> optional_string_field(const Json& object, std::string_view field) {
  if (!object.is_object()) return make_error(Errc::malformed, "expected an object holding " + std::string(field));
  const auto it = object.find(std::string(field));
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return make_error(Errc::malformed, "field " + std::string(field) + " is not a string");
  return it->get<std::string>();
}

void JsonWriter::separator() {
  if (!first_) out_ += ',';
  first_ = false;
}

void JsonWriter::quoted(std::string_view text) {
  // nlohmann's serializer does the escaping (UTF-8 checked; invalid bytes replaced).
  out_ += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

JsonWriter& JsonWriter::begin_object() {
  if (!out_.empty() && out_.back() != ':') separator();
  out_ += '{';
  first_ = true;
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  separator();
  quoted(k);
  out_ += ':';
  first_ = true;
  return *this;
}
JsonWriter& JsonWriter::begin_array(std::string_view k) {
  key(k);
  out_ += '[';
  first_ = true;
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::string(std::string_view k, std::string_view value) {
  key(k);
  quoted(value);
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::string_element(std::string_view value) {
  separator();
  quoted(value);
  return *this;
}
JsonWriter& JsonWriter::null(std::string_view k) {
  key(k);
  out_ += "null";
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::integer(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  first_ = false;
  return *this;
}
JsonWriter& JsonWriter::decimal(std::string_view k, const Money& amount) {
  key(k);
  out_ += amount.format();  // "19.99": digits and a point, a valid JSON number
  first_ = false;
  return *this;
}

std::string JsonWriter::take() {
  std::string body = std::move(out_);
  out_.clear();
  first_ = true;
  return body;
}

}  // namespace tender::net::host
