// The JSON edge shared by the adapters: money crosses it exactly, and nothing throws.
//  * parse_json: strict RFC 8259 parse through nlohmann's SAX interface into a DOM in
//    which every number with a fraction or exponent keeps its exact source text (as a
//    json binary value, which no JSON text can produce, so it is never mistaken for a
//    string). Decision: exact text, not a double round-trip check.
//  * money_from_json: integer minor units for "cents" hosts, decimal major units for
//    "decimal" hosts; more fraction digits than the currency has is Errc::out_of_range.
//  * JsonWriter: builds a request body; decimal amounts are written from the integer
//    minor units (Money::format), never through a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/money.hpp"
#include "common/result.hpp"

namespace tender::net::host {

using Json = nlohmann::json;

// Errc::malformed for anything that is not one JSON value.
Result<Json> parse_json(std::string_view text);

enum class AmountUnit { minor_units, decimal };

// `field` names the field in the error message (never the value).
Result<Money> money_from_json(const Json& value, AmountUnit unit, Currency currency, std::string_view field);

// Typed field access: Errc::malformed when missing or of the wrong type.
Result<std::string> string_field(const Json& object, std::string_view field);
// Missing or null -> "", a string -> it, anything else -> Errc::malformed.
Result<std::string> optional_string_field(const Json& object, std::string_view field);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array(std::string_view key);
  JsonWriter& end_array();
  JsonWriter& key(std::string_view key);
  JsonWriter& string(std::string_view key, std::string_view value);
  JsonWriter& string_element(std::string_view value);
  JsonWriter& null(std::string_view key);
  JsonWriter& boolean(std::string_view key, bool value);
  JsonWriter& integer(std::string_view key, std::int64_t value);
  JsonWriter& decimal(std::string_view key, const Money& amount);  // 19.99, never a double
  [[nodiscard]] const std::string& text() const noexcept { return out_; }
  // Clears the buffer (it may hold card data).
  std::string take();

 private:
  void separator();
  void quoted(std::string_view text);
  std::string out_;
  bool first_ = true;
};

}  // namespace tender::net::host
