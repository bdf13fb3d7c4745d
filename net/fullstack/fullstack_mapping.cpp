#include "net/fullstack/fullstack_mapping.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include "net/host/json_edge.hpp"

namespace tender::net::fullstack {
namespace {

namespace f = api::field;
using host::Json;
using host::JsonWriter;
using host::Outcome;

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

Result<void> write_card(JsonWriter& w, const host::AuthorizationRequest& request) {
  const auto& card = request.card;
  w.key(f::card).begin_object();
  if (request.entry_mode == host::EntryMode::keyed) {
    const auto yymm = card.expiry_yymm.reveal();
    if (card.pan.empty() || yymm.size() != 4) return make_error(Errc::invalid_argument, "keyed entry needs a PAN and a YYMM expiry");
    const std::string mm_yy = std::string(yymm.substr(2, 2)) + "/" + std::string(yymm.substr(0, 2));  // L309: MM/YY
    w.string(f::entry_type, api::kKeyed).string(f::number, card.pan.reveal()).string(f::expiration_date, mm_yy);
    if (!card.cvc.empty()) w.string(f::cvc, card.cvc.reveal());
  } else {
    // Ambiguity F2 (§6.9): number and expiration_date are "required" for a card, yet a swipe
    // carries them inside the tracks: for a swipe we send the tracks only. Encrypted tracks
    // win over clear ones; they go as upper-case hex with the reader's KSN (hex).
    w.string(f::entry_type, api::kSwiped);
    const bool encrypted = !card.encrypted_track1.empty() || !card.encrypted_track2.empty();
    if (encrypted) {
      if (card.track_ksn.empty()) return make_error(Errc::invalid_argument, "encrypted tracks need their KSN");
      if (!card.encrypted_track1.empty()) w.string(f::encrypted_track_1, reveal_hex(card.encrypted_track1));
      if (!card.encrypted_track2.empty()) w.string(f::encrypted_track_2, reveal_hex(card.encrypted_track2));
      w.string(f::ksn, to_hex(card.track_ksn));
    } else {
      if (card.track1.empty() && card.track2.empty()) return make_error(Errc::invalid_argument, "a swipe needs track data");
      if (!card.track1.empty()) w.string(f::track_1, card.track1.reveal());
      if (!card.track2.empty()) w.string(f::track_2, card.track2.reveal());
    }
  }
  w.end_object();
  return ok();
}

Result<Json> parse_envelope(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return json;
  auto status = host::string_field(*json, f::status);
  if (!status) return std::move(status).error();
  if (*status != api::kSuccess) return make_error(Errc::malformed, "FullStack envelope status is not success");
  return json;
}

const Json* member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(name));
  return it == object.end() ? nullptr : &*it;
}

