// Aurora's read-only endpoints: transaction detail (S9), the list (S1), settlement batches and
// calculate-amount (S12).
#include <algorithm>
#include <cctype>
#include <charconv>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_api.hpp"
#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/aurora_payment.hpp"
#include "net/hostsim/aurora_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace aurora;

// sim: pageSize defaults to 20 (IOS: "Default is typically 10 or 20" on other lists).
constexpr std::int64_t kDefaultPageSize = 20;
constexpr std::int64_t kMaxPageSize = 100;  // IOS TransactionFilters.pageSize "between 1 and 100"

// A query parameter as an integer in [lo, hi]; nullopt when absent, `bad` when present and not.
std::optional<std::int64_t> query_int(const http::Request& request, std::string_view name, std::int64_t lo,
                                      std::int64_t hi, bool& bad) {
  const auto text = request.query_parameter(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi) {
    bad = true;
    return std::nullopt;
  }
  return value;
}

std::optional<bool> query_bool(const http::Request& request, std::string_view name, bool& bad) {
  auto text = request.query_parameter(name);
  if (!text) return std::nullopt;
  std::string lower;
  for (char c : *text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true") return true;
  if (lower == "false") return false;
  bad = true;
  return std::nullopt;
}

// 8-4-4-4-12 hexadecimal (the UUID format createdById and batchId must have, IOS swiftdoc).
bool uuid_format(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_date_order(const std::optional<std::string>& order_by) {
  if (!order_by) return true;
  std::string lower;
  for (char c : *order_by) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "date";
}

}  // namespace

ApiReply AuroraApi::get(std::string_view id) {
  const auto found = ledger_.select([&](const Txn& t) { return t.id == id; });
  if (found.empty()) return error(404, kNotFoundMessage);
  return reply(200, detail(*found.front()));
}

// The list (IOS L21702-21712): page, pageSize, asc, orderBy, createMethodId, createdById,
// batchId, noBatch, and nothing else: any other parameter (referenceId, status, a date) is
// ignored, as an ASP.NET model binder ignores what it does not bind. page is zero-based (IOS
// TransactionFilters: "First page is 0"). sim: newest first unless asc=true; orderBy "date"
// (the SDK's own example) is the only order, another is refused; `total` counts every match.
ApiReply AuroraApi::list(const http::Request& request) {
  bool bad = false;
  const auto page = query_int(request, "page", 0, 1'000'000, bad);
  const auto size = query_int(request, "pageSize", 1, kMaxPageSize, bad);
  const auto asc = query_bool(request, "asc", bad);
  const auto no_batch = query_bool(request, "noBatch", bad);
  const auto method = query_int(request, "createMethodId", 1, kCreateMethodMax, bad);
  if (bad) return error(400, "page must be >= 0, pageSize 1..100, asc and noBatch true or false, createMethodId 1..9");
  const auto created_by = request.query_parameter("createdById");
  const auto batch = request.query_parameter("batchId");
  if ((created_by && !uuid_format(*created_by)) || (batch && !uuid_format(*batch)))
    return error(400, "createdById and batchId must be UUIDs");
  if (!is_date_order(request.query_parameter("orderBy"))) return error(400, "orderBy must be date");
  auto matches = ledger_.select([&](const Txn& t) {
    if (no_batch.value_or(false) && !t.batch_id.empty()) return false;
    if (batch && t.batch_id != *batch) return false;
    if (method && t.create_method != *method) return false;
    return !created_by || client_uuid(t.created_by) == *created_by;
  });
  // By date, then by creation (the ledger's order) among equal dates.
  std::stable_sort(matches.begin(), matches.end(), [](const Txn* a, const Txn* b) { return a->created_at < b->created_at; });
  if (!asc.value_or(false)) std::reverse(matches.begin(), matches.end());
  Json items = Json::array();
  const auto per_page = static_cast<std::size_t>(size.value_or(kDefaultPageSize));
  const auto first = static_cast<std::size_t>(page.value_or(0)) * per_page;
  for (std::size_t i = first; i < matches.size() && i < first + per_page; ++i) items.push_back(list_item(*matches[i]));
  return reply(200, Json{{"items", std::move(items)}, {"total", matches.size()}});
}

// Settlement batches (IOS L20604-20616): page is 1-based ("Page number (1-based)"), pageSize,
// orderBy, asc, dateFrom, dateTo, batchIds, paymentProcessorIds, statusId. sim: only settled
// batches are listed (the open batch is not a record); batchIds and paymentProcessorIds take
// one value or a comma-separated list; a date-only dateTo includes its whole day.
ApiReply AuroraApi::batches(const http::Request& request) {
  bool bad = false;
  const auto page = query_int(request, "page", 1, 1'000'000, bad);
  const auto size = query_int(request, "pageSize", 1, kMaxPageSize, bad);
  const auto asc = query_bool(request, "asc", bad);
  const auto status = query_int(request, "statusId", 1, 2, bad);
  if (bad) return error(400, "page must be >= 1, pageSize 1..100, asc true or false, statusId 1 or 2");
  if (!is_date_order(request.query_parameter("orderBy"))) return error(400, "orderBy must be date");
  const auto from = request.query_parameter("dateFrom");
  auto to = request.query_parameter("dateTo");
  if (to && to->size() == 10) *to += "T23:59:59.9999999Z";
  const auto listed = [](const std::optional<std::string>& filter, const std::string& value) {
    if (!filter) return true;
    std::string_view rest = *filter;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (rest.substr(0, comma) == value) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return false;
  };
  const auto ids = request.query_parameter("batchIds");
  const auto processors = request.query_parameter("paymentProcessorIds");
  std::vector<const Batch*> found;
  for (const Batch* b : ledger_.batches()) {
    if (status && *status != kBatchSettled.id) continue;
    if ((from && b->created_at < *from) || (to && b->created_at > *to)) continue;
    if (!listed(ids, b->id) || !listed(processors, b->owner)) continue;
    found.push_back(b);
  }
  if (!asc.value_or(false)) std::reverse(found.begin(), found.end());
  Json items = Json::array();
  const auto per_page = static_cast<std::size_t>(size.value_or(kDefaultPageSize));
  const auto first = static_cast<std::size_t>(page.value_or(1) - 1) * per_page;
  for (std::size_t i = first; i < found.size() && i < first + per_page; ++i) {
    std::int64_t sales = 0, refunds = 0;
    for (const Txn* t : ledger_.select([&](const Txn& x) { return x.batch_id == found[i]->id; }))
      (t->type == TxnType::refund || t->type == TxnType::credit ? refunds : sales) += t->settled;
    items.push_back(batch_item(*found[i], sales, refunds));
  }
  return reply(200, Json{{"items", std::move(items)}, {"total", found.size()}});
}

// calculate-amount (IOS L23371-23381): query amount, percentageOffRate, surchargeRate,
// tipAmount, tipRate, currencyId, useCardPrice. sim: amount is required; the surcharge applies
// to credit cards only (never cash, debit or ACH), after the percentage off; no tax; no
// merchant default rate (a missing surchargeRate is none).
ApiReply AuroraApi::calculate(const http::Request& request) {
  const auto amount_text = request.query_parameter("amount");
  if (!amount_text) return invalid("Amount", "The Amount field is required.");
  auto amount = decimal_text_to_minor(*amount_text);
  if (!amount) return invalid("Amount", "The value is not valid for Amount.");
  std::int64_t tip = 0, off_rate = 0, surcharge_rate = 0;
  struct Field {
    std::string_view name;
    unsigned decimals;
    std::int64_t* target;
  };
  const std::array<Field, 3> fields = {{{"tipAmount", 2, &tip},
                                        {"percentageOffRate", kRateDecimals, &off_rate},
                                        {"surchargeRate", kRateDecimals, &surcharge_rate}}};
  for (const auto& f : fields) {
    const auto text = request.query_parameter(f.name);
    if (!text) continue;
    auto value = decimal_text_to_minor(*text, f.decimals);
    if (!value) return invalid(f.name, "The value is not valid.");
    *f.target = *value;
  }
  if (const auto currency = request.query_parameter("currencyId"); currency && *currency != "1")
    return invalid("CurrencyId", "The value is not valid for CurrencyId.");
  if (off_rate > kRateScale || surcharge_rate > kRateScale) return invalid("Rate", "A rate must be at most 100.");
  const std::int64_t off = apply_rate(*amount, off_rate, kRateScale);
  const std::int64_t surcharge = apply_rate(*amount - off, surcharge_rate, kRateScale);
  const auto breakdown = [&](std::int64_t s, std::int64_t rate) {
    return Json{{"baseAmount", minor_to_decimal(*amount)},
                {"percentageOffAmount", minor_to_decimal(off)},
                {"percentageOffRate", minor_to_decimal(off_rate, kRateDecimals)},
                {"cashDiscountAmount", 0},
                {"cashDiscountRate", 0},
                {"surchargeAmount", minor_to_decimal(s)},
                {"surchargeRate", minor_to_decimal(rate, kRateDecimals)},
                {"tipAmount", minor_to_decimal(tip)},
                {"tipRate", 0},
                {"taxAmount", 0},
                {"taxRate", 0},
                {"totalAmount", minor_to_decimal(*amount - off + s + tip)}};
  };
  const bool surcharging = surcharge > 0;
  // zeroCostProcessingOptionId (IOS ZeroCostProcessingOptionDto: 1 None, 2 CashDiscount,
  // 3 DualPricing, 4 Surcharge).
  return reply(200, Json{{"currencyId", kUsdCurrencyId},
                         {"currency", "USD"},
                         {"zeroCostProcessingOptionId", surcharging ? 4 : 1},
                         {"zeroCostProcessingOption", surcharging ? "Surcharge" : "None"},
                         {"useCardPrice", nullptr},
                         {"cash", breakdown(0, 0)},
                         {"creditCard", breakdown(surcharge, surcharge_rate)},
                         {"debitCard", breakdown(0, 0)},
                         {"ach", breakdown(0, 0)}});
}

}  // namespace tender::net::hostsim
