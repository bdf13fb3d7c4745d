// Engine internals shared by engine.cpp (the card transaction), engine_queue.cpp (queue,
// recovery, settlement) and engine_card.cpp (card data and receipts). Not for other code.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

#include "app/engine/engine.hpp"
#include "app/journal/lifecycle.hpp"
#include "emv/kernel.hpp"

namespace tender::app {

namespace host = net::host;

// What the cardholder presented, ready for the host (entry mode, card data, tags, PIN).
struct CardReading {
  host::AuthorizationRequest request;  // card-side fields only
  std::string masked_pan;
  std::string label;
  bool pin_needed = false;
  SecretString pan;  // for the PIN block (ISO 9564 formats 0 and 4 bind the PIN to it)
  std::string bin;   // the PAN's first 6 digits (swiped / keyed): the host's BIN price
};

// Swipe: tracks to the request; Errc::malformed / out_of_range for an unreadable card.
// `chip_card` tells the caller whether the service code says 2xx/6xx.
struct SwipeReading {
  CardReading reading;
  bool chip_card = false;
};
Result<SwipeReading> read_swipe(const CardEvent& event, bool pin_pad_available);
Result<CardReading> read_keyed(const CardEvent& event);
// The chip's online data: tags (with 57 for hosts that read the card from them), PIN.
CardReading read_chip(const emv::KernelResult& chip);

StoredEntryMode stored(host::EntryMode mode) noexcept;
host::Operation operation_of(TxnKind kind) noexcept;
// What the adapter's recovery needs to know of a row whose answer was lost.
// The transaction a follow-on of `original` names at the host. A captured pre-authorization is
// voided, refunded or tipped through its capture: where the capture made a transaction of its
// own (ConnexPay's capture is a new sale, H "try voiding the Sale generated instead") that is
// the one to name, and where it did not (Aurora, FullStack) the capture carries the same id.
// Its amount and batch are the capture's too: the capture is what settles.
JournalEntry follow_on_target(const Journal& journal, JournalEntry original, TxnKind kind);
host::RecoveryQuery recovery_query(const Journal& journal, const JournalEntry& entry,
                                   const std::optional<JournalEntry>& original,
                                   std::optional<host::AuthorizationRequest> request);
host::EntryMode entry_mode_of(StoredEntryMode mode) noexcept;
Cvm cvm_of(const host::AuthorizationRequest& request, bool signature) noexcept;
// The CVM the chip performed, from its CVM Results (9F34, EMV Book 3 Annex C3).
Cvm chip_cvm(const emv::KernelResult& chip) noexcept;

struct Engine::Impl : std::enable_shared_from_this<Impl> {
  Impl(boost::asio::io_context& io, EngineConfig config, const emv::TerminalConfig& terminal,
       host::HostAdapter& host, Journal& journal, Counter& counter, EngineEnvironment env);

  // --- one transaction ---
  struct Txn {
    SaleRequest sale;
    std::optional<FollowOnRequest> follow_on;
    std::optional<JournalEntry> original;    // follow-on: the row it acts on
    State state = State::idle;
    JournalEntry entry;
    TxnReport report;
    host::AuthorizationRequest request;      // what goes to the host for a card transaction
    std::optional<host::CalculateAmountResult> prices;  // the host's prices of this sale, before the card
    std::string bin;                         // the swiped or keyed card's BIN (first 6 digits)
    std::string amount_refused;              // why the cardholder ended it at the chip's amount prompt
    std::unique_ptr<emv::KernelUi> kernel_ui;  // before the kernel, which holds a reference
    std::unique_ptr<emv::Kernel> kernel;
    std::optional<emv::KernelResult> chip;
    bool chip_awaits_completion = false;
    bool fallback = false;
    int bad_swipes = 0;
    bool sent = false;                       // a request was handed to the host adapter
    bool maybe_at_host = false;              // ...and it may have reached the host
    bool resent = false;                     // sent once more after recovery said the host never had it
    host::VoidReason void_reason = host::VoidReason::merchant;  // why on_reversing voids (a host may record it)
    Screen next_card_screen = Screen::present_card;
    SecretString pan;                        // the PIN pad's PAN (swiped cards)
    bool signature = false;
    std::optional<host::HostResult> answer;  // the host's last answer
    TxnOutcome outcome = TxnOutcome::failed;
    TxnState final_state = TxnState::failed;
    Handler<TxnReport> done;
  };

