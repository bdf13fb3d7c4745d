#include "app/engine/engine.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <ctime>
#include <functional>

#include "app/engine/engine_impl.hpp"
#include "app/engine/payload.hpp"
#include "app/terminal/issuer_response.hpp"
#include "emv/context.hpp"
#include "common/log.hpp"
#include "common/crypto/random.hpp"
#include "drivers/printer/escpos.hpp"
#include "emv/tlv.hpp"

namespace tender::app {
namespace {

constexpr std::string_view kComponent = "engine";

constexpr std::array kOutcomeNames{
    std::pair{TxnOutcome::approved, "approved"},
    std::pair{TxnOutcome::approved_offline, "approved_offline"},
    std::pair{TxnOutcome::partially_approved, "partially_approved"},
    std::pair{TxnOutcome::declined, "declined"},
    std::pair{TxnOutcome::cancelled, "cancelled"},
    std::pair{TxnOutcome::reversed, "reversed"},
    std::pair{TxnOutcome::failed, "failed"},
    std::pair{TxnOutcome::pending, "pending"},
};

// The kernel's date, time and sequence counter from the system clock (UTC: the terminal's
// clock is kept in UTC; a merchant's local time is the receipt's business).
emv::TransactionInput system_kernel_input(const Money& amount) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const auto bcd = [](int v) { return static_cast<Byte>(((v / 10) << 4) | (v % 10)); };
  emv::TransactionInput input;
  input.amount = amount;
  input.date = {bcd(tm.tm_year % 100), bcd(tm.tm_mon + 1), bcd(tm.tm_mday)};
  input.time = {bcd(tm.tm_hour), bcd(tm.tm_min), bcd(tm.tm_sec)};
  return input;
}

// The kernel's questions to the cardholder, put to the counter.
class CounterKernelUi final : public emv::KernelUi {
 public:
  CounterKernelUi(Counter& counter, std::function<Result<Money>(const emv::Candidate&)> amount)
      : counter_(counter), amount_(std::move(amount)) {}
  Result<std::size_t> choose_application(std::span<const emv::Candidate> candidates) override {
    std::vector<std::string> names;
    for (const auto& c : candidates) names.push_back(c.display_name());
    return counter_.choose_application(names);
  }
  Result<bool> confirm_application(const emv::Candidate& candidate) override {
    return counter_.confirm_application(candidate.display_name());
  }
  // The surcharge for the selected application (engine_pricing.cpp).
  Result<Money> amount_for(const emv::Candidate& selected, const Money& requested) override {
    (void)requested;  // the engine prices from its own base, the same amount
    return amount_(selected);
  }

 private:
  Counter& counter_;
  std::function<Result<Money>(const emv::Candidate&)> amount_;
};

}  // namespace

std::string_view to_string(TxnOutcome outcome) noexcept {
  for (const auto& [o, name] : kOutcomeNames) {
    if (o == outcome) return name;
  }
  return "?";
}

Engine::Impl::Impl(boost::asio::io_context& context, EngineConfig cfg, const emv::TerminalConfig& term,
                   host::HostAdapter& adapter, Journal& j, Counter& c, EngineEnvironment environment)
    : io(context),
      config(std::move(cfg)),
      terminal(term),
      host(adapter),
      journal(j),
      counter(c),
      env(std::move(environment)),
      timer(context) {
  if (!env.unix_now) env.unix_now = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
  if (!env.new_reference_id) env.new_reference_id = [] { return random_uuid(); };
  if (!env.kernel_input) env.kernel_input = system_kernel_input;
}

std::int64_t Engine::Impl::now() const { return env.unix_now(); }
std::string Engine::Impl::new_reference() { return env.new_reference_id(); }

Result<std::optional<std::int64_t>> Engine::Impl::journal_move(JournalEntry& entry, RowEvent event, ByteView sealed) {
  auto r = journal.apply(event, entry, sealed);
  if (!r) {
    log::error(kComponent, "journal: ", to_string(event), " not written: ", r.error().describe());
    return r;
  }
  if (env.journaled) env.journaled(entry);
  return r;
}

// ---- asynchronous steps ----

std::uint64_t Engine::Impl::begin_step(std::chrono::milliseconds deadline, std::function<void()> on_timeout) {
  const std::uint64_t current = ++step;
  timer.expires_after(deadline);
  timer.async_wait([self = shared_from_this(), current, on_timeout = std::move(on_timeout)](
                       const boost::system::error_code& ec) {
    if (ec || current != self->step) return;
    ++self->step;  // the step is over: a late answer is dropped
    on_timeout();
  });
  return current;
}

