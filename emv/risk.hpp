// Terminal Risk Management, EMV 4.4 Book 3 10.6: floor limit checking (10.6.1, with the
// transaction log), random transaction selection (10.6.2, biased towards larger amounts)
// and velocity checking (10.6.3, with GET DATA for the ATC and the Last Online ATC
// Register). Sets TVR byte 4 (and "New card") and TSI "terminal risk management was
// performed".
#pragma once

#include <cstdint>
#include <optional>

#include "common/money.hpp"
#include "common/pan.hpp"
#include "common/result.hpp"
#include "emv/context.hpp"
#include "emv/terminal_config.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

// The terminal's log of recent approvals (Book 3 10.6.1): how much was already
// authorised on this PAN, for split sales. Optional: without one, only this transaction
// counts against the floor limit.
class TransactionLog {
 public:
  virtual ~TransactionLog() = default;
  virtual std::optional<Money> amount_authorised(const Pan& pan) = 0;
};

// 10.6.1: the amount (plus what the log holds for the PAN) reaches the floor limit.
[[nodiscard]] bool exceeds_floor_limit(std::int64_t amount, std::int64_t logged_amount,
                                       std::int64_t floor_limit);

// 10.6.2: `random` is 1..99. Below the threshold the transaction is selected when random
// <= Target Percentage; between threshold and floor limit the target rises linearly to
// the Maximum Target Percentage; at or above the floor limit random selection does not apply.
[[nodiscard]] bool selected_randomly(std::int64_t amount, const AidConfig& aid, unsigned random);

// A number 1..99 from the random source, uniform (rejection sampling, bounded).
unsigned random_1_to_99(RandomSource& random);

struct VelocityResult {
  bool lower_limit_exceeded = false;
  bool upper_limit_exceeded = false;
  bool new_card = false;
};

// 10.6.3 on values: nullopt ATC or Last Online ATC (not returned by GET DATA), or an ATC
// not above the register, sets both limits exceeded.
[[nodiscard]] VelocityResult check_velocity(std::optional<std::uint16_t> atc,
                                            std::optional<std::uint16_t> last_online_atc,
                                            Byte lower_limit, Byte upper_limit);

// The three checks on the context, performed when the AIP asks for terminal risk
// management. `amount_already_authorised` is what the log holds for this PAN (minor units).
// Errors: transport failures only.
Result<void> terminal_risk_management(Context& ctx, Ttl& ttl, RandomSource& random,
                                      std::int64_t amount_already_authorised = 0);

}  // namespace tender::emv
