// Primary account numbers: Luhn (ISO/IEC 7812-1 Annex B) and masking to first 6 / last 4.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender {

// True when `digits` is all decimal digits, non-empty, and its Luhn check digit holds.
bool luhn_valid(std::string_view digits) noexcept;

// The check digit to append to `digits_without_check` (all decimal digits).
char luhn_check_digit(std::string_view digits_without_check) noexcept;

inline constexpr std::size_t kPanMinLength = 12;  // ISO/IEC 7812-1 allows 8..19; acquirers 12..19
inline constexpr std::size_t kPanMaxLength = 19;

// First 6 and last 4 digits with a fixed "******" between them, whatever the length:
// the masked form then does not reveal the PAN length (which is reported apart
// where needed). PANs shorter than 11 digits are masked entirely.
std::string mask_pan(std::string_view digits);

class Pan {
 public:
  // 12..19 decimal digits; a wrong Luhn digit is not an error here (luhn_ok says),
  // because some private-label cards have none and the host decides.
  static Result<Pan> parse(std::string_view digits);

  [[nodiscard]] std::size_t length() const noexcept { return digits_.size(); }
  [[nodiscard]] bool luhn_ok() const noexcept { return luhn_valid(digits_.reveal()); }
  [[nodiscard]] std::string masked() const { return mask_pan(digits_.reveal()); }
  [[nodiscard]] std::string_view reveal() const noexcept { return digits_.reveal(); }

  friend bool operator==(const Pan& a, const Pan& b) { return a.digits_ == b.digits_; }
  friend std::ostream& operator<<(std::ostream& os, const Pan& pan) { return os << pan.masked(); }

 private:
  explicit Pan(SecretString digits) : digits_(std::move(digits)) {}
  SecretString digits_;
};

}  // namespace tender