// `amount_field`: which amount is the approved one (amount_authorized, or amount_captured
// for a capture's answer).
Result<host::HostResult> parse_transaction(const Json& tx, Currency currency,
                                           std::string_view amount_field = f::amount_authorized) {
  host::HostResult result;
  auto id = host::string_field(tx, f::id);
  if (!id) return std::move(id).error();
  result.host_reference = *id;
  // The card payment's own details (L848-L864): response.card.
  const Json* card = member(tx, f::response) ? member(*member(tx, f::response), f::card) : nullptr;
  if (card) {
    auto auth = host::optional_string_field(*card, f::auth_code);
    auto code = host::optional_string_field(*card, f::processor_response_code);
    auto text = host::optional_string_field(*card, f::processor_response_text);
    if (!auth || !code || !text) return make_error(Errc::malformed, "response.card has a field of the wrong type");
    result.auth_code = *auth;
    result.response_code = *code;
    std::string message = *text;
    while (!message.empty() && message.back() == ' ') message.pop_back();  // "APPROVAL TAS731 " (L856)
    result.response_message = message;
  }
  if (const Json* code = member(tx, f::response_code); code && !code->is_null()) {
    if (!code->is_number_integer()) return make_error(Errc::malformed, "response_code is not an integer");
    const auto value = code->get<std::int64_t>();
    result.outcome = api::outcome_for_code(value).value_or(Outcome::unknown);
    result.response_code = std::to_string(value);
    // Integration finding: response_code is the decision's code and stays 100 after a void,
    // while the lifecycle status (L947) moves on. A transaction that is voided or reversed
    // holds nothing, whatever its original code said (as kStatus records).
    if (auto status = host::optional_string_field(tx, f::status); status && !status->empty()) {
      const auto by_status = api::table_lookup(api::kStatus, *status);
      if (by_status == Outcome::declined && result.outcome != Outcome::declined) result.outcome = Outcome::declined;
    }
  } else {
    auto status = host::string_field(tx, f::status);
    if (!status) return std::move(status).error();
    result.outcome = api::table_lookup(api::kStatus, *status).value_or(Outcome::unknown);
    if (result.response_message.empty()) result.response_message = *status;
  }
  // Ambiguity F3 (§6.19): amount_authorized when present, else the transaction's amount.
  // A capture's answer reports amount_captured (L940; L989: "Total amount to capture").
  const Json* amount = member(tx, amount_field);
  if (!amount || amount->is_null()) amount = member(tx, f::amount_authorized);
  if (!amount || amount->is_null()) amount = member(tx, f::amount);
  if (amount && !amount->is_null() && result.outcome != Outcome::declined) {
    auto money = host::money_from_json(*amount, host::AmountUnit::minor_units, currency, f::amount);
    if (!money) return std::move(money).error();
    result.approved_amount = *money;
  }
  return result;
}

}  // namespace

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !hex_digit(text[i])) return false;
  }
  return true;
}

Result<std::string> transaction_body(const host::AuthorizationRequest& request, api::TransactionType type) {
  if (!is_uuid(request.reference_id)) return make_error(Errc::invalid_argument, "reference_id must be a UUID (idempotency_key)");
  const bool chip = request.entry_mode == host::EntryMode::chip || request.entry_mode == host::EntryMode::contactless;
  if (!request.host_terminal_id && chip) return make_error(Errc::unsupported, "FullStack has no fields for chip data");
  if (request.pin) return make_error(Errc::unsupported, "FullStack has no field for an online PIN");
  // A verification moves no money (L278): amount 0 is its natural amount (integration finding:
  // the simulator verifies with 0, and the adapter refused it).
  if (type == api::TransactionType::verification ? request.amount.minor_units() < 0 : request.amount.minor_units() <= 0)
    return make_error(Errc::invalid_argument, "amount must be positive");
  JsonWriter w;
  w.begin_object();
  w.string(f::idempotency_key, request.reference_id);
  w.string(f::type, *api::table_lookup(api::kTransactionType, type));
  w.integer(f::amount, request.amount.minor_units());  // cents, all fees included (L268)
  if (request.tip) w.integer(f::tip_amount, request.tip->minor_units());
  // Ambiguity F4: a surcharge we computed goes as a flat payment_adjustment, so the gateway
  // does not add its own on top (L283-L285).
  if (request.surcharge) {
    w.key(f::payment_adjustment).begin_object().string(f::type, api::kFlat).integer(f::value, request.surcharge->minor_units()).end_object();
  }
  w.string(f::currency, request.amount.currency().alpha);
  w.boolean(f::allow_partial_payment, request.allow_partial);
  w.key(f::payment_method).begin_object();
  if (request.host_terminal_id) {
    // Ambiguity F5 (§6.8): signature_required is typed string but the example sends true;
    // we send a boolean like the example. We print our own receipts: print_receipt "no".
    w.key(f::terminal).begin_object().string(f::id, *request.host_terminal_id).string(f::print_receipt, "no");
    w.boolean(f::signature_required, false).end_object();
  } else if (auto r = write_card(w, request); !r) {
    return std::move(r).error();
  }
  w.end_object().end_object();
  return w.take();
}

Result<std::string> amount_body(const std::optional<Money>& amount) {
  JsonWriter w;
  w.begin_object();
  if (amount) {
    if (amount->minor_units() <= 0) return make_error(Errc::invalid_argument, "amount must be positive");
    w.integer(f::amount, amount->minor_units());
  }
  w.end_object();
  return w.take();
}

