#include "drivers/msr/service_code.hpp"

#include <cstddef>
#include <string>

namespace tender::msr {
namespace {

using Interchange = ServiceCode::Interchange;
using Authorization = ServiceCode::Authorization;
using Services = ServiceCode::Services;

// ISO/IEC 7813 service code tables, indexed by the digit's value 0..9.
constexpr std::array<Interchange, 10> kInterchange = {
    Interchange::unknown,           // 0 reserved
    Interchange::international,     // 1
    Interchange::international_ic,  // 2
    Interchange::unknown,           // 3 reserved
    Interchange::unknown,           // 4 reserved
    Interchange::national,          // 5
    Interchange::national_ic,       // 6
    Interchange::private_,          // 7
    Interchange::unknown,           // 8 reserved
    Interchange::test,              // 9
};

constexpr std::array<Authorization, 10> kAuthorization = {
    Authorization::normal,                      // 0
    Authorization::unknown,                     // 1 reserved
    Authorization::by_issuer,                   // 2
    Authorization::unknown,                     // 3 reserved
    Authorization::by_issuer_unless_agreement,  // 4
    Authorization::unknown,
    Authorization::unknown,
    Authorization::unknown,
    Authorization::unknown,
    Authorization::unknown,  // 5..9 reserved
};

constexpr std::array<Services, 10> kServices = {
    Services::no_restrictions_pin_required,      // 0
    Services::no_restrictions,                   // 1
    Services::goods_and_services_only,           // 2
    Services::atm_only_pin_required,             // 3
    Services::cash_only,                         // 4
    Services::goods_services_only_pin_required,  // 5
    Services::no_restrictions_prompt_pin,        // 6
    Services::goods_services_only_prompt_pin,    // 7
    Services::unknown,                           // 8 reserved
    Services::unknown,                           // 9 reserved
};

// Human text, indexed by the enum's value: keep in the enum's order.
constexpr std::array<std::string_view, 7> kInterchangeText = {
    "international interchange",
    "international interchange, integrated circuit card",
    "national interchange only",
    "national interchange only, integrated circuit card",
    "no interchange except under bilateral agreement",
    "test card",
    "reserved interchange digit",
};

constexpr std::array<std::string_view, 4> kAuthorizationText = {
    "normal authorization",
    "online authorization by the issuer",
    "online authorization by the issuer unless a bilateral agreement applies",
    "reserved authorization digit",
};

constexpr std::array<std::string_view, 9> kServicesText = {
    "no restrictions, PIN required",
    "no restrictions",
    "goods and services only",
    "ATM only, PIN required",
    "cash only",
    "goods and services only, PIN required",
    "no restrictions, prompt for PIN if PIN pad present",
    "goods and services only, prompt for PIN if PIN pad present",
    "reserved services digit",
};

// Digit value 0..9; the parser guarantees digits, but a hand-built ServiceCode
// may hold anything, so out-of-range maps to 10 (callers treat it as reserved).
constexpr std::size_t digit_value(char c) noexcept {
  return (c >= '0' && c <= '9') ? static_cast<std::size_t>(c - '0') : 10;
}

template <class Enum, std::size_t N>
constexpr Enum lookup(const std::array<Enum, N>& table, char c, Enum fallback) noexcept {
  const std::size_t v = digit_value(c);
  return v < table.size() ? table[v] : fallback;
}

template <std::size_t N, class Enum>
constexpr std::string_view text(const std::array<std::string_view, N>& table, Enum value) noexcept {
  const auto i = static_cast<std::size_t>(value);
  return i < table.size() ? table[i] : table.back();
}

}  // namespace

Interchange ServiceCode::interchange() const noexcept {
  return lookup(kInterchange, digits[0], Interchange::unknown);
}

Authorization ServiceCode::authorization() const noexcept {
  return lookup(kAuthorization, digits[1], Authorization::unknown);
}

Services ServiceCode::services() const noexcept {
  return lookup(kServices, digits[2], Services::unknown);
}

bool ServiceCode::chip_card() const noexcept {
  const Interchange i = interchange();
  return i == Interchange::international_ic || i == Interchange::national_ic;
}

bool ServiceCode::pin_required() const noexcept {
  const Services s = services();
  return s == Services::no_restrictions_pin_required || s == Services::atm_only_pin_required ||
         s == Services::goods_services_only_pin_required;
}

bool ServiceCode::prompt_if_pin_pad() const noexcept {
  const Services s = services();
  return s == Services::no_restrictions_prompt_pin || s == Services::goods_services_only_prompt_pin;
}

Result<ServiceCode> parse_service_code(std::string_view three_digits) {
  if (three_digits.size() != 3) {
    return make_error(Errc::malformed, "service code must be 3 digits, got " +
                                           std::to_string(three_digits.size()) + " characters");
  }
  ServiceCode code{};
  for (std::size_t i = 0; i < 3; ++i) {
    if (digit_value(three_digits[i]) > 9) {
      return make_error(Errc::malformed,
                        "non-digit in service code at position " + std::to_string(i + 1));
    }
    code.digits[i] = three_digits[i];
  }
  return code;
}

std::string_view describe(Interchange value) noexcept { return text(kInterchangeText, value); }
std::string_view describe(Authorization value) noexcept { return text(kAuthorizationText, value); }
std::string_view describe(Services value) noexcept { return text(kServicesText, value); }

}  // namespace tender::msr