void Engine::Impl::end_step() {
  ++step;
  timer.cancel();
}

// ---- the state machine ----

void Engine::Impl::raise(Event event) {
  Txn& t = *txn;
  t.report.path.emplace_back(t.state, event);
  const auto to = next_state(t.state, event);
  if (!to) {
    // A bug, not a card or host problem: stop where we are, with what the journal knows.
    log::error(kComponent, "no transition from ", to_string(t.state), " on ", to_string(event));
    t.report.reason = "engine: no transition from " + std::string(to_string(t.state)) + " on " +
                      std::string(to_string(event));
    t.outcome = !t.sent ? TxnOutcome::failed : (t.follow_on ? TxnOutcome::pending : TxnOutcome::reversed);
    t.final_state = !t.sent ? TxnState::failed : (t.follow_on ? TxnState::in_doubt : TxnState::reversal_pending);
    t.state = State::finishing;
  } else {
    t.state = *to;
  }
  boost::asio::post(io, [self = shared_from_this()] { self->enter(); });
}

void Engine::Impl::enter() {
  using Action = void (Impl::*)();
  static constexpr std::array<std::pair<State, Action>, 16> kActions{{
      {State::idle, nullptr},
      {State::calculating, &Impl::on_calculating},
      {State::awaiting_card, &Impl::on_awaiting_card},
      {State::pricing_card, &Impl::on_pricing_card},
      {State::confirming_amount, &Impl::on_confirming_amount},
      {State::reading_chip, &Impl::on_reading_chip},
      {State::awaiting_fallback, &Impl::on_awaiting_card},
      {State::entering_pin, &Impl::on_entering_pin},
      {State::authorizing, &Impl::on_authorizing},
      {State::recovering, &Impl::on_recovering},
      {State::completing_chip, &Impl::on_completing_chip},
      {State::deciding_partial, &Impl::on_deciding_partial},
      {State::going_offline, &Impl::on_going_offline},
      {State::reversing, &Impl::on_reversing},
      {State::finishing, &Impl::on_finishing},
      {State::done, &Impl::on_done},
  }};
  for (const auto& [state, action] : kActions) {
    if (state == txn->state && action != nullptr) {
      (this->*action)();
      return;
    }
  }
}

void Engine::Impl::conclude(TxnOutcome outcome, TxnState state, std::string reason, Event event) {
  txn->outcome = outcome;
  txn->final_state = state;
  if (!reason.empty()) txn->report.reason = std::move(reason);
  raise(event);
}

void Engine::Impl::begin(Txn t) {
  txn.emplace(std::move(t));
  Txn& x = *txn;
  // Nothing is journaled yet: the row is written with the request, before it leaves (or at
  // the end, when the transaction ends without sending anything).
  x.entry.reference_id = new_reference();
  x.entry.created_unix = now();
  raise(x.follow_on ? Event::start_followon : Event::start);
}

void Engine::Impl::on_awaiting_card() {
  Txn& t = *txn;
  const bool fallback = t.state == State::awaiting_fallback;
  if (t.sale.keyed && !fallback) {
    // Keyed at the merchant's menu before the sale began: the card is here already. Taken
    // once; should it not read, the counter is asked for a card like any other time.
    CardEvent keyed = std::move(*t.sale.keyed);
    t.sale.keyed.reset();
    keyed.presentation = CardPresentation::keyed;
    counter.show(Screen::processing, ScreenArgs{t.entry.amount, {}, {}});
    boost::asio::post(io, [self = shared_from_this(), keyed = std::move(keyed)]() mutable {
      if (self->txn) self->on_card_event(std::move(keyed));
    });
    return;
  }
  const Screen screen = fallback ? Screen::fallback_swipe : t.next_card_screen;
  const auto current = begin_step(config.prompt_timeout, [this] {
    counter.cancel_prompt();
    conclude(TxnOutcome::cancelled, TxnState::cancelled, "no card presented in time", Event::timed_out);
  });
  counter.async_card(screen, ScreenArgs{t.entry.amount, {}, {}},
                     step_handler<Result<CardEvent>>(current, [this](Result<CardEvent> r) { on_card_event(std::move(r)); }));
}

