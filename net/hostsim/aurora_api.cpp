#include "net/hostsim/aurora_api.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

#include "common/bytes.hpp"
#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/aurora_views.hpp"
#include "net/hostsim/card.hpp"

namespace tender::net::hostsim {
namespace {

using namespace aurora;

ApiReply error(int status, std::string_view details) { return {json_response(status, error_body(status, details)), {}}; }

// Form fields (RFC 6749 §4.4: application/x-www-form-urlencoded), decoded by the same code
// that decodes a query string.
std::optional<std::string> form_field(const std::string& body, std::string_view name) {
  http::Request as_query;
  as_query.target = "/?" + body;
  return as_query.query_parameter(name);
}

// emvTags: the document shows only null; Appendix A's SDK types it as an array of strings.
// Decided: accept an array of hex strings (concatenated) or one hex string of TLVs.
Result<Bytes> emv_tags_of(const Json& v) {
  if (v.is_string()) return from_hex(v.get<std::string>());
  if (!v.is_array()) return make_error(Errc::malformed, "emvTags must be a hex string or an array of them");
  Bytes all;
  for (const auto& item : v) {
    if (!item.is_string()) return make_error(Errc::malformed, "emvTags must be a hex string or an array of them");
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

std::optional<std::int64_t> optional_amount(const Json& body, std::string_view key, std::string& problem) {
  const Json* v = member(body, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  auto amount = decimal_to_minor(*v);
  if (!amount) {
    problem = std::string(key) + ": " + amount.error().message;
    return std::nullopt;
  }
  return *amount;
}

}  // namespace

AuroraApi::AuroraApi(AuroraConfig config, Services services, Store* store)
    : config_(std::move(config)), services_(std::move(services)), ledger_(Api::aurora, *services_.clock, store) {}

bool AuroraApi::serves(std::string_view path) {
  return path == kTokenPath || path == kBase || path.starts_with(std::string(kBase) + "/");
}

bool AuroraApi::creates_transaction(const http::Request& request) {
  const auto path = request.path();
  return request.method == http::Method::post && (path == kAuth || path == kSale || path == kReturn);
}

http::Response AuroraApi::server_error() const {
  return json_response(500, error_body(500, "An unexpected error occurred"));
}

ApiReply AuroraApi::handle(const http::Request& request) {
  const std::string_view path = request.path();
  if (path == kTokenPath) {
    if (request.method != http::Method::post) return error(404, "Not found");
    return token(request);
  }
  if (!authorized(request)) {
    ApiReply reply = error(401, "A valid bearer token is required");
    reply.response.set_header("WWW-Authenticate", "Bearer");
    return reply;
  }
  using Handler = ApiReply (AuroraApi::*)(const http::Request&);
  struct Route {
    std::string_view path;
    Handler handler;
  };
  const std::array<Route, 5> posts = {{
      {kCapture, &AuroraApi::capture},
      {kVoid, &AuroraApi::void_transaction},
      {kReturn, &AuroraApi::refund},
      {kTipAdjustment, &AuroraApi::tip_adjustment},
      {kSettle, &AuroraApi::settle},
  }};
  if (request.method == http::Method::post) {
    if (path == kAuth) return payment(request, false);
    if (path == kSale) return payment(request, true);
    for (const auto& route : posts)
      if (route.path == path) return (this->*route.handler)(request);
    return error(404, "Not found");
  }
  if (request.method != http::Method::get) return error(404, "Not found");
  if (path == kCalculate) return calculate(request);
  if (path == kBase) return list(request);
  const std::string_view id = path_rest(path, kBase);
  if (id.empty() || id.find('/') != std::string_view::npos) return error(404, "Not found");
  return get(id);
}

ApiReply AuroraApi::token(const http::Request& request) {
  auto grant = form_field(request.body, "grant_type");
  auto id = form_field(request.body, "client_id");
  auto secret = form_field(request.body, "client_secret");
  if (!grant || *grant != "client_credentials")
    return {json_response(400, Json{{"error", "unsupported_grant_type"}}), {}};
  if (!id || !secret || *id != config_.client_id || *secret != config_.client_secret)
    return {json_response(401, Json{{"error", "invalid_client"}}), {}};
  // 128 bits from the OS plus a counter: unguessable and unique.
  std::random_device rd;
  char buf[64];
  std::snprintf(buf, sizeof buf, "sim.%08x%08x%08x%08x.%llu", rd(), rd(), rd(), rd(),
                static_cast<unsigned long long>(++token_sequence_));
  const auto now = services_.clock->now();
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second <= now; });
  tokens_.emplace(buf, now + config_.token_lifetime);
  http::Response r = json_response(200, Json{{"access_token", buf},
                                             {"token_type", "Bearer"},
                                             {"expires_in", config_.token_lifetime.count()}});
  r.set_header("Cache-Control", "no-store");
  return {std::move(r), {}};
}

bool AuroraApi::authorized(const http::Request& request) const {
  if (request.path() == kTokenPath) return true;
  const auto header = request.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || !header->starts_with(kBearer)) return false;
  const auto it = tokens_.find(header->substr(kBearer.size()));
  return it != tokens_.end() && services_.clock->now() < it->second;
}

ApiReply AuroraApi::payment(const http::Request& request, bool sale) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return error(400, kMalformedJson);
  bool ok = true;
  const auto processor = string_member(body, kPaymentProcessorId, ok);
  if (!ok || !processor || processor->empty()) return error(400, "PaymentProcessorId is required");
  const Json* amount_json = member(body, kAmount);
  if (amount_json == nullptr || amount_json->is_null()) return error(400, "Amount is required");
  auto amount = decimal_to_minor(*amount_json);
  if (!amount || *amount == 0) return error(400, "Amount must be a positive number with at most 2 decimals");
  std::string problem;
  const auto tip = optional_amount(body, kTipAmount, problem);
  if (!problem.empty()) return error(400, problem);
  const auto currency = int_member(body, kCurrencyId, ok);
  if (!ok || (currency && *currency != kUsdCurrencyId)) return error(400, "Unsupported currencyId");
  std::optional<Bytes> emv;
  if (const Json* tags = member(body, kEmvTags); tags != nullptr && !tags->is_null()) {
    auto parsed = emv_tags_of(*tags);
    if (!parsed) return error(400, parsed.error().message);
    emv = std::move(*parsed);
  }
  auto card = card_of(body, emv ? &*emv : nullptr);
  if (!card) return error(400, card.error().message);
  std::optional<PinData> pin;
  const auto pin_text = string_member(body, kPin, ok);
  const auto ksn_text = string_member(body, kPinKsn, ok);
  if (!ok) return error(400, "pin and pinKsn must be strings");
  if (pin_text) {
    auto block = from_hex(*pin_text);
    auto ksn = from_hex(ksn_text.value_or(""));
    if (!block || !ksn || ksn->empty()) return error(400, "pin and pinKsn must be hex");
    pin = PinData{std::move(*block), std::move(*ksn)};
  }
  const auto reference = string_member(body, kReferenceId, ok);

