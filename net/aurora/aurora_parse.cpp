// Aurora answers: transaction results, the host's records (list items, details), error bodies,
// settle and calculate-amount. Every code and field name is in aurora_api.hpp with its source.
#include <array>
#include <cctype>
#include <chrono>
#include <optional>

#include "net/aurora/aurora_api.hpp"
#include "net/aurora/aurora_mapping.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::aurora {
namespace {

namespace f = api::field;
using host::Json;
using host::Outcome;

Result<Json> parse_object(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return json;
  if (!json->is_object()) return make_error(Errc::malformed, "Aurora response is not a JSON object");
  return json;
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// Error bodies come in camelCase (IOS schema) or PascalCase (AND's parser): any case.
const Json* member_any_case(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  for (const auto& [k, v] : object.items()) {
    if (k.size() != key.size() || v.is_null()) continue;
    bool same = true;
    for (std::size_t i = 0; i < k.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(key[i]));
    if (same) return &v;
  }
  return nullptr;
}

std::string text_of(const Json* v) { return v != nullptr && v->is_string() ? v->get<std::string>() : std::string(); }

std::optional<int> int_of(const Json* v) {
  if (v == nullptr || !v->is_number_integer()) return std::nullopt;
  const auto n = v->get<std::int64_t>();
  if (n < -1'000'000 || n > 1'000'000) return std::nullopt;
  return static_cast<int>(n);
}

// Lenient: a record's amount that is absent or does not parse is unknown, not a failure.
std::optional<Money> money_of(const Json* v, Currency currency, std::string_view name) {
  if (v == nullptr) return std::nullopt;
  auto m = host::money_from_json(*v, host::AmountUnit::decimal, currency, name);
  if (!m) return std::nullopt;
  return *m;
}

const api::StatusRow* status_row(std::string_view name, std::optional<int> id) {
  for (const auto& row : api::kStatus) {
    if (!name.empty() ? row.name == name : (id && row.id == *id)) return &row;
  }
  return nullptr;
}

bool approves(Outcome o) { return o == Outcome::approved || o == Outcome::partially_approved; }

// What the status says of `operation`, nullopt when it says nothing known. For the void the
// transaction's own status answers: Voided is the void done; a status that still holds money
// is the void not done.
std::optional<Outcome> status_word(std::string_view name, std::optional<int> id, host::Operation operation) {
  const api::StatusRow* row = status_row(name, id);
  if (row == nullptr) return std::nullopt;
  if (operation == host::Operation::void_) {
    if (row->name == api::kStatusVoided) return Outcome::approved;
    if (approves(row->outcome)) return Outcome::declined;
  }
  return row->outcome;
}

// The one decision from both words (aurora_api.hpp kStatus, kDetailsCode).
Outcome decide(std::optional<Outcome> status, std::optional<Outcome> code) {
  if (!status && !code) return Outcome::unknown;
  if (!status) return *code;
  if (!code || *status == Outcome::unknown) return *status;
  return approves(*status) == approves(*code) ? *status : Outcome::unknown;
}

std::string last4_of_masked(std::string_view masked) {
  if (masked.size() < 4) return {};
  const std::string_view tail = masked.substr(masked.size() - 4);
  for (char c : tail)
    if (c < '0' || c > '9') return {};
  return std::string(tail);
}

Record record_of(const Json& o, Currency currency, bool detail) {
  Record r;
  r.id = text_of(member(o, detail ? f::transactionId : f::id));
  r.status = text_of(member(o, f::status));
  const api::StatusRow* row = status_row(r.status, int_of(member(o, f::statusId)));
  r.outcome = row != nullptr ? row->outcome : Outcome::unknown;
  r.type_id = int_of(member(o, detail ? f::transactionTypeId : f::typeId));
  r.auth_code = text_of(member(o, f::authCode));
  // The detail's amounts are under amount{...} (IOS L4702 AmountIsvDto); RAW S9 also repeats
  // baseAmount/totalAmount at the top, which the SDK marks deprecated: read only without amount{}.
  const Json* amounts = member(o, f::amount);
  const Json& source = amounts != nullptr && amounts->is_object() ? *amounts : o;
  r.base = money_of(member(source, f::baseAmount), currency, f::baseAmount);
  r.tip = money_of(member(source, f::tipAmount), currency, f::tipAmount);
  r.total = money_of(member(source, f::totalAmount), currency, f::totalAmount);
  if (!r.total) r.total = money_of(member(o, f::totalAmount), currency, f::totalAmount);
  if (!r.base) r.base = money_of(member(o, f::baseAmount), currency, f::baseAmount);
  r.last4 = last4_of_masked(text_of(member(o, f::customerPan)));
  r.date_unix = parse_utc_seconds(text_of(member(o, detail ? std::string_view("transactionDateTime") : f::date)));
  r.processor_id = text_of(member(o, f::paymentProcessorId));
  r.card_data_source = int_of(member(o, "cardDataSourceId"));
  if (const Json* emv = member(o, f::emvTags); emv != nullptr && emv->is_object()) r.ac = text_of(member(*emv, "ac"));
  if (const Json* ops = member(o, f::availableOperations); ops != nullptr && ops->is_array()) {
    for (const auto& op : *ops) {
      const auto type = int_of(member(op, f::typeId));
      if (type == api::type_id::capture) r.capturable = money_of(member(op, f::availableAmount), currency, f::availableAmount);
      if (type == api::type_id::void_) r.voidable = true;
      if (type == api::type_id::refund) r.refundable = true;
    }
  }
  return r;
}

}  // namespace

std::optional<std::int64_t> parse_utc_seconds(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.f...][Z|+hh:mm|-hh:mm]
  const auto num = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > t.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  const auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
      t[13] != ':' || t[16] != ':' || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60)
    return std::nullopt;
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  std::int64_t offset = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    const auto oh = num(i + 1, 2), om = num(i + 4, 2);
    if (!oh || !om || i + 6 != t.size() || t[i + 3] != ':') return std::nullopt;
    offset = (t[i] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    i = t.size();
  } else if (i < t.size() && t[i] == 'Z') {
    ++i;
  }
  if (i != t.size()) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  const auto days_since = sys_days{ymd}.time_since_epoch().count();
  return static_cast<std::int64_t>(days_since) * 86400 + *h * 3600 + *mi * 60 + *s - offset;
}

