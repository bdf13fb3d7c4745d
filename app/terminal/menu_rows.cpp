#include "app/terminal/menu_rows.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace tender::app {
namespace {

constexpr std::array kShortKinds{
    std::pair{TxnKind::sale, "SALE"},    std::pair{TxnKind::preauth, "AUTH"},   std::pair{TxnKind::capture, "CAPT"},
    std::pair{TxnKind::void_, "VOID"},   std::pair{TxnKind::refund, "RFND"},    std::pair{TxnKind::tip_adjust, "TIP"},
    std::pair{TxnKind::verify, "VRFY"},
};

constexpr std::array kStateWords{
    std::pair{TxnState::created, "OPEN"},          std::pair{TxnState::sent, "SENT"},
    std::pair{TxnState::approved, "APPROVED"},     std::pair{TxnState::completed, "APPROVED"},
    std::pair{TxnState::declined, "DECLINED"},     std::pair{TxnState::failed, "FAILED"},
    std::pair{TxnState::cancelled, "CANCELLED"},   std::pair{TxnState::reversal_pending, "TO REVERSE"},
    std::pair{TxnState::reversed, "REVERSED"},     std::pair{TxnState::offline_approved, "OFFLINE"},
    std::pair{TxnState::forwarded, "FORWARDED"},   std::pair{TxnState::forward_declined, "FWD DECLINED"},
    std::pair{TxnState::in_doubt, "IN DOUBT"},
};

// What each function picks from: the kinds, and whether only the open batch.
struct PickRule {
  MenuAction action;
  std::array<TxnKind, 2> kinds;
  bool open_batch_only;
};
constexpr std::array kPickRules{
    PickRule{MenuAction::void_, {TxnKind::sale, TxnKind::preauth}, true},
    PickRule{MenuAction::refund, {TxnKind::sale, TxnKind::capture}, false},
    PickRule{MenuAction::capture, {TxnKind::preauth, TxnKind::preauth}, false},
    PickRule{MenuAction::tip_adjust, {TxnKind::sale, TxnKind::sale}, true},
};

bool stands(TxnState state) {
  return state == TxnState::completed || state == TxnState::forwarded || state == TxnState::offline_approved;
}

std::string last_four(const std::string& masked) {
  return masked.size() >= 4 ? "*" + masked.substr(masked.size() - 4) : std::string{};
}

}  // namespace

Result<std::vector<JournalEntry>> pickable_rows(const Journal& journal, MenuAction action) {
  const auto rule = std::find_if(kPickRules.begin(), kPickRules.end(), [&](const PickRule& r) { return r.action == action; });
  if (rule == kPickRules.end()) return make_error(Errc::invalid_argument, "menu: nothing to pick for this function");
  auto rows = journal.list(0);
  if (!rows) return std::move(rows).error();
  // What follow-ons have done already: a voided row is gone, a captured pre-authorization
  // cannot be captured again (refunds and tip adjusts may repeat; the host decides).
  std::set<std::string> voided;
  std::set<std::string> captured;
  for (const JournalEntry& row : *rows) {
    if (row.original_reference.empty() || !stands(row.state)) continue;
    if (row.kind == TxnKind::void_) voided.insert(row.original_reference);
    if (row.kind == TxnKind::capture) captured.insert(row.original_reference);
  }
  std::vector<JournalEntry> out;
  for (const JournalEntry& row : *rows) {
    if (std::find(rule->kinds.begin(), rule->kinds.end(), row.kind) == rule->kinds.end()) continue;
    if (!stands(row.state) || voided.contains(row.reference_id)) continue;
    if (rule->open_batch_only && !row.batch.empty()) continue;
    if (action == MenuAction::capture && captured.contains(row.reference_id)) continue;
    // Only a row the host knows can be acted on there (an offline sale after forwarding).
    if (row.state == TxnState::offline_approved) continue;
    out.push_back(row);
  }
  return out;
}

Result<std::vector<JournalEntry>> queue_rows(const Journal& journal) {
  auto items = journal.queue();
  if (!items) return std::move(items).error();
  std::vector<JournalEntry> out;
  for (const QueueItem& item : *items) {
    auto row = journal.find(item.reference_id);
    if (row && *row) out.push_back(**row);
  }
  return out;
}

std::optional<JournalEntry> last_receipt_row(const Journal& journal) {
  auto rows = journal.list(0);
  if (!rows) return std::nullopt;
  for (const JournalEntry& row : *rows) {
    // The engine prints at a transaction's end unless nothing was sent or it was cancelled.
    if (row.state == TxnState::cancelled || row.state == TxnState::failed || row.state == TxnState::created ||
        row.state == TxnState::sent)
      continue;
    return row;
  }
  return std::nullopt;
}

std::string row_item(const JournalEntry& row) {
  std::string kind = "?";
  for (const auto& [k, word] : kShortKinds) {
    if (k == row.kind) kind = word;
  }
  std::string state;
  for (const auto& [s, word] : kStateWords) {
    if (s == row.state) state = word;
  }
  std::string item = kind + " " + row.approved_amount.value_or(row.amount).format();
  if (const std::string four = last_four(row.masked_pan); !four.empty()) item += " " + four;
  return item + " " + state;
}

std::string row_headline(const JournalEntry& row) {
  std::string kind(to_string(row.kind));
  std::string state;
  for (const auto& [s, word] : kStateWords) {
    if (s == row.state) state = word;
  }
  for (char& c : kind) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  std::replace(kind.begin(), kind.end(), '_', ' ');
  return kind + " " + state;
}

}  // namespace tender::app
