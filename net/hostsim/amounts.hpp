// Money at the JSON edge, exactly. Aurora sends decimal numbers (123.45), FullStack integer
// cents. nlohmann keeps a JSON fraction as a double, so a decimal is recovered from its
// shortest round-trip text (std::to_chars), which is the literal the client wrote for any
// amount with up to 15 significant digits, and then parsed as an exact decimal by Money.
// No arithmetic is ever done on a double.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tender::net::hostsim {

// A JSON number with at most `exponent` fraction digits -> minor units. Negative amounts,
// strings, booleans, more fraction digits and overflow are errors.
Result<std::int64_t> decimal_to_minor(const nlohmann::json& value, unsigned exponent = 2);

// Decimal text ("12.5", "3") -> minor units; the same rules as decimal_to_minor.
Result<std::int64_t> decimal_text_to_minor(std::string_view text, unsigned exponent = 2);

// Minor units -> a JSON number whose shortest text is the exact decimal ("123.45", "10", "0.5").
nlohmann::json minor_to_decimal(std::int64_t minor, unsigned exponent = 2);

// A JSON unsigned integer (FullStack cents) -> minor units; anything else is an error.
Result<std::int64_t> cents(const nlohmann::json& value);

// round(amount * rate / scale), half up, in integers: a percentage of an amount.
std::int64_t apply_rate(std::int64_t amount, std::int64_t rate, std::int64_t scale);

}  // namespace tender::net::hostsim
