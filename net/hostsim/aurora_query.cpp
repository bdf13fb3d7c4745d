// Aurora's read-only endpoints: list with paging (S1) and calculate-amount (S12).
#include <algorithm>
#include <charconv>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_api.hpp"
#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/aurora_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace aurora;

// Paging (Appendix A's query names). Decided: page is 1-based, pageSize 1..100 (default 20),
// asc=true (default) is creation order; `total` counts every match, not just the page.
constexpr std::int64_t kDefaultPageSize = 20;
constexpr std::int64_t kMaxPageSize = 100;

ApiReply reply(int status, const Json& body) { return {json_response(status, body), {}}; }

std::optional<std::int64_t> query_int(const http::Request& request, std::string_view name, std::int64_t fallback,
                                      std::int64_t lo, std::int64_t hi) {
  const auto text = request.query_parameter(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi)
    return std::nullopt;
  return value;
}

// Rates as decimal percent ("3", "3.5"), kept in thousandths of a percent.
constexpr unsigned kRateDecimals = 3;
constexpr std::int64_t kRateScale = 100'000;  // 100 % in thousandths

struct Breakdown {
  std::int64_t base = 0, off = 0, off_rate = 0, surcharge = 0, surcharge_rate = 0, tip = 0;
  [[nodiscard]] Json json() const {
    return Json{{"baseAmount", minor_to_decimal(base)},
                {"percentageOffAmount", minor_to_decimal(off)},
                {"percentageOffRate", minor_to_decimal(off_rate, kRateDecimals)},
                {"cashDiscountAmount", 0},
                {"cashDiscountRate", 0},
                {"surchargeAmount", minor_to_decimal(surcharge)},
                {"surchargeRate", minor_to_decimal(surcharge_rate, kRateDecimals)},
                {"tipAmount", minor_to_decimal(tip)},
                {"tipRate", 0},
                {"taxAmount", 0},
                {"taxRate", 0},
                {"totalAmount", minor_to_decimal(base - off + surcharge + tip)}};
  }
};

}  // namespace

ApiReply AuroraApi::list(const http::Request& request) const {
  const auto page = query_int(request, "page", 1, 1, 1'000'000);
  const auto size = query_int(request, "pageSize", kDefaultPageSize, 1, kMaxPageSize);
  if (!page || !size) return reply(400, error_body(400, "page must be >= 1 and pageSize 1..100"));
  const auto asc = request.query_parameter("asc");
  const auto batch = request.query_parameter("batchId");
  const bool no_batch = request.query_parameter("noBatch").value_or("false") == "true";
  // referenceId: the terminal's recovery lookup (net/aurora/aurora_api.hpp).
  const auto reference = request.query_parameter("referenceId");
  auto matches = ledger_.select([&](const Txn& t) {
    if (reference && t.reference != *reference) return false;
    if (no_batch && !t.batch_id.empty()) return false;
    return !batch || t.batch_id == *batch;
  });
  if (asc && *asc == "false") std::reverse(matches.begin(), matches.end());
  Json items = Json::array();
  const auto first = static_cast<std::size_t>((*page - 1) * *size);
  for (std::size_t i = first; i < matches.size() && i < first + static_cast<std::size_t>(*size); ++i)
    items.push_back(list_item(*matches[i]));
  return reply(200, Json{{"items", std::move(items)}, {"total", matches.size()}});
}

// Inputs are not in the document. Decided: query amount (required), tipAmount,
// percentageOffRate and surchargeRate (percent). The surcharge applies to credit cards
// only (never to cash, debit or ACH), after the percentage off; no tax.
ApiReply AuroraApi::calculate(const http::Request& request) const {
  const auto amount_text = request.query_parameter("amount");
  if (!amount_text) return reply(400, error_body(400, "Amount is required"));
  auto amount = decimal_text_to_minor(*amount_text);
  if (!amount) return reply(400, error_body(400, "Amount must be a decimal number"));
  Breakdown cash;
  cash.base = *amount;
  struct Field {
    std::string_view name;
    unsigned decimals;
    std::int64_t* target;
  };
  const std::array<Field, 3> fields = {{{"tipAmount", 2, &cash.tip},
                                        {"percentageOffRate", kRateDecimals, &cash.off_rate},
                                        {"surchargeRate", kRateDecimals, &cash.surcharge_rate}}};
  for (const auto& f : fields) {
    const auto text = request.query_parameter(f.name);
    if (!text) continue;
    auto value = decimal_text_to_minor(*text, f.decimals);
    if (!value) return reply(400, error_body(400, std::string(f.name) + " must be a decimal number"));
    *f.target = *value;
  }
  if (cash.off_rate > kRateScale) return reply(400, error_body(400, "percentageOffRate must be at most 100"));
  const std::int64_t surcharge_rate = cash.surcharge_rate;
  cash.off = apply_rate(cash.base, cash.off_rate, kRateScale);
  cash.surcharge_rate = 0;
  Breakdown credit = cash;
  credit.surcharge_rate = surcharge_rate;
  credit.surcharge = apply_rate(cash.base - cash.off, surcharge_rate, kRateScale);
  const bool surcharging = credit.surcharge > 0;
  return reply(200, Json{{"currencyId", kUsdCurrencyId},
                         {"currency", "USD"},
                         {"zeroCostProcessingOptionId", surcharging ? 3 : 0},
                         {"zeroCostProcessingOption", surcharging ? "Surcharge" : "None"},
                         {"useCardPrice", surcharging},
                         {"cash", cash.json()},
                         {"creditCard", credit.json()},
                         {"debitCard", cash.json()},
                         {"ach", cash.json()}});
}

}  // namespace tender::net::hostsim
