// Answers: FullStack v1.5.1 JSON -> host-neutral values. The transaction object is read where
// the host puts it: the FluidPay family's shape (data.response the verdict string,
// data.response_code an integer, the processor's details in data.response_body.card or
// .terminal: [GO] Transaction/ResponseBody, [DART] TransactionResponseData, [CW] reads
// data.response_body[card].auth_code) and the document's 2017 GET example (data.response.card,
// L846-L864), which is accepted too.
#include <cstdint>
#include <optional>
#include <utility>

#include "net/fullstack/fullstack_mapping.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::fullstack {
namespace {

namespace f = api::field;
using host::Json;
using host::Outcome;

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

// An integer cents field, or nullopt when absent or null; a wrong type is malformed.
Result<std::optional<std::int64_t>> optional_cents(const Json& object, std::string_view name) {
  const Json* v = member(object, name);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  if (!v->is_number_integer()) return make_error(Errc::malformed, std::string(name) + " is not an integer");
  return std::optional<std::int64_t>{v->get<std::int64_t>()};
}

// response_code: an integer ([GO], [JAVA], [DART]); a numeric string is taken too ([CW]
// compares it with "100"; [JAVA] types the terminal's as String). nullopt when absent.
Result<std::optional<std::int64_t>> response_code(const Json& tx) {
  const Json* code = member(tx, f::response_code);
  if (!code || code->is_null()) return std::optional<std::int64_t>{};
  if (code->is_number_integer()) return std::optional<std::int64_t>{code->get<std::int64_t>()};
  if (code->is_string()) {
    const std::string text = code->get<std::string>();
    std::int64_t value = 0;
    bool digits = !text.empty() && text.size() <= 6;
    for (char c : text) {
      digits = digits && c >= '0' && c <= '9';
      if (digits) value = value * 10 + (c - '0');
    }
    if (digits) return std::optional<std::int64_t>{value};
  }
  return make_error(Errc::malformed, "response_code is neither an integer nor a numeric string");
}

// The processor's details of the payment: response_body.card or .terminal, else the old
// response.card.
const Json* payment_details(const Json& tx) {
  if (const Json* body = member(tx, f::response_body); body && body->is_object()) {
    for (std::string_view kind : {f::card, f::terminal}) {
      if (const Json* d = member(*body, kind); d && d->is_object()) return d;
    }
  }
  if (const Json* old = member(tx, f::response); old && old->is_object()) {
    if (const Json* d = member(*old, f::card); d && d->is_object()) return d;
  }
  return nullptr;
}

// `amount_field`: which amount is the approved one (amount_authorized, or amount_captured
// for a capture's answer).
Result<host::HostResult> parse_transaction(const Json& tx, Currency currency,
                                           std::string_view amount_field = f::amount_authorized) {
  host::HostResult result;
  auto id = host::string_field(tx, f::id);
  if (!id) return std::move(id).error();
  result.host_reference = *id;
  if (const Json* details = payment_details(tx)) {
    auto auth = host::optional_string_field(*details, f::auth_code);
    auto code = host::optional_string_field(*details, f::processor_response_code);
    auto text = host::optional_string_field(*details, f::processor_response_text);
    if (!auth || !code || !text) return make_error(Errc::malformed, "the payment's details have a field of the wrong type");
    result.auth_code = *auth;
    result.response_code = *code;
    std::string message = *text;
    while (!message.empty() && message.back() == ' ') message.pop_back();  // "APPROVAL TAS731 " (L857)
    result.response_message = message;
  }
  std::optional<Outcome> verdict;
  if (const Json* v = member(tx, f::response); v && v->is_string()) verdict = api::table_lookup(api::kVerdict, v->get<std::string>());
  auto status = host::optional_string_field(tx, f::status);
  if (!status) return std::move(status).error();
  auto code = response_code(tx);
  if (!code) return std::move(code).error();
  if (*code) {
    result.outcome = api::outcome_for_code(**code).value_or(Outcome::unknown);
    result.response_code = std::to_string(**code);
    if (result.outcome == Outcome::unknown && result.response_message.empty()) {
      result.response_message = std::string(api::table_lookup(api::kUnknownCodeText, static_cast<int>(**code)).value_or("Unknown"));
    }
    // The verdict and the code contradicting each other: the answer cannot be believed.
    const bool approved = result.outcome == Outcome::approved || result.outcome == Outcome::partially_approved;
    if (verdict && ((approved && *verdict == Outcome::declined) || (result.outcome == Outcome::declined && *verdict == Outcome::approved))) {
      result.outcome = Outcome::unknown;
      result.response_message = "the answer's response and response_code disagree";
    }
  } else if (verdict) {
    result.outcome = *verdict;
  } else {
    if (status->empty()) return make_error(Errc::malformed, "FullStack transaction has neither a response_code nor a status");
    result.outcome = status_outcome(*status).value_or(Outcome::unknown);
    if (result.response_message.empty()) result.response_message = *status;
  }
  // response_code is the decision's code and stays 100 after a void, while the lifecycle
  // status (L947) moves on: a transaction voided or reversed holds nothing.
  if (api::one_of(api::kVoidedStatus, *status) && result.outcome != Outcome::declined && result.outcome != Outcome::unknown) {
    result.outcome = Outcome::declined;
  }
  // Ambiguity F3 (§6.19): amount_authorized when present, else the transaction's amount.
  // A capture's answer reports amount_captured (L940; L989: "Total amount to capture").
  const Json* amount = member(tx, amount_field);
  if (!amount || amount->is_null()) amount = member(tx, f::amount_authorized);
  if (!amount || amount->is_null()) amount = member(tx, f::amount);
  if (amount && !amount->is_null() && result.outcome != Outcome::declined && result.outcome != Outcome::unknown) {
    auto money = host::money_from_json(*amount, host::AmountUnit::minor_units, currency, f::amount);
    if (!money) return std::move(money).error();
    result.approved_amount = *money;
  }
  return result;
}

Result<const Json*> data_array(const Json& envelope) {
  const Json* data = member(envelope, f::data);
  if (data && data->is_null()) {
    static const Json kEmpty = Json::array();
    return &kEmpty;
  }
  if (!data || !data->is_array()) return make_error(Errc::malformed, "FullStack data is not an array");
  return data;
}

// One reading for both fee endpoints: `total_field` is the card total; surcharge and
// service fee both count as surcharge (Ambiguity F6: both are added to the card price).
// The base is what the total holds beside them (the host's own tax, if it added one).
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
  // Checked: the host's fees may each be any int64 (found by fullstack_fuzz).
  auto fees = add(*surcharge, *service);
  if (!fees) return make_error(Errc::out_of_range, "FullStack surcharge plus service fee is too large");
  auto fees_and_tip = add(*fees, *tip);
  if (!fees_and_tip) return make_error(Errc::out_of_range, "FullStack fees plus tip are too large");
  if (fees->minor_units() < 0 || tip->minor_units() < 0) return make_error(Errc::malformed, "the host's fees are negative");
  host::CalculateAmountResult result;
  result.card.surcharge = *fees;
  result.card.tip = *tip;
  result.card.total = *total;
  if (total->minor_units() < fees_and_tip->minor_units()) return make_error(Errc::malformed, "the host's total is less than its own fees");
  result.card.base = Money(total->minor_units() - fees_and_tip->minor_units(), base.currency());
  return result;
}

}  // namespace

