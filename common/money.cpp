#include "common/money.hpp"

#include <array>
#include <limits>

namespace tender {
namespace {

// The subset of ISO 4217 that card-present acquirers in our markets settle in,
// plus the 0- and 3-decimal currencies so that exponent handling is exercised.
constexpr std::array<Currency, 20> kCurrencies = {{
    {"USD", 840, 2}, {"EUR", 978, 2}, {"GBP", 826, 2}, {"CAD", 124, 2}, {"AUD", 36, 2},
    {"NZD", 554, 2}, {"CHF", 756, 2}, {"MXN", 484, 2}, {"SEK", 752, 2}, {"NOK", 578, 2},
    {"DKK", 208, 2}, {"PLN", 985, 2}, {"SGD", 702, 2}, {"HKD", 344, 2}, {"INR", 356, 2},
    {"ZAR", 710, 2}, {"JPY", 392, 0}, {"KRW", 410, 0}, {"KWD", 414, 3}, {"BHD", 48, 3},
}};

constexpr std::int64_t pow10(unsigned n) {
  std::int64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

}  // namespace

std::optional<Currency> currency_by_alpha(std::string_view alpha) {
  for (const auto& c : kCurrencies)
    if (c.alpha == alpha) return c;
  return std::nullopt;
}

std::optional<Currency> currency_by_numeric(std::uint16_t numeric) {
  for (const auto& c : kCurrencies)
    if (c.numeric == numeric) return c;
  return std::nullopt;
}

Currency usd() { return kCurrencies[0]; }

Result<Money> Money::parse(std::string_view text, Currency currency) {
  const std::string_view original = text;
  auto bad = [&](std::string why) {
    return make_error(Errc::malformed,
                      "amount \"" + std::string(original) + "\" for " +
                          std::string(currency.alpha) + ": " + std::move(why));
  };
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty()) return bad("no digits before the decimal point");
  if (dot != std::string_view::npos && fraction.empty())
    return bad("no digits after the decimal point");
  if (fraction.size() > currency.exponent) {
    return bad("more than " + std::to_string(currency.exponent) + " decimal places");
  }

  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  auto append = [&](char c) -> bool {
    if (c < '0' || c > '9') return false;
    if (value > (kMax - (c - '0')) / 10) return false;
    value = value * 10 + (c - '0');
    return true;
  };
  for (char c : whole)
    if (!append(c)) return bad(c >= '0' && c <= '9' ? "too large" : "not a decimal number");
  for (char c : fraction)
    if (!append(c)) return bad(c >= '0' && c <= '9' ? "too large" : "not a decimal number");
  for (std::size_t i = fraction.size(); i < currency.exponent; ++i)
    if (!append('0')) return bad("too large");
  return Money{negative ? -value : value, currency};
}

std::string Money::format() const {
  // Work in unsigned so that the most negative value formats too.
  const bool negative = minor_ < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(minor_) : static_cast<std::uint64_t>(minor_);
  const auto scale = static_cast<std::uint64_t>(pow10(currency_.exponent));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (currency_.exponent > 0) {
    std::string frac = std::to_string(magnitude % scale);
    out += '.';
    out.append(currency_.exponent - frac.size(), '0');
    out += frac;
  }
  return out;
}

Result<Money> add(const Money& a, const Money& b) {
  if (!(a.currency() == b.currency()))
    return make_error(Errc::invalid_argument, "cannot add amounts in different currencies");
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.minor_units(), b.minor_units(), &sum))
    return make_error(Errc::out_of_range, "amount overflow");
  return Money{sum, a.currency()};
}

}  // namespace tender
