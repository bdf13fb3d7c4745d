// ISO/IEC 7813 service code: three digits after the expiry date on track 1 and
// track 2 (and in EMV tag 57 / 5F30). Each digit position has its own meaning:
//   digit 1: interchange and technology (is there a chip?)
//   digit 2: authorization processing
//   digit 3: range of services and PIN requirements
// Digit values ISO/IEC 7813 leaves reserved decode to `unknown`, not to an error:
// the card is the issuer's, and the host decides what an unfamiliar code means.
#pragma once

#include <array>
#include <string_view>

#include "common/result.hpp"

namespace tender::msr {

struct ServiceCode {
  std::array<char, 3> digits;  // e.g. '2','0','1'

  // Digit 1 (values 1, 2, 5, 6, 7, 9; the rest reserved).
  enum class Interchange {
    international,
    international_ic,
    national,
    national_ic,
    private_,
    test,
    unknown
  };
  // Digit 2 (values 0, 2, 4).
  enum class Authorization { normal, by_issuer, by_issuer_unless_agreement, unknown };
  // Digit 3 (values 0..7, in this order).
  enum class Services {
    no_restrictions_pin_required,
    no_restrictions,
    goods_and_services_only,
    atm_only_pin_required,
    cash_only,
    goods_services_only_pin_required,
    no_restrictions_prompt_pin,
    goods_services_only_prompt_pin,
    unknown
  };

  [[nodiscard]] std::string_view str() const noexcept { return {digits.data(), digits.size()}; }

  // First digit 2 or 6: an integrated circuit card. A swipe of such a card must be
  // answered with "insert the card" unless the chip has already failed (fallback).
  [[nodiscard]] bool chip_card() const noexcept;

  [[nodiscard]] Interchange interchange() const noexcept;
  [[nodiscard]] Authorization authorization() const noexcept;
  [[nodiscard]] Services services() const noexcept;

  // Digit 3 in {0, 3, 5}: the issuer demands a PIN.
  [[nodiscard]] bool pin_required() const noexcept;
  // Digit 3 in {6, 7}: ask for a PIN when a PIN pad is present.
  [[nodiscard]] bool prompt_if_pin_pad() const noexcept;

  friend bool operator==(const ServiceCode&, const ServiceCode&) = default;
};

// Exactly three decimal digits. Reserved digit values are accepted (see above).
Result<ServiceCode> parse_service_code(std::string_view three_digits);

// Short human text for each value, for the CLI, the emulator and receipts' debug lines.
std::string_view describe(ServiceCode::Interchange value) noexcept;
std::string_view describe(ServiceCode::Authorization value) noexcept;
std::string_view describe(ServiceCode::Services value) noexcept;

}  // namespace tender::msr