Result<std::string> fees_body(const host::CalculateAmountRequest& request) {
  JsonWriter w;
  w.begin_object().string(f::type, api::kIntegrations);
  if (!request.state.empty()) w.string(f::state, request.state);
  if (!request.bin.empty()) w.string(f::bin, request.bin);
  w.string(f::payment_method, f::card).integer(f::base_amount, request.base_amount.minor_units()).end_object();
  return w.take();
}

Result<host::HostResult> parse_transaction_response(std::string_view body, Currency currency) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  const Json* data = member(*json, f::data);
  if (data && data->is_array() && data->size() == 1) data = &data->front();  // GET returns an array (L839)
  if (!data || !data->is_object()) return make_error(Errc::malformed, "FullStack data holds no transaction");
  return parse_transaction(*data, currency);
}

Result<host::HostResult> parse_follow_on_response(std::string_view body, Currency currency, std::string_view host_reference,
                                                  bool capture) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  const Json* data = member(*json, f::data);
  if (data && data->is_array() && data->size() == 1) data = &data->front();
  if (data && data->is_object()) return parse_transaction(*data, currency, capture ? f::amount_captured : f::amount_authorized);
  if (data && !data->is_null()) return make_error(Errc::malformed, "FullStack data is neither a transaction nor null");
  host::HostResult result;
  result.outcome = Outcome::approved;
  result.host_reference = std::string(host_reference);
  auto msg = host::optional_string_field(*json, f::msg);
  if (msg) result.response_message = *msg;
  return result;
}

Result<std::vector<Terminal>> parse_terminals(std::string_view body) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  const Json* data = member(*json, f::data);
  if (!data || !data->is_array()) return make_error(Errc::malformed, "FullStack terminals data is not an array");
  std::vector<Terminal> out;
  for (const auto& item : *data) {
    Terminal t;
    const std::pair<std::string_view, std::string*> fields[] = {
        {f::id, &t.id}, {f::manufacturer, &t.manufacturer}, {f::model, &t.model}, {f::serial_number, &t.serial_number},
        {f::description, &t.description}, {f::status, &t.status}, {f::register_id, &t.register_id}};
    for (const auto& [name, target] : fields) {
      auto value = name == f::id ? host::string_field(item, name) : host::optional_string_field(item, name);
      if (!value) return std::move(value).error();
      *target = *value;
    }
    const Json* auto_settle = member(item, f::auto_settle);
    if (auto_settle && !auto_settle->is_boolean()) return make_error(Errc::malformed, "auto_settle is not a boolean");
    t.auto_settle = auto_settle && auto_settle->get<bool>();
    out.push_back(std::move(t));
  }
  return out;
}

namespace {
// One reading for both fee endpoints: `total_field` is the card total; surcharge and
// service fee both count as surcharge (Ambiguity F6: both are added to the card price).
Result<host::CalculateAmountResult> parse_amounts(std::string_view body, Money base, std::string_view total_field) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  const Json* data = member(*json, f::data);
  if (!data || !data->is_object()) return make_error(Errc::malformed, "FullStack amounts data is not an object");
  if (!member(*data, total_field)) return make_error(Errc::malformed, std::string(total_field) + " is missing");
  const auto cents = [&](std::string_view name) -> Result<Money> {
    const Json* v = member(*data, name);
    if (!v || v->is_null()) return Money(0, base.currency());
    return host::money_from_json(*v, host::AmountUnit::minor_units, base.currency(), name);
  };
  auto total = cents(total_field);
  auto surcharge = cents(f::surcharge);
  auto service = cents(f::service_fee);
  auto tip = cents(f::tip_amount);
  for (const auto* r : {&total, &surcharge, &service, &tip}) {
    if (!*r) return r->error();
  }
  // Checked: the host's two fees may each be any int64 (found by fullstack_fuzz).
  auto fees = add(*surcharge, *service);
  if (!fees) return make_error(Errc::out_of_range, "FullStack surcharge plus service fee is too large");
  host::CalculateAmountResult result;
  result.card.base = base;
  result.card.surcharge = *fees;
  result.card.tip = *tip;
  result.card.total = *total;
  return result;
}
}  // namespace

