#include "app/journal/lifecycle.hpp"

#include <array>
#include <string>
#include <utility>

namespace tender::app {
namespace {

using S = TxnState;
using E = RowEvent;
constexpr std::optional<TxnState> kNoRow = std::nullopt;

constexpr RowMove move(std::optional<TxnState> from, RowEvent event, TxnState to, Sealed sealed = Sealed::keep,
                       bool dequeue = false, std::optional<QueueKind> enqueue = std::nullopt) {
  return RowMove{from, event, to, sealed, dequeue, enqueue};
}

// Every write of a row. A move into a final state wipes the sealed data and drops the row's
// queue items in the same commit: a final row holds no card data and has nothing left to do,
// and a power cut cannot come between the end and the wipe.
constexpr std::array kMoves{
    // Nothing is written before the request leaves: until then nothing outside the terminal
    // happened, and a power cut leaves nothing to recover. The row and its sealed request are
    // one commit, so forwarding and the host's recovery always find the request that was sent.
    move(kNoRow, E::send, S::sent, Sealed::write),
    move(kNoRow, E::send_follow_on, S::sent),
    // The card approved offline at its first GENERATE AC: the row, its request and its
    // forwarding, or none of them (a full queue declines it).
    move(kNoRow, E::approve_offline, S::offline_approved, Sealed::write, false, QueueKind::forward),
    // Ended before anything was sent: the row is the record (and the receipt's) of a decline.
    move(kNoRow, E::decline, S::declined),
    move(kNoRow, E::fail, S::failed),
    move(kNoRow, E::cancel, S::cancelled),
    // A row an older version wrote before reading the card, found by recovery after a power cut.
    move(S::created, E::cancel, S::cancelled, Sealed::wipe, true),

    // The host's answer (or its recovery's, or the lack of either).
    move(S::sent, E::resend, S::sent),  // sent_unix: a host's recovery window counts from it
    move(S::sent, E::approve, S::approved),
    move(S::sent, E::decline, S::declined, Sealed::wipe, true),
    move(S::sent, E::fail, S::failed, Sealed::wipe, true),
    // A lost answer, an approval of an amount not asked for, a power cut with the request out:
    // the sealed request stays for the reversal's recovery (replay, lookup).
    move(S::sent, E::reverse, S::reversal_pending, Sealed::keep, false, QueueKind::reversal),
    move(S::sent, E::doubt, S::in_doubt, Sealed::keep, false, QueueKind::resolve),
    // The host is unreachable and the card or the limits allow it: forwarded later under the
    // same reference id (a request that did arrive is found, not charged twice).
    move(S::sent, E::approve_offline, S::offline_approved, Sealed::keep, false, QueueKind::forward),

    // After the approval: the card's final word, the partial prompt, the receipt.
    move(S::approved, E::complete, S::completed, Sealed::wipe, true),
    move(S::approved, E::reverse, S::reversal_pending, Sealed::keep, false, QueueKind::reversal),

    move(S::reversal_pending, E::reversal_done, S::reversed, Sealed::wipe, true),
    move(S::reversal_pending, E::requeue, S::reversal_pending, Sealed::keep, false, QueueKind::reversal),

    move(S::offline_approved, E::resend, S::offline_approved),
    move(S::offline_approved, E::forward_approved, S::forwarded, Sealed::wipe, true),
    move(S::offline_approved, E::forward_declined, S::forward_declined, Sealed::wipe, true),
    // Forwarded and approved for an amount it was not asked for: its forward item becomes a
    // reversal, so a power cut before the void leaves a reversal to do, not a sale to send.
    move(S::offline_approved, E::reverse, S::reversal_pending, Sealed::keep, true, QueueKind::reversal),
    move(S::offline_approved, E::requeue, S::offline_approved, Sealed::keep, false, QueueKind::forward),

    move(S::in_doubt, E::complete, S::completed, Sealed::wipe, true),
    move(S::in_doubt, E::fail, S::failed, Sealed::wipe, true),
    move(S::in_doubt, E::requeue, S::in_doubt, Sealed::keep, false, QueueKind::resolve),
};

constexpr std::array kEventNames{
    std::pair{E::send, "send"},
    std::pair{E::send_follow_on, "send_follow_on"},
    std::pair{E::resend, "resend"},
    std::pair{E::approve, "approve"},
    std::pair{E::approve_offline, "approve_offline"},
    std::pair{E::complete, "complete"},
    std::pair{E::decline, "decline"},
    std::pair{E::fail, "fail"},
    std::pair{E::cancel, "cancel"},
    std::pair{E::reverse, "reverse"},
    std::pair{E::doubt, "doubt"},
    std::pair{E::reversal_done, "reversal_done"},
    std::pair{E::forward_approved, "forward_approved"},
    std::pair{E::forward_declined, "forward_declined"},
    std::pair{E::requeue, "requeue"},
};

}  // namespace

std::string_view to_string(RowEvent event) noexcept {
  for (const auto& [e, name] : kEventNames) {
    if (e == event) return name;
  }
  return "?";
}

std::span<const RowMove> row_moves() noexcept { return kMoves; }

Result<RowMove> find_row_move(std::optional<TxnState> from, RowEvent event) {
  for (const auto& m : kMoves) {
    if (m.from == from && m.event == event) return m;
  }
  return make_error(Errc::invalid_argument, "journal: no move from " +
                                                std::string(from ? to_string(*from) : std::string_view{"no row"}) +
                                                " on " + std::string(to_string(event)));
}

}  // namespace tender::app
