// Aurora payment requests (auth, sale, return without reference): what the host refuses, and
// the transaction it records. Required fields and enumerations per the IOS DTOs; where the
// schema lets a field be absent but a payment cannot do without it, the refusal is sim.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "net/hostsim/card.hpp"
#include "net/hostsim/decision.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::aurora {

enum class PaymentKind { auth, sale, refund_without_reference };

struct PaymentIn {
  std::string processor;
  std::int64_t amount = 0;          // minor units: the base (`amount`)
  std::int64_t tip = 0;
  std::int64_t discount_rate = 0;   // percentageOffRate, in 1/kRateScale of the whole
  std::int64_t surcharge_rate = 0;  // surchargeRate, likewise
  std::int64_t card_data_source = 0;
  CardData card;
  std::optional<Bytes> emv;
  std::optional<PinData> pin;
  std::string reference;
};

// A refusal: the field (as the validation example's `errors` names it) and why.
struct FieldError {
  std::string field;
  std::string message;
};

// Reads and checks a payment body; the first refusal, or nothing when `out` is complete.
std::optional<FieldError> read_payment(const Json& body, PaymentKind kind, PaymentIn& out);

// The transaction the host records for `in` and the issuer's decision `d`.
Txn new_payment(const PaymentIn& in, const Decision& d, TxnType type);

// A percent rate (decimal number, at most kRateDecimals decimals, 0..100) in 1/kRateScale.
std::optional<std::int64_t> rate_of(const Json& value);

}  // namespace tender::net::hostsim::aurora
