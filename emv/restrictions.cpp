#include "emv/restrictions.hpp"

#include <algorithm>

#include "emv/formats.hpp"

namespace tender::emv {
namespace {

// Which AUC bit a transaction type needs, domestic and international (Book 3 10.4.2).
// Goods and services share 9C '00': either bit allows it.
struct UsageRule {
  TransactionType type;
  AucBit domestic;
  AucBit international;
  AucBit domestic_alternative;
  AucBit international_alternative;
};

constexpr UsageRule kUsageRules[] = {
    {TransactionType::cash, AucBit::valid_for_domestic_cash, AucBit::valid_for_international_cash,
     AucBit::valid_for_domestic_cash, AucBit::valid_for_international_cash},
    {TransactionType::goods_services, AucBit::valid_for_domestic_goods,
     AucBit::valid_for_international_goods, AucBit::valid_for_domestic_services,
     AucBit::valid_for_international_services},
    {TransactionType::cashback, AucBit::valid_for_domestic_goods,
     AucBit::valid_for_international_goods, AucBit::valid_for_domestic_services,
     AucBit::valid_for_international_services},
};

}  // namespace

bool usage_allowed(const Auc& auc, TransactionType type, bool cashback, bool atm,
                   std::optional<bool> domestic) {
  if (atm ? !auc.test(AucBit::valid_at_atms) : !auc.test(AucBit::valid_at_terminals_other_than_atms)) {
    return false;
  }
  if (!domestic) return true;
  for (const UsageRule& rule : kUsageRules) {
    if (rule.type != type) continue;
    const bool allowed = *domestic
                             ? auc.test(rule.domestic) || auc.test(rule.domestic_alternative)
                             : auc.test(rule.international) || auc.test(rule.international_alternative);
    if (!allowed) return false;
  }
  if (cashback) {
    return auc.test(*domestic ? AucBit::domestic_cashback_allowed
                              : AucBit::international_cashback_allowed);
  }
  return true;
}

Result<void> processing_restrictions(Context& ctx) {
  // 10.4.1: both version numbers present and different.
  const auto card_version = ctx.icc.get(0x9F08);
  const auto terminal_version = ctx.terminal.get(0x9F09);
  if (card_version && terminal_version && !std::ranges::equal(*card_version, *terminal_version)) {
    ctx.tvr.set(TvrBit::different_application_versions);
  }

  // 10.4.2: AUC, when the card gives one.
  if (const auto auc = ctx.icc.get(0x9F07)) {
    std::optional<bool> domestic;
    if (const auto issuer_country = ctx.icc.get(0x5F28)) {
      domestic = std::ranges::equal(*issuer_country, ctx.terminal.get(0x9F1A).value_or(ByteView{}));
    }
    const bool cashback = ctx.txn.amount_other && ctx.txn.amount_other->minor_units() > 0;
    if (!usage_allowed(Auc{*auc}, ctx.txn.type, cashback, is_atm(ctx.config), domestic)) {
      ctx.tvr.set(TvrBit::requested_service_not_allowed);
    }
  }

  // 10.4.3: dates.
  const auto today = parse_yymmdd(ctx.txn.date);
  if (!today) return make_error(Errc::malformed, "transaction date is not a valid YYMMDD");
  if (const auto effective = ctx.icc.get(0x5F25)) {
    const auto date = parse_yymmdd(*effective);
    if (!date) return make_error(Errc::malformed, "Application Effective Date is not a valid date");
    if (*today < *date) ctx.tvr.set(TvrBit::application_not_yet_effective);
  }
  const auto expiration = parse_yymmdd(ctx.icc.get(0x5F24).value_or(ByteView{}));
  if (!expiration) return make_error(Errc::malformed, "Application Expiration Date is not a valid date");
  if (*today > *expiration) ctx.tvr.set(TvrBit::expired_application);
  return ok();
}

}  // namespace tender::emv
