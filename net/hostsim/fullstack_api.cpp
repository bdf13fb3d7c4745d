#include "net/hostsim/fullstack_api.hpp"

#include <array>
#include <cstdio>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/card.hpp"
#include "net/hostsim/fullstack_constants.hpp"
#include "net/hostsim/fullstack_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace fullstack;

ApiReply reply(http::Response r) { return {std::move(r), {}}; }

// The card a gateway-driven terminal reads: the documents' Visa test card.
constexpr std::string_view kTerminalCardPan = "4111111111111111";
constexpr std::string_view kTerminalCardExpiry = "12/49";

// Card data by precedence: track 2, track 1, keyed number + expiration_date. Encrypted tracks
// need the gateway's decryption key, which the simulator does not have: refused.
Result<CardData> card_of(const Json& card) {
  bool ok = true;
  const auto entry = string_member(card, "entry_type", ok);
  if (entry && *entry != "keyed" && *entry != "swiped")
    return make_error(Errc::malformed, "entry_type must be keyed or swiped");
  if (member(card, "encrypted_track_1") != nullptr || member(card, "encrypted_track_2") != nullptr)
    return make_error(Errc::unsupported, "encrypted tracks are not supported by the simulator");
  if (auto t2 = string_member(card, "track_2", ok)) return parse_track2(*t2);
  if (auto t1 = string_member(card, "track_1", ok)) return parse_track1(*t1);
  const auto number = string_member(card, "number", ok);
  const auto expiry = string_member(card, "expiration_date", ok);
  if (!ok || !number || !expiry) return make_error(Errc::malformed, "card number and expiration_date are required");
  return keyed_card_mmyy(*number, *expiry);
}

std::string mm_yy(const CardData& card) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d/%02d", card.expiry_month, card.expiry_year % 100);
  return buf;
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

}  // namespace

FullStackApi::FullStackApi(FullStackConfig config, Services services, Store* store)
    : config_(std::move(config)),
      services_(std::move(services)),
      ledger_(Api::fullstack, *services_.clock, store) {}

bool FullStackApi::serves(std::string_view path) { return path.starts_with(kApiPrefix); }

bool FullStackApi::creates_transaction(const http::Request& request) {
  if (request.method != http::Method::post) return false;
  const auto path = request.path();
  if (path == kTransaction) return true;
  const auto [id, action] = split_id(path_rest(path, kTransaction));
  return path.starts_with(std::string(kTransaction) + "/") && action == kRefundSuffix && !id.empty();
}

http::Response FullStackApi::server_error() {
  http::Response r = failure(500, "internal server error");
  char buf[48];
  std::snprintf(buf, sizeof buf, "51e0c0de-0000-4000-8000-%012llx", static_cast<unsigned long long>(++correlation_));
  r.set_header(std::string(kCorrelationHeader), buf);
  return r;
}

// "Authorization: { API Key }", the raw private key. No JWT is issued by this API, so a
// Bearer token can never be valid here.
bool FullStackApi::authorized(const http::Request& request) const {
  const auto key = request.header("Authorization");
  return key && *key == config_.api_key;
}

