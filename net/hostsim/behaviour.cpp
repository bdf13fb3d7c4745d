#include "net/hostsim/behaviour.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "net/hostsim/amounts.hpp"

namespace tender::net::hostsim {
namespace {

using namespace std::chrono_literals;

// The magic cents (README.md, "Scripted behaviour"). Chosen in .51–.58 so that none of the
// documents' own example amounts (123.45, 10.10, 11.12) triggers one.
struct AmountRow {
  std::int64_t cents;
  Script script;
};
const std::array<AmountRow, 8> kAmountBehaviours = {{
    {51, {Behaviour::decline, 0, 0ms}},
    {52, {Behaviour::partial, 0, 0ms}},
    {53, {Behaviour::insufficient_funds, 0, 0ms}},
    {54, {Behaviour::no_answer, 0, 0ms}},
    {55, {Behaviour::close_connection, 0, 0ms}},
    {56, {Behaviour::error_500, 0, 0ms}},
    {57, {Behaviour::malformed, 0, 0ms}},
    {58, {Behaviour::delay, 0, 2000ms}},
}};

constexpr std::array<std::pair<std::string_view, Behaviour>, 12> kNames = {{
    {"approve", Behaviour::approve},
    {"decline", Behaviour::decline},
    {"partial", Behaviour::partial},
    {"insufficient_funds", Behaviour::insufficient_funds},
    {"no_answer", Behaviour::no_answer},
    {"close", Behaviour::close_connection},
    {"close_connection", Behaviour::close_connection},
    {"error_500", Behaviour::error_500},
    {"malformed", Behaviour::malformed},
    {"delay", Behaviour::delay},
    {"code", Behaviour::gateway_code},
    {"pending", Behaviour::pending},
}};
constexpr std::string_view kTwin = "+twin";

constexpr std::int64_t kMaxDelayMs = 600'000;
constexpr int kMaxCode = 999;

// A whole number within [0, max], all of `text`.
std::optional<std::int64_t> bounded(std::string_view text, std::int64_t max) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < 0 || n > max) return std::nullopt;
  return n;
}

}  // namespace

bool is_card_outcome(Behaviour b) noexcept {
  return b == Behaviour::approve || b == Behaviour::decline || b == Behaviour::partial ||
         b == Behaviour::insufficient_funds || b == Behaviour::gateway_code || b == Behaviour::pending;
}

std::optional<Script> behaviour_for_amount(std::int64_t minor_units) {
  for (const auto& row : kAmountBehaviours)
    if (minor_units % 100 == row.cents) return row.script;
  return std::nullopt;
}

Result<Script> parse_behaviour(std::string_view text) {
  const bool twin = text.ends_with(kTwin);
  if (twin) text.remove_suffix(kTwin.size());
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const std::string_view argument = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  for (const auto& [key, behaviour] : kNames) {
    if (key != name) continue;
    Script script{behaviour, 0, std::chrono::milliseconds{0}, 0, twin};
    if (behaviour == Behaviour::partial && !argument.empty()) {
      auto amount = decimal_text_to_minor(argument);
      if (!amount) return make_error(Errc::malformed, "partial:AMOUNT needs a decimal amount like 5.00");
      script.partial_amount = *amount;
    } else if (behaviour == Behaviour::delay) {
      const auto ms = bounded(argument, kMaxDelayMs);
      if (!ms) return make_error(Errc::malformed, "delay:N needs N milliseconds, 0..600000");
      script.delay = std::chrono::milliseconds{*ms};
    } else if (behaviour == Behaviour::gateway_code) {
      const auto code = bounded(argument, kMaxCode);
      if (!code) return make_error(Errc::malformed, "code:N needs a gateway response code, 0..999");
      script.code = static_cast<int>(*code);
    } else if (!argument.empty()) {
      return make_error(Errc::malformed, "this behaviour takes no argument");
    }
    return script;
  }
  return make_error(Errc::malformed, "unknown behaviour");
}

void BehaviourQueue::set(const Script& script, int count) {
  queue_.clear();
  for (int i = 0; i < count; ++i) queue_.push_back(script);
}

std::optional<Script> BehaviourQueue::take(bool creates_transaction) {
  if (queue_.empty()) return std::nullopt;
  if (is_card_outcome(queue_.front().behaviour) && !creates_transaction) return std::nullopt;
  Script s = queue_.front();
  queue_.pop_front();
  return s;
}

}  // namespace tender::net::hostsim
