// One terminal for engine tests: the engine on a fresh journal, a scripted counter (card
// prompts, yes/no prompts, PIN entries), the built-in virtual cards in a simulated reader,
// the soft PED under the X9.24 test keys, and the host simulator (with the test card
// issuer and the DUKPT PIN verifier) behind an in-process transport, as Aurora or FullStack.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/config/settings.hpp"
#include "app/engine/engine.hpp"
#include "app/hostsim/verifiers.hpp"
#include "app/sim/test_device_key.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/hostsim/local_transport.hpp"

namespace tender::test {

using namespace std::chrono_literals;

using HostKind = net::host::HostKind;
inline std::string_view name(HostKind h) { return net::host::to_string(h); }

// What the cardholder does at a card prompt.
struct CardStep {
  enum Kind { insert, swipe, swipe_raw, key, cancel, silent } kind = insert;
  std::string card;    // built-in profile (insert / swipe)
  std::string track2;  // swipe_raw
  std::string pan;     // key
  std::string expiry;  // key, YYMM
  // insert: the built-in profile changed first (a label, say); keys and PAN stay, so the
  // simulated issuer still knows the card.
  std::function<void(icc::sim::CardProfile&)> edit{};
};
// What happens at a PIN prompt: digits, bypass (""), cancel, or timeout.
struct PinStep {
  enum Kind { digits, bypass, cancel, timeout } kind = digits;
  std::string pin = "1234";
};
// A yes/no prompt: yes, no, or no answer (the engine's deadline).
enum class Confirm { yes, no, cancel, silent };

// Track 2 of a built-in profile's first application, as its stripe would carry it.
inline std::string profile_track2(std::string_view card) {
  auto profile = icc::sim::builtin_profile(card);
  if (!profile || profile->applications.empty()) return {};
  const auto& data = profile->applications.front().data;
  const auto it = data.find(0x57);
  if (it == data.end()) return {};
  std::string hex = to_hex(it->second);
  while (!hex.empty() && (hex.back() == 'F' || hex.back() == 'f')) hex.pop_back();
  for (char& c : hex) {
    if (c == 'D' || c == 'd') c = '=';
  }
  return hex;
}

class ScriptedCounter final : public app::Counter {
 public:
  ScriptedCounter() : pin_pad_(make_ped()) {}

  std::deque<CardStep> cards;
  std::deque<Confirm> confirms;
  std::deque<PinStep> pins;
  std::vector<app::Screen> screens;
  std::vector<std::string> printed;
  std::size_t cancelled_prompts = 0;

  void show(app::Screen screen, const app::ScreenArgs& args) override {
    screens.push_back(screen);
    shown.emplace_back(screen, args);
  }
  std::vector<std::pair<app::Screen, app::ScreenArgs>> shown;  // show() calls with what they said

  void async_card(app::Screen screen, const app::ScreenArgs&, std::function<void(Result<app::CardEvent>)> handler) override {
    screens.push_back(screen);
    if (cards.empty()) return;  // nobody comes: the engine's deadline ends it
    CardStep step = cards.front();
    cards.pop_front();
    app::CardEvent event;
    switch (step.kind) {
      case CardStep::insert: {
        auto card = make_card(step);
        if (!card) {
          ADD_FAILURE() << "no built-in card " << step.card;
          return;
        }
        card_ = std::make_unique<icc::sim::VirtualCard>(std::move(*card));
        reader_.insert(card_.get());
        event.presentation = app::CardPresentation::inserted;
        break;
      }
      case CardStep::swipe:
        event.presentation = app::CardPresentation::swiped;
        event.track2 = SecretString{profile_track2(step.card)};
        break;
      case CardStep::swipe_raw:
        event.presentation = app::CardPresentation::swiped;
        event.track2 = SecretString{step.track2};
        break;
      case CardStep::key:
        event.presentation = app::CardPresentation::keyed;
        event.pan = SecretString{step.pan};
        event.expiry_yymm = SecretString{step.expiry};
        break;
      case CardStep::cancel:
        handler(make_error(Errc::cancelled, "CANCEL"));
        return;
      case CardStep::silent:
        return;
    }
    handler(std::move(event));
  }

