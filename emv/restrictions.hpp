// Processing Restrictions, EMV 4.4 Book 3 10.4: application version number (10.4.1),
// Application Usage Control (10.4.2), effective and expiration dates (10.4.3). Each
// check only sets TVR byte 2 bits; the terminal action analysis decides what they mean.
#pragma once

#include <cstdint>

#include "common/result.hpp"
#include "emv/context.hpp"
#include "emv/tvr.hpp"

namespace tender::emv {

// Application Usage Control (9F07), Book 3 Annex C2, packed 0xBBMM like the TVR.
enum class AucBit : std::uint16_t {
  valid_for_domestic_cash = 0x0180,
  valid_for_international_cash = 0x0140,
  valid_for_domestic_goods = 0x0120,
  valid_for_international_goods = 0x0110,
  valid_for_domestic_services = 0x0108,
  valid_for_international_services = 0x0104,
  valid_at_atms = 0x0102,
  valid_at_terminals_other_than_atms = 0x0101,
  domestic_cashback_allowed = 0x0280,
  international_cashback_allowed = 0x0240,
};
using Auc = BitString<2, AucBit>;

// 10.4.2 on its own: whether the AUC allows this transaction at this terminal. `domestic`
// is nullopt when the card gives no Issuer Country Code (5F28): then only the ATM /
// non-ATM bits are checked.
[[nodiscard]] bool usage_allowed(const Auc& auc, TransactionType type, bool cashback,
                                 bool atm, std::optional<bool> domestic);

// All three checks. Errc::malformed (terminate) when 5F24 / 5F25 are not valid dates or
// the transaction date is not; TVR bits otherwise.
Result<void> processing_restrictions(Context& ctx);

}  // namespace tender::emv