  std::optional<Script> script = services_.scripts ? services_.scripts(*amount) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  DecisionInput in;
  in.card = &*card;
  in.amount = *amount;
  if (script && is_card_outcome(script->behaviour)) in.script = script;
  in.pin = pin ? &*pin : nullptr;
  in.emv_tags = emv ? &*emv : nullptr;
  const Decision d = decide(in, *services_.clock, services_.verifiers);

  Txn txn;
  txn.type = sale ? TxnType::sale : TxnType::authorization;
  txn.outcome = d.outcome;
  txn.requested = *amount;
  txn.authorized = d.approved_amount;
  const bool approved_now = approved(d.outcome);
  txn.status = !approved_now ? TxnStatus::declined : sale ? TxnStatus::captured : TxnStatus::authorized;
  txn.captured = sale && approved_now ? d.approved_amount : 0;
  txn.tip = approved_now ? tip.value_or(0) : 0;
  txn.owner = *processor;
  txn.first6 = first_six(*card);
  txn.last4 = last_four(*card);
  txn.reference = reference.value_or("");
  txn.emv_response_hex = to_hex(d.emv_response);
  Txn& recorded = ledger_.record(std::move(txn));
  if (approved_now) recorded.auth_code = approval_code(recorded.id);
  const Json result = authorization_result(recorded, sale ? kTypeSale : kTypeAuthorization);
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {json_response(200, result), transport};
}

