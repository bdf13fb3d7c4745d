// ConnexPay: GET one record by guid, and Search/{Sales,AuthOnlys,Returns,Captures,Voids}.
#include <array>
#include <charconv>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/connexpay_api.hpp"
#include "net/hostsim/connexpay_request.hpp"
#include "net/hostsim/connexpay_views.hpp"
#include "net/hostsim/decision.hpp"

namespace tender::net::hostsim {
namespace {

using namespace connexpay;

// GET /api/v1/{collection}/{guid}: the record types each collection holds.
struct Collection {
  std::string_view path;
  TxnType type;
};
constexpr std::array<Collection, 5> kCollections = {{
    {kSales, TxnType::sale},
    {kAuthOnlys, TxnType::authorization},
    {kCaptures, TxnType::capture},
    {kVoid, TxnType::void_record},
    {kReturns, TxnType::refund},
}};

std::optional<std::int64_t> positive(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

// "{entity}/{exportable}[/{page}[/{size}]]" -> its segments.
std::vector<std::string_view> segments(std::string_view rest) {
  std::vector<std::string_view> out;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

// [SIM] an unknown guid, or one of another kind: 422 "Unable to reach entity" (H L6465 "You
// sent an invalid Guid", Any get endpoint; its status is not documented).
ApiReply ConnexPayApi::get(std::string_view collection, std::string_view guid) {
  const Txn* txn = ledger_.find(guid);
  for (const Collection& c : kCollections)
    if (c.path == collection && txn != nullptr && txn->type == c.type) return {json_response(kOk, view(*txn)), {}};
  return refuse(Rule::not_found);
}

// POST /api/v1/Search/{Entity}/{exportable}[/{pageNumber}[/{pageSize}]] [E H L4692-L5772]:
// MerchantGuid mandatory; the filters served are OrderNumber, AmountFrom/To, TimeStampFrom/To
// and Status ([SIM] the others are accepted and ignored, as C2 reports of the real host).
// [SIM] in creation order; AmountFrom/To compare the amount shown, inclusive; a date-only
// TimeStampTo includes its day. Answers {count (all matches), ret (the page)}.
ApiReply ConnexPayApi::search(std::string_view rest, const Json& body) {
  const auto parts = segments(rest);
  const SearchEntity* entity = nullptr;
  for (const SearchEntity& e : kSearchEntities)
    if (!parts.empty() && parts[0] == e.name) entity = &e;
  if (entity == nullptr || parts.size() < 2 || parts.size() > 4)
    return {json_response(404, Json{{"message", kNoResourceText}}), {}};
  if (parts[1] != "true" && parts[1] != "false") return bad_request("exportable", "The value is not valid.");
  const auto page = parts.size() > 2 ? positive(parts[2]) : std::optional<std::int64_t>{1};
  const auto size = parts.size() > 3 ? positive(parts[3]) : std::optional<std::int64_t>{kDefaultPageSize};
  // [SIM] bounds (the document gives defaults only): a page beyond a million is no page.
  constexpr std::int64_t kMaxPage = 1'000'000;
  if (!page || !size || *page > kMaxPage || *size > kMaxPage) return bad_request("pageNumber", "The value is not valid.");
  bool ok = true;
  const auto merchant = string_member(body, kMerchantGuid, ok);
  const auto order = string_member(body, kOrderNumber, ok);
  const auto guid = string_member(body, kSearchGuid, ok);
  const auto from = string_member(body, kTimeStampFrom, ok);
  const auto to = string_member(body, kTimeStampTo, ok);
  const auto status = string_member(body, kStatus, ok);
  if (!ok) return bad_request("request", kUndecodable);
  if (!merchant) return bad_request(kMerchantGuid, "The MerchantGuid field is required.");
  if (*merchant != config_.merchant_guid) return refuse(Rule::merchant_unknown);
  const auto amount_from = amount_member(body, kAmountFrom);
  const auto amount_to = amount_member(body, kAmountTo);
  if (!amount_from || !amount_to) return bad_request(!amount_from ? kAmountFrom : kAmountTo, "Could not convert to decimal.");
  const auto matches = ledger_.select([&](const Txn& t) {
    if (t.type != entity->type || !merchant_device(t.owner)) return false;
    const std::int64_t amount = shown_amount(t);
    if (order && t.reference != *order) return false;
    if (guid && t.id != *guid) return false;
    if (*amount_from && amount < **amount_from) return false;
    if (*amount_to && amount > **amount_to) return false;
    if (from && t.created_at < *from) return false;
    if (to && t.created_at.substr(0, to->size()) > *to) return false;
    if (status && status_text(t) != *status) return false;
    return true;
  });
  if (matches.empty()) return refuse(Rule::no_result);
  Json ret = Json::array();
  const auto first = static_cast<std::size_t>((*page - 1) * *size);
  for (std::size_t i = first; i < matches.size() && i < first + static_cast<std::size_t>(*size); ++i)
    ret.push_back(search_row(*matches[i]));
  return {json_response(kOk, Json{{"count", matches.size()}, {"ret", std::move(ret)}}), {}};
}

Json ConnexPayApi::search_row(const Txn& t) {
  Json row = view(t);
  if (t.type != TxnType::authorization) return row;
  // The auth keeps its new sale's id (related_id); the sale keeps its capture's.
  const Txn* sale = t.related_id.empty() ? nullptr : ledger_.find(t.related_id);
  row[std::string(kRelatedCapture)] = sale != nullptr && !sale->related_id.empty() ? Json(sale->related_id) : Json(nullptr);
  const auto voids = ledger_.select([&](const Txn& v) { return v.type == TxnType::void_record && v.parent_id == t.id; });
  row[std::string(kRelatedVoid)] = voids.empty() ? Json(nullptr) : Json(voids.front()->id);
  return row;
}

}  // namespace tender::net::hostsim
