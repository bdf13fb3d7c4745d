#include "common/pan.hpp"

namespace tender {
namespace {

bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Luhn sum over `digits`, doubling every second digit counted from the right,
// starting with the rightmost when `double_rightmost`.
unsigned luhn_sum(std::string_view digits, bool double_rightmost) noexcept {
  unsigned sum = 0;
  bool dbl = double_rightmost;
  for (std::size_t i = digits.size(); i-- > 0;) {
    unsigned d = static_cast<unsigned>(digits[i] - '0');
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum;
}

}  // namespace

bool luhn_valid(std::string_view digits) noexcept {
  return !digits.empty() && all_digits(digits) && luhn_sum(digits, false) % 10 == 0;
}

char luhn_check_digit(std::string_view digits_without_check) noexcept {
  const unsigned sum = luhn_sum(digits_without_check, true);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string mask_pan(std::string_view digits) {
  if (digits.size() < 11) return std::string(digits.size(), '*');
  std::string out;
  out.reserve(16);
  out.append(digits.substr(0, 6));
  out.append("******");
  out.append(digits.substr(digits.size() - 4));
  return out;
}

Result<Pan> Pan::parse(std::string_view digits) {
  if (!all_digits(digits))
    return make_error(Errc::malformed, "PAN contains a non-digit character");
  if (digits.size() < kPanMinLength || digits.size() > kPanMaxLength) {
    return make_error(Errc::out_of_range,
                      "PAN length " + std::to_string(digits.size()) + " outside 12..19");
  }
  return Pan{SecretString{digits}};
}

}  // namespace tender
