// The persisted lifecycle of a journal row as data (ARCHITECTURE.md, Transaction state
// machine): the states are TxnState, the events an enum, the moves one table, looked up like
// the engine's state table. Journal::apply() makes a move in one SQLite transaction, so every
// move is one durable commit (one fsync of the WAL); nothing else writes a row's state.
//
// A sale online is three commits: `send` (the row, its sealed request) before the request
// leaves, `approve` (or the decline, error or reversal) once the host answered, and the final
// one (completed, its sealed data wiped) before the receipt prints.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "app/journal/journal.hpp"
#include "common/result.hpp"

namespace tender::app {

enum class RowEvent : std::uint8_t {
  send,              // a card transaction's request is about to leave: the row, its request sealed
  send_follow_on,    // a capture / void / refund / tip adjust is about to leave (no card data)
  resend,            // the stored request leaves again (not at the host after all; an offline sale forwarded)
  approve,           // the host approved (fully or partly); the card's final word and the receipt follow
  approve_offline,   // approved offline (the card's TC, or store and forward): queued for forwarding
  complete,          // approved and finished at the terminal, or a lost follow-on found done
  decline,           // the host or the card declined; nothing charged
  fail,              // refused before or by the host; nothing charged
  cancel,            // ended before anything was sent (or a power cut did, in an older version)
  reverse,           // may be charged and must not be: a reversal is queued
  doubt,             // a follow-on whose answer was lost: the host's recovery is asked (queued)
  reversal_done,     // the host confirmed the reversal, or never charged it
  forward_approved,  // the host accepted the forwarded offline sale
  forward_declined,  // the host declined the forwarded offline sale
  requeue,           // a row a power cut left without its queue item gets it back
};
std::string_view to_string(RowEvent event) noexcept;

// What a move does to the sealed column in the same commit.
enum class Sealed : std::uint8_t {
  keep,   // untouched
  write,  // the request, sealed under the device key (the move needs the plaintext)
  wipe,   // NULL, the page overwritten (secure_delete): the row is final
};

struct RowMove {
  std::optional<TxnState> from;  // nullopt: no row yet; the move inserts it
  RowEvent event;
  TxnState to;
  // What the one commit writes besides the row itself:
  Sealed sealed = Sealed::keep;
  bool dequeue = false;              // the row's queue items go (first)
  std::optional<QueueKind> enqueue;  // a queue item is added
};

std::span<const RowMove> row_moves() noexcept;
// The move of `event` from `from`; Errc::invalid_argument when the table has none (a caller's
// bug: a row is never moved where the lifecycle does not go, above all out of a final state).
Result<RowMove> find_row_move(std::optional<TxnState> from, RowEvent event);

}  // namespace tender::app
