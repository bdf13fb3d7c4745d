// The surcharge of one sale, decided once the card is known (issue 10, item 6): what the
// terminal knows of the card's type, and the price the host's breakdowns give for it.
//
// The rule: a surcharge is charged only on a card the terminal can show is credit, or whose
// BIN the host priced itself; never on a debit or prepaid card (the card brands forbid it,
// and US law and state rules follow them), and never on a card whose type is unknown. A sale
// the terminal cannot price goes at the base price: the surcharge is the merchant's option,
// an undercharge is recoverable, an unlawful charge to a cardholder is not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::app {

// What the card is, as far as the terminal can tell.
enum class Funding { unknown, credit, debit, prepaid };
std::string_view to_string(Funding funding) noexcept;

// A chip card's type from the application it selected (before GET PROCESSING OPTIONS, so no
// PAN yet): a debit-only AID (the US Common Debit AIDs, Interlink, Maestro, Visa Electron,
// V PAY, Interac) is debit; otherwise the card's own words in its Application Label (50) or
// Preferred Name (9F12): PREPAID, DEBIT, CREDIT. The global AIDs (A0000000031010,
// A0000000041010, ...) serve credit and debit cards alike and say nothing by themselves.
Funding chip_funding(ByteView aid, std::string_view label, std::string_view preferred_name);

struct SurchargeDecision {
  std::optional<Money> surcharge;  // none: the sale goes at the base price
  std::string why;                 // for the log and the report; never card data
};

// The surcharge for a card of `funding`, from the host's prices of `base` (the sale amount
// before tip). `for_this_card`: the prices are the host's answer for this card's BIN
// (CardPricing::by_bin asked with the BIN), so `card` is its price whatever its type.
// A breakdown that does not price `base` in its currency, or whose surcharge is negative or
// beyond any card brand's cap, is a host error: no surcharge.
SurchargeDecision decide_surcharge(const net::host::CalculateAmountResult& prices, Funding funding,
                                   bool for_this_card, const Money& base);

}  // namespace tender::app
