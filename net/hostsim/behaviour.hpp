// Scripted host behaviour for tests and certification runs: chosen by the amount's cents
// (the table in README.md and kAmountBehaviours) or queued through POST /sim/behaviour.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

#include "common/result.hpp"

namespace tender::net::hostsim {

enum class Behaviour {
  approve,
  decline,             // issuer decline ("do not honor")
  partial,             // approve `partial_amount` (0: half the requested amount, rounded down)
  insufficient_funds,  // issuer decline for insufficient funds
  no_answer,           // processed and recorded, the answer is never sent
  close_connection,    // processed and recorded, the connection is closed instead of answering
  error_500,           // not processed; HTTP 500
  malformed,           // processed and recorded; the body is not JSON
  delay,               // processed; answered after `delay`
  gateway_code,        // FullStack: the gateway answers `code` (301, 421, 430...) and records the
                       // transaction declined with it; Aurora has no such codes and ignores it
  pending,             // Aurora: decided, but answered with status Pending (FullStack: approve)
};

struct Script {
  Behaviour behaviour = Behaviour::approve;
  std::int64_t partial_amount = 0;  // minor units, for Behaviour::partial
  std::chrono::milliseconds delay{0};
  int code = 0;  // Behaviour::gateway_code
  // "+twin": another client of the same account makes the same transaction (same type,
  // amount and card) at the same moment; what a recovery must never adopt (Aurora only).
  bool twin = false;
};

// Card outcomes apply only to requests that create a transaction; transport behaviours to
// any API request.
bool is_card_outcome(Behaviour b) noexcept;

// The magic-cents table: amount % 100 -> behaviour, or nothing (approve normally).
std::optional<Script> behaviour_for_amount(std::int64_t minor_units);

// "decline" | "partial:5.00" | "partial" | "insufficient_funds" | "no_answer" | "close" |
// "error_500" | "malformed" | "delay:N" (milliseconds) | "pending" | "approve" | "code:N" (0..999),
// each optionally followed by "+twin".
Result<Script> parse_behaviour(std::string_view text);

// The control endpoint's queue: the next `count` matching requests get `script`.
class BehaviourQueue {
 public:
  void set(const Script& script, int count);  // replaces what was queued; count 0 clears
  void clear() { queue_.clear(); }
  // Takes the next scripted behaviour if it applies to this request.
  std::optional<Script> take(bool creates_transaction);
  [[nodiscard]] std::size_t pending() const { return queue_.size(); }

 private:
  std::deque<Script> queue_;
};

}  // namespace tender::net::hostsim
