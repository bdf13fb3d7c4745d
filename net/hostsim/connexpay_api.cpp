// ConnexPay: routing, the password-grant token, the device check and what every handler shares.
#include "net/hostsim/connexpay_api.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/connexpay_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace connexpay;

// ASP.NET routing ignores case [I]: the router compares lower-case paths (same length, so an
// offset into the lowered path is one into the original, which keeps a guid's own case).
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Form fields (application/x-www-form-urlencoded, H L34-L36), decoded as a query string is.
std::optional<std::string> form_field(const std::string& body, std::string_view name) {
  http::Request as_query;
  as_query.target = "/?" + body;
  return as_query.query_parameter(name);
}


// The GET-by-guid collections [E H L1216, L1949, L2407, L2884, L3338].
constexpr std::array<std::string_view, 5> kGetCollections = {kSales, kAuthOnlys, kCaptures, kVoid, kReturns};

}  // namespace

ConnexPayApi::ConnexPayApi(ConnexPayConfig config, Services services, Store* store)
    : config_(std::move(config)), services_(std::move(services)), ledger_(Api::connexpay, *services_.clock, store) {}

bool ConnexPayApi::serves(std::string_view path) const { return lower(path).starts_with(kBase); }

// Requests that carry an amount to decide on: sales, AuthOnlys and returns take the
// magic-cents and queued card outcomes when they know their amount.
bool ConnexPayApi::creates_transaction(const http::Request& request) const {
  if (request.method != http::Method::post) return false;
  const std::string path = lower(request.path());
  return path == kSales || path == kAuthOnlys || path == kReturns;
}

bool ConnexPayApi::takes_scripts(const http::Request& request) const {
  return lower(request.path()) != kToken && authorized(request);
}

bool ConnexPayApi::authorized(const http::Request& request) const {
  const auto header = request.header("Authorization");
  if (!header || header->size() <= kBearer.size()) return false;
  // "Bearer" is a case-insensitive scheme (RFC 9110 §11.1).
  if (lower(header->substr(0, kBearer.size())) != lower(kBearer)) return false;
  const auto it = tokens_.find(header->substr(kBearer.size()));
  return it != tokens_.end() && services_.clock->now() < it->second;
}

http::Response ConnexPayApi::server_error() { return json_response(500, Json{{"message", kServerErrorText}}); }

ApiReply ConnexPayApi::handle(const http::Request& request) {
  const std::string path = lower(request.path());
  if (path == kToken) {
    if (request.method != http::Method::post) return reply(json_response(404, Json{{"message", kNoResourceText}}));
    return token(request);
  }
  if (!authorized(request)) return reply(json_response(kUnauthorized, Json{{"message", kUnauthorizedText}}));
  return route(request, path);
}

ApiReply ConnexPayApi::route(const http::Request& request, std::string_view path) {
  const std::string_view original = request.path();
  if (request.method == http::Method::get) {
    for (const std::string_view collection : kGetCollections) {
      if (path.size() > collection.size() + 1 && path.starts_with(collection) && path[collection.size()] == '/') {
        const std::string_view guid = original.substr(collection.size() + 1);
        if (guid.find('/') == std::string_view::npos) return get(collection, guid);
      }
    }
    return reply(json_response(404, Json{{"message", kNoResourceText}}));
  }
  if (request.method != http::Method::post) return reply(json_response(404, Json{{"message", kNoResourceText}}));
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return bad_request("request", kUndecodable);
  if (path.starts_with(kSearch)) return search(path.substr(kSearch.size()), body);
  using Handler = ApiReply (ConnexPayApi::*)(const Json&);
  struct Route {
    std::string_view path;
    Handler handler;
  };
  static constexpr std::array<Route, 8> kPosts = {{
      {kSales, &ConnexPayApi::sale},
      {kAuthOnlys, &ConnexPayApi::auth_only},
      {kCaptures, &ConnexPayApi::capture},
      {kVoid, &ConnexPayApi::void_transaction},
      {kReturns, &ConnexPayApi::return_sale},
      {kTimeoutReversal, &ConnexPayApi::timeout_reversal},
      {kVerify, &ConnexPayApi::verify},
      {kBatchClose, &ConnexPayApi::batch_close},
  }};
  for (const auto& route : kPosts)
    if (route.path == path) return (this->*route.handler)(body);
  return reply(json_response(404, Json{{"message", kNoResourceText}}));
}