std::optional<std::int64_t> parse_http_date(std::string_view t) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, fixed positions.
  if (t.size() != 29 || t.substr(3, 2) != ", " || t.substr(25) != " GMT") return std::nullopt;
  std::size_t month = 0;
  while (month < kMonths.size() && kMonths[month] != t.substr(8, 3)) ++month;
  if (month == kMonths.size()) return std::nullopt;
  std::string iso = std::string(t.substr(12, 4)) + "-00-" + std::string(t.substr(5, 2)) + "T" + std::string(t.substr(17, 8)) + "Z";
  iso[5] = static_cast<char>('0' + (month + 1) / 10);
  iso[6] = static_cast<char>('0' + (month + 1) % 10);
  return parse_utc_seconds(iso);
}

Result<host::HostResult> parse_transaction_result(std::string_view body, Currency currency, host::Operation operation) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  host::HostResult result;
  auto id = host::string_field(*json, f::transactionId);
  if (!id) return std::move(id).error();
  result.host_reference = *id;
  const Json* details = member(*json, f::details);
  if (details != nullptr && !details->is_object()) return make_error(Errc::malformed, "field details is not an object");
  const Json empty = Json::object();
  const Json& d = details != nullptr ? *details : empty;
  auto code = host::optional_string_field(d, f::code);
  auto host_code = host::optional_string_field(d, f::hostResponseCode);
  auto message = host::optional_string_field(d, f::hostResponseMessage);
  auto auth = host::optional_string_field(d, f::authCode);
  auto status = host::optional_string_field(*json, f::status);
  for (const auto* r : {&code, &host_code, &message, &auth, &status})
    if (!*r) return r->error();
  const auto status_id = int_of(member(*json, f::statusId));
  result.outcome = decide(status_word(*status, status_id, operation), api::table_lookup(api::kDetailsCode, *code));
  result.response_code = *host_code;
  result.response_message = !message->empty() ? *message : !status->empty() ? *status : *code;
  result.auth_code = *auth;
  // processedAmount "Indicates which amount is authorized. The amount may differ from the
  // amount in the request" (IOS swiftdoc AuthorizationResponseDto): the approved amount, which
  // the engine checks against the request (below it is a partial approval). Unreadable is an
  // error here, and unknown in the adapter: never "nothing was charged".
  if (approves(result.outcome)) {
    if (const Json* processed = member(*json, f::processedAmount); processed != nullptr) {
      auto money = host::money_from_json(*processed, host::AmountUnit::decimal, currency, f::processedAmount);
      if (!money) return std::move(money).error();
      result.approved_amount = *money;
    }
  }
  // No vendor answer carries issuer response data (IOS L1177 has none; RAW none). The host
  // simulator can add an `emvTags` field as an option of its own; read it when present (hex
  // string or array), ignore it when unreadable: the chip completes without it either way.
  if (const Json* tags = member(*json, f::emvTags); tags != nullptr) {
    Bytes tlv;
    bool readable = true;
    const auto take = [&](const Json& v) {
      auto bytes = v.is_string() ? from_hex(v.get<std::string>()) : Result<Bytes>(make_error(Errc::malformed, "x"));
      if (!bytes) return false;
      tlv.insert(tlv.end(), bytes->begin(), bytes->end());
      return true;
    };
    if (tags->is_array()) {
      for (const auto& item : *tags) readable = readable && take(item);
    } else {
      readable = take(*tags);
    }
    if (readable) result.issuer_response_tlv = std::move(tlv);
  }
  return result;
}