void Engine::Impl::on_card_event(Result<CardEvent> event) {
  Txn& t = *txn;
  const bool fallback = t.state == State::awaiting_fallback;
  if (!event) {
    const bool timeout = event.error().code == Errc::timeout;
    conclude(TxnOutcome::cancelled, TxnState::cancelled,
             timeout ? "no card presented in time" : "cancelled at the card prompt",
             timeout ? Event::timed_out : Event::cancelled);
    return;
  }
  const auto take = [&](CardReading reading) {
    const auto mode = t.request.entry_mode;
    auto emv = std::move(t.request.emv);  // a fallback's chip facts survive the swipe
    t.request = std::move(reading.request);
    if (fallback) {
      t.request.entry_mode = host::EntryMode::fallback_swipe;
      t.request.emv = std::move(emv);
    } else {
      (void)mode;
    }
    t.entry.masked_pan = reading.masked_pan;
    t.entry.card_label = reading.label;
    t.pan = std::move(reading.pan);
    t.bin = std::move(reading.bin);
    t.entry.entry_mode = stored(t.request.entry_mode);
  };
  const auto bad = [&](const Error& error) {
    ++t.bad_swipes;
    log::info(kComponent, "card not read: ", error.message);
    if (t.bad_swipes >= config.swipe_attempts) {
      conclude(TxnOutcome::cancelled, TxnState::cancelled, "the card could not be read", Event::cancelled);
      return;
    }
    raise(Event::bad_card);
  };
  const host::Capabilities caps = host.capabilities();
  switch (event->presentation) {
    case CardPresentation::inserted:
      if (fallback) {  // the chip failed already: only a swipe goes on
        bad(Error{Errc::unsupported, "fallback needs a swipe"});
        return;
      }
      if (!caps.chip) {
        // The host takes no chip data: this terminal is a magnetic stripe terminal for it.
        counter.release_card();
        t.next_card_screen = Screen::swipe_card;
        log::info(kComponent, "the host takes no chip data: swipe asked");
        raise(Event::bad_card);
        return;
      }
      raise(Event::chip_inserted);
      return;
    case CardPresentation::swiped: {
      auto swipe = read_swipe(*event, counter.pin_pad().available());
      if (!swipe) {
        bad(swipe.error());
        return;
      }
      // EMV Book 4 11.2 / the schemes: a chip card is read by its chip; the stripe only after
      // the chip failed at this terminal (fallback).
      // A host without chip fields makes this a magnetic stripe terminal: the stripe is the read.
      if (swipe->chip_card && !fallback && caps.chip) {
        t.next_card_screen = Screen::insert_card;
        raise(Event::swiped_chip_card);
        return;
      }
      const bool pin = swipe->reading.pin_needed;
      if (pin && !caps.online_pin) {
        conclude(TxnOutcome::declined, TxnState::declined, "the card asks for a PIN and this host cannot carry one",
                 Event::card_refused);
        return;
      }
      take(std::move(swipe->reading));
      raise(pin ? Event::pin_needed : Event::swiped);
      return;
    }
    case CardPresentation::keyed: {
      if (fallback) {
        bad(Error{Errc::unsupported, "fallback needs a swipe"});
        return;
      }
      auto keyed = read_keyed(*event);
      if (!keyed) {
        bad(keyed.error());
        return;
      }
      take(std::move(*keyed));
      raise(Event::keyed);
      return;
    }
  }
}

namespace {

// The kernel's unpredictable numbers (Book 4 6.5.6) from the system's CSPRNG. A terminal
// without entropy must not transact: failure aborts rather than hand out predictable bytes.
class SystemRandom final : public emv::RandomSource {
 public:
  void fill(std::span<Byte> out) override {
    if (!crypto::random_bytes(out)) {
      log::error("engine", "no random bytes from the system: refusing to continue");
      std::abort();
    }
  }
};

}  // namespace

