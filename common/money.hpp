// Money: an integer count of minor units with its ISO 4217 currency. Never a double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace tender {

struct Currency {
  std::string_view alpha;   // "USD"
  std::uint16_t numeric;    // 840, as EMV tag 5F2A carries it
  std::uint8_t exponent;    // minor unit digits: 2 for USD, 0 for JPY, 3 for KWD

  friend bool operator==(const Currency& a, const Currency& b) { return a.numeric == b.numeric; }
};

// The currencies the terminal knows, from the ISO 4217 table.
std::optional<Currency> currency_by_alpha(std::string_view alpha);
std::optional<Currency> currency_by_numeric(std::uint16_t numeric);
Currency usd();

class Money {
 public:
  constexpr Money(std::int64_t minor_units, Currency currency) noexcept
      : minor_(minor_units), currency_(currency) {}

  // Exact decimal: "12.34" -> 1234 for USD; "12" -> 1200; "12.3" -> 1230.
  // More fraction digits than the currency has ("12.345" for USD), signs other
  // than a leading '-', spaces, exponents, or overflow are errors.
  static Result<Money> parse(std::string_view text, Currency currency);

  [[nodiscard]] constexpr std::int64_t minor_units() const noexcept { return minor_; }
  [[nodiscard]] constexpr const Currency& currency() const noexcept { return currency_; }

  // "12.34", "-0.05", "1200" (JPY): always the currency's full number of decimals.
  [[nodiscard]] std::string format() const;

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor_ == b.minor_ && a.currency_ == b.currency_;
  }

 private:
  std::int64_t minor_;
  Currency currency_;
};

// Adds two amounts of one currency; Errc::invalid_argument on mismatch,
// Errc::out_of_range on overflow.
Result<Money> add(const Money& a, const Money& b);

}  // namespace tender
