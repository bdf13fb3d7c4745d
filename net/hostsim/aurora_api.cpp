// Aurora: routing, the OAuth2 token, payments (auth, sale) and strangers' transactions.
// Follow-ons are in aurora_operations.cpp, the read-only endpoints in aurora_query.cpp.
#include "net/hostsim/aurora_api.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "common/bytes.hpp"
#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/aurora_payment.hpp"
#include "net/hostsim/aurora_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace aurora;

// Form fields (RFC 6749 §4.4: application/x-www-form-urlencoded), decoded by the same code
// that decodes a query string.
std::optional<std::string> form_field(const std::string& body, std::string_view name) {
  http::Request as_query;
  as_query.target = "/?" + body;
  return as_query.query_parameter(name);
}

// RFC 9110 §5.6.7 IMF-fixdate: an origin server with a clock sends Date (§6.6.1).
std::string http_date(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[weekday{day}.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

AuroraApi::AuroraApi(AuroraConfig config, Services services, Store* store)
    : config_(std::move(config)), services_(std::move(services)), ledger_(Api::aurora, *services_.clock, store) {}

bool AuroraApi::serves(std::string_view path) const {
  return path == kTokenPath || path == kBase || path.starts_with(std::string(kBase) + "/") || path == kBatches;
}

bool AuroraApi::creates_transaction(const http::Request& request) const {
  const auto path = request.path();
  return request.method == http::Method::post &&
         (path == kAuth || path == kSale || path == kReturn || path == kReturnNoReference);
}

std::string AuroraApi::next_correlation_id() {
  return uuid_from(0xC0DE000000000000ULL + ++correlation_);  // a UUID, as FLUTE's correlation ids are (sim)
}

ApiReply AuroraApi::reply(int status, Json body) {
  http::Response r = json_response(status, body);
  const std::string id = body.is_object() && body.contains("correlationId") && body["correlationId"].is_string()
                             ? body["correlationId"].get<std::string>()
                             : next_correlation_id();
  r.set_header(std::string(kCorrelationHeader), id);
  r.set_header("Date", http_date(services_.clock->now()));
  return {std::move(r), {}};
}

ApiReply AuroraApi::error(int status, std::string_view details, Json errors) {
  return reply(status, error_body(status, details, next_correlation_id(), std::move(errors)));
}

// The validation example's `errors`: field -> messages (IOS L1037 `errors: object`); the
// ASP.NET wording of the messages is sim.
ApiReply AuroraApi::invalid(std::string_view field, std::string_view message) {
  return error(400, "One or more validation errors occurred.", Json{{std::string(field), Json::array({message})}});
}

http::Response AuroraApi::server_error() {
  return error(500, "An unexpected error occurred").response;
}

ApiReply AuroraApi::handle(const http::Request& request) {
  const std::string_view path = request.path();
  if (path == kTokenPath) {
    if (request.method != http::Method::post) return error(404, "Not found");
    return token(request);
  }
  if (!authorized(request)) {
    ApiReply r = error(401, "A valid bearer token is required");
    r.response.set_header("WWW-Authenticate", "Bearer");
    return r;
  }
  using Handler = ApiReply (AuroraApi::*)(const http::Request&);
  struct Route {
    std::string_view path;
    Handler handler;
  };
  const std::array<Route, 6> posts = {{
      {kCapture, &AuroraApi::capture},
      {kVoid, &AuroraApi::void_transaction},
      {kReturn, &AuroraApi::refund},
      {kReturnNoReference, &AuroraApi::refund_without_reference},
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
  if (path == kBatches) return batches(request);
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

bool AuroraApi::takes_scripts(const http::Request& request) const {
  return request.path() != kTokenPath && authorized(request);
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
  PaymentIn in;
  if (auto bad = read_payment(body, sale ? PaymentKind::sale : PaymentKind::auth, in)) return invalid(bad->field, bad->message);

  std::optional<Script> script = services_.scripts ? services_.scripts(in.amount) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  DecisionInput decision_in;
  decision_in.card = &in.card;
  decision_in.amount = in.amount;
  if (script && is_card_outcome(script->behaviour)) decision_in.script = script;
  decision_in.pin = in.pin ? &*in.pin : nullptr;
  decision_in.emv_tags = in.emv ? &*in.emv : nullptr;
  const Decision d = decide(decision_in, *services_.clock, services_.verifiers);

  Txn txn = new_payment(in, d, sale ? TxnType::sale : TxnType::authorization);
  txn.created_by = config_.client_id;
  txn.create_method = kCreatedByApiToken.id;
  Txn& recorded = ledger_.record(std::move(txn));
  if (approved(d.outcome)) recorded.auth_code = approval_code(recorded.id);
  ledger_.persist(recorded);
  const Json result = authorization_result(recorded, sale ? kTypeSale : kTypeAuthorization,
                                           script && script->behaviour == Behaviour::pending ? std::optional{kPending}
                                                                                              : std::nullopt,
                                           config_.issuer_emv_data);
  if (script && script->twin && approved(d.outcome)) {
    const Txn copy = recorded;  // `recorded` may move when the ledger grows
    ForeignPayment twin;
    twin.sale = sale;
    twin.total = copy.authorized - copy.discount + copy.surcharge + copy.tip;
    twin.first6 = copy.first6;
    twin.last4 = copy.last4;
    twin.processor = copy.owner;
    twin.card_data_source = copy.card_data_source;  // read the same way: a true lookalike
    record_foreign(twin);
  }
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  ApiReply r = reply(200, result);
  r.transport = transport;
  return r;
}

const Txn& AuroraApi::record_foreign(const ForeignPayment& p) {
  Txn txn;
  txn.type = p.sale ? TxnType::sale : TxnType::authorization;
  txn.outcome = Outcome::approved;
  txn.status = p.sale ? TxnStatus::captured : TxnStatus::authorized;
  txn.requested = txn.authorized = p.total;
  txn.captured = p.sale ? p.total : 0;
  txn.owner = p.processor;
  txn.first6 = p.first6;
  txn.last4 = p.last4;
  txn.card_data_source = p.card_data_source;
  txn.created_by = p.client;
  txn.create_method = p.create_method;
  Txn& recorded = ledger_.record(std::move(txn));
  recorded.auth_code = approval_code(recorded.id);
  // A chip read has its own application cryptogram (sim: eight bytes from the id).
  if (p.card_data_source >= 3 && p.card_data_source <= 5) recorded.emv_ac = to_hex(from_hex(recorded.id.substr(0, 8) + recorded.id.substr(9, 4) + recorded.id.substr(14, 4)).value_or(Bytes{}));
  if (p.at) recorded.created_at = format_rfc3339(*p.at);
  ledger_.persist(recorded);
  return recorded;
}

}  // namespace tender::net::hostsim
