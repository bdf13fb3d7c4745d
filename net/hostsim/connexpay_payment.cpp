// ConnexPay: sale, AuthOnly and Verify requests. The request is read once into a value
// (PaymentRequest), then every format rule of the error tables is one row of kCardRules, asked
// in order; the first broken one answers. Then the duplicate rules, the script and the issuer.
#include <algorithm>
#include <array>
#include <cstdio>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/card.hpp"
#include "net/hostsim/connexpay_api.hpp"
#include "net/hostsim/connexpay_request.hpp"
#include "net/hostsim/connexpay_views.hpp"
#include "net/hostsim/decision.hpp"

namespace tender::net::hostsim {

namespace connexpay {

Result<std::optional<std::int64_t>> amount_member(const Json& body, std::string_view key) {
  const Json* value = member(body, key);
  if (value == nullptr || value->is_null()) return std::optional<std::int64_t>{};
  // A negative amount binds (a decimal) and breaks "must be greater than zero" (H L6333);
  // only its sign matters, so no arithmetic is done on it.
  if (value->is_number() && *value < 0) return std::optional<std::int64_t>{-1};
  // A non-negative integer built in process (not parsed) is signed: the same amount.
  if (value->is_number_integer() && !value->is_number_unsigned())
    return amount_member(Json{{key, value->get<std::uint64_t>()}}, key);
  auto minor = value->is_string() ? decimal_text_to_minor(value->get_ref<const std::string&>()) : decimal_to_minor(*value);
  if (!minor) return std::move(minor).error();
  return std::optional<std::int64_t>{*minor};
}

std::optional<Rule> amount_rule(std::int64_t minor, Rule not_positive) {
  if (minor <= 0) return not_positive;
  if (minor < kMinAmount) return Rule::amount_below_minimum;
  if (minor > kMaxAmount) return Rule::amount_above_maximum;
  return std::nullopt;
}

std::optional<std::chrono::system_clock::time_point> parse_time(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u", &year, &month, &day, &hour, &minute, &second) != 6)
    return std::nullopt;
  auto t = utc(year, month, day, hour, minute, second);
  // The fraction (7 digits, 100 ns units): same-second records keep their order.
  if (s.size() > 20 && s[19] == '.') {
    std::int64_t ticks = 0;
    std::size_t i = 20;
    for (int digits = 0; digits < 7; ++digits) ticks = ticks * 10 + (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) ? s[i++] - '0' : 0);
    t += std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds{ticks * 100});
  }
  return t;
}

}  // namespace connexpay

