#include "net/aurora/aurora_mapping.hpp"

#include <cstddef>
#include <optional>
#include <vector>

#include "net/aurora/aurora_api.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::aurora {
namespace {

namespace f = api::field;
using host::Json;
using host::JsonWriter;
using host::Outcome;

Result<int> currency_id(const Currency& currency) {
  const auto id = api::table_lookup(api::kCurrencyId, currency.alpha);
  if (!id) return make_error(Errc::unsupported, "Aurora has no currencyId for " + std::string(currency.alpha));
  return *id;
}

Result<void> require_id(std::string_view value, std::string_view what) {
  if (value.empty()) return make_error(Errc::invalid_argument, std::string(what) + " is required");
  return ok();
}

void optional_secret(JsonWriter& w, std::string_view key, const SecretString& value) {
  if (value.empty()) {
    w.null(key);
  } else {
    w.string(key, value.reveal());
  }
}

// Ambiguity A5 (§8.11): emvTags is typed as an array of strings in the SDK (Appendix A):
// we send one upper-case hex string per top-level TLV element, in the kernel's order.
Result<void> write_emv_tags(JsonWriter& w, const std::optional<host::EmvData>& emv, host::EntryMode mode) {
  const bool chip = mode == host::EntryMode::chip || mode == host::EntryMode::contactless;
  if (!chip || !emv || emv->tags.empty()) {
    if (chip) return make_error(Errc::invalid_argument, "a chip or contactless transaction needs EMV tags");
    w.null(f::emvTags);
    return ok();
  }
  auto elements = split_tlv(emv->tags);
  if (!elements) return std::move(elements).error();
  w.begin_array(f::emvTags);
  for (const auto& element : *elements) w.string_element(to_hex(element));
  w.end_array();
  return ok();
}

}  // namespace

