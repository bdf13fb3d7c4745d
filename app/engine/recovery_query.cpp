// What the engine tells a host adapter's recovery about a row whose answer was lost.
#include "app/engine/engine_impl.hpp"

namespace tender::app {

host::Operation operation_of(TxnKind kind) noexcept {
  static constexpr std::array<std::pair<TxnKind, host::Operation>, 7> kOperations{{
      {TxnKind::sale, host::Operation::sale},
      {TxnKind::preauth, host::Operation::authorize},
      {TxnKind::verify, host::Operation::verify},
      {TxnKind::capture, host::Operation::capture},
      {TxnKind::void_, host::Operation::void_},
      {TxnKind::refund, host::Operation::refund},
      {TxnKind::tip_adjust, host::Operation::tip_adjust},
  }};
  for (const auto& [k, op] : kOperations) {
    if (k == kind) return op;
  }
  return host::Operation::sale;
}

JournalEntry follow_on_target(const Journal& journal, JournalEntry original, TxnKind kind) {
  if (original.kind != TxnKind::preauth || kind == TxnKind::capture) return original;
  auto rows = journal.list(0);
  if (!rows) return original;
  for (const auto& row : *rows) {
    if (row.kind == TxnKind::capture && row.original_reference == original.reference_id &&
        row.state == TxnState::completed && !row.host_reference.empty()) {
      original.host_reference = row.host_reference;
      original.approved_amount = row.approved_amount.value_or(row.amount);
      original.batch = row.batch;
      break;
    }
  }
  return original;
}

host::RecoveryQuery recovery_query(const Journal& journal, const JournalEntry& entry,
                                   const std::optional<JournalEntry>& original,
                                   std::optional<host::AuthorizationRequest> request) {
  host::RecoveryQuery q;
  q.operation = operation_of(entry.kind);
  q.reference_id = entry.reference_id;
  q.first_sent_unix = entry.created_unix;
  q.last_sent_unix = entry.sent_unix != 0 ? entry.sent_unix : entry.created_unix;
  q.request = std::move(request);
  if (original) {
    q.original_host_reference = original->host_reference;
    q.original_amount = original->approved_amount.value_or(original->amount);
    // What was asked of the original: the capture/refund amount, or the tip.
    q.amount = entry.kind == TxnKind::tip_adjust ? entry.tip : std::optional<Money>{entry.amount};
  } else if (!q.request) {
    q.amount = entry.amount;
  }
  // The terminal's own recent transactions at the host: never this request. Refunds of the
  // same original already done tell a recovery what the host's refunded total was before.
  constexpr std::size_t kRecentRows = 1000;
  if (auto rows = journal.list(kRecentRows); rows) {
    std::int64_t refunded = 0;
    for (const JournalEntry& row : *rows) {
      if (row.reference_id == entry.reference_id) continue;
      if (!row.host_reference.empty()) q.known_host_references.push_back(row.host_reference);
      if (original && row.kind == TxnKind::refund && row.original_reference == original->reference_id) {
        if (row.state == TxnState::completed) refunded += row.approved_amount.value_or(row.amount).minor_units();
        if (row.state == TxnState::in_doubt && entry.kind == TxnKind::refund) q.other_refunds_in_doubt.push_back(row.amount);
      }
    }
    if (original && entry.kind == TxnKind::refund) q.refunded_before = Money{refunded, entry.amount.currency()};
  }
  return q;
}

}  // namespace tender::app
