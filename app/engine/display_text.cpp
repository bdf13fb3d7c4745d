#include "app/engine/display_text.hpp"

#include <array>
#include <utility>

namespace tender::app {
namespace {

// The engine's reasons (conclude() and the report) by how they begin, first match wins, so a
// longer phrase sits above a shorter one it starts with. Each text fits kDisplayTextColumns.
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kReasons{{
    {"no card presented in time", "TIMED OUT"},
    {"cancelled at the card prompt", ""},
    {"cancelled at the card", "CANCELLED AT CARD"},
    {"the card could not be read", "CARD NOT READ"},
    {"the card asks for a PIN and this host", "PIN NOT SUPPORTED"},
    {"no PIN entered in time", "PIN TIMED OUT"},
    {"PIN entry cancelled", "PIN CANCELLED"},
    {"PIN pad:", "PIN PAD ERROR"},
    {"declined by the card", "CARD DECLINED"},
    {"the card declined after the host approved", "CARD DECLINED"},
    {"chip: no common application", "CARD NOT SUPPORTED"},
    {"chip:", "CHIP ERROR"},
    {"offline queue full", "OFFLINE QUEUE FULL"},
    {"journal unavailable", "STORAGE ERROR"},
    {"not sent:", "HOST NOT REACHED"},
    {"refused by the host:", "HOST REFUSED"},
    {"host unreachable and the card declined offline", "DECLINED OFFLINE"},
    {"host unreachable and above the offline limit", "HOST UNAVAILABLE"},
    {"host unreachable and the offline queue is full", "OFFLINE QUEUE FULL"},
    {"host unreachable", "HOST UNAVAILABLE"},
    {"the host approved an amount it was not asked for", "AMOUNT MISMATCH"},
    {"the host's answer was lost", "NO HOST ANSWER"},
    {"partial approval refused", "PARTIAL REFUSED"},
    {"no answer at the partial approval prompt", "TIMED OUT"},
    {"no answer at the amount prompt", "TIMED OUT"},
    {"cancelled at the amount prompt", "AMOUNT REFUSED"},
    {"a transaction is already in progress", "TERMINAL BUSY"},
    {"power lost", "POWER LOST"},
    {"engine:", "TERMINAL ERROR"},
    {"declined by the host:", "DECLINED BY ISSUER"},
}};

// When no entry matches: a word for the outcome, never the reason cut short.
constexpr std::array<std::pair<TxnOutcome, std::string_view>, 8> kOutcomes{{
    {TxnOutcome::approved, ""},
    {TxnOutcome::approved_offline, "APPROVED OFFLINE"},
    {TxnOutcome::partially_approved, "PARTIAL APPROVAL"},
    {TxnOutcome::declined, ""},
    {TxnOutcome::cancelled, ""},
    {TxnOutcome::reversed, "REVERSED"},
    {TxnOutcome::failed, "NOT COMPLETED"},
    {TxnOutcome::pending, "RESULT PENDING"},
}};

constexpr bool texts_fit() {
  for (const auto& [reason, text] : kReasons) {
    if (text.size() > kDisplayTextColumns || reason.empty()) return false;
  }
  for (const auto& [outcome, text] : kOutcomes) {
    if (text.size() > kDisplayTextColumns) return false;
  }
  return true;
}
static_assert(texts_fit(), "every display text fits the 4x20 display's row");

bool printable(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> display_reason_texts() noexcept { return kReasons; }
std::span<const std::pair<TxnOutcome, std::string_view>> display_outcome_texts() noexcept { return kOutcomes; }

std::string display_text(TxnOutcome outcome, std::string_view reason, std::string_view host_message,
                         std::string_view auth_code) {
  if ((outcome == TxnOutcome::approved || outcome == TxnOutcome::partially_approved) && !auth_code.empty()) {
    std::string text = "AUTH " + std::string(auth_code);
    if (text.size() <= kDisplayTextColumns && printable(text)) return text;
  }
  // The issuer's own words to the cardholder ("INSUFFICIENT FUNDS") when the row has room.
  if (outcome == TxnOutcome::declined && reason.starts_with("declined by the host") && !host_message.empty() &&
      host_message.size() <= kDisplayTextColumns && printable(host_message)) {
    return std::string(host_message);
  }
  for (const auto& [start, text] : kReasons) {
    if (reason.starts_with(start)) return std::string(text);
  }
  for (const auto& [o, text] : kOutcomes) {
    if (o == outcome) return std::string(text);
  }
  return {};
}

}  // namespace tender::app