Result<std::vector<Bytes>> split_tlv(ByteView tlv) {
  std::vector<Bytes> out;
  std::size_t i = 0;
  while (i < tlv.size()) {
    const std::size_t start = i;
    if ((tlv[i++] & 0x1F) == 0x1F) {  // multi-byte tag (ISO 8825-1 8.1.2.4)
      while (i < tlv.size() && (tlv[i] & 0x80) != 0) ++i;
      ++i;
    }
    if (i >= tlv.size()) return make_error(Errc::malformed, "EMV tags end inside a tag");
    std::size_t length = tlv[i++];
    if (length & 0x80) {
      const std::size_t count = length & 0x7F;
      if (count == 0 || count > 2 || i + count > tlv.size()) return make_error(Errc::malformed, "EMV tag length is invalid");
      length = 0;
      for (std::size_t k = 0; k < count; ++k) length = (length << 8) | tlv[i++];
    }
    if (length > tlv.size() - i) return make_error(Errc::malformed, "EMV tag value runs past the end");
    i += length;
    out.emplace_back(tlv.begin() + static_cast<std::ptrdiff_t>(start), tlv.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return out;
}

Result<std::string> authorization_body(const host::AuthorizationRequest& request, AuthKind kind,
                                       std::string_view payment_processor_id) {
  auto currency = currency_id(request.amount.currency());
  if (!currency) return std::move(currency).error();
  if (auto r = require_id(request.reference_id, "reference_id"); !r) return std::move(r).error();
  if (auto r = require_id(payment_processor_id, "paymentProcessorId"); !r) return std::move(r).error();
  if (request.host_terminal_id) return make_error(Errc::unsupported, "Aurora has no host-managed terminal");
  if (!request.card.encrypted_track1.empty() || !request.card.encrypted_track2.empty()) {
    return make_error(Errc::unsupported, "Aurora takes no encrypted tracks");
  }
  // Ambiguity A6 (§8.3): the amount sent is the base amount; Aurora adds tipAmount and its
  // own surcharge (ZCP) to it (S9's breakdown: baseAmount + tip + surcharge = totalAmount).
  Money base = request.amount;
  for (const auto& part : {request.tip, request.surcharge}) {
    if (!part) continue;
    if (!(part->currency() == base.currency())) return make_error(Errc::invalid_argument, "amounts differ in currency");
    base = Money(base.minor_units() - part->minor_units(), base.currency());
  }
  if (base.minor_units() <= 0) return make_error(Errc::invalid_argument, "amount must exceed tip and surcharge");

  const auto source = api::table_lookup(api::kCardDataSource, request.entry_mode);
  const bool keyed = request.entry_mode == host::EntryMode::keyed;
  const bool swipe = request.entry_mode == host::EntryMode::swiped || request.entry_mode == host::EntryMode::fallback_swipe;
  if (keyed && (request.card.pan.empty() || request.card.expiry_yymm.size() != 4)) {
    return make_error(Errc::invalid_argument, "keyed entry needs a PAN and a YYMM expiry");
  }
  if (swipe && request.card.track1.empty() && request.card.track2.empty()) {
    return make_error(Errc::invalid_argument, "a swipe needs track 1 or track 2");
  }

  JsonWriter w;
  w.begin_object();
  // Key order follows S2/S3 (raw 606-651 / 689-735).
  w.string(f::paymentProcessorId, payment_processor_id).null(f::customerId).null(f::paymentMethodId);
  w.decimal(f::amount, base);
  if (request.tip) {
    w.decimal(f::tipAmount, *request.tip);
  } else {
    w.null(f::tipAmount);
  }
  w.null(f::tipRate).integer(f::currencyId, *currency).null(f::percentageOffRate).null(f::surchargeRate);
  w.null(f::useCardPrice).null(f::billingAddress).null(f::shippingAddress).null(f::contactInfo);
  if (keyed) {
    const auto yymm = request.card.expiry_yymm.reveal();
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(yymm[0]) || !digit(yymm[1]) || !digit(yymm[2]) || !digit(yymm[3])) {
      return make_error(Errc::invalid_argument, "expiry is not YYMM");
    }
    const int month = (yymm[2] - '0') * 10 + (yymm[3] - '0');
    if (month < 1 || month > 12) return make_error(Errc::invalid_argument, "expiry month is not 01..12");
    w.string(f::accountNumber, request.card.pan.reveal());
    optional_secret(w, f::securityCode, request.card.cvc);
    // Ambiguity A7 (§8.13): expirationYear is sent with two digits, as the only example does.
    w.integer(f::expirationMonth, month).integer(f::expirationYear, (yymm[0] - '0') * 10 + (yymm[1] - '0'));
  } else {
    w.null(f::accountNumber).null(f::securityCode).null(f::expirationMonth).null(f::expirationYear);
  }
  if (swipe) {
    optional_secret(w, f::track1, request.card.track1);
    optional_secret(w, f::track2, request.card.track2);
  } else {
    w.null(f::track1).null(f::track2);
  }
  if (auto r = write_emv_tags(w, request.emv, request.entry_mode); !r) return std::move(r).error();
  w.null(f::emvPaymentAppVersion).integer(f::cardDataSource, source.value_or(0));
  // Ambiguity A8 (§8.11): pin is the encrypted PIN block (Appendix A), pinKsn its DUKPT KSN,
  // both upper-case hex.
  if (request.pin) {
    w.string(f::pin, reveal_hex(request.pin->pin_block)).string(f::pinKsn, to_hex(request.pin->ksn));
  } else {
    w.null(f::pin).null(f::pinKsn);
  }
  // Ambiguity A9 (§8.12): only the sale carries `debit` (S2 has no such key); an online PIN
  // asks for debit routing, no PIN leaves the choice to the host (null).
  if (kind == AuthKind::sale) {
    if (request.pin) {
      w.boolean(f::debit, true);
    } else {
      w.null(f::debit);
    }
  }
  const bool fallback = request.entry_mode == host::EntryMode::fallback_swipe;
  if (fallback) {
    if (!request.emv || !request.emv->fallback_condition || !request.emv->last_chip_read) {
      return make_error(Errc::invalid_argument, "a fallback swipe needs its fallback condition and last chip read");
    }
    w.integer(f::emvFallbackCondition, *api::table_lookup(api::kFallbackCondition, *request.emv->fallback_condition));
    w.integer(f::emvFallbackLastChipRead, *api::table_lookup(api::kLastChipRead, *request.emv->last_chip_read));
  } else {
    w.null(f::emvFallbackCondition).null(f::emvFallbackLastChipRead);
  }
  w.string(f::referenceId, request.reference_id).null(f::l2).null(f::l3).boolean(f::customerInitiatedTransaction, false);
  w.end_object();
  return w.take();
}

Result<std::string> capture_body(const host::CaptureRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  JsonWriter w;
  w.begin_object();
  if (request.amount) {
    w.decimal(f::amount, *request.amount);
  } else {
    w.null(f::amount);  // the authorized amount
  }
  w.string(f::transactionId, request.host_reference).end_object();
  return w.take();
}

Result<std::string> void_body(const host::VoidRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  JsonWriter w;
  w.begin_object().string(f::transactionId, request.host_reference).end_object();
  return w.take();
}

Result<std::string> return_body(const host::RefundRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  // Ambiguity A10 (§3 S5, §8.10): a return refers to its transaction; no card is read, so
  // the card fields and cardDataSource are null (S5's 0 is a placeholder: no code 0 exists),
  // and a null amount returns the full amount.
  JsonWriter w;
  w.begin_object();
  w.null(f::track1).null(f::track2).null(f::emvTags).null(f::emvPaymentAppVersion).null(f::cardDataSource);
  w.null(f::pin).null(f::pinKsn).string(f::transactionId, request.host_reference);
  if (request.amount) {
    w.decimal(f::amount, *request.amount);
  } else {
    w.null(f::amount);
  }
  w.end_object();
  return w.take();
}

Result<std::string> tip_adjust_body(const host::TipAdjustRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  if (request.tip.minor_units() < 0) return make_error(Errc::invalid_argument, "tip is negative");
  JsonWriter w;
  w.begin_object().string(f::transactionId, request.host_reference).decimal(f::tipAmount, request.tip).end_object();
  return w.take();
}

std::string settle_body(std::string_view payment_processor_id) {
  JsonWriter w;
  w.begin_object().string(f::paymentProcessorId, payment_processor_id).end_object();
  return w.take();
}

namespace {

Result<Json> parse_object(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return json;
  if (!json->is_object()) return make_error(Errc::malformed, "Aurora response is not a JSON object");
  return json;
}

Outcome outcome_from_code(std::string_view code) {
  if (auto known = api::table_lookup(api::kHostResponseCode, code)) return *known;
  const bool two_digits = code.size() == 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9';
  return two_digits ? Outcome::declined : Outcome::unknown;
}

Result<std::optional<Money>> optional_amount(const Json& object, std::string_view name, Currency currency) {
  const auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return std::optional<Money>{};
  auto money = host::money_from_json(*it, host::AmountUnit::decimal, currency, name);
  if (!money) return std::move(money).error();
  return std::optional<Money>{*money};
}

Result<host::HostResult> from_status(const Json& json, std::string_view id_field, Currency currency) {
  host::HostResult result;
  auto id = host::string_field(json, id_field);
  auto status = host::string_field(json, f::status);
  auto auth = host::optional_string_field(json, f::authCode);
  if (!id) return std::move(id).error();
  if (!status) return std::move(status).error();
  if (!auth) return std::move(auth).error();
  result.host_reference = *id;
  result.outcome = api::table_lookup(api::kStatus, *status).value_or(Outcome::unknown);
  result.response_message = *status;
  result.auth_code = *auth;
  auto total = optional_amount(json, f::totalAmount, currency);
  if (!total) return std::move(total).error();
  result.approved_amount = *total;
  return result;
}

}  // namespace

Result<host::HostResult> parse_transaction_result(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  host::HostResult result;
  auto id = host::string_field(*json, f::transactionId);
  if (!id) return std::move(id).error();
  result.host_reference = *id;
  const auto details = json->find(std::string(f::details));
  if (details == json->end() || !details->is_object()) return make_error(Errc::malformed, "field details is missing");
  auto code = host::string_field(*details, f::hostResponseCode);
  auto message = host::optional_string_field(*details, f::hostResponseMessage);
  auto auth = host::optional_string_field(*details, f::authCode);
  if (!code) return std::move(code).error();
  if (!message) return std::move(message).error();
  if (!auth) return std::move(auth).error();
  result.response_code = *code;
  result.response_message = *message;
  result.auth_code = *auth;
  result.outcome = outcome_from_code(*code);
  // Ambiguity A11 (§8.3): processedAmount is reported as the approved amount as is; it is
  // never compared with the request (the examples do not reconcile), only code "10" is partial.
  auto processed = optional_amount(*json, f::processedAmount, currency);
  if (!processed) return std::move(processed).error();
  if (result.outcome == Outcome::approved || result.outcome == Outcome::partially_approved) {
    result.approved_amount = *processed;
  }
  // The documents show no issuer response data (8A/91/71/72) in any response. A host that
  // does send `emvTags` back (our simulator does, as a TLV hex string; Appendix A's SDK types
  // the request's as an array) gets them to the card; anything unreadable there is ignored
  // rather than failing a transaction the host has already decided.
  const auto tags = json->find("emvTags");
  if (tags != json->end()) {
    Bytes tlv;
    const auto take = [&tlv](const nlohmann::json& v) {
      if (!v.is_string()) return false;
      auto bytes = from_hex(v.get<std::string>());
      if (!bytes) return false;
      tlv.insert(tlv.end(), bytes->begin(), bytes->end());
      return true;
    };
    bool readable = true;
    if (tags->is_array()) {
      for (const auto& item : *tags) readable = readable && take(item);
    } else if (!tags->is_null()) {
      readable = take(*tags);
    }
    if (readable) result.issuer_response_tlv = std::move(tlv);
  }
  return result;
}

Result<host::HostResult> parse_transaction_detail(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  return from_status(*json, f::transactionId, currency);
}

Result<host::HostResult> parse_transaction_list(std::string_view body, Currency currency, std::string_view reference_id) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const auto items = json->find(std::string(f::items));
  if (items == json->end() || !items->is_array()) return make_error(Errc::malformed, "field items is missing");
  if (items->empty()) return make_error(Errc::not_found, "no Aurora transaction has that referenceId");
  // Recovery adopts what this returns, so a stranger's transaction must never come back:
  // an item that names its referenceId must name ours; items that do not (the document's
  // list example has none) are trusted only when the filter left exactly one.
  const nlohmann::json* match = nullptr;
  bool any_named = false;
  for (const auto& item : *items) {
    const auto ref = item.find(std::string(f::referenceId));
    if (ref == item.end() || !ref->is_string()) continue;
    any_named = true;
    if (ref->get<std::string>() == reference_id) {
      match = &item;
      break;
    }
  }
  if (match == nullptr && any_named) return make_error(Errc::not_found, "no Aurora transaction has that referenceId");
  if (match == nullptr && items->size() != 1) {
    return make_error(Errc::malformed, "the referenceId search returned several transactions without their referenceId");
  }
  return from_status(match != nullptr ? *match : items->front(), f::id, currency);
}

