// FullStack's search and calculation endpoints: transaction search, settlement batch
// search, fee lookup, amount calculation.
#include <algorithm>
#include <array>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/fullstack_api.hpp"
#include "net/hostsim/fullstack_constants.hpp"
#include "net/hostsim/fullstack_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace fullstack;


// limit/offset (raw L975-L976 and the batch search table). Decided: limit default 10, 1..100
// (0 means the default); offset >= 0; total_count counts every match.
struct Page {
  std::size_t limit = 10;
  std::size_t offset = 0;
};
std::optional<Page> page_of(const Json& body) {
  bool ok = true;
  Page p;
  const auto limit = int_member(body, "limit", ok);
  const auto offset = int_member(body, "offset", ok);
  if (!ok || (limit && (*limit < 0 || *limit > 100)) || (offset && *offset < 0)) return std::nullopt;
  if (limit && *limit > 0) p.limit = static_cast<std::size_t>(*limit);
  if (offset) p.offset = static_cast<std::size_t>(*offset);
  return p;
}

// A criterion {"operator": "=" | "!=" | "<" | ">", "value": ...}. Strings take = and !=.
bool string_match(const Json& criterion, std::string_view actual, bool& ok) {
  const auto op = string_member(criterion, "operator", ok);
  const auto value = string_member(criterion, "value", ok);
  if (!ok || !op || !value || (*op != "=" && *op != "!=")) {
    ok = false;
    return false;
  }
  return (*op == "=") == (actual == *value);
}

bool int_match(const Json& criterion, std::int64_t actual, bool& ok) {
  const auto op = string_member(criterion, "operator", ok);
  const auto value = int_member(criterion, "value", ok);
  if (!ok || !op || !value) {
    ok = false;
    return false;
  }
  struct Op {
    std::string_view name;
    bool (*test)(std::int64_t, std::int64_t);
  };
  static constexpr std::array<Op, 4> kOps = {{
      {"=", [](std::int64_t a, std::int64_t b) { return a == b; }},
      {"!=", [](std::int64_t a, std::int64_t b) { return a != b; }},
      {"<", [](std::int64_t a, std::int64_t b) { return a < b; }},
      {">", [](std::int64_t a, std::int64_t b) { return a > b; }},
  }};
  for (const auto& o : kOps)
    if (o.name == *op) return o.test(actual, *value);
  ok = false;
  return false;
}

// The search criteria of L934-L975 (and settlement_batch_id, [GO]). Each is evaluated
// against what the simulator keeps; [SIM] what it does not keep (users, customers, IP
// addresses, addresses) is the empty string, as for a request that did not send it.
struct StringField {
  std::string_view name;
  std::string (*get)(const Txn&);
};
std::string none(const Txn&) { return {}; }
const std::array<StringField, 12> kStringFields = {{
    {"transaction_id", [](const Txn& t) { return t.id; }},
    {"user_id", none},
    {"type", [](const Txn& t) { return std::string(type_of(t.type)); }},
    {"ip_address", none},
    {"po_number", [](const Txn& t) { return t.po_number; }},
    {"order_id", [](const Txn& t) { return t.reference; }},
    {"payment_method", [](const Txn& t) { return std::string(t.owner.empty() ? "card" : "terminal"); }},
    {"payment_type", [](const Txn&) { return std::string("card"); }},
    {"status", [](const Txn& t) { return std::string(status_of(t.status)); }},
    {"processor_id", [](const Txn& t) { return t.processor_id; }},
    {"customer_id", none},
    {"settlement_batch_id", [](const Txn& t) { return t.batch_id; }},
}};
struct IntField {
  std::string_view name;
  std::int64_t (*get)(const Txn&);
};
const std::array<IntField, 5> kIntFields = {{
    {"amount", [](const Txn& t) { return t.requested; }},
    {"amount_authorized", [](const Txn& t) { return t.authorized; }},
    {"amount_captured", [](const Txn& t) { return t.captured; }},
    {"amount_settled", [](const Txn& t) { return t.settled; }},
    {"tax_amount", [](const Txn&) { return std::int64_t{0}; }},
}};

