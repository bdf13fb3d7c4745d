#include "net/hostsim/aurora_payment.hpp"

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_constants.hpp"

namespace tender::net::hostsim::aurora {
namespace {

// emvTags is `[String]` (IOS L1081: "a string array of variable size, should be used as is",
// swiftdoc ReturnWORefRequestDto); RAW shows only null. sim: the array's hex strings are
// concatenated as TLV; one hex string of TLVs is accepted too.
Result<Bytes> emv_tags_of(const Json& v) {
  if (v.is_string()) return from_hex(v.get<std::string>());
  if (!v.is_array()) return make_error(Errc::malformed, "emvTags must be an array of hex strings");
  Bytes all;
  for (const auto& item : v) {
    if (!item.is_string()) return make_error(Errc::malformed, "emvTags must be an array of hex strings");
    auto part = from_hex(item.get<std::string>());
    if (!part) return part;
    all.insert(all.end(), part->begin(), part->end());
  }
  return all;
}

// Card data by precedence: chip (emvTags), track 2, track 1, keyed fields.
Result<CardData> card_of(const Json& body, const Bytes* emv) {
  bool ok = true;
  if (emv != nullptr) return card_from_emv_tags(*emv);
  if (auto t2 = string_member(body, kTrack2, ok)) return parse_track2(*t2);
  if (auto t1 = string_member(body, kTrack1, ok)) return parse_track1(*t1);
  auto pan = string_member(body, kAccountNumber, ok);
  auto month = int_member(body, kExpirationMonth, ok);
  auto year = int_member(body, kExpirationYear, ok);
  if (!ok) return make_error(Errc::malformed, "card fields have the wrong type");
  if (!pan || !month || !year) return make_error(Errc::malformed, "Card data is required");
  return keyed_card(*pan, static_cast<int>(*month), static_cast<int>(*year));
}

std::string required(std::string_view field) { return "The " + std::string(field) + " field is required."; }
std::string not_valid(std::string_view field) { return "The value is not valid for " + std::string(field) + "."; }

// An optional integer enumeration member within [lo, hi]; `present` tells a missing one.
std::optional<FieldError> enum_member(const Json& body, std::string_view key, std::string_view field, std::int64_t lo,
                                      std::int64_t hi, std::optional<std::int64_t>& out) {
  bool ok = true;
  out = int_member(body, key, ok);
  if (!ok || (out && (*out < lo || *out > hi))) return FieldError{std::string(field), not_valid(field)};
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> rate_of(const Json& value) {
  auto rate = decimal_to_minor(value, kRateDecimals);
  if (!rate || *rate > kRateScale) return std::nullopt;
  return *rate;
}

std::optional<FieldError> read_payment(const Json& body, PaymentKind kind, PaymentIn& out) {
  bool ok = true;
  // cardDataSource: the one field every payment DTO requires (IOS L1081, L7999, L7919).
  std::optional<std::int64_t> source;
  if (auto bad = enum_member(body, kCardDataSource, "CardDataSource", kCardDataSourceMin, kCardDataSourceMax, source))
    return bad;
  if (!source) return FieldError{"CardDataSource", required("CardDataSource")};
  out.card_data_source = *source;
  // paymentProcessorId: required in ReturnWORefRequestDto (L7919); optional in the auth and
  // sale schemas, but sim refuses a payment without one (it names the merchant's processor).
  const auto processor = string_member(body, kPaymentProcessorId, ok);
  if (!ok || !processor || processor->empty()) return FieldError{"PaymentProcessorId", required("PaymentProcessorId")};
  out.processor = *processor;
  // currencyId: required without reference (L7919); 1 USD is the only value (CurrencyDto).
  const auto currency = int_member(body, kCurrencyId, ok);
  if (!ok || (currency && *currency != kUsdCurrencyId)) return FieldError{"CurrencyId", not_valid("CurrencyId")};
  if (kind == PaymentKind::refund_without_reference && !currency) return FieldError{"CurrencyId", required("CurrencyId")};
  // debit: required without reference (L7919 `debit: Bool`); a sale's is optional (L7999).
  const auto debit = bool_member(body, kDebit, ok);
  if (!ok && kind != PaymentKind::auth) return FieldError{"Debit", not_valid("Debit")};
  if (kind == PaymentKind::refund_without_reference && !debit) return FieldError{"Debit", required("Debit")};
  std::optional<std::int64_t> unused;
  if (auto bad = enum_member(body, kEmvFallbackCondition, "EmvFallbackCondition", 0, kFallbackConditionMax, unused))
    return bad;
  if (auto bad = enum_member(body, kEmvFallbackLastChipRead, "EmvFallbackLastChipRead", 0, kLastChipReadMax, unused))
    return bad;
  // amount: optional in every schema; sim refuses a payment of nothing.
  const Json* amount = member(body, kAmount);
  if (amount == nullptr || amount->is_null()) return FieldError{"Amount", required("Amount")};
  auto minor = decimal_to_minor(*amount);
  if (!minor || *minor == 0) return FieldError{"Amount", "Amount must be a positive number with at most 2 decimals"};
  out.amount = *minor;
  if (const Json* tip = member(body, kTipAmount); tip != nullptr && !tip->is_null()) {
    auto t = decimal_to_minor(*tip);
    if (!t) return FieldError{"TipAmount", not_valid("TipAmount")};
    out.tip = *t;
  }
  for (const auto& [key, field, target] : {std::tuple{kPercentageOffRate, "PercentageOffRate", &out.discount_rate},
                                           std::tuple{kSurchargeRate, "SurchargeRate", &out.surcharge_rate}}) {
    const Json* v = member(body, key);
    if (v == nullptr || v->is_null()) continue;
    auto rate = rate_of(*v);
    if (!rate) return FieldError{field, not_valid(field)};
    *target = *rate;
  }
  if (const Json* tags = member(body, kEmvTags); tags != nullptr && !tags->is_null()) {
    auto parsed = emv_tags_of(*tags);
    if (!parsed) return FieldError{"EmvTags", parsed.error().message};
    out.emv = std::move(*parsed);
  }
  auto card = card_of(body, out.emv ? &*out.emv : nullptr);
  if (!card) return FieldError{"Card", card.error().message};
  out.card = std::move(*card);
  const auto pin_text = string_member(body, kPin, ok);
  const auto ksn_text = string_member(body, kPinKsn, ok);
  if (!ok) return FieldError{"Pin", "pin and pinKsn must be strings"};
  if (pin_text) {
    // "Encrypted PIN for the terminal" + "The KSN for DUKPT PIN encryption" (IOS swiftdoc):
    // sim reads both as hex (RAW's "1111" / "2222222222" are).
    auto block = from_hex(*pin_text);
    auto ksn = from_hex(ksn_text.value_or(""));
    if (!block || !ksn || ksn->empty()) return FieldError{"Pin", "pin and pinKsn must be hex"};
    out.pin = PinData{std::move(*block), std::move(*ksn)};
  }
  out.reference = string_member(body, kReferenceId, ok).value_or("");
  if (!ok) return FieldError{"ReferenceId", not_valid("ReferenceId")};
  return std::nullopt;
}

Txn new_payment(const PaymentIn& in, const Decision& d, TxnType type) {
  Txn txn;
  const bool ok = approved(d.outcome);
  txn.type = type;
  txn.outcome = d.outcome;
  txn.requested = in.amount;
  txn.authorized = d.approved_amount;
  txn.status = !ok ? TxnStatus::declined : type == TxnType::authorization ? TxnStatus::authorized : TxnStatus::captured;
  txn.captured = ok && type != TxnType::authorization ? d.approved_amount : 0;
  // The host applies the rates to the approved base (sim: to the asked base when declined):
  // percentage off first, then the surcharge on what is left ("added to Amount after
  // PercentageOffRate is applied", IOS swiftdoc surchargeRate); rounded half up (sim).
  const std::int64_t base = ok ? d.approved_amount : in.amount;
  txn.discount = apply_rate(base, in.discount_rate, kRateScale);
  txn.surcharge = apply_rate(base - txn.discount, in.surcharge_rate, kRateScale);
  txn.tip = in.tip;
  txn.owner = in.processor;
  txn.first6 = first_six(in.card);
  txn.last4 = last_four(in.card);
  txn.reference = in.reference;  // kept, never shown: no response or filter carries it (IOS)
  txn.card_data_source = in.card_data_source;
  txn.emv_response_hex = to_hex(d.emv_response);
  if (in.emv) {  // what the detail's emvTags shows (IOS L3631 EmvTagsIsvDto: ac, tvr, aid)
    txn.emv_ac = emv_tag_hex(*in.emv, 0x9F26);
    txn.emv_tvr = emv_tag_hex(*in.emv, 0x95);
    txn.emv_aid = emv_tag_hex(*in.emv, 0x4F);
    if (txn.emv_aid.empty()) txn.emv_aid = emv_tag_hex(*in.emv, 0x84);
  }
  return txn;
}

}  // namespace tender::net::hostsim::aurora
