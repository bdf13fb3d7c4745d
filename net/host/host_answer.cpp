#include "net/host/host_answer.hpp"

#include <string>

#include "common/log.hpp"
#include "common/pan.hpp"

namespace tender::net::host {
namespace {

bool alnum(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Printable ASCII only (receipts and ESC/POS take nothing else), scrubbed, bounded.
std::string clean_text(std::string_view text, std::size_t limit) {
  std::string printable;
  printable.reserve(std::min(text.size(), limit * 2));
  for (char c : text) {
    if (printable.size() >= limit * 2) break;  // bound the scrubber's work too
    const auto u = static_cast<unsigned char>(c);
    printable += (u >= 0x20 && u < 0x7F) ? c : ' ';
  }
  std::string scrubbed = log::scrub(printable);
  if (scrubbed.size() > limit) scrubbed.resize(limit);
  return scrubbed;
}

// A PAN hidden in an id: a maximal run of 13-19 digits (dashes between digits ignored) that
// passes Luhn. The log scrubber is stricter (any 12+ digit run) and would take host UUIDs
// such as "...-8955-0123..." for card numbers; an id is either kept whole or dropped, since
// a partly masked id would name another transaction.
bool carries_pan(std::string_view text) {
  std::string digits;
  const auto check = [&] {
    const bool pan = digits.size() >= 13 && digits.size() <= 19 && luhn_valid(digits);
    digits.clear();
    return pan;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '-' && !digits.empty() && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
      continue;
    } else if (check()) {
      return true;
    }
  }
  return check();
}

bool shaped(std::string_view text, std::size_t limit, bool (*allowed)(char)) {
  if (text.empty() || text.size() > limit) return false;
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return !carries_pan(text);
}

bool id_char(char c) noexcept { return alnum(c) || c == '-' || c == '_' || c == '.' || c == ':'; }
bool code_char(char c) noexcept { return alnum(c) || c == '-' || c == '_' || c == '.' || c == ' '; }
bool auth_char(char c) noexcept { return alnum(c); }

void keep_if(std::string& field, std::size_t limit, bool (*allowed)(char), std::string_view name, std::string& dropped) {
  if (field.empty() || shaped(field, limit, allowed)) return;
  field.clear();
  if (!dropped.empty()) dropped += ", ";
  dropped += name;
}

}  // namespace

std::string sanitize(HostResult& result) {
  std::string dropped;
  keep_if(result.auth_code, kMaxAuthCode, auth_char, "auth code", dropped);
  keep_if(result.host_reference, kMaxHostId, id_char, "host reference", dropped);
  keep_if(result.trace_id, kMaxHostId, id_char, "trace id", dropped);
  keep_if(result.response_code, 16, code_char, "response code", dropped);
  result.response_message = clean_text(result.response_message, kMaxHostMessage);
  return dropped;
}

ApprovalCheck check_approved_amount(const Money& requested, const std::optional<Money>& approved) noexcept {
  if (!approved) return ApprovalCheck::full;
  if (!(approved->currency() == requested.currency())) return ApprovalCheck::host_error;
  if (approved->minor_units() <= 0) return ApprovalCheck::host_error;
  if (approved->minor_units() > requested.minor_units()) return ApprovalCheck::host_error;
  if (approved->minor_units() < requested.minor_units()) return ApprovalCheck::partial;
  return ApprovalCheck::full;
}

}  // namespace tender::net::host
