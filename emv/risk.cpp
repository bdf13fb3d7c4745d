#include "emv/risk.hpp"

#include "emv/tal.hpp"

namespace tender::emv {
namespace {

constexpr int kMaxRandomDraws = 64;

// GET DATA for a 2-byte counter; nullopt when the card does not return it.
Result<std::optional<std::uint16_t>> get_counter(Ttl& ttl, Tag tag) {
  auto response = get_data(ttl, tag);
  if (!response) return std::move(response).error();
  if (!response->ok()) return std::optional<std::uint16_t>{};
  auto value = parse_get_data_response(response->data, tag);
  if (!value || value->size() != 2) return std::optional<std::uint16_t>{};
  return std::optional<std::uint16_t>{static_cast<std::uint16_t>(load_be(*value))};
}

std::optional<Byte> one_byte(const TagStore& store, Tag tag) {
  const auto value = store.get(tag);
  if (!value || value->size() != 1) return std::nullopt;
  return (*value)[0];
}

}  // namespace

bool exceeds_floor_limit(std::int64_t amount, std::int64_t logged_amount, std::int64_t floor_limit) {
  return amount + logged_amount >= floor_limit;
}

bool selected_randomly(std::int64_t amount, const AidConfig& aid, unsigned random) {
  if (amount >= aid.floor_limit) return false;
  const std::int64_t threshold = aid.random_selection_threshold;
  if (amount < threshold || aid.floor_limit <= threshold) return random <= aid.target_percentage;
  // Transaction Target Percent = (Max - Target) * (Amount - Threshold) / (Floor - Threshold) + Target
  const std::int64_t span = aid.floor_limit - threshold;
  const std::int64_t rise = static_cast<std::int64_t>(aid.max_target_percentage) -
                            static_cast<std::int64_t>(aid.target_percentage);
  const std::int64_t target = rise * (amount - threshold) / span + aid.target_percentage;
  return static_cast<std::int64_t>(random) <= target;
}

unsigned random_1_to_99(RandomSource& random) {
  // 198 = 2 * 99: bytes 198..255 are drawn again so every result is equally likely.
  Byte b[1] = {0};
  for (int i = 0; i < kMaxRandomDraws; ++i) {
    random.fill(b);
    if (b[0] < 198) return b[0] % 99u + 1u;
  }
  return static_cast<unsigned>(b[0] % 99u + 1u);
}

VelocityResult check_velocity(std::optional<std::uint16_t> atc, std::optional<std::uint16_t> last_online_atc,
                              Byte lower_limit, Byte upper_limit) {
  VelocityResult result;
  if (!atc || !last_online_atc || *atc <= *last_online_atc) {
    result.lower_limit_exceeded = true;
    result.upper_limit_exceeded = true;
  } else {
    const int consecutive_offline = *atc - *last_online_atc;
    result.lower_limit_exceeded = consecutive_offline > lower_limit;
    result.upper_limit_exceeded = consecutive_offline > upper_limit;
  }
  result.new_card = last_online_atc && *last_online_atc == 0;
  return result;
}

Result<void> terminal_risk_management(Context& ctx, Ttl& ttl, RandomSource& random,
                                      std::int64_t amount_already_authorised) {
  // The merchant's choice holds whatever the card asks for.
  if (ctx.txn.merchant_forced_online) ctx.tvr.set(TvrBit::merchant_forced_transaction_online);
  if (!ctx.aip().test(AipBit::terminal_risk_management_to_be_performed)) return ok();
  const std::int64_t amount = ctx.txn.amount.minor_units();
  const std::int64_t floor_limit = ctx.aid ? ctx.aid->floor_limit : 0;

  // 10.6.1
  if (exceeds_floor_limit(amount, amount_already_authorised, floor_limit)) {
    ctx.tvr.set(TvrBit::transaction_exceeds_floor_limit);
  }
  // 10.6.2: only terminals that can go online select transactions for it.
  if (ctx.aid && online_capable(ctx.config.terminal_type) &&
      selected_randomly(amount, *ctx.aid, random_1_to_99(random))) {
    ctx.tvr.set(TvrBit::transaction_selected_randomly_for_online);
  }
  // 10.6.3: when the card gives both limits.
  const auto lower = one_byte(ctx.icc, 0x9F14);
  const auto upper = one_byte(ctx.icc, 0x9F23);
  if (ctx.config.velocity_checking && lower && upper) {
    auto atc = get_counter(ttl, 0x9F36);
    if (!atc) return std::move(atc).error();
    auto last_online = get_counter(ttl, 0x9F13);
    if (!last_online) return std::move(last_online).error();
    const VelocityResult velocity = check_velocity(*atc, *last_online, *lower, *upper);
    if (velocity.lower_limit_exceeded) ctx.tvr.set(TvrBit::lower_consecutive_offline_limit_exceeded);
    if (velocity.upper_limit_exceeded) ctx.tvr.set(TvrBit::upper_consecutive_offline_limit_exceeded);
    if (velocity.new_card) ctx.tvr.set(TvrBit::new_card);
    Byte encoded[2] = {};
    if (*atc) {
      store_be(**atc, encoded);
      ctx.icc.set(0x9F36, encoded);
    }
    if (*last_online) {
      store_be(**last_online, encoded);
      ctx.icc.set(0x9F13, encoded);
    }
  }
  ctx.tsi.set(TsiBit::terminal_risk_management_performed);
  return ok();
}

}  // namespace tender::emv