// QueryDateRange (L957): start_date and end_date in UTC "YYYY-MM-DDTHH:II:SSZ", inclusive
// [SIM]. Times of one format compare as text. Only created_at is kept; [SIM] captured_at and
// settled_at are accepted and not applied.
bool utc_text(std::string_view s) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return false;
  static constexpr std::array<std::size_t, 14> kDigits{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (std::size_t i : kDigits)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
bool date_match(const Json& criterion, std::string_view created_at, bool& ok) {
  const auto start = string_member(criterion, "start_date", ok);
  const auto end = string_member(criterion, "end_date", ok);
  if (!ok || (start && !utc_text(*start)) || (end && !utc_text(*end))) {
    ok = false;
    return false;
  }
  const std::string_view at = created_at.substr(0, 19);
  return (!start || at >= std::string_view(*start).substr(0, 19)) && (!end || at <= std::string_view(*end).substr(0, 19));
}

// billing_address.* / shipping_address.* (L958-L973): [SIM] addresses are not kept, so their
// criteria compare with the empty string.
bool address_match(const Json& criteria, bool& ok) {
  if (!criteria.is_object()) {
    ok = false;
    return false;
  }
  for (const auto& [name, criterion] : criteria.items()) {
    (void)name;
    if (!string_match(criterion, "", ok)) return false;
  }
  return true;
}

// A search body (empty = no criteria) and its page, or the 400 to answer.
struct SearchRequest {
  Json body;
  Page page;
  std::optional<ApiReply> failure;
};
SearchRequest search_request(const http::Request& request) {
  SearchRequest s;
  s.body = parse_object(request.body.empty() ? std::string_view("{}") : request.body);
  if (s.body.is_discarded()) {
    s.failure = reply(failure(400, "bad request error: invalid JSON body"));
    return s;
  }
  const auto page = page_of(s.body);
  if (!page) s.failure = reply(failure(400, "bad request error: limit must be 0..100 and offset >= 0"));
  s.page = page.value_or(Page{});
  return s;
}

template <class T>
ApiReply paged(const std::vector<const T*>& matches, const Page& page, Json (*render)(const T&)) {
  Json data = Json::array();
  for (std::size_t i = page.offset; i < matches.size() && i < page.offset + page.limit; ++i)
    data.push_back(render(*matches[i]));
  return reply(list_envelope(data, matches.size()));
}

struct Adjustment {
  std::int64_t amount = 0;
  bool include = false;
};

std::optional<Adjustment> adjustment(const Json& body, std::string_view name, std::int64_t base, bool& ok) {
  const Json* a = member(body, name);
  if (a == nullptr || a->is_null()) return std::nullopt;
  const auto type = string_member(*a, "type", ok);
  const auto value = int_member(*a, "value", ok);
  if (!ok || !type || !value || *value < 0 || (*type != "flat" && *type != "percentage")) {
    ok = false;
    return std::nullopt;
  }
  Adjustment adj;
  adj.amount = *type == "flat" ? *value : apply_rate(base, *value, 100'000);  // 10.000 % = 10000
  adj.include = bool_member(*a, "include", ok).value_or(false);
  return adj;
}

}  // namespace

ApiReply FullStackApi::search(const http::Request& request) {
  const SearchRequest s = search_request(request);
  if (s.failure) return *s.failure;
  const Json& body = s.body;
  bool ok = true;
  const auto matches = ledger_.select([&](const Txn& t) {
    for (const auto& f : kStringFields)
      if (const Json* c = member(body, f.name); c != nullptr && !string_match(*c, f.get(t), ok)) return false;
    for (const auto& f : kIntFields)
      if (const Json* c = member(body, f.name); c != nullptr && !int_match(*c, f.get(t), ok)) return false;
    if (const Json* c = member(body, "created_at"); c != nullptr && !date_match(*c, t.created_at, ok)) return false;
    for (std::string_view address : {"billing_address", "shipping_address"})
      if (const Json* c = member(body, address); c != nullptr && !address_match(*c, ok)) return false;
    return ok;
  });
  if (!ok) return reply(failure(400, "bad request error: invalid search criterion"));
  return paged<Txn>(matches, s.page, &fullstack::transaction);
}

ApiReply FullStackApi::batch_search(const http::Request& request) {
  const SearchRequest s = search_request(request);
  if (s.failure) return *s.failure;
  const Json& body = s.body;
  bool ok = true;
  std::string start, end;
  if (const Json* range = member(body, "batch_date"); range != nullptr) {
    start = string_member(*range, "start_date", ok).value_or("");
    end = string_member(*range, "end_date", ok).value_or("");
  }
  std::vector<const Batch*> matches;
  for (const Batch* b : ledger_.batches()) {
    if (const Json* c = member(body, "settlement_batch_id"); c != nullptr && !string_match(*c, b->id, ok)) continue;
    // RFC 3339 UTC strings of one format compare as times; the end date is inclusive.
    if (!start.empty() && b->created_at.substr(0, 19) < start.substr(0, 19)) continue;
    if (!end.empty() && b->created_at.substr(0, 19) > end.substr(0, 19)) continue;
    matches.push_back(b);
  }
  if (!ok) return reply(failure(400, "bad request error: invalid search criterion"));
  return paged<Batch>(matches, s.page, &fullstack::batch);
}

// Decided: the simulator's surcharge (config, default 0) applies to cards only.
ApiReply FullStackApi::lookup_fees(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return reply(failure(400, "bad request error: invalid JSON body"));
  bool ok = true;
  const auto type = string_member(body, "type", ok);
  const auto method = string_member(body, "payment_method", ok);
  const Json* base_json = member(body, "base_amount");
  if (!ok || !type || *type != "integrations") return reply(failure(400, "bad request error: type must be integrations"));
  if (!method || (*method != "card" && *method != "ach")) return reply(failure(400, "bad request error: payment_method must be card or ach"));
  if (base_json == nullptr) return reply(failure(400, "bad request error: base_amount is required"));
  auto base = cents(*base_json);
  if (!base) return reply(failure(400, "bad request error: invalid base_amount"));
  const std::int64_t surcharge = *method == "card" ? apply_rate(*base, config_.surcharge_rate, 100'000) : 0;
  return reply(envelope(200, Json{{"service_fee", 0},
                                  {"payment_adjustment", {{"value", 0}, {"type", ""}}},
                                  {"requested_amount", *base + surcharge},
                                  {"discount_amount", nullptr},
                                  {"surcharge", surcharge}}));
}

// Decided: the simulator computes from `amount` only (line_items/products are refused), with
// the adjustment objects tip_amount, tax_amount, shipping_amount, service_fee and surcharge;
// those with include=true are added to the total.
ApiReply FullStackApi::calculate_amounts(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return reply(failure(400, "bad request error: invalid JSON body"));
  bool ok = true;
  for (std::string_view required : {"processor_id", "currency", "payment_method", "transaction_type"})
    if (!string_member(body, required, ok) || !ok)
      return reply(failure(400, "bad request error: " + std::string(required) + " is required"));
  const Json* subtotal = member(body, "subtotal");
  const Json* amount_json = member(body, "amount");
  if (subtotal == nullptr || !cents(*subtotal)) return reply(failure(400, "bad request error: subtotal is required"));
  if (amount_json == nullptr || !cents(*amount_json))
    return reply(failure(400, "bad request error: amount is required (line_items and products are not simulated)"));
  const std::int64_t amount = *cents(*amount_json);
  Json data{{"processor_id", *string_member(body, "processor_id", ok)},
            {"payment_method", *string_member(body, "payment_method", ok)},
            {"subtotal", *cents(*subtotal)},
            {"amount", amount},
            {"additional_total", 0}};
  Json included = Json::object();
  std::int64_t total = amount;
  for (std::string_view name : {"tip_amount", "tax_amount", "shipping_amount", "service_fee", "surcharge"}) {
    const auto adj = adjustment(body, name, amount, ok);
    if (!ok) return reply(failure(400, "bad request error: invalid " + std::string(name)));
    data[std::string(name)] = adj ? Json(adj->amount) : Json(nullptr);
    included[std::string(name)] = adj && adj->include ? Json(adj->amount) : Json(nullptr);
    if (adj && adj->include) total += adj->amount;
  }
  data["included_amounts"] = std::move(included);
  data["total"] = total;
  return reply(envelope(200, data));
}

}  // namespace tender::net::hostsim
