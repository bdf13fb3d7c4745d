#include "net/hostsim/fullstack_api.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/card.hpp"
#include "net/hostsim/fullstack_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace fullstack;

ApiReply bad_request(std::string_view what) { return reply(failure(400, "bad request error: " + std::string(what))); }

// The card a gateway-driven terminal reads: the documents' Visa test card.
constexpr std::string_view kTerminalCardPan = "4111111111111111";
constexpr std::string_view kTerminalCardExpiry = "12/49";

// payment_method.card (L304-L321). number and expiration_date are "required if
// payment_method.card is present" (L308-L309): a swipe sends them beside its track. [SIM]
// track data, when sent, must be the same card as number/expiration_date. Encrypted tracks
// need the gateway's decryption key, which the simulator does not have: refused [SIM].
Result<CardData> card_of(const Json& card) {
  bool ok = true;
  const auto entry = string_member(card, "entry_type", ok);
  if (entry && *entry != "keyed" && *entry != "swiped")
    return make_error(Errc::malformed, "entry_type must be keyed or swiped");
  if (member(card, "encrypted_track_1") != nullptr || member(card, "encrypted_track_2") != nullptr)
    return make_error(Errc::unsupported, "encrypted tracks are not supported by the simulator");
  const auto number = string_member(card, "number", ok);
  const auto expiry = string_member(card, "expiration_date", ok);
  if (!ok || !number || !expiry) return make_error(Errc::malformed, "payment_method.card.number and expiration_date are required");
  auto keyed = keyed_card_mmyy(*number, *expiry);
  if (!keyed) return keyed;
  const auto t2 = string_member(card, "track_2", ok);
  const auto t1 = string_member(card, "track_1", ok);
  if (!ok) return make_error(Errc::malformed, "track data must be a string");
  if (t1 || t2) {
    auto track = t2 ? parse_track2(*t2) : parse_track1(*t1);
    if (!track) return track;
    if (track->pan.reveal() != keyed->pan.reveal() || track->expiry_year != keyed->expiry_year ||
        track->expiry_month != keyed->expiry_month)
      return make_error(Errc::malformed, "track data and number/expiration_date are not the same card");
  }
  return keyed;
}

std::string mm_yy(const CardData& card) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d/%02d", card.expiry_month, card.expiry_year % 100);
  return buf;
}