  void async_confirm(app::Screen screen, const app::ScreenArgs& args, std::function<void(Result<bool>)> handler) override {
    screens.push_back(screen);
    if (screen == app::Screen::confirm_amount) totals.push_back(args);
    if (confirms.empty()) {
      handler(true);
      return;
    }
    const Confirm c = confirms.front();
    confirms.pop_front();
    if (c == Confirm::silent) return;
    if (c == Confirm::cancel) {
      handler(make_error(Errc::cancelled, "CANCEL"));
      return;
    }
    handler(c == Confirm::yes);
  }

  // The chip's surcharge confirmation (blocking): answered from the same yes/no script.
  Result<bool> confirm_total(const app::ScreenArgs& args) override {
    screens.push_back(app::Screen::confirm_amount);
    totals.push_back(args);
    if (confirms.empty()) return true;
    const Confirm c = confirms.front();
    confirms.pop_front();
    if (c == Confirm::silent) return make_error(Errc::timeout, "no answer");
    if (c == Confirm::cancel) return make_error(Errc::cancelled, "CANCEL");
    return c == Confirm::yes;
  }
  std::vector<app::ScreenArgs> totals;  // every confirm_amount screen (the swipe's or the chip's)

  void cancel_prompt() override { ++cancelled_prompts; }
  icc::CardReader& chip_reader() override { return reader_; }
  pinpad::PinPad& pin_pad() override { return *pin_pad_; }
  void release_card() override {
    (void)reader_.power_off();
    reader_.remove();
  }
  Result<void> print(ByteView escpos, std::string_view text) override {
    EXPECT_FALSE(escpos.empty());
    if (printer_down) return make_error(Errc::io_error, "printer: out of paper");
    printed.emplace_back(text);
    return ok();
  }
  bool printer_down = false;  // print() fails, as a printer out of paper or unplugged

 private:
  static Result<icc::sim::VirtualCard> make_card(const CardStep& step) {
    if (!step.edit) return icc::sim::make_builtin_card(step.card);
    auto profile = icc::sim::builtin_profile(step.card);
    if (!profile) return std::move(profile).error();
    step.edit(*profile);
    auto pki = icc::sim::builtin_pki();
    if (!pki) return std::move(pki).error();
    return icc::sim::VirtualCard::create(*profile, **pki);
  }

  std::unique_ptr<pinpad::SoftPed> make_ped() {
    // The PED's PIN source reads this counter's PIN script; no step left means "1234".
    pinpad::PinSource source = [this](std::string_view) -> Result<std::optional<SecretString>> {
      if (pins.empty()) return std::optional<SecretString>{SecretString{"1234"}};
      PinStep step = pins.front();
      pins.pop_front();
      switch (step.kind) {
        case PinStep::digits:
          return std::optional<SecretString>{SecretString{step.pin}};
        case PinStep::bypass:
          return std::optional<SecretString>{};
        case PinStep::cancel:
          return make_error(Errc::cancelled, "CANCEL at PIN entry");
        case PinStep::timeout:
          return make_error(Errc::timeout, "no PIN entered");
      }
      return make_error(Errc::cancelled, "unknown PIN step");
    };
    auto ped = app::test_pin_pad(std::move(source));
    EXPECT_TRUE(ped);
    return ped ? std::make_unique<pinpad::SoftPed>(std::move(*ped)) : nullptr;
  }

  icc::SimReader reader_;
  std::unique_ptr<icc::sim::VirtualCard> card_;
  std::unique_ptr<pinpad::SoftPed> pin_pad_;
};

}  // namespace tender::test