std::optional<host::Outcome> status_outcome(std::string_view status) { return api::table_lookup(api::kStatus, status); }

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

Result<std::vector<host::HostResult>> parse_transaction_list(std::string_view body, Currency currency) {
  auto page = parse_records(body, currency);
  if (!page) return std::move(page).error();
  std::vector<host::HostResult> out;
  for (auto& r : page->records) out.push_back(std::move(r.result));
  return out;
}

Result<RecordPage> parse_records(std::string_view body, Currency currency) {
  auto json = parse_envelope(body);
  if (!json) return std::move(json).error();
  RecordPage page;
  std::vector<const Json*> items;
  if (const Json* data = member(*json, f::data); data && data->is_object()) {
    items.push_back(data);  // a single record (POST and capture answers)
  } else {
    auto array = data_array(*json);
    if (!array) return std::move(array).error();
    for (const auto& item : **array) items.push_back(&item);
  }
  for (const Json* each : items) {
    const Json& item = *each;
    auto result = parse_transaction(item, currency);
    if (!result) return std::move(result).error();
    Record r;
    r.result = std::move(*result);
    for (auto [name, target] : {std::pair{f::status, &r.status}, {f::type, &r.type}, {f::order_id, &r.order_id},
                                {f::idempotency_key, &r.idempotency_key}}) {
      auto value = host::optional_string_field(item, name);
      if (!value) return std::move(value).error();
      *target = std::move(*value);
    }
    for (auto [name, target] : {std::pair{f::amount, &r.amount}, {f::amount_captured, &r.amount_captured},
                                {f::amount_refunded, &r.amount_refunded}}) {
      auto value = optional_cents(item, name);
      if (!value) return std::move(value).error();
      *target = *value;
    }
    page.records.push_back(std::move(r));
  }
  auto total = optional_cents(*json, "total_count");
  if (!total) return std::move(total).error();
  page.total_count = *total;
  return page;
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

Result<host::CalculateAmountResult> parse_fees(std::string_view body, Money base) {
  return parse_amounts(body, base, f::requested_amount);
}

Result<host::CalculateAmountResult> parse_calculated_amounts(std::string_view body, Money base) {
  return parse_amounts(body, base, f::total);  // tax included (L713: total 1530 = 1000 + 180 + 350)
}

std::string failure_message(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return {};
  auto msg = host::optional_string_field(*json, f::msg);
  return msg ? *msg : std::string();
}

std::optional<std::string> refused_envelope(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json || !json->is_object()) return std::nullopt;
  auto status = host::optional_string_field(*json, f::status);
  if (!status || status->empty() || *status == api::kSuccess) return std::nullopt;
  return failure_message(body);
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
