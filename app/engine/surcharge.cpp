#include "app/engine/surcharge.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tender::app {
namespace {

// Applications that are debit by their scheme's definition (the AIDs the US debit networks
// registered for the Durbin amendment's common debit routing, and the debit-only brands).
// A card's DF name may extend its AID (Book 1 12.3.1, partial selection): compared by prefix.
struct DebitAid {
  std::string_view hex;
  std::string_view what;
};
constexpr std::array kDebitAids{
    DebitAid{"A0000000980840", "Visa US Common Debit"},
    DebitAid{"A0000000042203", "Mastercard US Maestro (US Common Debit)"},
    DebitAid{"A0000001524010", "Discover US Common Debit"},
    DebitAid{"A0000006200620", "DNA (Debit Network Alliance) US Common Debit"},
    DebitAid{"A000000333010108", "UnionPay US Common Debit"},
    DebitAid{"A0000000033010", "Visa Interlink"},
    DebitAid{"A0000000032010", "Visa Electron"},
    DebitAid{"A0000000032020", "V PAY"},
    DebitAid{"A0000000043060", "Maestro"},
    DebitAid{"A0000002771010", "Interac"},
};

// No card brand lets a merchant surcharge more than 4 % (Mastercard's cap; Visa's is 3 %,
// and states cap lower): a larger answer is the host's error, not a price. 4 % = 1/25,
// rounded up to the cent.
constexpr std::int64_t kSurchargeCapDivisor = 25;
std::int64_t surcharge_cap(std::int64_t base) {
  return base / kSurchargeCapDivisor + (base % kSurchargeCapDivisor != 0 ? 1 : 0);
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool says(std::string_view words, std::string_view word) { return words.find(word) != std::string_view::npos; }

}  // namespace

std::string_view to_string(Funding funding) noexcept {
  switch (funding) {
    case Funding::unknown: return "unknown";
    case Funding::credit: return "credit";
    case Funding::debit: return "debit";
    case Funding::prepaid: return "prepaid";
  }
  return "?";
}

Funding chip_funding(ByteView aid, std::string_view label, std::string_view preferred_name) {
  const std::string aid_hex = to_hex(aid);
  for (const DebitAid& d : kDebitAids) {
    if (aid_hex.size() >= d.hex.size() && std::string_view(aid_hex).substr(0, d.hex.size()) == d.hex) {
      return Funding::debit;
    }
  }
  // The card's own words: the label is the issuer's name for the application ("VISA DEBIT",
  // "US DEBIT", "MASTERCARD PREPAID", "VISA CREDIT"). Debit and prepaid win over credit.
  const std::string words = upper(label) + " " + upper(preferred_name);
  if (says(words, "PREPAID")) return Funding::prepaid;
  if (says(words, "DEBIT")) return Funding::debit;
  if (says(words, "CREDIT")) return Funding::credit;
  return Funding::unknown;
}

SurchargeDecision decide_surcharge(const net::host::CalculateAmountResult& prices, Funding funding,
                                   bool for_this_card, const Money& base) {
  if (funding == Funding::debit || funding == Funding::prepaid) {
    if (prices.debit && prices.debit->surcharge.minor_units() != 0) {
      return {{}, std::string(to_string(funding)) + " card: never surcharged (the host priced debit with one)"};
    }
    return {{}, std::string(to_string(funding)) + " card: never surcharged"};
  }
  if (funding == Funding::unknown && !for_this_card) {
    return {{}, "card type unknown: not surcharged"};
  }
  const net::host::AmountBreakdown& card = prices.card;
  if (!(card.base == base) || !(card.surcharge.currency() == base.currency())) {
    return {{}, "the host priced another amount: not surcharged"};
  }
  const std::int64_t surcharge = card.surcharge.minor_units();
  if (surcharge < 0 || surcharge > surcharge_cap(base.minor_units())) {
    return {{}, "the host's surcharge is out of range: not surcharged"};
  }
  if (surcharge == 0) return {{}, "no surcharge for this card"};
  return {card.surcharge, for_this_card ? "surcharged: the host priced this card's BIN" : "credit card: surcharged"};
}

}  // namespace tender::app