namespace tender::test {

namespace hs = net::hostsim;


inline std::filesystem::path fresh_dir(std::string_view what) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("tender-" + std::string(what) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The real adapter with a test's thumb on it: other capabilities, or the n-th answer of
// sale() rewritten (to reach engine moves the simulator has no reason to produce).
class TweakedHost final : public net::host::HostAdapter {
 public:
  using Rewrite = std::function<void(Result<net::host::HostResult>&)>;
  explicit TweakedHost(net::host::HostAdapter& inner) : inner_(inner) {}

  std::optional<net::host::Capabilities> caps;
  std::map<int, Rewrite> sale_rewrites;  // by call number, from 0
  std::function<void(net::host::RecoveryResult&)> recover_rewrite;  // every recovery's answer

  // The seam's surcharge side: every price request, and the answer a test gives in the
  // adapter's place (how Aurora prices by card type and FullStack by BIN).
  std::function<Result<net::host::CalculateAmountResult>(const net::host::CalculateAmountRequest&)> prices;
  std::vector<net::host::CalculateAmountRequest> calculations;
  std::vector<net::host::AuthorizationRequest> sent;  // every sale and authorization, as the engine asked
  // The adapter gets the total as a plain amount, without the surcharge field. Stands in for
  // the Aurora adapter's fix (issue 10 item 6): today it subtracts the surcharge from the
  // amount and sends no surchargeRate, so Aurora would charge the base price.
  bool surcharge_in_amount = false;

  void authorize(net::host::AuthorizationRequest r, net::host::ResultHandler h) override {
    sent.push_back(r);
    if (surcharge_in_amount) r.surcharge.reset();
    inner_.authorize(std::move(r), std::move(h));
  }
  void sale(net::host::AuthorizationRequest r, net::host::ResultHandler h) override {
    sent.push_back(r);
    if (surcharge_in_amount) r.surcharge.reset();
    const int n = sales_++;
    auto it = sale_rewrites.find(n);
    if (it == sale_rewrites.end()) {
      inner_.sale(std::move(r), std::move(h));
      return;
    }
    inner_.sale(std::move(r), [rewrite = it->second, h = std::move(h)](Result<net::host::HostResult> x) {
      rewrite(x);
      h(std::move(x));
    });
  }
  void verify(net::host::AuthorizationRequest r, net::host::ResultHandler h) override { inner_.verify(std::move(r), std::move(h)); }
  void capture(net::host::CaptureRequest r, net::host::ResultHandler h) override { inner_.capture(std::move(r), std::move(h)); }
  Rewrite void_rewrite;  // every void's answer
  void void_(net::host::VoidRequest r, net::host::ResultHandler h) override {
    if (!void_rewrite) {
      inner_.void_(std::move(r), std::move(h));
      return;
    }
    inner_.void_(std::move(r), [rewrite = void_rewrite, h = std::move(h)](Result<net::host::HostResult> x) {
      rewrite(x);
      h(std::move(x));
    });
  }
  void refund(net::host::RefundRequest r, net::host::ResultHandler h) override { inner_.refund(std::move(r), std::move(h)); }
  void tip_adjust(net::host::TipAdjustRequest r, net::host::ResultHandler h) override { inner_.tip_adjust(std::move(r), std::move(h)); }
  void settle(net::host::SettleRequest r, net::host::Handler<net::host::SettleResult> h) override { inner_.settle(std::move(r), std::move(h)); }
  void calculate_amount(net::host::CalculateAmountRequest r, net::host::Handler<net::host::CalculateAmountResult> h) override {
    calculations.push_back(r);
    if (prices) {
      h(prices(r));
      return;
    }
    inner_.calculate_amount(std::move(r), std::move(h));
  }
  void lookup(net::host::LookupRequest r, net::host::ResultHandler h) override { inner_.lookup(std::move(r), std::move(h)); }
  void recover(net::host::RecoveryQuery q, net::host::RecoveryHandler h) override {
    if (!recover_rewrite) {
      inner_.recover(std::move(q), std::move(h));
      return;
    }
    inner_.recover(std::move(q), [rewrite = recover_rewrite, h = std::move(h)](net::host::RecoveryResult r) {
      rewrite(r);
      h(std::move(r));
    });
  }
  [[nodiscard]] net::host::Capabilities capabilities() const override { return caps.value_or(inner_.capabilities()); }

 private:
  net::host::HostAdapter& inner_;
  int sales_ = 0;
};

struct RigOptions {
  HostKind host = HostKind::aurora;
  std::int64_t floor_limit = 0;  // the chip kernel's terminal floor limit (minor units)
  std::size_t queue_cap = 100;
  std::chrono::milliseconds adapter_deadline = 300ms;
  std::function<void(app::EngineConfig&)> tweak;
  std::function<void(TweakedHost&)> host_tweak;
  // The simulator's own option (net/hostsim/aurora_api.hpp): Aurora answers carry the chip
  // issuer's response tags. The real host sends none: off unless a test looks at them.
  bool issuer_emv_data = false;
};

class Rig {
 public:
  explicit Rig(RigOptions options = {})
      : options_(std::move(options)),
        issuer_(app::TestCardIssuer::builtin().value()),
        sim_(sim_config(options_), clock_, nullptr, &pin_verifier_, &issuer_),
        dir_(fresh_dir("engine")) {
    connect();
    auto terminal = app::builtin_test_terminal(options_.floor_limit);
    EXPECT_TRUE(terminal);
    if (terminal) terminal_ = std::move(*terminal);
    open();
  }

  static hs::HostSimConfig sim_config(const RigOptions& options) {
    hs::HostSimConfig config;
    config.aurora.issuer_emv_data = options.issuer_emv_data;
    return config;
  }

  void connect() {
    transport_ = std::make_unique<hs::LocalTransport>(*io_, sim_);
    auto& transport = *transport_;
    if (options_.host == HostKind::aurora) {
      net::aurora::AuroraConfig ac;
      ac.client_id = "tender-test";
      ac.client_secret = SecretString("tender-test-secret");
      ac.payment_processor_id = "proc-1";
      ac.deadline = options_.adapter_deadline;
      adapter_ = std::make_unique<net::aurora::AuroraAdapter>(transport, transport, ac);
    } else {
      net::fullstack::FullStackConfig fc;
      fc.api_key = SecretString("api_tender_test");
      fc.terminal_id = "1ucio551tlv85l7moe5s";
      fc.deadline = options_.adapter_deadline;
      fc.unix_now = [this] { return unix_now(); };  // the idempotency window by the rig's one clock
      adapter_ = std::make_unique<net::fullstack::FullStackAdapter>(transport, fc);
    }
    tweaked_ = std::make_unique<TweakedHost>(*adapter_);
    if (options_.host_tweak) options_.host_tweak(*tweaked_);
  }
  ~Rig() {
    engine.reset();
    journal.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A power cut: the engine, its pending work, the connection and the journal go away
  // mid-whatever (nothing queued on the old io_context runs again); the host stays.
  void restart() {
    engine.reset();
    tweaked_.reset();
    adapter_.reset();
    transport_.reset();
    journal.reset();
    io_.reset();
    io_ = std::make_unique<boost::asio::io_context>();
    connect();
    open();
  }

  app::TxnReport sale(std::int64_t cents, app::TxnKind kind = app::TxnKind::sale, std::optional<std::int64_t> tip = {}) {
    app::SaleRequest request;
    request.kind = kind;
    request.amount = Money{cents, usd()};
    if (tip) request.tip = Money{*tip, usd()};
    return wait<app::TxnReport>([&](auto done) { engine->sale(request, done); }).value_or(app::TxnReport{});
  }
  app::TxnReport follow_on(app::TxnKind kind, std::string original = {}, std::optional<std::int64_t> cents = {}) {
    app::FollowOnRequest request;
    request.kind = kind;
    request.original_reference = std::move(original);
    if (cents) request.amount = Money{*cents, usd()};
    return wait<app::TxnReport>([&](auto done) { engine->follow_on(request, done); }).value_or(app::TxnReport{});
  }
  // Starts a sale and returns at once (the caller drives io_ and may cut the power).
  void start_sale(std::int64_t cents) {
    app::SaleRequest request;
    request.amount = Money{cents, usd()};
    engine->sale(request, [](app::TxnReport) {});
  }
  // Sees every journal write the engine makes (set before the sale; kept over restarts).
  void on_journaled(std::function<void(const app::JournalEntry&)> hook) {
    journaled_ = std::move(hook);
    engine.reset();
    open_engine();
  }

  app::QueueReport flush() {
    return wait<app::QueueReport>([&](auto done) { engine->flush_queue(done); }).value_or(app::QueueReport{});
  }
  app::RecoveryReport recover() {
    return wait<app::RecoveryReport>([&](auto done) { engine->recover(done); }).value_or(app::RecoveryReport{});
  }
  Result<app::SettleReport> settle() {
    auto r = wait<Result<app::SettleReport>>([&](auto done) { engine->settle(done); });
    if (!r) return make_error(Errc::timeout, "settle did not finish");
    return std::move(*r);
  }

  void script(hs::Behaviour behaviour, int count = 1, std::int64_t partial = 0) {
    hs::Script s;
    s.behaviour = behaviour;
    s.partial_amount = partial;
    sim_.script_next(s, count);
  }
  void unreachable(bool down) { transport_->set_unreachable(down); }
  void lose_answers(int count) { transport_->lose_answers(count); }
  hs::LocalTransport& transport() { return *transport_; }
  net::host::HostAdapter& adapter() { return *adapter_; }
  TweakedHost& tweaked() { return *tweaked_; }
  // Aurora fetches its OAuth token on first use; scripted behaviours must meet the
  // transaction, not the token request: a lookup (by host id: Aurora cannot look up by our
  // reference) that finds nothing fetches the token.
  void warm_up() {
    if (options_.host != HostKind::aurora) return;
    std::optional<Result<net::host::HostResult>> r;
    adapter_->lookup({{}, "00000000-0000-4000-8000-000000000000"}, [&](Result<net::host::HostResult> x) { r.emplace(std::move(x)); });
    io_->restart();
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (!r && std::chrono::steady_clock::now() < end) io_->run_for(5ms);
  }
  std::size_t queued() {
    auto q = journal->queue();
    return q ? q->size() : 0;
  }
  hs::HostSimulator& sim() { return sim_; }
  const std::filesystem::path& dir() const { return dir_; }
  HostKind host() const { return options_.host; }

  std::unique_ptr<boost::asio::io_context> io_ = std::make_unique<boost::asio::io_context>();
  ScriptedCounter counter;
  std::optional<app::Journal> journal;
  std::unique_ptr<app::Engine> engine;
  app::CountingRandom random;

 private:
  void open() {
    app::JournalOptions jo;
    jo.offline_queue_cap = options_.queue_cap;
    auto j = app::Journal::open(dir_ / "journal.db", app::test_device_key(), jo);
    ASSERT_TRUE(j) << j.error().describe();
    journal.emplace(std::move(*j));
    open_engine();
  }

  void open_engine() {
    app::EngineConfig config;
    config.merchant.name = "TENDER TEST STORE";
    config.merchant.address = {"1 TEST STREET", "SPRINGFIELD"};
    config.merchant.merchant_id = "MID0001";
    config.prompt_timeout = 100ms;
    config.host_timeout = 2s;
    config.offline_swipe_limit = 5000;
    if (options_.tweak) options_.tweak(config);
    app::EngineEnvironment env;
    env.random = &random;
    // The terminal's clock is the host's: a recovery that searches the host's records by the
    // time of its attempts (Aurora) must see the two agree, as they do in the field.
    env.unix_now = [this] {
      return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    };
    env.journaled = [this](const app::JournalEntry& e) {
      if (journaled_) journaled_(e);
    };
    engine = std::make_unique<app::Engine>(*io_, config, terminal_, *tweaked_, *journal, counter, env);
  }

  template <class T>
  std::optional<T> wait(const std::function<void(std::function<void(T)>)>& start) {
    std::optional<T> result;
    start([&](T r) { result.emplace(std::move(r)); });
    const auto end = std::chrono::steady_clock::now() + 20s;
    io_->restart();
    while (!result && std::chrono::steady_clock::now() < end) io_->run_for(5ms);
    if (!result) ADD_FAILURE() << "the engine did not finish within 20 s";
    return result;
  }

  std::int64_t unix_now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  }

  RigOptions options_;
  hs::ManualClock clock_{hs::utc(2026, 11, 21)};
  app::DukptPinVerifier pin_verifier_;
  app::TestCardIssuer issuer_;
  hs::HostSimulator sim_;
  std::unique_ptr<hs::LocalTransport> transport_;
  std::unique_ptr<net::host::HostAdapter> adapter_;
  std::unique_ptr<TweakedHost> tweaked_;
  std::function<void(const app::JournalEntry&)> journaled_;
  emv::TerminalConfig terminal_;
  std::filesystem::path dir_;
};

}  // namespace tender::test