void Engine::Impl::on_reading_chip() {
  Txn& t = *txn;
  static SystemRandom system_random;
  emv::RandomSource& random = env.random != nullptr ? *env.random : system_random;
  t.kernel_ui = std::make_unique<CounterKernelUi>(
      counter, [this](const emv::Candidate& selected) { return chip_amount(selected); });
  t.kernel = std::make_unique<emv::Kernel>(counter.chip_reader(), counter.pin_pad(), terminal, *t.kernel_ui, random);
  emv::TransactionInput input = env.kernel_input(t.entry.amount);
  input.amount = t.entry.amount;
  input.type = t.sale.kind == TxnKind::refund ? emv::TransactionType::refund : emv::TransactionType::goods_services;
  // 9F41: the id the row will get (it is written only when the request leaves).
  auto next_id = journal.next_id();
  input.sequence_counter = static_cast<std::uint32_t>(next_id ? *next_id : 0);
  counter.show(Screen::processing, ScreenArgs{t.entry.amount, {}, {}});
  auto result = t.kernel->start(input);
  if (!result) {
    conclude(TxnOutcome::failed, TxnState::failed, "chip: " + result.error().message, Event::kernel_failed);
    return;
  }
  t.chip = std::move(*result);
  const emv::KernelResult& chip = *t.chip;
  t.entry.aid = to_hex(chip.aid);
  t.entry.card_label = chip.label;
  t.entry.tvr = to_hex(chip.tvr);
  t.entry.tsi = to_hex(chip.tsi);
  if (chip.pan) t.entry.masked_pan = chip.pan->masked();
  t.entry.entry_mode = StoredEntryMode::chip;
  t.signature = chip.signature_required;
  switch (chip.outcome) {
    case emv::Outcome::online_request: {
      CardReading reading = read_chip(chip);
      t.request = std::move(reading.request);
      t.entry.cvm = chip_cvm(chip);
      t.chip_awaits_completion = true;
      raise(Event::kernel_online);
      return;
    }
    case emv::Outcome::approved_offline: {
      // The card approved offline at the first GENERATE AC (within its floor limit): store
      // and forward, like an offline approval after an unreachable host.
      CardReading reading = read_chip(chip);
      t.request = std::move(reading.request);
      complete_request();  // forwarding sends exactly what is sealed here
      t.entry.cvm = chip_cvm(chip);
      t.entry.offline = true;
      // The row, its sealed request and its forwarding: one commit, or none of them.
      if (auto r = journal_move(t.entry, RowEvent::approve_offline, encode_payload(t.request).reveal()); !r) {
        t.entry.offline = false;
        conclude(TxnOutcome::declined, TxnState::declined,
                 r.error().code == Errc::exhausted ? "offline queue full" : "journal unavailable: offline approval refused",
                 Event::kernel_declined);
        return;
      }
      t.outcome = TxnOutcome::approved_offline;
      t.final_state = TxnState::offline_approved;
      raise(Event::kernel_approved);
      return;
    }
    case emv::Outcome::declined_offline:
      conclude(TxnOutcome::declined, TxnState::declined, "declined by the card (AAC)", Event::kernel_declined);
      return;
    case emv::Outcome::fallback:
      t.fallback = true;
      t.request.emv = host::EmvData{};
      t.request.emv->fallback_condition = chip.termination_reason.find("mute") != std::string::npos
                                              ? host::FallbackCondition::icc_terminal_error
                                              : host::FallbackCondition::no_candidate_list;
      t.request.emv->last_chip_read = host::LastChipRead::failed;
      counter.release_card();
      raise(Event::kernel_fallback);
      return;
    case emv::Outcome::terminated:
      if (chip.cancelled) {
        conclude(TxnOutcome::cancelled, TxnState::cancelled,
                 t.amount_refused.empty() ? "cancelled at the card" : t.amount_refused, Event::cancelled);
        return;
      }
      conclude(TxnOutcome::declined, TxnState::declined, "chip: " + chip.termination_reason, Event::kernel_failed);
      return;
    default:
      conclude(TxnOutcome::failed, TxnState::failed, "chip: unexpected kernel outcome", Event::kernel_failed);
      return;
  }
}

void Engine::Impl::on_entering_pin() {
  Txn& t = *txn;
  // The PED enforces its own entry timeout (Errc::timeout); its call blocks until then.
  auto pin = counter.pin_pad().enter_online_pin(t.pan.reveal(), "ENTER PIN");
  if (!pin) {
    const Errc code = pin.error().code;
    const std::string why = code == Errc::timeout     ? "no PIN entered in time"
                            : code == Errc::cancelled ? "PIN entry cancelled"
                                                      : "PIN pad: " + pin.error().message;
    conclude(TxnOutcome::cancelled, TxnState::cancelled, why, code == Errc::timeout ? Event::timed_out : Event::cancelled);
    return;
  }
  if (!pin->bypassed) {
    t.request.pin = host::PinData{SecretBytes{pin->pin_block}, pin->ksn};
    t.entry.cvm = Cvm::online_pin;
  }
  raise(Event::pin_entered);
}

}  // namespace tender::app