ApiReply FullStackApi::handle(const http::Request& request) {
  ApiReply out = authorized(request) ? route(request) : reply(failure(401, "unauthorized"));
  char buf[48];
  std::snprintf(buf, sizeof buf, "51e0c0de-0000-4000-8000-%012llx", static_cast<unsigned long long>(++correlation_));
  out.response.set_header(std::string(kCorrelationHeader), buf);
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

// idempotency_key (a body field, 5-minute window; raw L270): a repeat within the window gets
// the first result, byte for byte and with the same status, whatever the new body says.
// Decided: only results that reached a decision are remembered (not 400s or 500s), so a
// client may fix a bad request and reuse its key.
ApiReply FullStackApi::process(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return reply(failure(400, "bad request error: invalid JSON body"));
  bool ok = true;
  const auto key = string_member(body, "idempotency_key", ok);
  if (!ok) return reply(failure(400, "bad request error: idempotency_key must be a string"));
  const auto now = services_.clock->now();
  idempotency_.expire(now);
  if (key) {
    if (const http::Response* first = idempotency_.find(*key)) return reply(*first);
  }
  ApiReply out = process_new(body);
  if (key && out.response.status == 200) idempotency_.remember(*key, out.response, now + kIdempotencyWindow);
  return out;
}

ApiReply FullStackApi::process_new(const Json& body) {
  bool ok = true;
  const auto type_name = string_member(body, "type", ok);
  const TypeRow* type = nullptr;
  for (const auto& row : kRequestTypes)
    if (type_name && row.name == *type_name) type = &row;
  if (type == nullptr) return reply(failure(400, "bad request error: type must be sale, authorize, verification or credit"));
  std::int64_t amount = 0;
  const Json* amount_json = member(body, "amount");
  if (amount_json == nullptr || amount_json->is_null()) amount_json = member(body, "base_amount");
  if (amount_json != nullptr && !amount_json->is_null()) {
    auto value = cents(*amount_json);
    if (!value) return reply(failure(400, "bad request error: invalid amount"));
    amount = *value;
  }
  if (amount == 0 && type->type != TxnType::verification)
    return reply(failure(400, "bad request error: amount is required"));
  if (const auto currency = string_member(body, "currency", ok); !ok || (currency && *currency != "USD" && *currency != "usd"))
    return reply(failure(400, "bad request error: unsupported currency"));
  const Json* method = member(body, "payment_method");
  if (method == nullptr || !method->is_object() || method->size() != 1)
    return reply(failure(400, "bad request error: payment_method must contain exactly one payment method"));
  std::string terminal_id;
  Result<CardData> card = make_error(Errc::unsupported, "bad request error: payment method not supported by the simulator");
  if (const Json* c = member(*method, "card"); c != nullptr && c->is_object()) {
    card = card_of(*c);
  } else if (const Json* t = member(*method, "terminal"); t != nullptr && t->is_object()) {
    const auto id = string_member(*t, "id", ok);
    if (!ok || !id || *id != kTerminalId) return reply(failure(400, "bad request error: invalid terminal id"));
    terminal_id = *id;
    const auto expiry = string_member(*t, "expiration_date", ok);
    card = keyed_card_mmyy(kTerminalCardPan, expiry.value_or(std::string(kTerminalCardExpiry)));
  }
  if (!card) return reply(failure(400, "bad request error: " + card.error().message));
  const auto order_id = string_member(body, "order_id", ok);

  std::optional<Script> script = services_.scripts ? services_.scripts(amount) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return reply(server_error());
  DecisionInput in;
  in.card = &*card;
  in.amount = amount;
  if (script && is_card_outcome(script->behaviour)) in.script = script;
  const Decision d = decide(in, *services_.clock, services_.verifiers);
  // Partial approval only when the client allows it ("allow_partial_payment"); otherwise a
  // scripted partial becomes a decline, as a processor does.
  Decision decision = d;
  if (d.outcome == Outcome::partial && !bool_member(body, "allow_partial_payment", ok).value_or(false)) {
    decision.outcome = Outcome::declined;
    decision.approved_amount = 0;
  }
  Txn txn;
  txn.type = type->type;
  txn.outcome = decision.outcome;
  txn.requested = amount;
  txn.authorized = decision.approved_amount;
  txn.status = approved(decision.outcome) ? approved_status(type->type) : TxnStatus::declined;
  txn.captured = txn.status == TxnStatus::captured ? txn.authorized : 0;
  txn.owner = terminal_id;
  txn.first6 = first_six(*card);
  txn.last4 = last_four(*card);
  txn.expiry_mmyy = mm_yy(*card);
  txn.reference = order_id.value_or("");
  Txn& recorded = ledger_.record(std::move(txn));
  if (approved(recorded.outcome)) recorded.auth_code = approval_code(recorded.id);
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {envelope(200, transaction(recorded)), transport};
}

ApiReply FullStackApi::get(std::string_view id) {
  const Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  return reply(list_envelope(Json::array({transaction(*txn)}), 1));  // `data` is an array (§5.3)
}

ApiReply FullStackApi::capture(std::string_view id, const http::Request& request) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  const auto amount = optional_amount(request);
  if (!amount) return reply(failure(400, amount.error().message));
  if (auto done = ledger_.capture(*txn, *amount); !done) return reply(failure(400, "bad request error: " + done.error().message));
  return reply(envelope(200, transaction(*txn)));
}

ApiReply FullStackApi::void_transaction(std::string_view id) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  if (auto done = ledger_.void_transaction(*txn); !done) return reply(failure(400, "bad request error: " + done.error().message));
  return reply(envelope(200, nullptr));  // verbatim §5.6: data null
}

ApiReply FullStackApi::refund(std::string_view id, const http::Request& request) {
  Txn* txn = ledger_.find(id);
  if (txn == nullptr) return reply(failure(404, "transaction not found"));
  const auto amount = optional_amount(request);
  if (!amount) return reply(failure(400, amount.error().message));
  std::optional<Script> script = services_.scripts ? services_.scripts(amount->value_or(0)) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return reply(server_error());
  auto done = ledger_.refund(*txn, *amount);
  if (!done) return reply(failure(400, "bad request error: " + done.error().message));
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {envelope(200, transaction(**done)), transport};
}

ApiReply FullStackApi::terminals() { return reply(list_envelope(Json::array({terminal()}), 1)); }

// No request or response is documented. Decided: card (non-terminal) transactions belong to
// the account's one open batch, so settling the terminal closes all of it; the reply carries
// the new batch.
ApiReply FullStackApi::settle_terminal(std::string_view id) {
  if (id != kTerminalId) return reply(failure(404, "terminal not found"));
  Batch b = ledger_.settle("");
  b.owner = std::string(id);
  return reply(envelope(200, batch(b)));
}

}  // namespace tender::net::hostsim