namespace {

using namespace connexpay;

template <std::size_t N>
std::optional<std::size_t> index_in(const std::array<std::string_view, N>& values, std::string_view v) {
  for (std::size_t i = 0; i < N; ++i)
    if (values[i] == v) return i;
  return std::nullopt;
}

bool hex_text(std::string_view s) {
  return !s.empty() && s.size() % 2 == 0 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// The request as the rules see it: which fields are present, the enums read.
struct PaymentRequest {
  bool source_known = true;
  Source source = Source::internet;
  std::optional<std::string> card_number, expiry, track1, track2, emv_hex, pin, ksn, encryption;
  std::optional<std::size_t> fallback, last_read;  // indexes into kFallbackConditions / kLastChipReads
  Bytes emv;                                       // EmvTags decoded ("" when not hex)
  bool emv_hex_ok = false;
  const Json* terminal = nullptr;                  // TerminalData

  [[nodiscard]] bool chip() const { return is_chip(source); }
  [[nodiscard]] bool voltage() const { return encryption && *encryption == kVoltage; }
  [[nodiscard]] bool tracks() const { return track1 || track2; }
  [[nodiscard]] bool has_tag(unsigned tag) const { return !emv_tag_hex(emv, tag).empty(); }
};

// Reads the body; a field of the wrong JSON type or an enum value outside the list does not
// bind: 400 naming it [SIM which field is an enum for the binder].
Result<PaymentRequest> read_request(const Json& body, std::string& bad_field) {
  PaymentRequest p;
  bool ok = true;
  auto text = [&](const Json& object, std::string_view key) {
    auto v = string_member(object, key, ok);
    if (!ok && bad_field.empty()) bad_field = std::string(key);
    return v;
  };
  if (const auto source = text(body, kCardDataSource)) {
    const auto i = index_in(kSources, *source);
    p.source_known = i.has_value();
    if (i) p.source = static_cast<Source>(*i);
  }
  if (const auto fallback = text(body, kFallbackCondition)) {
    p.fallback = index_in(kFallbackConditions, *fallback);
    if (!p.fallback) bad_field = kFallbackCondition;
  }
  if (const auto last = text(body, kLastChipRead)) {
    p.last_read = index_in(kLastChipReads, *last);
    if (!p.last_read) bad_field = kLastChipRead;
  }
  p.encryption = text(body, kEncryptionType);
  const Json* card = member(body, kCard);
  if (card != nullptr && !card->is_null()) {
    if (!card->is_object()) bad_field = kCard;
    // Cvv2 is "integer" in H's table and a string in its example: Json.NET binds either.
    const Json* cvv = member(*card, "Cvv2");
    if (cvv != nullptr && !cvv->is_null() && !cvv->is_string() && !cvv->is_number_integer()) bad_field = "Cvv2";
    p.card_number = text(*card, kCardNumber);
    p.expiry = text(*card, kExpirationDate);
    p.track1 = text(*card, kTrack1);
    p.track2 = text(*card, kTrack2);
    p.emv_hex = text(*card, kEmvTags);
    p.pin = text(*card, kPin);
    p.ksn = text(*card, kKsn);
  }
  if (p.emv_hex) {
    auto bytes = from_hex(*p.emv_hex);
    p.emv_hex_ok = bytes.has_value() && !bytes->empty();
    if (bytes) p.emv = std::move(*bytes);
  }
  const Json* terminal = member(body, kTerminalData);
  if (terminal != nullptr && terminal->is_object()) p.terminal = terminal;
  if (!bad_field.empty()) return make_error(Errc::malformed, "does not bind");
  return p;
}

bool terminal_data_incomplete(const PaymentRequest& p) {
  if (p.terminal == nullptr) return true;
  return std::any_of(kTerminalDataMembers.begin(), kTerminalDataMembers.end(), [&](std::string_view key) {
    const Json* v = member(*p.terminal, key);
    return v == nullptr || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty());
  });
}

bool auth_method_pin(const PaymentRequest& p) {
  if (p.terminal == nullptr) return false;
  const Json* v = member(*p.terminal, kCardholderAuthMethod);
  return v != nullptr && v->is_string() && v->get_ref<const std::string&>() == kPinMethod;
}

struct CardRule {
  Rule rule;
  bool (*broken)(const PaymentRequest&);
};

// The card rules of Sale and AuthOnly, in the order a request is checked (H "Other Errors"
// L6306-L6474 and the F/E/D format codes L6250-L6302). The order among rows is [SIM].
constexpr std::array kCardRules = {
    CardRule{Rule::invalid_source, [](const PaymentRequest& p) { return !p.source_known; }},
    CardRule{Rule::fallback_without_source,
             [](const PaymentRequest& p) { return (p.fallback || p.last_read) && p.source != Source::fallback_swipe; }},
    CardRule{Rule::encryption_unknown, [](const PaymentRequest& p) { return p.encryption && !p.voltage(); }},
    CardRule{Rule::voltage_tracks, [](const PaymentRequest& p) { return p.voltage() && p.chip() && p.track1; }},
    CardRule{Rule::card_with_chip,
             [](const PaymentRequest& p) { return p.chip() && (p.card_number || (!p.voltage() && p.tracks())); }},
    CardRule{Rule::emv_fields_missing, [](const PaymentRequest& p) { return p.chip() && (!p.emv_hex || !p.expiry); }},
    CardRule{Rule::voltage_tags,
             [](const PaymentRequest& p) {
               return p.voltage() && p.chip() &&
                      std::any_of(kVoltageForbiddenTags.begin(), kVoltageForbiddenTags.end(),
                                  [&](unsigned tag) { return p.has_tag(tag); });
             }},
    CardRule{Rule::emv_tags_missing,
             [](const PaymentRequest& p) {
               return p.chip() && (!p.emv_hex_ok || !std::all_of(kRequiredEmvTags.begin(), kRequiredEmvTags.end(),
                                                                 [&](unsigned tag) { return p.has_tag(tag); }));
             }},
    CardRule{Rule::card_missing, [](const PaymentRequest& p) { return !p.chip() && !p.card_number && !p.tracks(); }},
    CardRule{Rule::keyed_with_swipe, [](const PaymentRequest& p) { return p.source == Source::swipe && p.card_number; }},
    CardRule{Rule::track_with_keyed_source, [](const PaymentRequest& p) { return is_keyed(p.source) && p.tracks(); }},
    CardRule{Rule::fallback_condition_missing,
             [](const PaymentRequest& p) { return p.source == Source::fallback_swipe && !p.fallback; }},
    CardRule{Rule::fallback_last_read_missing, [](const PaymentRequest& p) { return p.fallback == 0U && !p.last_read; }},
    CardRule{Rule::fallback_last_read_forbidden, [](const PaymentRequest& p) { return p.fallback == 1U && p.last_read; }},
    CardRule{Rule::fallback_track2_only,
             [](const PaymentRequest& p) {
               return p.source == Source::fallback_swipe && (p.track1 || p.card_number || !p.track2);
             }},
    CardRule{Rule::keyed_expiry_missing, [](const PaymentRequest& p) { return !p.chip() && p.card_number && !p.expiry; }},
    CardRule{Rule::swipe_expiry_missing, [](const PaymentRequest& p) { return !p.chip() && p.tracks() && !p.expiry; }},
    CardRule{Rule::encryption_not_enabled, [](const PaymentRequest& p) { return p.voltage(); }},
    CardRule{Rule::pin_invalid, [](const PaymentRequest& p) { return p.pin && !(p.pin->size() == 16 && hex_text(*p.pin)); }},
    CardRule{Rule::pin_without_ksn, [](const PaymentRequest& p) { return p.pin && !p.ksn; }},
    CardRule{Rule::ksn_short, [](const PaymentRequest& p) { return p.ksn && (p.ksn->size() < 16 || !hex_text(*p.ksn)); }},
    CardRule{Rule::terminal_data_missing,
             [](const PaymentRequest& p) { return is_card_present(p.source) && terminal_data_incomplete(p); }},
    CardRule{Rule::auth_method_not_pin, [](const PaymentRequest& p) { return p.pin && !auth_method_pin(p); }},
};

// Verify is keyed only (H L6392-L6393), then the keyed rules of a sale.
constexpr std::array kVerifyRules = {
    CardRule{Rule::verify_emv, [](const PaymentRequest& p) { return p.chip() || p.emv_hex.has_value(); }},
    CardRule{Rule::verify_swiped, [](const PaymentRequest& p) { return p.tracks(); }},
    CardRule{Rule::card_missing, [](const PaymentRequest& p) { return !p.card_number; }},
    CardRule{Rule::keyed_expiry_missing, [](const PaymentRequest& p) { return !p.expiry; }},
};

template <std::size_t N>
std::optional<Rule> first_broken(const std::array<CardRule, N>& rules, const PaymentRequest& p) {
  for (const CardRule& r : rules)
    if (r.broken(p)) return r.rule;
  return std::nullopt;
}

// ExpirationDate YYMM [E H] -> month and year.
std::optional<std::pair<int, int>> yymm(std::string_view s) {
  if (s.size() != 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  const int year = 2000 + (s[0] - '0') * 10 + (s[1] - '0');
  const int month = (s[2] - '0') * 10 + (s[3] - '0');
  if (month < 1 || month > 12) return std::nullopt;
  return std::pair{month, year};
}

// The card a valid request names: keyed, from its track, or from its chip data.
Result<CardData> card_of(const PaymentRequest& p, std::optional<Rule>& refused) {
  if (p.chip()) {
    auto card = card_from_emv_tags(p.emv);
    if (!card) refused = Rule::emv_tags_missing;  // [SIM] neither 57 nor 5A+5F24
    return card;
  }
  const auto expiry = p.expiry ? yymm(*p.expiry) : std::nullopt;
  if (!expiry) {
    refused = Rule::bad_expiry;
    return make_error(Errc::malformed, "expiry");
  }
  if (p.tracks()) {
    auto card = p.track2 ? parse_track2(*p.track2) : parse_track1(*p.track1);
    if (!card) refused = Rule::track_unreadable;
    return card;
  }
  auto card = keyed_card(*p.card_number, expiry->first, expiry->second);
  if (!card) refused = Rule::card_number_invalid;
  return card;
}

std::string mm_yy(const CardData& card) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d/%02d", card.expiry_month % 100, card.expiry_year % 100);
  return buf;
}

// What does not bind on a sale or AuthOnly before the card is read: V1's required objects of a
// sale and its text limits (400 modelState, the field and why).
struct Unbound {
  std::string field;
  std::string why;
};
std::optional<Unbound> binding_error(const Json& body, TxnType type) {
  if (type == TxnType::sale) {
    for (const std::string_view key : kSaleRequiredObjects) {
      const Json* object = member(body, key);
      if (object == nullptr || !object->is_object()) return Unbound{std::string(key), "The " + std::string(key) + " field is required."};
    }
    const Json* expected = member(*member(body, kSaleRequiredObjects[0]), kExpectedPayments);
    if (expected == nullptr || !(expected->is_number_integer() || expected->is_string()))
      return Unbound{std::string(kExpectedPayments), "The ExpectedPayments field is required."};
  }
  for (const TextLimit& limit : kTextLimits) {
    bool ok = true;
    const auto value = string_member(body, limit.field, ok);
    const bool allowed = !value || std::all_of(value->begin(), value->end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
    });
    if (!ok || !allowed || (value && value->size() > limit.max))
      return Unbound{std::string(limit.field), "At most " + std::to_string(limit.max) + " alphanumeric characters or '-'."};
  }
  return std::nullopt;
}