Result<Record> parse_detail(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  return record_of(*json, currency, true);
}

Result<Page> parse_list(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const Json* items = member(*json, f::items);
  if (items == nullptr || !items->is_array()) return make_error(Errc::malformed, "field items is missing");
  Page page;
  for (const auto& item : *items) {
    if (!item.is_object()) return make_error(Errc::malformed, "a list item is not an object");
    page.items.push_back(record_of(item, currency, false));
  }
  if (const Json* total = member(*json, f::total); total != nullptr && total->is_number_integer())
    page.total = total->get<std::int64_t>();
  return page;
}

host::HostResult result_of(const Record& record) {
  host::HostResult result;
  result.outcome = record.outcome;
  result.host_reference = record.id;
  result.auth_code = record.auth_code;
  result.response_message = record.status;
  if (approves(record.outcome)) result.approved_amount = record.total;
  return result;
}

Result<host::HostResult> parse_transaction_detail(std::string_view body, Currency currency) {
  auto record = parse_detail(body, currency);
  if (!record) return std::move(record).error();
  if (record->id.empty()) return make_error(Errc::malformed, "field transactionId is missing");
  if (record->status.empty()) return make_error(Errc::malformed, "field status is missing");
  return result_of(*record);
}

void read_error_body(std::string_view body, host::HostResult& result) {
  auto json = host::parse_json(body);
  std::string details, code;
  if (json && json->is_object()) {
    details = text_of(member_any_case(*json, api::error_field::details));
    code = text_of(member_any_case(*json, api::error_field::errorCode));
  }
  if (details.empty()) details = "HTTP " + result.response_code;
  result.response_message = code.empty() ? details : details + " (" + code + ")";
}

std::string correlation_id(const http::Response& response) {
  for (std::string_view header : api::kCorrelationHeaders) {
    if (auto value = response.header(header); value && !value->empty()) return std::string(*value);
  }
  auto json = host::parse_json(response.body);
  return json && json->is_object() ? text_of(member_any_case(*json, api::error_field::correlationId)) : std::string();
}

Result<host::SettleResult> parse_settle_result(std::string_view body) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const auto code = int_of(member(*json, f::code));
  if (!code) return make_error(Errc::malformed, "field code is missing");
  auto message = host::optional_string_field(*json, f::message);
  if (!message) return std::move(message).error();
  host::SettleResult result;
  result.accepted = api::table_lookup(api::kSettleCode, *code).value_or(false);
  result.response_code = std::to_string(*code);
  result.response_message = *message;
  return result;
}

Result<CalculatedAmounts> parse_calculate_result(std::string_view body, Currency currency) {
  auto json = parse_object(body);
  if (!json) return std::move(json).error();
  const auto breakdown = [&](std::string_view name) -> Result<host::AmountBreakdown> {
    const Json* it = member(*json, name);
    if (it == nullptr || !it->is_object()) return make_error(Errc::malformed, "field " + std::string(name) + " is missing");
    host::AmountBreakdown b;
    const std::pair<std::string_view, Money*> parts[] = {
        {f::baseAmount, &b.base}, {f::surchargeAmount, &b.surcharge}, {f::tipAmount, &b.tip}, {f::totalAmount, &b.total}};
    for (const auto& [field, target] : parts) {
      const Json* v = member(*it, field);
      auto m = host::money_from_json(v != nullptr ? *v : Json(), host::AmountUnit::decimal, currency, field);
      if (!m) return std::move(m).error();
      *target = *m;
    }
    return b;
  };
  CalculatedAmounts result;
  auto card = breakdown(f::creditCard);
  if (!card) return std::move(card).error();
  result.credit = *card;
  for (const auto& [name, target] : {std::pair{f::debitCard, &result.debit}, std::pair{f::cash, &result.cash}}) {
    if (member(*json, name) == nullptr) continue;
    auto b = breakdown(name);
    if (!b) return std::move(b).error();
    *target = *b;
  }
  return result;
}

}  // namespace tender::net::aurora