Result<host::SettleResult> parse_settle_result(std::string_view body) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const auto code = json->find(std::string(f::code));
  if (code == json->end() || !code->is_number_integer()) return make_error(Errc::malformed, "field code is missing");
  auto message = host::optional_string_field(*json, f::message);
  if (!message) return std::move(message).error();
  // Ambiguity A12 (§8.7): S7's integer code; 0 is taken as success (the only value shown).
  host::SettleResult result;
  result.accepted = code->get<std::int64_t>() == 0;
  result.response_code = std::to_string(code->get<std::int64_t>());
  result.response_message = *message;
  return result;
}

Result<host::CalculateAmountResult> parse_calculate_result(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const auto breakdown = [&](std::string_view name) -> Result<host::AmountBreakdown> {
    const auto it = json->find(std::string(name));
    if (it == json->end() || !it->is_object()) return make_error(Errc::malformed, "field " + std::string(name) + " is missing");
    host::AmountBreakdown b;
    const std::pair<std::string_view, Money*> parts[] = {
        {f::baseAmount, &b.base}, {f::surchargeAmount, &b.surcharge}, {f::tipAmount, &b.tip}, {f::totalAmount, &b.total}};
    for (const auto& [field, target] : parts) {
      auto m = host::money_from_json(it->contains(std::string(field)) ? it->at(std::string(field)) : Json(), host::AmountUnit::decimal,
                                     currency, field);
      if (!m) return std::move(m).error();
      *target = *m;
    }
    return b;
  };
  host::CalculateAmountResult result;
  auto card = breakdown(f::creditCard);
  if (!card) return std::move(card).error();
  result.card = *card;
  if (json->contains(std::string(f::cash))) {
    auto cash = breakdown(f::cash);
    if (!cash) return std::move(cash).error();
    result.cash = *cash;
  }
  return result;
}

}  // namespace tender::net::aurora
