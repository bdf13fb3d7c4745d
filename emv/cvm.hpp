// Cardholder Verification, EMV 4.4 Book 3 10.5 with the CVM List of Annex C3: the rules
// are tried in order; a rule whose condition holds is performed; its outcome either ends
// CVM processing or, when its "apply succeeding CV Rule" bit says so and it failed, moves
// on. Offline PIN goes through GET DATA (PIN Try Counter), the PIN pad and VERIFY (with
// GET CHALLENGE and the ICC's key when enciphered); online PIN leaves the enciphered
// block for the host. Sets CVM Results (9F34), TVR byte 3, TSI "cardholder verification
// was performed".
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "emv/context.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

// Annex C3, Table 39: CVM codes (bits 6-1 of the rule's first byte).
enum class CvmCode : Byte {
  fail_cvm_processing = 0x00,
  plaintext_pin_by_icc = 0x01,
  enciphered_pin_online = 0x02,
  plaintext_pin_by_icc_and_signature = 0x03,
  enciphered_pin_by_icc = 0x04,
  enciphered_pin_by_icc_and_signature = 0x05,
  signature = 0x1E,
  no_cvm_required = 0x1F,
};

// Annex C3, Table 40: CVM condition codes.
enum class CvmCondition : Byte {
  always = 0x00,
  unattended_cash = 0x01,
  not_cash_or_cashback = 0x02,  // not unattended cash, not manual cash, not purchase with cashback
  terminal_supports_cvm = 0x03,
  manual_cash = 0x04,
  purchase_with_cashback = 0x05,
  application_currency_under_x = 0x06,
  application_currency_over_x = 0x07,
  application_currency_under_y = 0x08,
  application_currency_over_y = 0x09,
};

struct CvRule {
  Byte cvm = 0;        // bit 7: apply succeeding rule if unsuccessful; bits 6-1: CvmCode
  Byte condition = 0;  // CvmCondition

  [[nodiscard]] Byte method() const noexcept { return static_cast<Byte>(cvm & 0x3F); }
  [[nodiscard]] bool apply_succeeding_if_unsuccessful() const noexcept { return (cvm & 0x40) != 0; }
  friend bool operator==(const CvRule&, const CvRule&) = default;
};

struct CvmList {
  std::uint32_t amount_x = 0;  // binary, in the application currency's minor units
  std::uint32_t amount_y = 0;
  std::vector<CvRule> rules;
};

// '8E': X (4) | Y (4) | rules (2 each). Errc::malformed when shorter than 8 bytes or the
// rules part is odd.
Result<CvmList> parse_cvm_list(ByteView cvm_list);

// What the conditions look at.
struct CvmEnvironment {
  TransactionType type = TransactionType::goods_services;
  bool unattended = false;
  bool cashback = false;  // purchase with cashback: type 09 or a non-zero Amount, Other
  // Amount, Authorised in minor units when the transaction currency (5F2A) is the
  // Application Currency Code (9F42); nullopt otherwise (06..09 do not hold).
  std::optional<std::uint64_t> amount_in_application_currency;
  std::array<Byte, 3> terminal_capabilities{};
};

// Whether the terminal can perform a CVM (9F33 byte 2); false for codes it does not know.
[[nodiscard]] bool terminal_supports(Byte method, const std::array<Byte, 3>& capabilities);
// nullopt: the condition code is not one Annex C3 defines (the rule is skipped).
[[nodiscard]] std::optional<bool> condition_satisfied(const CvRule& rule, const CvmList& list,
                                                      const CvmEnvironment& environment);

struct CvmOutcome {
  bool signature_required = false;             // print a signature line on the receipt
  std::optional<pinpad::OnlinePin> online_pin;  // the enciphered PIN block and KSN for the host
};

// Book 3 10.5. Errors terminate the transaction: transport failures and the cardholder
// cancelling PIN entry (Errc::cancelled).
Result<CvmOutcome> cardholder_verification(Context& ctx, Ttl& ttl, pinpad::PinPad& pin_pad,
                                           KernelUi& ui);

}  // namespace tender::emv
