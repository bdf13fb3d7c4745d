#include <boost/asio/post.hpp>

#include "app/engine/engine.hpp"
#include "app/engine/engine_impl.hpp"

namespace tender::app {
namespace {

bool is_card_transaction(TxnKind kind) {
  // A refund names the sale it returns (follow_on): the hosts' refund is linked.
  return kind == TxnKind::sale || kind == TxnKind::preauth || kind == TxnKind::verify;
}

// A request the engine will not start still gets its one answer, later, like any other.
void refuse_later(boost::asio::io_context& io, Engine::Handler<TxnReport> done, std::string reason) {
  TxnReport report;
  report.outcome = TxnOutcome::failed;
  report.reason = std::move(reason);
  boost::asio::post(io, [done = std::move(done), report = std::move(report)]() mutable { done(std::move(report)); });
}

}  // namespace

// ---- public ----

Engine::Engine(boost::asio::io_context& io, EngineConfig config, const emv::TerminalConfig& terminal,
               net::host::HostAdapter& host, Journal& journal, Counter& counter, EngineEnvironment env)
    : impl_(std::make_shared<Impl>(io, std::move(config), terminal, host, journal, counter, std::move(env))) {}

Engine::~Engine() {
  impl_->timer.cancel();
}

bool Engine::busy() const noexcept { return impl_->txn.has_value() || impl_->queue_busy; }
const EngineConfig& Engine::config() const noexcept { return impl_->config; }

void Engine::sale(SaleRequest request, Handler<TxnReport> done) {
  auto& impl = *impl_;
  const auto refuse = [&](std::string reason) { refuse_later(impl.io, std::move(done), std::move(reason)); };
  if (busy()) return refuse("a transaction is already in progress");
  if (!is_card_transaction(request.kind)) return refuse("not a card transaction");
  if (request.kind == TxnKind::verify && !impl.host.capabilities().verify) {
    return refuse("this host has no account verification");
  }
  if (request.amount.currency() != impl.config.currency || request.amount.minor_units() < 0 ||
      (request.amount.minor_units() == 0 && request.kind != TxnKind::verify)) {
    return refuse("amount must be positive and in the terminal currency");
  }
  Impl::Txn t;
  t.sale = request;
  t.entry.kind = request.kind;
  t.entry.amount = request.amount;
  if (request.tip) {
    auto total = add(request.amount, *request.tip);
    if (!total) return refuse("tip: " + total.error().message);
    t.entry.amount = *total;
    t.entry.tip = request.tip;
  }
  t.done = std::move(done);
  impl.begin(std::move(t));
}

void Engine::follow_on(FollowOnRequest request, Handler<TxnReport> done) {
  auto& impl = *impl_;
  const auto refuse = [&](std::string reason) { refuse_later(impl.io, std::move(done), std::move(reason)); };
  if (busy()) return refuse("a transaction is already in progress");
  if (request.kind != TxnKind::capture && request.kind != TxnKind::void_ && request.kind != TxnKind::refund &&
      request.kind != TxnKind::tip_adjust) {
    return refuse("not a follow-on transaction");
  }
  std::optional<JournalEntry> original;
  if (request.original_reference.empty()) {
    // "last": the newest approved sale or pre-authorization of this terminal.
    auto rows = impl.journal.list(0);
    if (rows) {
      for (const auto& row : *rows) {
        if ((row.kind == TxnKind::sale || row.kind == TxnKind::preauth) &&
            (row.state == TxnState::completed || row.state == TxnState::forwarded)) {
          original = row;
          break;
        }
      }
    }
  } else if (auto row = impl.journal.find(request.original_reference); row && *row) {
    original = **row;
  }
  if (!original) return refuse("no such original transaction in the journal");
  original = follow_on_target(impl.journal, std::move(*original), request.kind);
  if (original->host_reference.empty()) return refuse("the original has no host reference (not yet forwarded)");
  const Money base = original->approved_amount.value_or(original->amount);
  if (request.kind == TxnKind::refund && original->batch.empty() &&
      (!request.amount || request.amount->minor_units() == base.minor_units())) {
    // Both hosts refund only settled sales; the whole of an unsettled one is voided instead,
    // which is what the cardholder sees either way (and costs no interchange).
    request.kind = TxnKind::void_;
  }
  Impl::Txn t;
  t.follow_on = request;
  t.original = original;
  t.entry.kind = request.kind;
  t.entry.original_reference = original->reference_id;
  t.entry.masked_pan = original->masked_pan;
  t.entry.card_label = original->card_label;
  t.entry.entry_mode = original->entry_mode;
  t.entry.aid = original->aid;
  t.entry.amount = request.amount.value_or(base);
  if (request.kind == TxnKind::tip_adjust) {
    if (!request.amount) return refuse("tip adjust needs the tip");
    t.entry.tip = request.amount;
    auto total = add(base, *request.amount);
    if (!total) return refuse("tip: " + total.error().message);
    t.entry.amount = *total;
  }
  t.done = std::move(done);
  impl.begin(std::move(t));
}

}  // namespace tender::app