// POST /api/v1/token, form-encoded grant_type=password&username=..&password=.. [E H L16-L112].
ApiReply ConnexPayApi::token(const http::Request& request) {
  const auto grant = form_field(request.body, "grant_type");
  const auto user = form_field(request.body, "username");
  const auto password = form_field(request.body, "password");
  if (!grant || *grant != kGrantType) return reply(json_response(kBadRequest, Json{{"error", kUnsupportedGrant}}));
  if (!user || !password || *user != config_.username || *password != config_.password)
    return reply(json_response(kBadRequest, Json{{"error", kInvalidGrant}, {"error_description", kInvalidGrantText}}));
  const auto now = services_.clock->now();
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second <= now; });
  // [SIM] an opaque token; uuid_from never holds a run of digits a scrubber would mask.
  std::string access = "cxsim-" + uuid_from(0xC0DE0000ULL + ++token_sequence_);
  tokens_.emplace(access, now + config_.token_lifetime);
  return reply(json_response(kOk, Json{{"access_token", access},
                                       {"token_type", kTokenType},
                                       {"expires_in", config_.token_lifetime.count()}}));
}

bool ConnexPayApi::merchant_device(std::string_view guid) const {
  return guid == config_.device_guid || guid == config_.other_device_guid;
}

// "Invalid Device GUID" for a guid that does not exist at all, "No Devices were found for the
// given User/Merchant relationship" for one of a merchant the user does not administer (H
// L6311, L6316; "Any transaction endpoint"). [SIM] device guids compare case-insensitively.
Result<std::string> ConnexPayApi::device_of(const Json& body, std::optional<Rule>& refused) const {
  bool ok = true;
  const auto device = string_member(body, kDeviceGuid, ok);
  const std::string guid = device ? lower(*device) : std::string();
  for (const std::string* known : {&config_.device_guid, &config_.other_device_guid}) {
    if (!guid.empty() && guid == lower(*known)) return *known;
  }
  refused = !guid.empty() && guid == lower(config_.foreign_device_guid) ? Rule::foreign_device : Rule::invalid_device;
  return make_error(Errc::not_found, "device");
}

ApiReply ConnexPayApi::refuse(Rule rule) {
  // [SIM] errorId: V1 shows an 18-digit number; the simulator's is a GUID (no digit run a
  // terminal's log scrubber would take for a card number).
  return reply(refusal(row_of(rule), uuid_from(0xE7700000ULL + ++error_sequence_)));
}

// 400 {"message": "The request is invalid.", "modelState": {"<field>": ["<why>"]}} [E C2 key,
// shape I]: a body that does not bind (wrong JSON type, unknown enum value).
ApiReply ConnexPayApi::bad_request(std::string_view field, std::string_view why) {
  return reply(json_response(kBadRequest, Json{{"message", kInvalidRequest}, {"modelState", {{field, Json::array({why})}}}}));
}

// [SIM] A device's open batch has a guid before it closes (answers show batchGuid on open
// transactions, H L966): derived from the device and how many batches it closed. The batch
// close answer names the closed batch with its own new guid.
std::string ConnexPayApi::batch_guid(const Txn& txn) const {
  if (!txn.batch_id.empty()) return txn.batch_id;
  std::uint64_t closed = 0;
  for (const Batch* b : ledger_.batches())
    if (b->owner == txn.owner) ++closed;
  return uuid_from(fnv1a(txn.owner) ^ (0xBA7C0000ULL + closed));
}

Json ConnexPayApi::view(const Txn& txn) {
  connexpay::ViewContext ctx;
  ctx.find = [this](std::string_view id) -> const Txn* { return ledger_.find(id); };
  ctx.batch_guid = [this](const Txn& t) { return batch_guid(t); };
  return object_of(txn, ctx);
}

Result<std::string> ConnexPayApi::other_device_sale(std::int64_t amount, std::string_view pan,
                                                    std::string_view expiry_yymm, std::string_view sequence_number) {
  char order[24];
  std::snprintf(order, sizeof order, "other-%llu", static_cast<unsigned long long>(++other_sales_));
  Json body{{kDeviceGuid, config_.other_device_guid},
            {kAmount, minor_to_decimal(amount)},
            {kSequenceNumber, sequence_number},
            {kOrderNumber, order},
            {"TenderType", "Credit"},
            {"ConnexPayTransaction", {{"ExpectedPayments", 1}}},
            {"RiskData", Json::object()},
            {kCardDataSource, name_of(Source::manual)},
            {kCard, {{kCardNumber, pan}, {kExpirationDate, expiry_yymm}}}};
  const ApiReply out = sale(body);
  const Json answer = parse_object(out.response.body);
  bool ok = true;
  const auto guid = string_member(answer, "guid", ok);
  if (out.response.status != kOk || !guid)
    return make_error(Errc::invalid_argument, "the other device's sale was refused: " + out.response.body);
  return *guid;
}

}  // namespace tender::net::hostsim