Result<host::CalculateAmountResult> parse_fees(std::string_view body, Money base) {
  return parse_amounts(body, base, f::requested_amount);
}

Result<host::CalculateAmountResult> parse_calculated_amounts(std::string_view body, Money base) {
  return parse_amounts(body, base, f::total);  // tax included (L713: total 1530 = 1000 + 180 + 350)
}

Result<std::string> calculate_amounts_body(const host::CalculateAmountRequest& request, std::string_view processor_id) {
  if (processor_id.empty()) return make_error(Errc::invalid_argument, "calculate/amounts needs a processor_id");
  JsonWriter w;
  w.begin_object().string(f::processor_id, processor_id);
  w.integer(f::amount, request.base_amount.minor_units()).integer(f::subtotal, request.base_amount.minor_units());
  w.string(f::currency, request.base_amount.currency().alpha).string(f::payment_method, f::card);
  // L566-L580 spells the authorization "auth" here; the terminal asks for a sale's amounts.
  w.string(f::transaction_type, "sale");
  if (request.tip) {
    w.key(f::tip_amount).begin_object().string(f::type, api::kFlat).integer(f::value, request.tip->minor_units());
    w.boolean(f::include, true).end_object();
  }
  if (!request.bin.empty()) w.string(f::cc_bin, request.bin);
  if (!request.state.empty()) w.string(f::state, request.state);
  w.end_object();
  return w.take();
}

std::string failure_message(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return {};
  auto msg = host::optional_string_field(*json, f::msg);
  return msg ? *msg : std::string();
}

std::string transaction_search_body(const TransactionSearch& search) {
  JsonWriter w;
  w.begin_object();
  if (!search.status.empty()) {
    w.key(f::status).begin_object().string(f::op, "=").string(f::value, search.status).end_object();
  }
  if (!search.created_from.empty() || !search.created_to.empty()) {
    w.key(f::created_at).begin_object().string(f::start_date, search.created_from).string(f::end_date, search.created_to).end_object();
  }
  w.integer(f::limit, search.limit).integer(f::offset, search.offset).end_object();
  return w.take();
}

std::string batch_search_body(const BatchSearch& search) {
  JsonWriter w;
  w.begin_object().key(f::batch_date).begin_object().string(f::start_date, search.start_date).string(f::end_date, search.end_date);
  w.end_object().integer(f::limit, search.limit).integer(f::offset, search.offset).end_object();
  return w.take();
}

namespace {
Result<const Json*> data_array(const Json& envelope) {
  const Json* data = member(envelope, f::data);
  if (data && data->is_null()) {
    static const Json kEmpty = Json::array();
    return &kEmpty;
  }
  if (!data || !data->is_array()) return make_error(Errc::malformed, "FullStack data is not an array");
  return data;
}
}  // namespace

Result<std::vector<host::HostResult>> parse_transaction_list(std::string_view body, Currency currency) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  auto data = data_array(*json);
  if (!data) return std::move(data).error();
  std::vector<host::HostResult> out;
  for (const auto& item : **data) {
    auto result = parse_transaction(item, currency);
    if (!result) return std::move(result).error();
    out.push_back(std::move(result).value());
  }
  return out;
}

Result<std::vector<SettlementBatch>> parse_batches(std::string_view body) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  auto data = data_array(*json);
  if (!data) return std::move(data).error();
  std::vector<SettlementBatch> out;
  for (const auto& item : **data) {
    auto id = host::string_field(item, f::id);
    if (!id) return std::move(id).error();
    out.push_back(SettlementBatch{*id});
  }
  return out;
}

bool envelope_accepted(std::string_view body) {
  if (body.empty()) return true;
  return static_cast<bool>(parse_envelope(body));
}

}  // namespace tender::net::fullstack
