// The offline queue (store and forward, queued reversals), recovery after a restart, and
// batch settlement. Items go strictly in queue order: the first one the host does not
// answer stops the flush, so offline sales reach the host in the order they were made.
#include <boost/asio/post.hpp>

#include "app/engine/engine_impl.hpp"
#include "app/engine/payload.hpp"
#include "common/log.hpp"

namespace tender::app {
namespace {

constexpr std::string_view kComponent = "engine";

bool approved(const host::HostResult& r) {
  return r.outcome == host::Outcome::approved || r.outcome == host::Outcome::partially_approved;
}

}  // namespace

// Voids `host_reference` under a key derived from the row's reference id, so a retry after
// a lost answer (or a restart) is the same void to the host.
void Engine::Impl::void_with(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                             std::function<void(Result<void>)> next) {
  const std::string key = derived_reference(entry.reference_id, "void");
  const auto current = begin_step(config.host_timeout, [this, entry, seq, next]() mutable {
    if (seq) (void)journal.record_attempt(*seq, "void: no answer before the deadline");
    else (void)journal.enqueue(entry.reference_id, QueueKind::reversal);
    next(make_error(Errc::timeout, "void: no answer before the deadline"));
  });
  host.void_({key, std::move(host_reference)},
             step_handler<Result<host::HostResult>>(
                 current, [this, entry, seq, next](Result<host::HostResult> r) mutable {
                   if (r && approved(*r)) {
                     entry.state = TxnState::reversed;
                     entry.updated_unix = now();
                     auto w = seq ? journal.update_and_dequeue(entry, *seq) : journal.update(entry);
                     if (w) {
                       (void)journal.wipe_sealed(entry.reference_id);
                       if (env.journaled) env.journaled(entry);
                     }
                     next(w ? Result<void>{} : Result<void>{w.error()});
                     return;
                   }
                   const std::string why = r ? "void refused: " + r->response_code + " " + r->response_message
                                             : "void: " + r.error().message;
                   if (seq) (void)journal.record_attempt(*seq, why);
                   else (void)journal.enqueue(entry.reference_id, QueueKind::reversal);
                   // Only a host that did not answer stops the queue; a refusal is recorded
                   // and left for the merchant's attention.
                   const bool unanswered = !r || r->outcome == host::Outcome::unknown;
                   next(make_error(unanswered ? Errc::timeout : Errc::invalid_argument, why));
                 }));
}

void Engine::Impl::reverse(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next) {
  if (!entry.host_reference.empty()) {
    std::string host_reference = entry.host_reference;
    void_with(std::move(entry), std::move(host_reference), item.seq, std::move(next));
    return;
  }
  const std::int64_t seq = item.seq;
  // Nothing from the host yet: find out whether the request arrived (the adapter's recovery).
  auto decided = [this, entry, seq, next](Result<host::HostResult> r) mutable {
    if (!r && r.error().code == Errc::not_found) r = host::HostResult{host::Outcome::declined, {}, {}, {}, {}, "no record at the host", {}};
    if (!r || r->outcome == host::Outcome::unknown) {
      const std::string why = r ? "reversal: host did not answer" : "reversal: " + r.error().message;
      (void)journal.record_attempt(seq, why);
      next(make_error(Errc::timeout, why));
      return;
    }
    if (approved(*r)) {
      entry.host_reference = r->host_reference;
      entry.auth_code = r->auth_code;
      void_with(entry, r->host_reference, seq, next);
      return;
    }
    // Declined or refused: nothing was charged; the reversal has nothing left to undo.
    entry.state = TxnState::reversed;
    entry.reason = entry.reason.empty() ? "nothing charged at the host" : entry.reason;
    entry.updated_unix = now();
    auto w = journal.update_and_dequeue(entry, seq);
    if (w) {
      (void)journal.wipe_sealed(entry.reference_id);
      if (env.journaled) env.journaled(entry);
    }
    next(w ? Result<void>{} : Result<void>{w.error()});
  };
  const auto current = begin_step(config.host_timeout, [decided]() mutable {
    decided(make_error(Errc::timeout, "no answer before the deadline"));
  });
  auto handler = step_handler<Result<host::HostResult>>(current, std::move(decided));
  if (host.recovery() == host::Recovery::lookup_then_void) {
    host.lookup({entry.reference_id, {}}, std::move(handler));
    return;
  }
  auto sealed = journal.unseal(entry.reference_id);
  if (!sealed) {
    handler(make_error(Errc::not_found, "reversal: no sealed request to replay"));
    return;
  }
  auto request = decode_payload(sealed->reveal(), config.currency);
  if (!request) {
    handler(std::move(request).error());
    return;
  }
  request->reference_id = entry.reference_id;
  request->terminal_id = config.terminal_id;
  if (entry.kind == TxnKind::preauth) host.authorize(std::move(*request), std::move(handler));
  else if (entry.kind == TxnKind::verify) host.verify(std::move(*request), std::move(handler));
  else host.sale(std::move(*request), std::move(handler));
}

void Engine::Impl::forward(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next) {
  const std::int64_t seq = item.seq;
  auto sealed = journal.unseal(entry.reference_id);
  auto request = sealed ? decode_payload(sealed->reveal(), config.currency)
                        : Result<host::AuthorizationRequest>{sealed.error()};
  if (!request) {
    const std::string why = "forward: the sealed request cannot be read: " + request.error().message;
    (void)journal.record_attempt(seq, why);
    next(make_error(Errc::invalid_argument, why));
    return;
  }
  request->reference_id = entry.reference_id;
  request->terminal_id = config.terminal_id;
  auto decided = [this, entry, seq, next](Result<host::HostResult> r) mutable {
    if (!r || r->outcome == host::Outcome::unknown) {
      const std::string why = r ? "forward: host did not answer" : "forward: " + r.error().message;
      (void)journal.record_attempt(seq, why);
      next(make_error(Errc::timeout, why));
      return;
    }
    entry.response_code = r->response_code;
    entry.response_message = r->response_message;
    if (approved(*r)) {
      entry.state = TxnState::forwarded;
      entry.host_reference = r->host_reference;
      if (!r->auth_code.empty()) entry.auth_code = r->auth_code;
      entry.approved_amount = r->approved_amount ? r->approved_amount : std::optional<Money>{entry.amount};
    } else {
      entry.state = TxnState::forward_declined;
      entry.reason = "declined when forwarded: " + r->response_message;
      log::warn(kComponent, "offline sale ", entry.reference_id, " declined when forwarded");
    }
    entry.updated_unix = now();
    auto w = journal.update_and_dequeue(entry, seq);
    if (w) {
      (void)journal.wipe_sealed(entry.reference_id);
      if (env.journaled) env.journaled(entry);
    }
    next(w ? Result<void>{} : Result<void>{w.error()});
  };
  const auto deadline_passed = [decided]() mutable { decided(make_error(Errc::timeout, "no answer before the deadline")); };
  if (host.recovery() != host::Recovery::lookup_then_void) {
    // Same idempotency key as the first attempt: a request that did arrive is not charged twice.
    host.sale(std::move(*request),
              step_handler<Result<host::HostResult>>(begin_step(config.host_timeout, deadline_passed), decided));
    return;
  }
  // Aurora: the first attempt may have arrived before the host went away; look first.
  auto req = std::make_shared<host::AuthorizationRequest>(std::move(*request));
  host.lookup({entry.reference_id, {}},
              step_handler<Result<host::HostResult>>(
                  begin_step(config.host_timeout, deadline_passed),
                  [this, req, decided, deadline_passed](Result<host::HostResult> found) mutable {
                    if (found || found.error().code != Errc::not_found) {
                      decided(std::move(found));
                      return;
                    }
                    host.sale(std::move(*req), step_handler<Result<host::HostResult>>(
                                                   begin_step(config.host_timeout, deadline_passed), decided));
                  }));
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
  // Skip items already refused in this flush (they wait for the merchant), keep the order.
  const QueueItem* item = nullptr;
  for (const auto& candidate : *items) {
    if (std::find(attempted.begin(), attempted.end(), candidate.seq) == attempted.end()) {
      item = &candidate;
      break;
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
  if (current.kind == QueueKind::forward) forward(current, std::move(**row), std::move(next));
  else reverse(current, std::move(**row), std::move(next));
}

void Engine::flush_queue(Handler<QueueReport> done) {
  auto& impl = *impl_;
  if (busy()) {
    QueueReport report;
    report.stopped_because = "the engine is busy";
    boost::asio::post(impl.io, [done = std::move(done), report] { done(report); });
    return;
  }
  impl.queue_busy = true;
  impl.attempted.clear();
  impl.flush_next(std::make_shared<QueueReport>(), std::move(done));
}

void Engine::recover(Handler<RecoveryReport> done) {
  auto& impl = *impl_;
  RecoveryReport report;
  auto rows = impl.journal.unfinished();
  auto queued = impl.journal.queue();
  const auto in_queue = [&](const std::string& ref) {
    if (!queued) return false;
    return std::any_of(queued->begin(), queued->end(), [&](const QueueItem& q) { return q.reference_id == ref; });
  };
  if (rows) {
    for (JournalEntry& e : *rows) {
      e.updated_unix = impl.now();
      switch (e.state) {
        case TxnState::created:
          // Nothing left the terminal before the power went.
          e.state = TxnState::cancelled;
          e.reason = "power lost before anything was sent";
          if (impl.journal.update(e)) ++report.cancelled;
          (void)impl.journal.wipe_sealed(e.reference_id);
          break;
        case TxnState::sent:
          e.state = TxnState::reversal_pending;
          e.reason = "power lost with the request at the host";
          if (impl.journal.update_and_enqueue(e, QueueKind::reversal)) ++report.reversal_queued;
          break;
        case TxnState::approved:
          if (e.entry_mode == StoredEntryMode::chip || e.kind == TxnKind::verify) {
            // The card never gave its final word (second GENERATE AC): the approval is undone.
            e.state = TxnState::reversal_pending;
            e.reason = "power lost before the card completed";
            if (impl.journal.update_and_enqueue(e, QueueKind::reversal)) ++report.reversal_queued;
          } else {
            // A swiped or keyed sale the host approved stands; its receipt can be reprinted.
            e.state = TxnState::completed;
            if (impl.journal.update(e)) ++report.completed;
            (void)impl.journal.wipe_sealed(e.reference_id);
          }
          break;
        case TxnState::reversal_pending:
          if (!in_queue(e.reference_id)) (void)impl.journal.enqueue(e.reference_id, QueueKind::reversal);
          break;
        case TxnState::offline_approved:
          if (!in_queue(e.reference_id)) (void)impl.journal.enqueue(e.reference_id, QueueKind::forward);
          break;
        default:
          break;
      }
      if (impl.env.journaled) impl.env.journaled(e);
    }
  }
  auto shared = std::make_shared<RecoveryReport>(report);
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
  // Offline sales belong in the batch: forward first, then close.
  flush_queue([this, done = std::move(done)](QueueReport flushed) mutable {
    auto& im = *impl_;
    if (!flushed.stopped_because.empty() && flushed.remaining > 0) {
      log::warn(kComponent, "settling with ", flushed.remaining, " queued item(s) not forwarded");
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