namespace {

// Common front of capture / void / tip-adjustment / return: the body and its transaction.
struct Target {
  Json body;
  Txn* txn = nullptr;
  std::optional<ApiReply> failure;
};

Target target_of(const http::Request& request, Ledger& ledger) {
  Target t;
  t.body = parse_object(request.body);
  if (t.body.is_discarded()) {
    t.failure = error(400, kMalformedJson);
    return t;
  }
  bool ok = true;
  const auto id = string_member(t.body, kTransactionId, ok);
  if (!ok || !id || id->empty()) {
    t.failure = error(400, kTransactionIdRequired);
    return t;
  }
  t.txn = ledger.find(*id);
  if (t.txn == nullptr) t.failure = error(404, kNotFoundMessage);
  return t;
}

}  // namespace

ApiReply AuroraApi::capture(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.failure) return *t.failure;
  std::string problem;
  const auto amount = optional_amount(t.body, kAmount, problem);
  if (!problem.empty()) return error(400, problem);
  if (auto done = ledger_.capture(*t.txn, amount); !done) return error(400, done.error().message);
  return {json_response(200, operation_result(*t.txn, kTypeCapture, format_rfc3339(services_.clock->now()))), {}};
}

ApiReply AuroraApi::void_transaction(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.failure) return *t.failure;
  if (auto done = ledger_.void_transaction(*t.txn); !done) return error(400, done.error().message);
  return {json_response(200, operation_result(*t.txn, kTypeVoid, format_rfc3339(services_.clock->now()))), {}};
}

ApiReply AuroraApi::tip_adjustment(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.failure) return *t.failure;
  std::string problem;
  const auto tip = optional_amount(t.body, kTipAmount, problem);
  if (!problem.empty()) return error(400, problem);
  if (!tip) return error(400, "Tip Amount is required");
  if (auto done = ledger_.adjust_tip(*t.txn, *tip); !done) return error(400, done.error().message);
  return {json_response(200, operation_result(*t.txn, kTypeTipAdjustment, format_rfc3339(services_.clock->now()))),
          {}};
}

// Return: the card-present fields of the request (E7) are accepted and not needed, since the
// original transaction identifies the card. A return is a new transaction.
ApiReply AuroraApi::refund(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.failure) return *t.failure;
  std::string problem;
  const auto amount = optional_amount(t.body, kAmount, problem);
  if (!problem.empty()) return error(400, problem);
  std::optional<Script> script = services_.scripts ? services_.scripts(amount.value_or(0)) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  auto done = ledger_.refund(*t.txn, amount);
  if (!done) return error(400, done.error().message);
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {json_response(200, authorization_result(**done, kTypeReturn)), transport};
}

ApiReply AuroraApi::settle(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return error(400, kMalformedJson);
  bool ok = true;
  const auto processor = string_member(body, kPaymentProcessorId, ok);
  if (!ok || !processor || processor->empty()) return error(400, "PaymentProcessorId is required");
  const Batch batch = ledger_.settle(*processor);
  const std::string message = "Batch " + batch.id + " settled: " + std::to_string(batch.count) + " transactions";
  return {json_response(200, Json{{"code", 0}, {"message", message}, {"processorResponseCode", "00"}}), {}};
}

ApiReply AuroraApi::get(std::string_view id) const {
  const auto found = ledger_.select([&](const Txn& t) { return t.id == id; });
  if (found.empty()) return error(404, kNotFoundMessage);
  return {json_response(200, detail(*found.front())), {}};
}

}  // namespace tender::net::hostsim
