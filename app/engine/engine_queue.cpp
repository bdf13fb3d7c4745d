// The offline queue (store and forward, queued reversals), recovery after a restart, and
// batch settlement. Items go strictly in queue order: the first one the host does not
// answer stops the flush, so offline sales reach the host in the order they were made.
#include <boost/asio/post.hpp>

#include "app/engine/engine_impl.hpp"
#include "app/engine/payload.hpp"
#include "common/log.hpp"
#include "net/host/host_answer.hpp"

namespace tender::app {
namespace {

constexpr std::string_view kComponent = "engine";

// A queue item whose last_error starts so waits for the merchant: flushes skip it.
constexpr std::string_view kHeld = "held: ";

// Held because the host's recovery could not tell (not because the host refused): asking
// again is a read, and what the rest of a flush resolved may settle it.
constexpr std::string_view kHeldAmbiguous = "held: ambiguous: ";
// The reason restart() gives a chip approval the card never completed; reverse() voids it as torn.
constexpr std::string_view kPowerLostBeforeCard = "power lost before the card completed";
bool held(const QueueItem& item) { return item.last_error.rfind(kHeld, 0) == 0; }
bool held_ambiguous(const QueueItem& item) { return item.last_error.rfind(kHeldAmbiguous, 0) == 0; }

bool approved(const host::HostResult& r) {
  return r.outcome == host::Outcome::approved || r.outcome == host::Outcome::partially_approved;
}

}  // namespace

Result<void> Engine::Impl::finish_queued(JournalEntry& entry, RowEvent event) {
  auto w = journal_move(entry, event);
  if (!w) return std::move(w).error();
  return ok();
}

// Voids `host_reference` under a key derived from the row's reference id, so a retry after
// a lost answer (or a restart) is the same void to the host. A void the host refuses because
// the sale settled meanwhile becomes a refund of what was approved (both hosts allow one); any
// other refusal is held for the merchant, never retried forever.
void Engine::Impl::void_with(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                             std::function<void(Result<void>)> next, host::VoidReason reason) {
  const std::string key = derived_reference(entry.reference_id, "void");
  const auto current = begin_step(config.host_timeout, [this, entry, seq, next]() mutable {
    if (seq) (void)journal.record_attempt(*seq, "void: no answer before the deadline");
    else (void)journal.enqueue(entry.reference_id, QueueKind::reversal);
    next(make_error(Errc::timeout, "void: no answer before the deadline"));
  });
  host.void_({key, host_reference, reason},
             step_handler<Result<host::HostResult>>(
                 current, [this, entry, host_reference, seq, next](Result<host::HostResult> r) mutable {
                   if (r) (void)host::sanitize(*r);
                   if (r && approved(*r)) {
                     auto w = finish_queued(entry, RowEvent::reversal_done);
                     next(w ? Result<void>{} : Result<void>{w.error()});
                     return;
                   }
                   if (r && r->refusal == host::Refusal::already_settled) {
                     refund_settled(std::move(entry), std::move(host_reference), seq, std::move(next));
                     return;
                   }
                   const bool unanswered = !r || r->outcome == host::Outcome::unknown;
                   if (!unanswered) {
                     // Refused: perhaps because an earlier void (its answer lost to a power cut)
                     // already did it. The original's record says; asked once.
                     confirm_void(std::move(entry), std::move(host_reference), seq, std::move(next));
                     return;
                   }
                   const std::string why = r ? "void refused: " + r->response_code + " " + r->response_message
                                             : "void: " + r.error().message;
                   reversal_not_done(entry, seq, !unanswered, unanswered, why, next);
                 }));
}

// A reversal that did not finish now: noted on its queue item (queued first if it had none),
// held for the merchant or left for the next flush. Only a host that did not answer stops the
// flush; a refusal waits for the merchant's attention.
void Engine::Impl::reversal_not_done(const JournalEntry& entry, std::optional<std::int64_t> seq, bool hold, bool unanswered,
                                     const std::string& why, const std::function<void(Result<void>)>& next) {
  const std::string recorded = hold ? std::string(kHeld) + why : why;
  if (seq) {
    (void)journal.record_attempt(*seq, recorded);
  } else if (auto q = journal.enqueue(entry.reference_id, QueueKind::reversal); q) {
    (void)journal.record_attempt(*q, recorded);
  }
  next(make_error(unanswered ? Errc::timeout : Errc::invalid_argument, why));
}

// A void the host refused: its recovery reads the original's record. Voided already: the
// reversal is done. Settled: refunded instead. Anything else: held for the merchant.
void Engine::Impl::confirm_void(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                                std::function<void(Result<void>)> next) {
  host::RecoveryQuery q;
  q.operation = host::Operation::void_;
  q.reference_id = derived_reference(entry.reference_id, "void");
  q.first_sent_unix = q.last_sent_unix = now();
  q.original_host_reference = host_reference;
  q.original_amount = entry.approved_amount.value_or(entry.amount);
  q.amount = q.original_amount;
  auto done = std::make_shared<std::function<void(host::RecoveryResult)>>(
      [this, entry, host_reference, seq, next](host::RecoveryResult r) mutable {
        if (r.fate == host::Fate::done && approved(r.result)) {
          entry.reason += entry.reason.empty() ? "" : "; ";
          entry.reason += "the host's record shows it voided";
          auto w = finish_queued(entry, RowEvent::reversal_done);
          next(w ? Result<void>{} : Result<void>{w.error()});
          return;
        }
        if (r.fate == host::Fate::done && r.result.refusal == host::Refusal::already_settled) {
          refund_settled(std::move(entry), std::move(host_reference), seq, std::move(next));
          return;
        }
        const bool unanswered = r.fate == host::Fate::not_known_yet;
        reversal_not_done(entry, seq, !unanswered, unanswered, "void refused; the original's record: " + r.why, next);
      });
  const auto current = begin_step(config.host_timeout, [done] {
    (*done)(host::RecoveryResult{host::Fate::not_known_yet, {}, "no answer before the deadline"});
  });
  host.recover(std::move(q), step_handler<host::RecoveryResult>(current, [done](host::RecoveryResult r) {
                 (void)host::sanitize(r.result);
                 (*done)(std::move(r));
               }));
}

void Engine::Impl::refund_settled(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                                  std::function<void(Result<void>)> next) {
  const std::string key = derived_reference(entry.reference_id, "refund");
  const Money amount = entry.approved_amount.value_or(entry.amount);
  const auto current = begin_step(config.host_timeout, [this, entry, seq, next]() mutable {
    if (seq) (void)journal.record_attempt(*seq, "refund of a settled sale: no answer before the deadline");
    else (void)journal.enqueue(entry.reference_id, QueueKind::reversal);
    next(make_error(Errc::timeout, "refund of a settled sale: no answer before the deadline"));
  });
  host.refund({key, std::move(host_reference), amount},
              step_handler<Result<host::HostResult>>(current, [this, entry, seq, next](Result<host::HostResult> r) mutable {
                if (r) (void)host::sanitize(*r);
                if (r && approved(*r)) {
                  entry.reason += entry.reason.empty() ? "" : "; ";
                  entry.reason += "the sale had settled: refunded instead of voided";
                  auto w = finish_queued(entry, RowEvent::reversal_done);
                  next(w ? Result<void>{} : Result<void>{w.error()});
                  return;
                }
                const bool unanswered = !r || r->outcome == host::Outcome::unknown;
                const std::string why = r ? "refund of a settled sale refused: " + r->response_code + " " + r->response_message
                                          : "refund of a settled sale: " + r.error().message;
                // A refund whose answer was lost is not sent again blindly: held for the merchant.
                reversal_not_done(entry, seq, true, unanswered, why, next);
              }));
}

void Engine::Impl::recover_row(const JournalEntry& entry, std::function<void(host::RecoveryResult)> next) {
  std::optional<JournalEntry> original;
  if (!entry.original_reference.empty()) {
    if (auto row = journal.find(entry.original_reference); row && *row) original = follow_on_target(journal, **row, entry.kind);
  }
  std::optional<host::AuthorizationRequest> request;
  if (auto sealed = journal.unseal(entry.reference_id); sealed) {
    if (auto decoded = decode_payload(sealed->reveal(), config.currency); decoded) {
      decoded->reference_id = entry.reference_id;
      decoded->terminal_id = config.terminal_id;
      request = std::move(*decoded);
    }
  }
  auto done = std::make_shared<std::function<void(host::RecoveryResult)>>(std::move(next));
  const auto current = begin_step(config.host_timeout, [done] {
    (*done)(host::RecoveryResult{host::Fate::not_known_yet, {}, "no answer before the deadline"});
  });
  host.recover(recovery_query(journal, entry, original, std::move(request)),
               step_handler<host::RecoveryResult>(current, [done](host::RecoveryResult r) {
                 (void)host::sanitize(r.result);
                 (*done)(std::move(r));
               }));
}

// Stops the flush (not answered) or holds the item for the merchant (ambiguous).
void Engine::Impl::undecided(std::int64_t seq, std::string_view what, const host::RecoveryResult& r,
                             const std::function<void(Result<void>)>& next) {
  const bool hold = r.fate == host::Fate::ambiguous;
  const std::string why = std::string(what) + ": " + r.why;
  (void)journal.record_attempt(seq, hold ? std::string(kHeldAmbiguous) + why : why);
  next(make_error(hold ? Errc::invalid_argument : Errc::timeout, why));
}

void Engine::Impl::reverse(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next) {
  if (!entry.host_reference.empty()) {
    std::string host_reference = entry.host_reference;
    // A queued reversal: a power cut before the card's final word (the row's reason, set at
    // restart below), else its first try (or the request's answer) was lost; the queue keeps no
    // finer reason across a restart.
    const auto reason = entry.reason == kPowerLostBeforeCard ? host::VoidReason::torn : host::VoidReason::answer_lost;
    void_with(std::move(entry), std::move(host_reference), item.seq, std::move(next), reason);
    return;
  }
  const std::int64_t seq = item.seq;
  // Nothing from the host yet: the adapter's recovery says whether the request arrived.
  recover_row(entry, [this, entry, seq, next](host::RecoveryResult r) mutable {
    if (r.fate == host::Fate::done && approved(r.result)) {
      entry.host_reference = r.result.host_reference;
      entry.auth_code = r.result.auth_code;
      // What the host charged (less than asked if partially approved): what a refund of a sale
      // that settled meanwhile gives back.
      if (r.result.approved_amount) entry.approved_amount = r.result.approved_amount;
      if (entry.host_reference.empty()) {
        undecided(seq, "reversal", {host::Fate::ambiguous, {}, "the host's record has no usable id"}, next);
        return;
      }
      void_with(entry, r.result.host_reference, seq, next, host::VoidReason::answer_lost);
      return;
    }
    if (r.fate == host::Fate::done || r.fate == host::Fate::not_at_host) {
      // Declined, refused, or never there: nothing was charged; nothing is left to undo. A
      // declined record is still ours: named, it is never a later request's lookalike.
      if (r.fate == host::Fate::done && !r.result.host_reference.empty()) entry.host_reference = r.result.host_reference;
      if (entry.reason.empty()) entry.reason = "nothing charged at the host";
      auto w = finish_queued(entry, RowEvent::reversal_done);
      next(w ? Result<void>{} : Result<void>{w.error()});
      return;
    }
    undecided(seq, "reversal", r, next);
  });
}

void Engine::Impl::resolve(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next) {
  const std::int64_t seq = item.seq;
  recover_row(entry, [this, entry, seq, next](host::RecoveryResult r) mutable {
    RowEvent end = RowEvent::fail;
    if (r.fate == host::Fate::done) {
      entry.response_code = r.result.response_code;
      entry.response_message = r.result.response_message;
      if (approved(r.result)) {
        end = RowEvent::complete;
        if (!r.result.host_reference.empty()) entry.host_reference = r.result.host_reference;
        if (!r.result.auth_code.empty()) entry.auth_code = r.result.auth_code;
        if (!r.result.receipt_reference.empty()) entry.receipt_reference = r.result.receipt_reference;
        entry.approved_amount = r.result.approved_amount ? r.result.approved_amount : std::optional<Money>{entry.amount};
        entry.reason = "the host had done it (its answer was lost)";
      } else {
        entry.reason = "the host refused it (its answer was lost): " + r.result.response_message;
      }
    } else if (r.fate == host::Fate::not_at_host) {
      entry.reason = "the host never did it (its answer was lost): nothing changed; it may be done again";
    } else {
      undecided(seq, "resolve", r, next);
      return;
    }
    auto w = finish_queued(entry, end);
    next(w ? Result<void>{} : Result<void>{w.error()});
  });
}

void Engine::Impl::forward(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next) {
  const std::int64_t seq = item.seq;
  auto sealed = journal.unseal(entry.reference_id);
  auto request = sealed ? decode_payload(sealed->reveal(), config.currency)
                        : Result<host::AuthorizationRequest>{sealed.error()};
  if (!request) {
    const std::string why = "forward: the sealed request cannot be read: " + request.error().message;
    (void)journal.record_attempt(seq, std::string(kHeld) + why);
    next(make_error(Errc::invalid_argument, why));
    return;
  }
  request->reference_id = entry.reference_id;
  request->terminal_id = config.terminal_id;
  // The host's answer: forwarded, declined when forwarded, or (an amount it was not asked
  // for) voided at once.
  auto decided = [this, next](JournalEntry row, host::HostResult r) mutable {
    row.response_code = r.response_code;
    row.response_message = r.response_message;
    if (!r.host_reference.empty()) row.host_reference = r.host_reference;  // declined ones too
    if (approved(r)) {
      if (!r.auth_code.empty()) row.auth_code = r.auth_code;
      if (host::check_approved_amount(row.amount, r.approved_amount) == host::ApprovalCheck::host_error) {
        row.reason = "the host approved the forwarded sale for an amount it was not asked for: voided";
        // Its forward item becomes a reversal item in the same commit.
        auto queued = journal_move(row, RowEvent::reverse);
        if (!queued || !*queued) {
          next(make_error(Errc::io_error, "journal unavailable"));
          return;
        }
        void_with(row, r.host_reference, **queued, next);
        return;
      }
      row.approved_amount = r.approved_amount ? r.approved_amount : std::optional<Money>{row.amount};
    } else {
      row.reason = "declined when forwarded: " + r.response_message;
      log::warn(kComponent, "offline sale ", row.reference_id, " declined when forwarded");
    }
    auto w = finish_queued(row, approved(r) ? RowEvent::forward_approved : RowEvent::forward_declined);
    next(w ? Result<void>{} : Result<void>{w.error()});
  };
  auto req = std::make_shared<host::AuthorizationRequest>(std::move(*request));
  // Sends it now, journaling when it left first.
  auto send_now = [this, seq, next, req, decided](JournalEntry row) mutable {
    row.sent_unix = now();
    if (auto w = journal_move(row, RowEvent::resend); !w) {
      next(make_error(Errc::io_error, "journal unavailable"));
      return;
    }
    const auto current = begin_step(config.host_timeout, [this, seq, next] {
      (void)journal.record_attempt(seq, "forward: no answer before the deadline");
      next(make_error(Errc::timeout, "forward: no answer before the deadline"));
    });
    host.sale(std::move(*req), step_handler<Result<host::HostResult>>(
                                   current, [this, row, seq, next, decided](Result<host::HostResult> r) mutable {
                                     if (r) (void)host::sanitize(*r);
                                     if (!r || r->outcome == host::Outcome::unknown) {
                                       const std::string why = r ? "forward: host did not answer" : "forward: " + r.error().message;
                                       (void)journal.record_attempt(seq, why);
                                       next(make_error(Errc::timeout, why));
                                       return;
                                     }
                                     if (r->outcome == host::Outcome::error) {
                                       const std::string why = "forward refused: " + r->response_code + " " + r->response_message;
                                       (void)journal.record_attempt(seq, std::string(kHeld) + why);
                                       next(make_error(Errc::invalid_argument, why));
                                       return;
                                     }
                                     decided(row, std::move(*r));
                                   }));
  };
  // Never sent (the journal writes sent_unix before any send): nothing to look for at the host.
  // Asking would only meet other sales of the same card and amount and hold this one for nothing.
  if (entry.sent_unix == 0) {
    send_now(entry);
    return;
  }
  // An earlier attempt may have reached the host: its recovery says so before anything is sent.
  recover_row(entry, [this, entry, seq, next, decided, send_now](host::RecoveryResult found) mutable {
    if (found.fate == host::Fate::done && (found.result.outcome == host::Outcome::error ||
                                           found.result.outcome == host::Outcome::unknown)) {
      found.fate = host::Fate::not_known_yet;
      if (found.why.empty()) found.why = "the host's record of it is not final";
    }
    if (found.fate == host::Fate::done) {
      decided(entry, std::move(found.result));
      return;
    }
    if (found.fate != host::Fate::not_at_host) {
      undecided(seq, "forward", found, next);
      return;
    }
    send_now(entry);
  });
}

void Engine::Impl::flush_next(std::shared_ptr<QueueReport> report, Handler<QueueReport> done) {
  auto items = journal.queue();
  const auto finish = [&](std::string why) {
    queue_busy = false;
    auto left = journal.queue();
    report->remaining = left ? left->size() : 0;
    // Items the host refused (or whose sealed request cannot be read) stay queued for the
    // merchant: say so, the queue did not empty.
    if (why.empty() && report->remaining > 0) why = std::to_string(report->remaining) + " item(s) need attention";
    report->stopped_because = std::move(why);
    boost::asio::post(io, [done = std::move(done), report] { done(*report); });
  };
  if (!items) return finish("journal unavailable: " + items.error().message);
  // Each item once per flush, in order; held ones wait for the merchant. Last, those held only
  // because recovery could not tell are asked once more: the rows resolved meanwhile (the
  // terminal's own lookalikes, now named) may let it tell.
  const QueueItem* item = nullptr;
  const auto untried = [&](const QueueItem& q) { return std::find(attempted.begin(), attempted.end(), q.seq) == attempted.end(); };
  for (const auto& candidate : *items) {
    if (!held(candidate) && untried(candidate)) {
      item = &candidate;
      break;
    }
  }
  for (const auto& candidate : *items) {
    if (item != nullptr) break;
    if (held_ambiguous(candidate) && std::find(reasked.begin(), reasked.end(), candidate.seq) == reasked.end()) {
      reasked.push_back(candidate.seq);
      item = &candidate;
    }
  }
  if (item == nullptr) return finish({});
  auto row = journal.find(item->reference_id);
  if (!row || !*row) {
    (void)journal.dequeue(item->seq);  // a queue item without its row cannot be acted on
    flush_next(std::move(report), std::move(done));
    return;
  }
  const QueueItem current = *item;
  auto next = [this, report, done, current](Result<void> r) mutable {
    attempted.push_back(current.seq);
    if (auto now_row = journal.find(current.reference_id); now_row && *now_row && is_final((*now_row)->state)) {
      const TxnState s = (*now_row)->state;
      if (s == TxnState::forwarded) ++report->forwarded;
      if (s == TxnState::forward_declined) ++report->forward_declined;
      if (s == TxnState::reversed) ++report->reversed;
      report->finished.push_back(**now_row);
    }
    if (!r && r.error().code == Errc::timeout) {
      queue_busy = false;
      report->stopped_because = r.error().message;
      auto left = journal.queue();
      report->remaining = left ? left->size() : 0;
      done(*report);
      return;
    }
    flush_next(report, std::move(done));
  };
  switch (current.kind) {
    case QueueKind::forward:
      // An older version kept the forward item of an offline sale it was already reversing.
      if ((*row)->state == TxnState::reversal_pending) {
        reverse(current, std::move(**row), std::move(next));
        return;
      }
      forward(current, std::move(**row), std::move(next));
      return;
    case QueueKind::reversal: reverse(current, std::move(**row), std::move(next)); return;
    case QueueKind::resolve: resolve(current, std::move(**row), std::move(next)); return;
  }
}

void Engine::flush_queue(Handler<QueueReport> done) {
  auto& impl = *impl_;
  if (busy()) {
    QueueReport report;
    report.stopped_because = "the engine is busy";
    boost::asio::post(impl.io, [done = std::move(done), report] { done(report); });
    return;
  }
  // A row a power cut left in `sent` is in doubt: it must be queued before anything else
  // talks to the host (and before a settlement closes the batch over it).
  RecoveryReport restored;
  impl.restore_unfinished(restored);
  impl.queue_busy = true;
  impl.attempted.clear();
  impl.reasked.clear();
  impl.flush_next(std::make_shared<QueueReport>(), std::move(done));
}

void Engine::Impl::restore_unfinished(RecoveryReport& report) {
  auto rows = journal.unfinished();
  auto queued = journal.queue();
  const auto in_queue = [&](const std::string& ref) {
    if (!queued) return false;
    return std::any_of(queued->begin(), queued->end(), [&](const QueueItem& q) { return q.reference_id == ref; });
  };
  if (!rows) return;
  const auto is_follow_on = [](TxnKind k) {
    return k == TxnKind::capture || k == TxnKind::void_ || k == TxnKind::refund || k == TxnKind::tip_adjust;
  };
  for (JournalEntry& e : *rows) {
    std::optional<RowEvent> event;
    std::size_t* count = nullptr;  // the report's line for it
    switch (e.state) {
      case TxnState::created:
        // An older version's row: nothing left the terminal before the power went.
        e.reason = "power lost before anything was sent";
        event = RowEvent::cancel;
        count = &report.cancelled;
        break;
      case TxnState::sent:
        e.reason = "power lost with the request at the host";
        if (is_follow_on(e.kind)) {
          // Never re-sent blindly: the host's recovery says what it did.
          event = RowEvent::doubt;
          count = &report.resolve_queued;
        } else {
          event = RowEvent::reverse;
          count = &report.reversal_queued;
        }
        break;
      case TxnState::approved:
        if (!is_follow_on(e.kind) && (e.entry_mode == StoredEntryMode::chip || e.kind == TxnKind::verify)) {
          // The card never gave its final word (second GENERATE AC): the approval is undone.
          e.reason = std::string(kPowerLostBeforeCard);
          event = RowEvent::reverse;
          count = &report.reversal_queued;
        } else {
          // A follow-on the host did, or a swiped or keyed sale the host approved: it stands;
          // only the receipt was left, and it can be reprinted.
          event = RowEvent::complete;
          count = &report.completed;
        }
        break;
      case TxnState::reversal_pending:
      case TxnState::in_doubt:
      case TxnState::offline_approved:
        if (!in_queue(e.reference_id)) event = RowEvent::requeue;
        break;
      default:
        break;
    }
    if (event && journal_move(e, *event) && count != nullptr) ++*count;
  }
}

void Engine::recover(Handler<RecoveryReport> done) {
  auto& impl = *impl_;
  auto shared = std::make_shared<RecoveryReport>();
  if (!busy()) impl.restore_unfinished(*shared);
  flush_queue([shared, done = std::move(done)](QueueReport q) {
    shared->queue = std::move(q);
    done(*shared);
  });
}

void Engine::settle(Handler<Result<SettleReport>> done) {
  auto& impl = *impl_;
  if (busy()) {
    boost::asio::post(impl.io, [done = std::move(done)] { done(make_error(Errc::invalid_argument, "the engine is busy")); });
    return;
  }
  // Offline sales belong in the batch: forward first, then close. Reversals and resolves
  // must be settled first: a batch closed over a transaction in doubt cannot be voided.
  flush_queue([this, done = std::move(done)](QueueReport flushed) mutable {
    auto& im = *impl_;
    auto left = im.journal.queue();
    if (!left) {
      done(std::move(left).error());
      return;
    }
    const auto in_doubt = std::count_if(left->begin(), left->end(), [](const QueueItem& q) { return q.kind != QueueKind::forward; });
    if (in_doubt > 0) {
      done(make_error(Errc::invalid_argument, std::to_string(in_doubt) +
                                                  " transaction(s) still in doubt at the host: settle once they are resolved"));
      return;
    }
    if (!flushed.stopped_because.empty() && flushed.remaining > 0) {
      log::warn(kComponent, "settling with ", flushed.remaining, " queued offline sale(s) not forwarded");
    }
    im.queue_busy = true;
    const auto current = im.begin_step(im.config.host_timeout, [this, done]() mutable {
      impl_->queue_busy = false;
      done(make_error(Errc::timeout, "settlement: no answer before the deadline"));
    });
    im.host.settle({}, im.step_handler<Result<host::SettleResult>>(
                           current, [this, done](Result<host::SettleResult> r) mutable {
                             auto& i = *impl_;
                             i.queue_busy = false;
                             if (!r) {
                               done(std::move(r).error());
                               return;
                             }
                             SettleReport report;
                             report.accepted = r->accepted;
                             report.response_code = r->response_code;
                             report.response_message = r->response_message;
                             auto rows = i.journal.open_batch();
                             report.transactions = rows ? rows->size() : 0;
                             if (r->accepted) {
                               // Unique even for two settlements within a second.
                               report.batch = "B" + std::to_string(i.now()) + "-" + random_uuid().substr(0, 8);
                               if (auto c = i.journal.close_batch(report.batch); !c) {
                                 done(std::move(c).error());
                                 return;
                               }
                             }
                             done(report);
                           }));
  });
}

}  // namespace tender::app
