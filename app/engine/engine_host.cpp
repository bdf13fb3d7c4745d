// The engine's host side: the request, a lost answer's recovery, the card's completion,
// partial approvals, store and forward, reversals, and the end of a transaction.
#include <array>
#include <boost/asio/post.hpp>

#include "app/engine/display_text.hpp"
#include "app/engine/engine_impl.hpp"
#include "app/engine/payload.hpp"
#include "app/terminal/issuer_response.hpp"
#include "net/host/host_answer.hpp"
#include "common/log.hpp"
#include "drivers/printer/escpos.hpp"

namespace tender::app {
namespace {

constexpr std::string_view kComponent = "engine";

// The lifecycle's move that ends a transaction where the engine concluded it would end (the
// moves of offline_approved and reversed are made on the way, by their steps).
std::optional<RowEvent> ending(TxnState final_state) {
  static constexpr std::array<std::pair<TxnState, RowEvent>, 6> kEndings{{
      {TxnState::completed, RowEvent::complete},
      {TxnState::declined, RowEvent::decline},
      {TxnState::failed, RowEvent::fail},
      {TxnState::cancelled, RowEvent::cancel},
      {TxnState::reversal_pending, RowEvent::reverse},
      {TxnState::in_doubt, RowEvent::doubt},
  }};
  for (const auto& [state, event] : kEndings) {
    if (state == final_state) return event;
  }
  return std::nullopt;
}

}  // namespace

void Engine::Impl::complete_request() {
  Txn& t = *txn;
  t.request.reference_id = t.entry.reference_id;
  t.request.amount = t.entry.amount;
  t.request.tip = t.entry.tip;
  t.request.surcharge = t.entry.surcharge;
  t.request.terminal_id = config.terminal_id;
}

void Engine::Impl::on_authorizing() {
  Txn& t = *txn;
  if (!t.follow_on) {
    complete_request();
    // A stripe carries no CVM list: a swipe without an online PIN is signed for (the
    // schemes' magnetic-stripe CVM), on the merchant copy.
    const bool stripe = t.request.entry_mode == host::EntryMode::swiped ||
                        t.request.entry_mode == host::EntryMode::fallback_swipe;
    if (t.request.entry_mode != host::EntryMode::chip) t.entry.cvm = cvm_of(t.request, stripe);
  }
  t.entry.sent_unix = now();
  // The first time, the row and its sealed request (what forwarding and replay send again) are
  // one commit before the request can reach the host; sent once more, only sent_unix moves.
  const auto written = t.sent        ? journal_move(t.entry, RowEvent::resend)
                       : t.follow_on ? journal_move(t.entry, RowEvent::send_follow_on)
                                     : journal_move(t.entry, RowEvent::send, encode_payload(t.request).reveal());
  if (!written) {
    conclude(TxnOutcome::failed, TxnState::failed, "journal unavailable: nothing was sent", Event::host_error);
    return;
  }
  t.sent = true;
  counter.show(Screen::processing, ScreenArgs{t.entry.amount, {}, {}});
  send_to_host();
}

void Engine::Impl::send_to_host() {
  Txn& t = *txn;
  t.maybe_at_host = true;
  const auto current = begin_step(config.host_timeout, [this] {
    raise(txn->state == State::recovering ? Event::unrecoverable : Event::timed_out);
  });
  auto handler = step_handler<Result<host::HostResult>>(current, [this](Result<host::HostResult> r) {
    on_host_answer(std::move(r));
  });
  if (t.follow_on) {
    const FollowOnRequest& f = *t.follow_on;
    const std::string original_host = t.original ? t.original->host_reference : std::string{};
    switch (f.kind) {
      case TxnKind::capture:
        host.capture({t.entry.reference_id, original_host, f.amount}, std::move(handler));
        return;
      case TxnKind::void_:
        host.void_({t.entry.reference_id, original_host}, std::move(handler));
        return;
      case TxnKind::refund:
        host.refund({t.entry.reference_id, original_host, f.amount}, std::move(handler));
        return;
      case TxnKind::tip_adjust:
        host.tip_adjust({t.entry.reference_id, original_host, f.amount.value_or(Money{0, config.currency})},
                        std::move(handler));
        return;
      default:
        handler(make_error(Errc::invalid_argument, "not a follow-on transaction"));
        return;
    }
  }
  host::AuthorizationRequest copy = t.request;
  switch (t.sale.kind) {
    case TxnKind::preauth:
      host.authorize(std::move(copy), std::move(handler));
      return;
    case TxnKind::verify:
      host.verify(std::move(copy), std::move(handler));
      return;
    default:
      host.sale(std::move(copy), std::move(handler));
      return;
  }
}

void Engine::Impl::on_host_answer(Result<host::HostResult> answer) {
  Txn& t = *txn;
  if (!answer) {
    // Errc::malformed: the host answered something unreadable after receiving the
    // request: as good as a lost answer (host_adapter.hpp contract).
    const Errc code = answer.error().code;
    if (code == Errc::malformed) {
      answer = host::unknown_after_transport_error(answer.error());
    } else if ((code == Errc::io_error || code == Errc::timeout) && !t.follow_on) {
      // Could not be sent (no connection, no token): the host is unreachable. On the first
      // attempt nothing reached it; a failed replay leaves the first attempt in doubt.
      if (t.state == State::authorizing) t.maybe_at_host = false;
      t.report.reason = "host unreachable: " + answer.error().message;
      raise(Event::unrecoverable);
      return;
    } else {
      t.entry.response_message = answer.error().message;
      conclude(TxnOutcome::failed, TxnState::failed, "not sent: " + answer.error().message, Event::host_error);
      return;
    }
  }
  if (const std::string dropped = host::sanitize(*answer); !dropped.empty()) {
    log::warn(kComponent, "host answer: dropped a field of the wrong shape (", dropped, ")");
  }
  t.answer = *answer;
  const host::HostResult& a = *answer;
  t.entry.response_code = a.response_code;
  t.entry.response_message = a.response_message;
  // Whatever the outcome: a declined transaction is one of ours at the host too, and a later
  // recovery must not take it for another request of the same card and amount.
  if (!a.host_reference.empty()) t.entry.host_reference = a.host_reference;
  if (!a.receipt_reference.empty()) t.entry.receipt_reference = a.receipt_reference;
  switch (a.outcome) {
    case host::Outcome::approved:
    case host::Outcome::partially_approved: {
      t.entry.auth_code = a.auth_code;
      // Only money that moves is checked: a verification approves nothing, and a follow-on's
      // amount is the host's record of the original.
      const bool moves_money = !t.follow_on && t.sale.kind != TxnKind::verify;
      const host::ApprovalCheck check =
          moves_money ? host::check_approved_amount(t.entry.amount, a.approved_amount) : host::ApprovalCheck::full;
      if (check == host::ApprovalCheck::host_error) {
        // An approval above the request, of nothing, negative or in another currency: the
        // host is wrong about what it charged. Undo it and say so; never print it. The
        // reversal (with the host's id) is journaled before the void.
        t.report.reason = "the host approved an amount it was not asked for: reversed";
        raise(Event::host_invalid);
        return;
      }
      t.entry.approved_amount = a.approved_amount ? a.approved_amount : std::optional<Money>{t.entry.amount};
      if (!journal_move(t.entry, RowEvent::approve) && !t.follow_on) {
        // The host holds an approval the journal could not record: undo it now, never print it.
        // (A follow-on's row stays `sent`: recovery asks the host what it did.)
        t.report.reason = "journal unavailable after approval";
        raise(Event::host_invalid);
        return;
      }
      raise(check == host::ApprovalCheck::partial ? Event::host_partial : Event::host_approved);
      return;
    }
    case host::Outcome::declined:
      raise(Event::host_declined);
      return;
    case host::Outcome::error:
      conclude(TxnOutcome::failed, TxnState::failed, "refused by the host: " + a.response_message, Event::host_error);
      return;
    case host::Outcome::unknown:
      if (t.state == State::recovering) {
        raise(Event::unrecoverable);
        return;
      }
      raise(Event::host_unknown);
      return;
  }
}

void Engine::Impl::on_recovering() {
  Txn& t = *txn;
  log::warn(kComponent, "host answer lost; asking the host's recovery about ", t.entry.reference_id);
  std::optional<host::AuthorizationRequest> request;
  if (!t.follow_on) request = t.request;
  const auto current = begin_step(config.host_timeout, [this] {
    txn->report.reason = "the host's answer was lost and its recovery did not answer in time";
    raise(Event::unrecoverable);
  });
  host.recover(recovery_query(journal, t.entry, t.original, std::move(request)),
               step_handler<host::RecoveryResult>(current, [this](host::RecoveryResult r) {
                 Txn& x = *txn;
                 log::info(kComponent, "recovery of ", x.entry.reference_id, ": ", to_string(r.fate), " (",
                           r.why, ")");
                 switch (r.fate) {
                   case host::Fate::done:
                     // The host's own record of it: taken as its answer (a chip card still
                     // in the reader completes with it).
                     on_host_answer(std::move(r.result));
                     return;
                   case host::Fate::not_at_host:
                     x.maybe_at_host = false;
                     if (!x.resent) {
                       // Known not done: sending it again cannot make it twice. Once only.
                       x.resent = true;
                       raise(Event::not_at_host);
                       return;
                     }
                     if (x.follow_on) {
                       conclude(TxnOutcome::failed, TxnState::failed,
                                "the host's answer was lost and it has no record of the request: nothing changed",
                                Event::host_error);
                       return;
                     }
                     x.report.reason = "the host's answer was lost and it has no record of the request";
                     raise(Event::unrecoverable);
                     return;
                   case host::Fate::not_known_yet:
                   case host::Fate::ambiguous:
                     x.report.reason = "the host's answer was lost: " + r.why;
                     raise(Event::unrecoverable);
                     return;
                 }
               }));
}

void Engine::Impl::on_completing_chip() {
  Txn& t = *txn;
  const bool host_approved = t.answer && (t.answer->outcome == host::Outcome::approved ||
                                          t.answer->outcome == host::Outcome::partially_approved);
  const bool partial = t.entry.approved_amount && t.entry.approved_amount->minor_units() < t.entry.amount.minor_units();
  if (!t.chip_awaits_completion) {
    if (host_approved) {
      conclude(partial ? TxnOutcome::partially_approved : TxnOutcome::approved, TxnState::completed, {},
               Event::card_approved);
    } else {
      conclude(TxnOutcome::declined, TxnState::declined, "declined by the host: " + t.entry.response_message,
               Event::host_declined);
    }
    return;
  }
  t.chip_awaits_completion = false;
  emv::OnlineResponse response;
  if (t.answer && !t.answer->issuer_response_tlv.empty()) {
    auto parsed = online_response_from_issuer_tags(t.answer->issuer_response_tlv);
    if (parsed) response = std::move(*parsed);
  }
  response.host_reached = true;
  if (response.arc.empty()) {
    // No 8A from the host: say what it decided in the ARC the card understands (Book 4 A6).
    const char* arc = host_approved ? "00" : "05";
    response.arc = Bytes{static_cast<Byte>(arc[0]), static_cast<Byte>(arc[1])};
  }
  auto result = t.kernel->complete(response);
  if (result) {
    t.entry.tvr = to_hex(result->tvr);
    t.entry.tsi = to_hex(result->tsi);
  }
  const bool card_ok = result && result->outcome == emv::Outcome::approved_online;
  if (host_approved && card_ok) {
    conclude(partial ? TxnOutcome::partially_approved : TxnOutcome::approved, TxnState::completed, {},
             Event::card_approved);
  } else if (host_approved) {
    t.report.reason = "the card declined after the host approved (AAC at the second GENERATE AC)";
    t.void_reason = host::VoidReason::card_declined_after_approval;
    raise(Event::card_declined);
  } else {
    conclude(TxnOutcome::declined, TxnState::declined, "declined by the host: " + t.entry.response_message,
             Event::host_declined);
  }
}

void Engine::Impl::on_deciding_partial() {
  Txn& t = *txn;
  if (config.partial == PartialPolicy::accept) {
    raise(Event::partial_accepted);
    return;
  }
  if (config.partial == PartialPolicy::reverse) {
    t.report.reason = "partial approval refused by configuration";
    t.void_reason = host::VoidReason::partial_refused;
    raise(Event::partial_refused);
    return;
  }
  const Money approved = t.entry.approved_amount.value_or(t.entry.amount);
  const Money rest{t.entry.amount.minor_units() - approved.minor_units(), t.entry.amount.currency()};
  const auto current = begin_step(config.prompt_timeout, [this] {
    counter.cancel_prompt();
    txn->report.reason = "no answer at the partial approval prompt";
    txn->void_reason = host::VoidReason::partial_refused;
    raise(Event::timed_out);
  });
  counter.async_confirm(Screen::partial_approval, ScreenArgs{approved, rest, {}},
                        step_handler<Result<bool>>(current, [this](Result<bool> r) {
                          if (r && *r) {
                            raise(Event::partial_accepted);
                            return;
                          }
                          txn->report.reason = "partial approval refused at the counter";
                          txn->void_reason = host::VoidReason::partial_refused;
                          raise(r ? Event::partial_refused : Event::cancelled);
                        }));
}

void Engine::Impl::on_going_offline() {
  Txn& t = *txn;
  if (t.follow_on && t.maybe_at_host) {
    // A capture, void, refund or tip adjust is never re-sent blindly (a lost refund answer
    // must not become two refunds): the queue asks the host's recovery what it did.
    t.entry.reason = t.report.reason.empty() ? "the host's answer was lost" : t.report.reason;
    if (!journal_move(t.entry, RowEvent::doubt)) log::error(kComponent, "resolve could not be queued");
    t.outcome = TxnOutcome::pending;
    t.final_state = TxnState::in_doubt;
    t.report.reason = t.entry.reason + "; the terminal finds out what the host did when it answers again";
    raise(Event::offline_declined);
    return;
  }
  bool approve = false;
  std::string reason = "host unreachable";
  if (t.chip_awaits_completion) {
    // Book 3 10.9: unable to go online; the card decides (TC / AAC) under its own rules.
    t.chip_awaits_completion = false;
    emv::OnlineResponse unable;
    unable.host_reached = false;
    auto result = t.kernel->complete(unable);
    if (result) {
      t.entry.tvr = to_hex(result->tvr);
      t.entry.tsi = to_hex(result->tsi);
    }
    approve = result && result->outcome == emv::Outcome::approved_offline;
    if (!approve) reason = "host unreachable and the card declined offline";
  } else if (!t.follow_on && t.sale.kind == TxnKind::sale && !t.request.pin &&
             t.entry.amount.minor_units() <= config.offline_swipe_limit) {
    approve = true;
  } else {
    reason = "host unreachable and above the offline limit";
  }
  if (approve) {
    // The forward uses the same reference id: if the first request did reach the host,
    // forwarding finds it (replay / lookup) instead of charging twice.
    t.entry.offline = true;
    t.entry.auth_code = "OFFLN";
    auto written = journal_move(t.entry, RowEvent::approve_offline);
    if (written) {
      t.outcome = TxnOutcome::approved_offline;
      t.final_state = TxnState::offline_approved;
      raise(Event::offline_approved);
      return;
    }
    t.entry.offline = false;
    t.entry.auth_code.clear();
    reason = written.error().code == Errc::exhausted ? "host unreachable and the offline queue is full" : "journal unavailable";
  }
  if (!t.maybe_at_host) {
    conclude(TxnOutcome::declined, TxnState::declined, reason, Event::offline_declined);
    return;
  }
  // The request may have reached the host: it must be reversed once the host is back.
  t.entry.reason = reason;
  if (!journal_move(t.entry, RowEvent::reverse)) log::error(kComponent, "reversal could not be queued");
  t.outcome = TxnOutcome::reversed;
  t.final_state = TxnState::reversal_pending;
  t.report.reason = reason;
  raise(Event::offline_declined);
}

void Engine::Impl::on_reversing() {
  Txn& t = *txn;
  t.entry.reason = t.report.reason;
  t.outcome = TxnOutcome::reversed;
  // Queued in the same commit: whatever becomes of the void below, the queue finishes it.
  auto queued = journal_move(t.entry, RowEvent::reverse);
  if (!queued) log::error(kComponent, "reversal could not be queued");
  const std::optional<std::int64_t> seq = queued ? *queued : std::nullopt;
  if (t.entry.host_reference.empty()) {
    // Nothing to name at the host yet: the queue's reversal finds it (lookup / replay).
    t.final_state = TxnState::reversal_pending;
    raise(Event::reversal_done);
    return;
  }
  void_with(
      t.entry, t.entry.host_reference, seq,
      [this](Result<void> r) {
        Txn& x = *txn;
        if (auto row = journal.find(x.entry.reference_id); row && *row) x.entry = **row;
        x.final_state = r ? TxnState::reversed : TxnState::reversal_pending;
        raise(Event::reversal_done);
      },
      t.void_reason);
}

void Engine::Impl::on_finishing() {
  Txn& t = *txn;
  if (t.entry.state != t.final_state) {
    if (t.final_state == TxnState::declined || t.final_state == TxnState::failed ||
        t.final_state == TxnState::cancelled) {
      t.entry.reason = t.report.reason;
    }
    // The end, its sealed data wiped in the same commit, before the receipt prints.
    const auto event = ending(t.final_state);
    if (!event || !journal_move(t.entry, *event)) log::error(kComponent, "final state not journaled");
  }
  const bool printed = t.outcome == TxnOutcome::approved || t.outcome == TxnOutcome::approved_offline ||
                       t.outcome == TxnOutcome::partially_approved || t.outcome == TxnOutcome::declined ||
                       t.outcome == TxnOutcome::reversed;
  if (printed && (t.sent || t.entry.offline || t.outcome == TxnOutcome::declined)) {
    ReceiptData data = receipt_data(t.entry, config);
    if (t.signature) data.cvm = ReceiptCvm::signature;
    std::vector<ReceiptCopy> copies{ReceiptCopy::merchant};
    if (config.print_customer_copy) copies.push_back(ReceiptCopy::customer);
    for (const ReceiptCopy copy : copies) {
      std::string text = render_text(data, copy, ReceiptTemplate::standard(), config.receipt_width);
      const printer::Document doc = render(data, copy, ReceiptTemplate::standard(), config.receipt_width);
      printer::EscPosOptions options;
      options.width = config.receipt_width;
      const Bytes escpos = printer::encode_escpos(doc, options);
      if (auto r = counter.print(escpos, text); !r) {
        log::warn(kComponent, "printer: ", r.error().message);
        t.report.printer_failed = true;
      }
      t.report.receipts.push_back(std::move(text));
    }
  }
  const bool good = t.outcome == TxnOutcome::approved || t.outcome == TxnOutcome::approved_offline ||
                    t.outcome == TxnOutcome::partially_approved;
  // The display's short words (display_text.cpp); the reason in full is the journal's and the log's.
  counter.show(good ? Screen::approved : (t.outcome == TxnOutcome::cancelled ? Screen::cancelled : Screen::declined),
               ScreenArgs{t.entry.approved_amount.value_or(t.entry.amount), {},
                          display_text(t.outcome, t.report.reason, t.entry.response_message, t.entry.auth_code)});
  if (t.kernel || t.fallback) counter.release_card();
  raise(Event::finished);
}

void Engine::Impl::on_done() {
  Txn& t = *txn;
  t.report.outcome = t.outcome;
  t.report.entry = t.entry;
  auto done = std::move(t.done);
  TxnReport report = std::move(t.report);
  txn.reset();
  log::info(kComponent, to_string(report.entry.kind), " ", report.entry.reference_id, ": ", to_string(report.outcome));
  if (done) done(std::move(report));
}

}  // namespace tender::app
