// The transaction engine (issue 5): one transaction at a time from the amount to exactly
// one end: approved (and printed), declined, cancelled, or reversed, whatever the card,
// the host or the power does meanwhile.
//
// Asynchronous on the terminal's one io_context: prompts and host requests complete through
// handlers, each under a deadline the engine owns; device calls that block (the EMV kernel's
// APDUs, the PIN pad, SQLite commits) run between those steps. Every step with an effect
// outside the terminal is journaled first (app/journal), so recover() after a power cut can
// finish or reverse what was left half done, and the offline queue forwards in order.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/engine/counter.hpp"
#include "app/engine/state_table.hpp"
#include "app/journal/journal.hpp"
#include "app/receipt/receipt.hpp"
#include "emv/context.hpp"
#include "emv/terminal_config.hpp"
#include "net/host/host_adapter.hpp"

namespace boost::asio {
class io_context;
}

namespace tender::app {

// Partial approval (issue 5): ask at the counter, or decide without asking.
enum class PartialPolicy { ask, accept, reverse };

struct EngineConfig {
  MerchantInfo merchant;
  std::string terminal_id = "TENDER01";
  Currency currency = usd();
  // Surcharge (issue 10 item 6): the host's price for a credit card, decided once the card is
  // read and confirmed by the cardholder; never on a debit, prepaid or unknown card.
  bool surcharge = false;
  // Where the merchant is (surcharge law is per state): sent with the host's price requests.
  std::string surcharge_state;                // "TX"; empty: not sent
  std::string surcharge_country = "US";       // ISO 3166-1 alpha-2
  PartialPolicy partial = PartialPolicy::ask;
  // Store and forward: a swiped (or keyed) sale up to this amount may be approved offline
  // when the host is unreachable; chip cards decide themselves under the kernel's floor limit.
  std::int64_t offline_swipe_limit = 0;       // minor units; 0 = never offline for swipes
  std::chrono::milliseconds prompt_timeout{60000};
  std::chrono::milliseconds host_timeout{35000};  // the engine's guard over the adapter's own deadline
  int swipe_attempts = 3;                      // bad swipes before the transaction stops
  int receipt_width = 32;
  bool print_customer_copy = true;
};

// How a transaction ended, for the caller, the display and the tests.
// pending: a follow-on whose answer was lost; the queue finds out what the host did.
enum class TxnOutcome { approved, approved_offline, partially_approved, declined, cancelled, reversed, failed, pending };
std::string_view to_string(TxnOutcome outcome) noexcept;

struct TxnReport {
  TxnOutcome outcome = TxnOutcome::failed;
  JournalEntry entry;                      // the journal row as it ended
  std::vector<std::string> receipts;       // plain text, merchant copy first
  std::vector<std::pair<State, Event>> path;  // every move the state machine made
  std::string reason;                      // why, in the engine's words (never card data)
  bool printer_failed = false;             // a receipt copy did not print (the counter can print it again)
};

struct SaleRequest {
  TxnKind kind = TxnKind::sale;            // sale, preauth, verify, or refund with the card present
  Money amount{0, usd()};
  std::optional<Money> tip;
  // A card keyed at the merchant's menu (CardPresentation::keyed): taken instead of asking the
  // counter for a card. Never shown or logged; the engine reads it as any keyed card.
  std::optional<CardEvent> keyed;
};

struct FollowOnRequest {
  TxnKind kind = TxnKind::capture;         // capture, void, refund (by reference), tip_adjust
  std::string original_reference;          // our reference_id of the original ("" = the last sale)
  std::optional<Money> amount;             // capture / refund amount; tip for tip_adjust
};

struct QueueReport {
  std::size_t forwarded = 0;
  std::size_t forward_declined = 0;
  std::size_t reversed = 0;
  std::size_t remaining = 0;
  std::vector<JournalEntry> finished;      // rows the flush brought to a final state, in order
  std::string stopped_because;             // "" when the queue emptied; else why it did not
};

struct SettleReport {
  bool accepted = false;
  std::size_t transactions = 0;
  std::string batch;
  std::string response_code;
  std::string response_message;
};

struct RecoveryReport {
  std::size_t completed = 0;
  std::size_t reversal_queued = 0;
  std::size_t resolve_queued = 0;  // follow-ons whose answer the power cut lost
  std::size_t cancelled = 0;
  QueueReport queue;
};

// Time and ids, injectable so tests and the crash runs are reproducible.
struct EngineEnvironment {
  std::function<std::int64_t()> unix_now;          // seconds; default: system clock
  std::function<std::string()> new_reference_id;   // default: random UUID v4
  std::function<emv::TransactionInput(const Money&)> kernel_input;  // date/time/counter for the kernel
  emv::RandomSource* random = nullptr;             // default: SystemRandom
  // Called after every journal write with the new state: the crash test's kill points.
  std::function<void(const JournalEntry&)> journaled;
};

class Engine {
 public:
  template <class T>
  using Handler = std::function<void(T)>;

  // Everything must outlive the engine.
  Engine(boost::asio::io_context& io, EngineConfig config, const emv::TerminalConfig& terminal,
         net::host::HostAdapter& host, Journal& journal, Counter& counter, EngineEnvironment env = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void sale(SaleRequest request, Handler<TxnReport> done);
  void follow_on(FollowOnRequest request, Handler<TxnReport> done);
  // Finish what a power cut left (as recover() does), then forward queued offline sales,
  // reversals and resolves in order until the queue is empty or the host stops answering.
  void flush_queue(Handler<QueueReport> done);
  // Runs the journal's recovery first; refuses while a transaction's fate at the host is in
  // doubt (a queued reversal or resolve), so a batch never closes over it.
  void settle(Handler<Result<SettleReport>> done);
  // After a restart: finish or reverse what the journal shows half done, then flush.
  void recover(Handler<RecoveryReport> done);

  [[nodiscard]] bool busy() const noexcept;
  [[nodiscard]] const EngineConfig& config() const noexcept;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// The receipt data of a journal row (both copies come from it).
ReceiptData receipt_data(const JournalEntry& entry, const EngineConfig& config);

}  // namespace tender::app