  // State entry actions (one per State, looked up in a table).
  void enter();
  // --- the surcharge (engine_pricing.cpp) ---
  void on_calculating();
  void on_pricing_card();
  void on_confirming_amount();
  // The price of a swiped or keyed card from `prices`; raises calculated or surcharge_off.
  void price_card(const host::CalculateAmountResult& prices, bool for_this_card);
  // KernelUi::amount_for: the chip application's total, confirmed at the counter when it
  // carries a surcharge; Errc::cancelled when the cardholder refuses it.
  Result<Money> chip_amount(const emv::Candidate& selected);
  // The sale amount with its tip, before any surcharge.
  [[nodiscard]] Money base_total() const;
  [[nodiscard]] bool surcharge_possible() const;
  [[nodiscard]] host::CalculateAmountRequest calculate_request(std::string bin) const;

  void on_awaiting_card();
  void on_reading_chip();
  void on_entering_pin();
  void on_authorizing();
  void on_recovering();
  void on_completing_chip();
  void on_deciding_partial();
  void on_going_offline();
  void on_reversing();
  void on_finishing();
  void on_done();

  void begin(Txn txn);
  void raise(Event event);
  // Ends the transaction from wherever it is: `outcome` and the journal state it leaves.
  void conclude(TxnOutcome outcome, TxnState state, std::string reason, Event event);
  void send_to_host();
  // The request's transaction fields (reference id, amounts, terminal id) from the row:
  // before it is sealed or sent, whichever comes first.
  void complete_request();
  void on_host_answer(Result<host::HostResult> answer);
  void on_card_event(Result<CardEvent> event);

  // Asynchronous step bookkeeping: a step's handler runs once, posted, and only while it is
  // still the current step; the deadline makes it the timeout instead.
  std::uint64_t begin_step(std::chrono::milliseconds deadline, std::function<void()> on_timeout);
  template <class T>
  std::function<void(T)> step_handler(std::uint64_t step, std::function<void(T)> body);
  void end_step();

  // The journal's only writes of a row: one move of its lifecycle (app/journal/lifecycle.hpp),
  // one commit. An error when the journal refused or failed (the caller decides what that
  // means); the answer is the queue item the move added, if any.
  Result<std::optional<std::int64_t>> journal_move(JournalEntry& entry, RowEvent event, ByteView sealed = {});
  std::string new_reference();
  std::int64_t now() const;

  // --- queue, recovery, settlement (engine_queue.cpp) ---
  void flush_next(std::shared_ptr<QueueReport> report, Handler<QueueReport> done);
  void forward(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next);
  void reverse(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next);
  void void_with(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                 std::function<void(Result<void>)> next, host::VoidReason reason = host::VoidReason::merchant);
  void reversal_not_done(const JournalEntry& entry, std::optional<std::int64_t> seq, bool hold, bool unanswered,
                         const std::string& why, const std::function<void(Result<void>)>& next);
  void confirm_void(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                    std::function<void(Result<void>)> next);
  void refund_settled(JournalEntry entry, std::string host_reference, std::optional<std::int64_t> seq,
                      std::function<void(Result<void>)> next);
  void undecided(std::int64_t seq, std::string_view what, const host::RecoveryResult& r,
                 const std::function<void(Result<void>)>& next);
  void resolve(const QueueItem& item, JournalEntry entry, std::function<void(Result<void>)> next);
  // The adapter's recovery of a queued row, under the engine's deadline.
  void recover_row(const JournalEntry& entry, std::function<void(host::RecoveryResult)> next);
  // Rows a power cut left half done (created, sent, approved...): finished or queued.
  void restore_unfinished(RecoveryReport& report);
  // A queued row's end: its queue item dropped and its sealed data wiped in the same commit.
  Result<void> finish_queued(JournalEntry& entry, RowEvent event);

  boost::asio::io_context& io;
  EngineConfig config;
  const emv::TerminalConfig& terminal;
  host::HostAdapter& host;
  Journal& journal;
  Counter& counter;
  EngineEnvironment env;
  boost::asio::steady_timer timer;
  std::uint64_t step = 0;
  std::optional<Txn> txn;
  bool queue_busy = false;
  std::vector<std::int64_t> attempted;  // queue items tried in this flush
  std::vector<std::int64_t> reasked;    // held-as-ambiguous items asked once more at its end
};

template <class T>
std::function<void(T)> Engine::Impl::step_handler(std::uint64_t current, std::function<void(T)> body) {
  return [self = shared_from_this(), current, body = std::move(body)](T value) mutable {
    // Posted: a device or adapter that answers inside the call must not re-enter the engine.
    boost::asio::post(self->io, [self, current, body = std::move(body), value = std::move(value)]() mutable {
      if (current != self->step) return;
      self->end_step();
      body(std::move(value));
    });
  };
}

}  // namespace tender::app