bool same_card(const Txn& t, const Txn& candidate) {
  return t.first6 == candidate.first6 && t.last4 == candidate.last4 && t.expiry_mmyy == candidate.expiry_mmyy;
}

}  // namespace

ApiReply ConnexPayApi::payment(const Json& body, TxnType type) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  const auto amount = amount_member(body, kAmount);
  if (!amount) return bad_request(kAmount, "Could not convert to decimal.");
  if (!*amount) return bad_request(kAmount, "The Amount field is required.");
  const Rule not_positive = type == TxnType::sale ? Rule::amount_not_positive : Rule::authonly_amount_not_positive;
  if (const auto rule = amount_rule(**amount, not_positive)) return refuse(*rule);
  if (const auto unbound = binding_error(body, type)) return bad_request(unbound->field, unbound->why);
  std::string bad_field;
  const auto request = read_request(body, bad_field);
  if (!request) return bad_request(bad_field, "The value is not valid.");
  if (const auto rule = first_broken(kCardRules, *request)) return refuse(*rule);
  const auto card = card_of(*request, refused);
  if (refused || !card) return refuse(refused.value_or(Rule::card_number_invalid));
  bool ok = true;
  const auto sequence = string_member(body, kSequenceNumber, ok);
  const auto order = string_member(body, kOrderNumber, ok);
  if (!ok) return bad_request(kSequenceNumber, "The value is not valid.");

  Txn txn;
  txn.type = type;
  txn.requested = **amount;
  txn.owner = *device;
  txn.reference = order.value_or("");
  txn.sequence_number = sequence.value_or("");
  txn.first6 = first_six(*card);
  txn.last4 = last_four(*card);
  txn.expiry_mmyy = mm_yy(*card);
  txn.card_data_source = static_cast<std::int64_t>(request->source);
  const auto now = services_.clock->now();
  auto within = [&](const Txn& t, std::chrono::system_clock::duration window) {
    const auto at = parse_time(t.created_at);
    return at && now - *at < window;
  };
  // V1: "If a sale request with the same parameter data and the same sequence number is sent
  // within 30 minutes it will be considered a duplicate request and the sale will not process".
  // [SIM] the same device and SequenceNumber suffice (stricter than "same parameter data");
  // nothing is recorded and the first sale stays as it was.
  if (type == TxnType::sale && !txn.sequence_number.empty()) {
    const auto earlier = ledger_.select([&](const Txn& t) {
      return t.type == TxnType::sale && t.parent_id.empty() && t.owner == txn.owner &&
             t.sequence_number == txn.sequence_number && within(t, kSequenceWindow);
    });
    if (!earlier.empty())
      return refuse(approved(earlier.back()->outcome) ? Rule::duplicate_sequence_approved : Rule::duplicate_sequence_declined);
  }
  // D0008 [E H L5785]: the same card and amount as another transaction of the merchant "less
  // than one minute apart". [SIM] Sales and AuthOnlys of either device, approved or declined;
  // answered as a recorded decline (HTTP 200), without consuming a script.
  const auto duplicates = ledger_.select([&](const Txn& t) {
    return (t.type == TxnType::sale || t.type == TxnType::authorization) && t.parent_id.empty() &&
           t.requested == txn.requested && same_card(t, txn) && within(t, kDuplicateWindow);
  });
  std::optional<Script> transport;
  if (!duplicates.empty()) {
    txn.outcome = Outcome::declined;
    txn.gateway_code = 8;  // D0008: processor_code() in connexpay_views.cpp
  } else {
    std::optional<Script> script = services_.scripts ? services_.scripts(txn.requested) : std::nullopt;
    if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
    PinData pin;
    DecisionInput in;
    in.card = &*card;
    in.amount = txn.requested;
    // [SIM] pending and gateway codes are other hosts' outcomes: ConnexPay decides normally.
    if (script && is_card_outcome(script->behaviour) && script->behaviour != Behaviour::gateway_code) in.script = script;
    if (request->pin) {
      auto block = from_hex(*request->pin);
      auto ksn = from_hex(*request->ksn);
      if (block && ksn) {
        pin = PinData{std::move(*block), std::move(*ksn)};
        in.pin = &pin;
      }
    }
    if (request->chip()) in.emv_tags = &request->emv;
    const Decision decision = decide(in, *services_.clock, services_.verifiers);
    txn.outcome = decision.outcome;
    txn.authorized = decision.approved_amount;
    if (!decision.emv_response.empty()) txn.emv_response_hex = to_hex(decision.emv_response);
    if (script && !is_card_outcome(script->behaviour)) transport = script;
  }
  const bool ok_decision = approved(txn.outcome);
  txn.status = !ok_decision ? TxnStatus::declined : type == TxnType::sale ? TxnStatus::captured : TxnStatus::authorized;
  txn.captured = txn.status == TxnStatus::captured ? txn.authorized : 0;
  Txn& recorded = ledger_.record(std::move(txn));
  if (ok_decision) {
    recorded.auth_code = approval_code(recorded.id);
    ledger_.persist(recorded);
  }
  return {json_response(kOk, view(recorded)), transport};
}

