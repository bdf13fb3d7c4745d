#include "net/hostsim/amounts.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>

#include "common/money.hpp"

namespace tender::net::hostsim {

Result<std::int64_t> decimal_text_to_minor(std::string_view text, unsigned exponent) {
  if (text.empty() || text.front() == '-') return make_error(Errc::out_of_range, "amount must not be negative");
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  unsigned fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max() / 100;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return make_error(Errc::malformed, "amount is not a decimal number");
    seen_digit = true;
    const int digit = c - '0';
    if (seen_point) {
      if (++fraction_digits > exponent) return make_error(Errc::out_of_range, "amount has too many decimals");
      fraction = fraction * 10 + digit;
    } else {
      if (whole > kMax) return make_error(Errc::out_of_range, "amount is too large");
      whole = whole * 10 + digit;
    }
  }
  if (!seen_digit) return make_error(Errc::malformed, "amount is not a decimal number");
  std::int64_t scale = 1;
  for (unsigned i = 0; i < exponent; ++i) scale *= 10;
  for (unsigned i = fraction_digits; i < exponent; ++i) fraction *= 10;
  if (whole > (std::numeric_limits<std::int64_t>::max() - fraction) / scale)
    return make_error(Errc::out_of_range, "amount is too large");
  return whole * scale + fraction;
}

Result<std::int64_t> decimal_to_minor(const nlohmann::json& value, unsigned exponent) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    std::int64_t scale = 1;
    for (unsigned i = 0; i < exponent; ++i) scale *= 10;
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / scale))
      return make_error(Errc::out_of_range, "amount is too large");
    return static_cast<std::int64_t>(v) * scale;
  }
  if (value.is_number_integer()) return make_error(Errc::out_of_range, "amount must not be negative");
  if (!value.is_number_float()) return make_error(Errc::malformed, "amount is not a number");
  const double d = value.get<double>();
  std::array<char, 64> buffer{};
  // Shortest round-trip text in fixed notation: the literal as the client wrote it.
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d,
                                       std::chars_format::fixed);
  if (ec != std::errc{}) return make_error(Errc::out_of_range, "amount is out of range");
  return decimal_text_to_minor(std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data())),
                               exponent);
}

nlohmann::json minor_to_decimal(std::int64_t minor, unsigned exponent) {
  std::int64_t scale = 1;
  for (unsigned i = 0; i < exponent; ++i) scale *= 10;
  if (minor % scale == 0) return nlohmann::json(minor / scale);
  const Money money(minor, Currency{"XXX", 999, static_cast<std::uint8_t>(exponent)});
  const std::string text = money.format();
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);  // nearest double to the decimal
  return nlohmann::json(d);
}

Result<std::int64_t> cents(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 4))
      return make_error(Errc::out_of_range, "amount is too large");
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) return make_error(Errc::out_of_range, "amount must not be negative");
  return make_error(Errc::malformed, "amount must be an integer number of cents");
}

std::int64_t apply_rate(std::int64_t amount, std::int64_t rate, std::int64_t scale) {
  return (amount * rate + scale / 2) / scale;
}

}  // namespace tender::net::hostsim