// idempotency_key "uint(uuid format)" (L277), "string (UUID format)" (FluidPay docs): [SIM]
// anything but the 36-character text form is refused.
bool uuid_text(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

// order_id / po_number: up to 15 alphanumeric characters (L276-L277).
bool order_text(std::string_view s) {
  return s.size() <= kMaxOrderId &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

struct TypeRow {
  std::string_view name;
  TxnType type;
};
constexpr std::array<TypeRow, 4> kRequestTypes = {{
    {"sale", TxnType::sale},
    {"authorize", TxnType::authorization},
    {"verification", TxnType::verification},
    {"credit", TxnType::credit},
}};

// Status after approval, by type: a sale and a credit wait for settlement, an authorization
// for capture; a verification moves no money and stays "authorized" for zero (not capturable).
TxnStatus approved_status(TxnType t) {
  return t == TxnType::sale || t == TxnType::credit ? TxnStatus::captured : TxnStatus::authorized;
}

// "/api/transaction/{id}/capture" -> {id, "capture"}; "/api/transaction/{id}" -> {id, ""}.
std::pair<std::string_view, std::string_view> split_id(std::string_view rest) {
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {rest, {}};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

// The optional body of capture and refund: {"amount": cents, ...}; empty means all of it.
Result<std::optional<std::int64_t>> optional_amount(const http::Request& request) {
  const Json body = request.body.empty() ? Json::object() : parse_object(request.body);
  if (body.is_discarded()) return make_error(Errc::malformed, "bad request error: invalid JSON body");
  const Json* a = member(body, "amount");
  if (a == nullptr || a->is_null()) return std::optional<std::int64_t>{};
  auto value = cents(*a);
  if (!value) return make_error(Errc::malformed, "bad request error: invalid amount");
  return std::optional<std::int64_t>{*value};
}

std::string correlation_id(std::uint64_t n) { return correlation_uuid(n); }

}  // namespace

FullStackApi::FullStackApi(FullStackConfig config, Services services, Store* store)
    : config_(std::move(config)),
      services_(std::move(services)),
      ledger_(Api::fullstack, *services_.clock, store) {}

bool FullStackApi::serves(std::string_view path) const {
  for (std::string_view root : kResourceRoots) {
    if (path.starts_with(root) && (path.size() == root.size() || path[root.size()] == '/')) return true;
  }
  return false;
}

bool FullStackApi::creates_transaction(const http::Request& request) const {
  if (request.method != http::Method::post) return false;
  const auto path = request.path();
  if (path == kTransaction) return true;
  const auto [id, action] = split_id(path_rest(path, kTransaction));
  return path.starts_with(std::string(kTransaction) + "/") && action == kRefundSuffix && !id.empty();
}

http::Response FullStackApi::server_error() {
  http::Response r = failure(500, "internal server error");
  r.set_header(std::string(kCorrelationHeader), correlation_id(++correlation_));
  return r;
}

// "Authorization: { API Key }", the raw private key. No JWT is issued by this API, so a
// Bearer token can never be valid here.
bool FullStackApi::takes_scripts(const http::Request& request) const { return authorized(request); }

bool FullStackApi::authorized(const http::Request& request) const {
  const auto key = request.header("Authorization");
  return key && *key == config_.api_key;
}

ApiReply FullStackApi::handle(const http::Request& request) {
  ApiReply out = authorized(request) ? route(request) : reply(failure(401, "unauthorized"));
  out.response.set_header(std::string(kCorrelationHeader), correlation_id(++correlation_));
  return out;
}

ApiReply FullStackApi::route(const http::Request& request) {
  const std::string_view path = request.path();
  const bool post = request.method == http::Method::post;
  const bool get_method = request.method == http::Method::get;
  if (post && path == kTransaction) return process(request);
  if (post && path == kTransactionSearch) return search(request);
  if (post && path == kBatchSearch) return batch_search(request);
  if (get_method && path == kTerminals) return terminals();
  if (post && path == kLookupFees) return lookup_fees(request);
  if (post && path == kCalculateAmounts) return calculate_amounts(request);
  if (path.starts_with(std::string(kTerminal) + "/")) {
    const auto [id, action] = split_id(path_rest(path, kTerminal));
    if (post && action == kSettleSuffix) return settle_terminal(id);
  } else if (path.starts_with(std::string(kTransaction) + "/")) {
    const auto [id, action] = split_id(path_rest(path, kTransaction));
    if (get_method && action.empty() && !id.empty()) return get(id);
    if (post && action == kCaptureSuffix) return capture(id, request);
    if (post && action == kVoidSuffix) return void_transaction(id);
    if (post && action == kRefundSuffix) return refund(id, request);
  }
  return reply(failure(404, "not found"));
}

// idempotency_key (a body field, L277) within idempotency_time (FluidPay docs; default the
// merchant's duplicate window, 5 minutes): a repeat gets the first answer, byte for byte and
// with the same status, "instead of processing a new transaction" (FluidPay docs), whatever
// its body says. After the window the key is forgotten and the same request is a new
// transaction. [SIM] Only answers that reached a decision (HTTP 200, approvals and declines)
// are remembered, not 400s or 500s, so a client may fix a bad request and reuse its key.
ApiReply FullStackApi::process(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return bad_request("invalid JSON body");
  bool ok = true;
  const auto key = string_member(body, "idempotency_key", ok);
  if (!ok || (key && !uuid_text(*key))) return bad_request("idempotency_key must be a UUID");
  const auto time = int_member(body, "idempotency_time", ok);
  if (!ok || (time && (*time < 1 || *time > kMaxIdempotencyTime)))
    return bad_request("idempotency_time must be 1.." + std::to_string(kMaxIdempotencyTime) + " seconds");
  const auto now = services_.clock->now();
  idempotency_.expire(now);
  if (key) {
    if (const http::Response* first = idempotency_.find(*key)) return reply(*first);
  }
  const std::int64_t window = time.value_or(config_.duplicate_window.count());
  ApiReply out = process_new(body, key.value_or(""), window);
  if (key && out.response.status == 200) idempotency_.remember(*key, out.response, now + std::chrono::seconds{window});
  return out;
}

// [SIM] Duplicate detection without a key ("Method 2: Automatic Duplicate Detection (No
// Idempotency Key)", FluidPay docs; its text is cut off in every copy found): a keyless
// request of the same type, amount and card as an approved keyless one within the merchant's
// duplicate window is declined with 301 "Gateway Decline - Duplicate Transaction".
std::optional<std::string> FullStackApi::keyless_duplicate(const Txn& candidate) {
  const auto now = services_.clock->now();
  while (!recent_keyless_.empty() && recent_keyless_.front().at + config_.duplicate_window <= now) recent_keyless_.pop_front();
  for (const Recent& r : recent_keyless_) {
    const Txn* t = ledger_.find(r.id);
    if (t != nullptr && t->type == candidate.type && t->requested == candidate.requested && t->first6 == candidate.first6 &&
        t->last4 == candidate.last4 && t->expiry_mmyy == candidate.expiry_mmyy)
      return t->id;
  }
  return std::nullopt;
}

ApiReply FullStackApi::process_new(const Json& body, const std::string& key, std::int64_t key_time) {
  bool ok = true;
  const auto type_name = string_member(body, "type", ok);
  const TypeRow* type = nullptr;
  for (const auto& row : kRequestTypes)
    if (type_name && row.name == *type_name) type = &row;
  if (type == nullptr) return bad_request("type must be sale, authorize, verification or credit");
  std::int64_t amount = 0;
  const Json* amount_json = member(body, "amount");
  if (amount_json == nullptr || amount_json->is_null()) amount_json = member(body, "base_amount");
  if (amount_json != nullptr && !amount_json->is_null()) {
    auto value = cents(*amount_json);
    if (!value) return bad_request("invalid amount");
    amount = *value;
  }
  if (amount == 0 && type->type != TxnType::verification) return bad_request("amount is required");
  if (const auto currency = string_member(body, "currency", ok); !ok || (currency && *currency != "USD" && *currency != "usd"))
    return bad_request("unsupported currency");
  const Json* tip_json = member(body, "tip_amount");
  std::int64_t tip = 0;
  if (tip_json != nullptr && !tip_json->is_null()) {
    auto value = cents(*tip_json);
    if (!value || *value > amount) return bad_request("invalid tip_amount");  // "included in Amount" (L284)
    tip = *value;
  }
  // processor_id (L288): the named one, else the merchant's default; neither fails (L264).
  auto processor = string_member(body, "processor_id", ok);
  if (!ok) return bad_request("processor_id must be a string");
  if (processor && std::find(config_.processors.begin(), config_.processors.end(), *processor) == config_.processors.end())
    return bad_request("invalid processor_id");
  if (!processor && config_.default_processor.empty()) return bad_request("processor_id is required: no default processor is set");
  const std::string processor_id = processor.value_or(config_.default_processor);
  const auto order_id = string_member(body, "order_id", ok);
  const auto po_number = string_member(body, "po_number", ok);
  if (!ok || (order_id && !order_text(*order_id)) || (po_number && !order_text(*po_number)))
    return bad_request("order_id and po_number support up to 15 alphanumeric characters");
  const Json* method = member(body, "payment_method");
  if (method == nullptr || !method->is_object() || method->size() != 1)
    return bad_request("payment_method must contain exactly one payment method");
  std::string terminal_id;
  Result<CardData> card = make_error(Errc::unsupported, "payment method not supported by the simulator");
  if (const Json* c = member(*method, "card"); c != nullptr && c->is_object()) {
    card = card_of(*c);
  } else if (const Json* t = member(*method, "terminal"); t != nullptr && t->is_object()) {
    const auto id = string_member(*t, "id", ok);
    if (!ok || !id || *id != kTerminalId) return bad_request("invalid terminal id");
    terminal_id = *id;
    const auto expiry = string_member(*t, "expiration_date", ok);
    card = keyed_card_mmyy(kTerminalCardPan, expiry.value_or(std::string(kTerminalCardExpiry)));
  }
  if (!card) return bad_request(card.error().message);

  Txn txn;
  txn.type = type->type;
  txn.requested = amount;
  txn.tip_in_amount = tip;
  txn.owner = terminal_id;
  txn.first6 = first_six(*card);
  txn.last4 = last_four(*card);
  txn.expiry_mmyy = mm_yy(*card);
  txn.reference = order_id.value_or("");
  txn.po_number = po_number.value_or("");
  txn.processor_id = processor_id;
  txn.idempotency_key = key;
  txn.idempotency_time = key.empty() ? 0 : key_time;
  std::optional<Script> transport;
  std::optional<std::string> duplicate_of = key.empty() ? keyless_duplicate(txn) : std::nullopt;
  if (duplicate_of) {
    txn.outcome = Outcome::declined;
    txn.gateway_code = 301;  // the gateway declines before the processor sees it
  } else {
    std::optional<Script> script = services_.scripts ? services_.scripts(amount) : std::nullopt;
    if (script && script->behaviour == Behaviour::error_500) return reply(server_error());
    DecisionInput in;
    in.card = &*card;
    in.amount = amount;
    if (script && is_card_outcome(script->behaviour) && script->behaviour != Behaviour::gateway_code) in.script = script;
    Decision decision = decide(in, *services_.clock, services_.verifiers);
    // Partial approval only when the client allows it ("allow_partial_payment"); otherwise a
    // scripted partial becomes a decline, as a processor does.
    if (decision.outcome == Outcome::partial && !bool_member(body, "allow_partial_payment", ok).value_or(false)) {
      decision.outcome = Outcome::declined;
      decision.approved_amount = 0;
    }
    // [SIM] A scripted gateway code: the answer and the record carry it; outside 100-199 the
    // transaction is recorded declined (nothing held), inside it the decision stands.
    if (script && script->behaviour == Behaviour::gateway_code) {
      txn.gateway_code = script->code;
      if (script->code < 100 || script->code > 199) {
        decision.outcome = Outcome::declined;
        decision.approved_amount = 0;
      }
    }
    txn.outcome = decision.outcome;
    txn.authorized = decision.approved_amount;
    if (script && !is_card_outcome(script->behaviour)) transport = script;
  }
  txn.status = approved(txn.outcome) ? approved_status(type->type) : TxnStatus::declined;
  txn.captured = txn.status == TxnStatus::captured ? txn.authorized : 0;
  Txn& recorded = ledger_.record(std::move(txn));
  if (approved(recorded.outcome)) {
    recorded.auth_code = approval_code(recorded.id);
    if (key.empty()) recent_keyless_.push_back({services_.clock->now(), recorded.id});
  }
  return {envelope(200, transaction(recorded)), transport};
}

Result<std::string> FullStackApi::other_client_sale(std::int64_t amount, std::string_view pan,
                                                    std::string_view expiry_mm_yy) {
  const std::uint64_t n = ++other_clients_;
  char key[40];
  std::snprintf(key, sizeof key, "0e1c0000-0000-4000-8000-%012llx", static_cast<unsigned long long>(n));
  char order[16];
  std::snprintf(order, sizeof order, "other%010llu", static_cast<unsigned long long>(n));
  Json body{{"idempotency_key", key},
            {"type", "sale"},
            {"amount", amount},
            {"order_id", order},
            {"payment_method", {{"card", {{"entry_type", "keyed"}, {"number", pan}, {"expiration_date", expiry_mm_yy}}}}}};
  http::Request request;
  request.method = http::Method::post;
  request.target = std::string(kTransaction);
  request.body = dump(body);
  const ApiReply out = process(request);
  const Json answer = parse_object(out.response.body);
  bool ok = true;
  const Json* data = member(answer, "data");
  const auto id = data != nullptr ? string_member(*data, "id", ok) : std::nullopt;
  if (out.response.status != 200 || !id) return make_error(Errc::invalid_argument, "the other client's sale was refused");
  return *id;
}

ApiReply FullStackApi::get(std::string_view id) {
  const Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  return reply(list_envelope(Json::array({transaction(*txn)}), 1));  // `data` is an array (L836)
}

ApiReply FullStackApi::capture(std::string_view id, const http::Request& request) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  const auto amount = optional_amount(request);
  if (!amount) return reply(failure(400, amount.error().message));
  if (auto done = ledger_.capture(*txn, *amount); !done) return bad_request(done.error().message);
  return reply(envelope(200, transaction(*txn)));
}

// Void "a transaction that is pending settlement" (L997). [SIM] The refusal of a settled one:
// 400 with a msg naming the status (the FluidPay Java SDK's test of a failed void looks for
// "status" or "already" in msg; no text is documented).
ApiReply FullStackApi::void_transaction(std::string_view id) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  if (!txn->batch_id.empty() || txn->status == TxnStatus::settled || txn->status == TxnStatus::refunded)
    return bad_request("transaction status is " + std::string(status_of(txn->status)) + ": already settled, it cannot be voided");
  if (auto done = ledger_.void_transaction(*txn); !done) return bad_request(done.error().message);
  return reply(envelope(200, nullptr));  // verbatim L1003: data null
}

ApiReply FullStackApi::refund(std::string_view id, const http::Request& request) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  const auto amount = optional_amount(request);
  if (!amount) return reply(failure(400, amount.error().message));
  std::optional<Script> script = services_.scripts ? services_.scripts(amount->value_or(0)) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return reply(server_error());
  auto done = ledger_.refund(*txn, *amount);
  if (!done) return bad_request(done.error().message);
  (*done)->processor_id = ledger_.find(id)->processor_id;
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {envelope(200, transaction(**done)), transport};
}

ApiReply FullStackApi::terminals() { return reply(list_envelope(Json::array({terminal()}), 1)); }

// No request or response is documented. [SIM] Card transactions belong to the account's one
// open batch, so settling the terminal closes all of it; the reply carries the new batch.
ApiReply FullStackApi::settle_terminal(std::string_view id) {
  if (id != kTerminalId) return reply(failure(404, "terminal not found"));
  Batch b = ledger_.settle("");
  b.owner = std::string(id);
  return reply(envelope(200, batch(b)));
}

}  // namespace tender::net::hostsim