// POST /api/v1/Verify {DeviceGuid, Card{keyed}} -> 201 [E V1]: a $0.00 check of the card.
ApiReply ConnexPayApi::verify(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  std::string bad_field;
  const auto request = read_request(body, bad_field);
  if (!request) return bad_request(bad_field, "The value is not valid.");
  if (const auto rule = first_broken(kVerifyRules, *request)) return refuse(*rule);
  const auto expiry = yymm(*request->expiry);
  if (!expiry) return refuse(Rule::bad_expiry);
  const auto card = keyed_card(*request->card_number, expiry->first, expiry->second);
  if (!card) return refuse(Rule::card_number_invalid);
  DecisionInput in;
  in.card = &*card;
  const Decision decision = decide(in, *services_.clock, services_.verifiers);
  Txn txn;
  txn.type = TxnType::verification;
  txn.owner = *device;
  txn.outcome = decision.outcome;
  txn.status = approved(decision.outcome) ? TxnStatus::authorized : TxnStatus::declined;  // holds nothing
  txn.first6 = first_six(*card);
  txn.last4 = last_four(*card);
  txn.expiry_mmyy = mm_yy(*card);
  txn.card_data_source = static_cast<std::int64_t>(request->source);
  Txn& recorded = ledger_.record(std::move(txn));
  return {json_response(kCreated, view(recorded)), {}};
}

}  // namespace tender::net::hostsim
