// The money-safety model's world (issue 10): one terminal (engine, journal, simulated
// counter) and the host simulator behind hs::LocalTransport, every clock and id driven by
// one seed so a run replays exactly. Unlike the engine tests' Rig it owns the terminal's
// clock and ids (EngineEnvironment), the simulator's clock, power cuts at any journal write
// (the io_context stops at the hook; the connection may be severed with it), and another
// terminal of the same merchant that sends its own transactions to the same host.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "app/sim/test_device_key.hpp"
#include "net/connexpay/connexpay_adapter.hpp"
#include "tests/app/engine/engine_rig.hpp"

namespace tender::test::model {

namespace hs = net::hostsim;

// SplitMix64: small, fast, and the same numbers on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0 .. n-1 (n > 0).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // An index into a container of n elements (size_t is 32 bits on armhf).
  std::size_t index(std::size_t n) { return static_cast<std::size_t>(below(n)); }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // lo .. hi inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool percent(int p) { return below(100) < static_cast<std::uint64_t>(p); }

 private:
  std::uint64_t state_;
};

// A version 4 UUID in text form from the stream (FullStack takes it as the idempotency key).
inline std::string uuid_v4(Rng& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t a = rng.next();
  std::uint64_t b = rng.next();
  std::string out;
  for (int i = 0; i < 32; ++i) {
    const std::uint64_t word = i < 16 ? a : b;
    int nibble = static_cast<int>((word >> (4 * (i % 16))) & 0xF);
    if (i == 12) nibble = 4;                     // version
    if (i == 16) nibble = 8 | (nibble & 0x3);    // variant 10xx
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += kHex[nibble];
  }
  return out;
}

// Journals go to RAM when the machine has it (/dev/shm): thousands of runs, each a database.
inline std::filesystem::path scratch_root() {
  std::error_code ec;
  const std::filesystem::path shm = "/dev/shm";
  if (std::filesystem::is_directory(shm, ec) && ::access(shm.c_str(), W_OK) == 0) return shm;
  return std::filesystem::temp_directory_path();
}

// The test cards the model uses. Labels only in traces: never a number or a track.
enum class Card { visa_swipe, mc_swipe, pin_swipe, visa_keyed, mc_keyed, chip };
inline std::string_view label(Card c) {
  switch (c) {
    case Card::visa_swipe: return "visa-swipe";
    case Card::mc_swipe: return "mc-swipe";
    case Card::pin_swipe: return "pin-swipe";
    case Card::visa_keyed: return "visa-keyed";
    case Card::mc_keyed: return "mc-keyed";
    case Card::chip: return "chip";
  }
  return "?";
}
inline constexpr std::string_view kChipProfile = "mc_signature";

struct CardData {
  std::string track2;  // swiped (and the chip card's stripe, for a lookalike)
  std::string pan;     // keyed
  std::string expiry;  // keyed, YYMM
};
inline CardData card_data(Card c) {
  switch (c) {
    case Card::visa_swipe: return {"4111111111111111=30121010000000000000", {}, {}};
    case Card::mc_swipe: return {"5413330056003511=30121010000000000000", {}, {}};
    case Card::pin_swipe: return {"5413330089010434=30121200000000000000", {}, {}};
    case Card::visa_keyed: return {{}, "4111111111111111", "3012"};
    case Card::mc_keyed: return {{}, "5413330056003511", "3012"};
    case Card::chip: return {profile_track2(kChipProfile), {}, {}};
  }
  return {};
}
// First six and last four, as the journal's masked PAN and the host's record both keep them.
inline std::pair<std::string, std::string> bin_and_last4(Card c) {
  const CardData d = card_data(c);
  std::string pan = d.pan.empty() ? d.track2.substr(0, d.track2.find('=')) : d.pan;
  return {pan.substr(0, 6), pan.substr(pan.size() - 4)};
}

// What the process builds once: the kernel's terminal configuration and the host's verifiers
// (stateless; the simulators of every run share them).
struct Shared {
  Shared() : issuer(app::TestCardIssuer::builtin().value()) {
    auto t = app::builtin_test_terminal(0);
    if (t) terminal = std::move(*t);
  }
  app::DukptPinVerifier pin_verifier;
  app::TestCardIssuer issuer;
  emv::TerminalConfig terminal;
};

// The adapter as the engine sees it, with a witness: which requests its recovery called
// ambiguous (the only reason the model accepts an item held for the merchant).
class WatchedHost final : public net::host::HostAdapter {
 public:
  WatchedHost(net::host::HostAdapter& inner, std::set<std::string>& ambiguous) : inner_(inner), ambiguous_(ambiguous) {}
  void authorize(net::host::AuthorizationRequest r, net::host::ResultHandler h) override { inner_.authorize(std::move(r), std::move(h)); }
  void sale(net::host::AuthorizationRequest r, net::host::ResultHandler h) override { inner_.sale(std::move(r), std::move(h)); }
  void verify(net::host::AuthorizationRequest r, net::host::ResultHandler h) override { inner_.verify(std::move(r), std::move(h)); }
  void capture(net::host::CaptureRequest r, net::host::ResultHandler h) override { inner_.capture(std::move(r), std::move(h)); }
  void void_(net::host::VoidRequest r, net::host::ResultHandler h) override { inner_.void_(std::move(r), std::move(h)); }
  void refund(net::host::RefundRequest r, net::host::ResultHandler h) override { inner_.refund(std::move(r), std::move(h)); }
  void tip_adjust(net::host::TipAdjustRequest r, net::host::ResultHandler h) override { inner_.tip_adjust(std::move(r), std::move(h)); }
  void settle(net::host::SettleRequest r, net::host::Handler<net::host::SettleResult> h) override { inner_.settle(std::move(r), std::move(h)); }
  void calculate_amount(net::host::CalculateAmountRequest r, net::host::Handler<net::host::CalculateAmountResult> h) override {
    inner_.calculate_amount(std::move(r), std::move(h));
  }
  void lookup(net::host::LookupRequest r, net::host::ResultHandler h) override { inner_.lookup(std::move(r), std::move(h)); }
  void recover(net::host::RecoveryQuery q, net::host::RecoveryHandler h) override {
    std::string reference = q.reference_id;
    inner_.recover(std::move(q), [this, reference, h = std::move(h)](net::host::RecoveryResult r) {
      if (r.fate == net::host::Fate::ambiguous) ambiguous_.insert(reference);
      h(std::move(r));
    });
  }
  [[nodiscard]] net::host::Capabilities capabilities() const override { return inner_.capabilities(); }

 private:
  net::host::HostAdapter& inner_;
  std::set<std::string>& ambiguous_;
};

class World {
 public:
  // Only a request the simulator leaves unanswered waits for it (LocalTransport answers the
  // rest at once, and decides "late" from the script, not the clock): it costs wall time and
  // never decides an outcome, so it is short.
  static constexpr auto kAdapterDeadline = std::chrono::milliseconds{5};

  World(HostKind host, std::uint64_t seed, Shared& shared)
      : host_(host),
        ids_(seed ^ 0x1D5EED0000000001ULL),
        foreign_ids_(seed ^ 0xF0E1600000000002ULL),
        clock_(hs::utc(2026, 11, 21, 9)),
        shared_(shared),
        sim_(hs::HostSimConfig{}, clock_, nullptr, &shared.pin_verifier, &shared.issuer) {
    static int worlds = 0;
    dir_ = scratch_root() / ("tender-model-" + std::to_string(::getpid()) + "-" + std::to_string(++worlds));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    connect();
    open();
  }
  ~World() {
    engine.reset();
    journal.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  HostKind host() const { return host_; }
  hs::Api api() const { return host_; }
  net::host::Capabilities adapter_capabilities() const { return adapter_->capabilities(); }
  hs::HostSimulator& sim() { return sim_; }
  hs::LocalTransport& transport() { return *transport_; }
  hs::ManualClock& clock() { return clock_; }
  // Reference ids whose recovery the adapter called ambiguous, over the whole run.
  const std::set<std::string>& ambiguous() const { return ambiguous_; }
  const app::EngineConfig& config() const { return config_; }

  // Both clocks move together: the terminal's wall clock and the host's.
  void advance(std::chrono::seconds s) { clock_.advance(s); }

  // ---- the host's availability, kept across restarts ----
  void set_down(bool down) {
    down_ = down;
    transport_->set_unreachable(down);
  }
  bool down() const { return down_; }

  // ---- scripted host behaviour (the world remembers it, so a foreign request can step around it) ----
  void script(hs::Script s, int count) {
    script_ = s;
    sim_.script_next(s, count);
  }
  void clear_faults() {
    sim_.script_next(hs::Script{}, 0);
    transport_->lose_answers(0);
    transport_->set_unreachable(down_);
    transport_->observe({});
  }

  // ---- power cuts ----
  // The power goes right after the `at`-th journal write from now (1-based): the io_context
  // stops in the hook, so nothing queued on it runs again; `sever` also cuts the line, so a
  // request the interrupted step still makes never reaches the host.
  void arm_cut(int at, bool sever) {
    cut_at_ = at;
    writes_ = 0;
    sever_ = sever;
    cut_ = false;
  }
  void disarm_cut() { cut_at_ = 0; }
  // Armed and not reached: the operation made fewer journal writes (how many it made).
  std::optional<int> cut_missed() const { return cut_at_ > 0 ? std::optional<int>{writes_} : std::nullopt; }
  bool was_cut() const { return cut_; }
  const std::string& cut_note() const { return cut_note_; }

  // A power cut (or a clean restart): engine, pending work, connection and journal go; the host stays.
  void restart() {
    engine.reset();
    watched_.reset();
    adapter_.reset();
    transport_.reset();
    journal.reset();
    io_.reset();
    io_ = std::make_unique<boost::asio::io_context>();
    cut_ = false;
    cut_at_ = 0;
    connect();
    open();
  }

  // ---- engine calls; nullopt when the power was cut or the engine never answered ----
  enum class End { answered, cut, hang };
  template <class T>
  std::pair<End, std::optional<T>> call(const std::function<void(std::function<void(T)>)>& start) {
    std::optional<T> result;
    start([&](T r) { result.emplace(std::move(r)); });
    io_->restart();
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds{60};
    while (!result && !cut_) {
      // One handler at a time: the answer is seen as soon as it comes (timers left over from
      // abandoned requests may still fire later; the engine's steps ignore them).
      const std::size_t ran = io_->run_one_for(std::chrono::milliseconds{200});
      if (result || cut_) break;
      // No work left and no answer: the engine lost its handler. Or the wall clock ran out.
      if ((ran == 0 && io_->stopped()) || std::chrono::steady_clock::now() > limit)
        return {End::hang, std::nullopt};
    }
    if (cut_) return {End::cut, std::nullopt};
    return {End::answered, std::move(result)};
  }

  std::pair<End, std::optional<app::TxnReport>> sale(app::TxnKind kind, std::int64_t cents) {
    app::SaleRequest request;
    request.kind = kind;
    request.amount = Money{cents, usd()};
    return call<app::TxnReport>([&](auto done) { engine->sale(request, done); });
  }
  std::pair<End, std::optional<app::TxnReport>> follow_on(app::TxnKind kind, const std::string& original,
                                                          std::optional<std::int64_t> cents) {
    app::FollowOnRequest request;
    request.kind = kind;
    request.original_reference = original;
    if (cents) request.amount = Money{*cents, usd()};
    return call<app::TxnReport>([&](auto done) { engine->follow_on(request, done); });
  }
  std::pair<End, std::optional<app::QueueReport>> flush() {
    return call<app::QueueReport>([&](auto done) { engine->flush_queue(done); });
  }
  std::pair<End, std::optional<app::RecoveryReport>> recover() {
    return call<app::RecoveryReport>([&](auto done) { engine->recover(done); });
  }
  std::pair<End, std::optional<Result<app::SettleReport>>> settle() {
    return call<Result<app::SettleReport>>([&](auto done) { engine->settle(done); });
  }

  // ---- another terminal of the same merchant, on its own connection to the same host ----
  // A sale or authorization with this card and amount. Returns the host's id ("" if the
  // host did not record one). It steps around the behaviours scripted for our terminal.
  std::string foreign_payment(Card card, std::int64_t cents, bool authorize) {
    const std::size_t before = sim_.ledger(api()).select([](const hs::Txn&) { return true; }).size();
    with_scripts_aside([&] {
      net::http::Request r;
      r.method = net::http::Method::post;
      r.set_header("Content-Type", "application/json");
      const CardData d = card_data(card);
      const std::string amount = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                                 std::to_string(cents % 100);
      nlohmann::json body;
      if (host_ == HostKind::aurora) {
        r.target = authorize ? "/pay-api/v1/transactions/auth" : "/pay-api/v1/transactions/sale";
        r.set_header("Authorization", "Bearer " + aurora_token());
        body = {{"paymentProcessorId", "proc-1"}, {"currencyId", 1}, {"referenceId", uuid_v4(foreign_ids_)}};
        if (!d.track2.empty()) {
          body["track2"] = d.track2;
        } else {
          body["accountNumber"] = d.pan;
          body["expirationMonth"] = std::stoi(d.expiry.substr(2, 2));
          body["expirationYear"] = std::stoi(d.expiry.substr(0, 2));
        }
        r.body = body.dump();
        // The amount as the exact decimal text (a JSON number with two decimals).
        r.body.insert(r.body.size() - 1, ",\"amount\":" + amount);
      } else if (host_ == HostKind::connexpay) {
        // The merchant's other device, on its own token (H: DeviceGuid names the terminal).
        const hs::ConnexPayConfig merchant;
        r.target = authorize ? "/api/v1/AuthOnlys" : "/api/v1/sales";
        r.set_header("Authorization", "Bearer " + connexpay_token());
        body = {{"DeviceGuid", merchant.other_device_guid},
                {"SequenceNumber", "OTHER" + std::to_string(++foreign_sequence_)},
                {"RiskData", nlohmann::json::object()}};
        if (!authorize) {
          body["TenderType"] = "Credit";
          body["ConnexPayTransaction"] = {{"ExpectedPayments", 1}};
        }
        if (!d.track2.empty()) {
          body["CardDataSource"] = "SWIPE";
          body["Card"] = {{"Track2Data", d.track2}, {"ExpirationDate", d.track2.substr(d.track2.find('=') + 1, 4)}};
          body["TerminalData"] = {{"TerminalCapability", "MAGSTRIPE_ICC_KEYED_ENTRY_ONLY"},
                                  {"TerminalOperatingEnvironment", "ON_MERCHANT_PREMISES_ATTENDED"},
                                  {"CardholderAuthenticationMethod", "NOT_AUTHENTICATED"},
                                  {"TerminalAuthenticationCapability", "PIN_ENTRY"},
                                  {"TerminalOutputCapability", "PRINT_AND_DISPLAY"},
                                  {"MaxPinLength", "12"}};
        } else {
          body["CardDataSource"] = "MANUAL";
          body["Card"] = {{"CardNumber", d.pan}, {"ExpirationDate", d.expiry}};
        }
        r.body = body.dump();
        r.body.insert(r.body.size() - 1, ",\"Amount\":" + amount);
      } else {
        r.target = "/api/transaction";
        r.set_header("Authorization", "api_tender_test");
        body = {{"idempotency_key", uuid_v4(foreign_ids_)},
                {"type", authorize ? "authorize" : "sale"},
                {"amount", cents},
                {"currency", "USD"}};
        if (!d.track2.empty()) {
          body["payment_method"] = {{"card", {{"entry_type", "swiped"}, {"track_2", d.track2}}}};
        } else {
          body["payment_method"] = {
              {"card", {{"entry_type", "keyed"}, {"number", d.pan}, {"expiration_date", d.expiry.substr(2, 2) + "/" + d.expiry.substr(0, 2)}}}};
        }
        r.body = body.dump();
      }
      (void)sim_.handle(r);
    });
    const auto all = sim_.ledger(api()).select([](const hs::Txn&) { return true; });
    return all.size() > before ? all.back()->id : std::string{};
  }
  // Another terminal closes the batch (FullStack: the account's one open batch; Aurora: the
  // merchant's payment processor).
  void foreign_settle() {
    with_scripts_aside([&] {
      net::http::Request r;
      r.method = net::http::Method::post;
      r.set_header("Content-Type", "application/json");
      if (host_ == HostKind::aurora) {
        r.target = "/pay-api/v1/transactions/settle";
        r.set_header("Authorization", "Bearer " + aurora_token());
        r.body = R"({"paymentProcessorId":"proc-1"})";
      } else if (host_ == HostKind::connexpay) {
        // [SIM] a batch is the device's: the other device's close leaves ours open.
        r.target = "/api/v1/Batches/close";
        r.set_header("Authorization", "Bearer " + connexpay_token());
        r.body = nlohmann::json{{"DeviceGuid", hs::ConnexPayConfig{}.other_device_guid}}.dump();
      } else {
        r.target = "/api/terminal/1ucio551tlv85l7moe5s/settle";
        r.set_header("Authorization", "api_tender_test");
      }
      (void)sim_.handle(r);
    });
  }

  std::optional<app::Journal> journal;
  std::unique_ptr<app::Engine> engine;
  ScriptedCounter counter;

 private:
  // Our terminal's scripted behaviours wait in the simulator's queue; a foreign request must
  // neither take them nor meet them: set them aside and put them back.
  void with_scripts_aside(const std::function<void()>& act) {
    net::http::Request q;
    q.method = net::http::Method::get;
    q.target = std::string(hs::kBehaviourPath);
    const auto pending_json = nlohmann::json::parse(sim_.handle(q).response.body, nullptr, false);
    const int pending = pending_json.is_object() ? pending_json.value("pending", 0) : 0;
    if (pending > 0) sim_.script_next(hs::Script{}, 0);
    act();
    if (pending > 0) sim_.script_next(script_, pending);
  }

  std::string aurora_token() {
    net::http::Request r;
    r.method = net::http::Method::post;
    r.target = "/oauth2/token";
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
    r.body = "grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret";
    const auto j = nlohmann::json::parse(sim_.handle(r).response.body, nullptr, false);
    return j.is_object() ? j.value("access_token", std::string{}) : std::string{};
  }

  std::string connexpay_token() {
    const hs::ConnexPayConfig merchant;
    net::http::Request r;
    r.method = net::http::Method::post;
    r.target = "/api/v1/token";
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
    r.body = "grant_type=password&username=" + merchant.username + "&password=" + merchant.password;
    const auto j = nlohmann::json::parse(sim_.handle(r).response.body, nullptr, false);
    return j.is_object() ? j.value("access_token", std::string{}) : std::string{};
  }

  void connect() {
    transport_ = std::make_unique<hs::LocalTransport>(*io_, sim_);
    transport_->set_unreachable(down_);
    auto& transport = *transport_;
    if (host_ == HostKind::aurora) {
      net::aurora::AuroraConfig ac;
      ac.client_id = "tender-test";
      ac.client_secret = SecretString("tender-test-secret");
      ac.payment_processor_id = "proc-1";
      ac.deadline = kAdapterDeadline;
      adapter_ = std::make_unique<net::aurora::AuroraAdapter>(transport, transport, ac);
    } else if (host_ == HostKind::connexpay) {
      const hs::ConnexPayConfig merchant;
      net::connexpay::ConnexPayConfig cc;
      cc.username = merchant.username;
      cc.password = SecretString(merchant.password);
      cc.device_guid = merchant.device_guid;
      cc.merchant_guid = merchant.merchant_guid;
      cc.deadline = kAdapterDeadline;
      cc.unix_now = [this] { return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count(); };
      adapter_ = std::make_unique<net::connexpay::ConnexPayAdapter>(transport, cc);
    } else {
      net::fullstack::FullStackConfig fc;
      fc.api_key = SecretString("api_tender_test");
      fc.terminal_id = "1ucio551tlv85l7moe5s";
      fc.deadline = kAdapterDeadline;
      adapter_ = std::make_unique<net::fullstack::FullStackAdapter>(transport, fc);
    }
    watched_ = std::make_unique<WatchedHost>(*adapter_, ambiguous_);
  }

  void open() {
    auto j = app::Journal::open(dir_ / "journal.db", app::test_device_key());
    if (!j) {
      ADD_FAILURE() << "journal: " << j.error().describe();
      return;
    }
    journal.emplace(std::move(*j));
    config_ = app::EngineConfig{};
    config_.merchant.name = "TENDER MODEL STORE";
    config_.merchant.address = {"1 TEST STREET", "SPRINGFIELD"};
    config_.merchant.merchant_id = "MID0001";
    config_.prompt_timeout = std::chrono::milliseconds{2000};
    config_.host_timeout = std::chrono::seconds{20};  // never reached: the adapter's deadline is 5 ms
    config_.offline_swipe_limit = 5000;
    config_.partial = app::PartialPolicy::ask;
    app::EngineEnvironment env;
    env.unix_now = [this] {
      return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    };
    env.new_reference_id = [this] { return uuid_v4(ids_); };
    env.kernel_input = [this](const Money& amount) {
      using namespace std::chrono;
      const auto t = clock_.now();
      const auto day = floor<days>(t);
      const year_month_day ymd{day};
      const hh_mm_ss hms{floor<seconds>(t - day)};
      const auto bcd = [](std::int64_t v) { return static_cast<Byte>(((v / 10) << 4) | (v % 10)); };
      emv::TransactionInput input;
      input.amount = amount;
      input.date = {bcd(static_cast<int>(ymd.year()) % 100), bcd(static_cast<unsigned>(ymd.month())),
                    bcd(static_cast<unsigned>(ymd.day()))};
      input.time = {bcd(hms.hours().count()), bcd(hms.minutes().count()), bcd(hms.seconds().count())};
      return input;
    };
    env.random = &random_;
    env.journaled = [this](const app::JournalEntry& e) { on_journaled(e); };
    engine = std::make_unique<app::Engine>(*io_, config_, shared_.terminal, *watched_, *journal, counter, env);
  }

  void on_journaled(const app::JournalEntry& e) {
    if (cut_ || cut_at_ <= 0) return;
    if (++writes_ < cut_at_) return;
    cut_ = true;
    cut_at_ = 0;
    cut_note_ = std::string(app::to_string(e.kind)) + " " + std::string(app::to_string(e.state));
    io_->stop();
    if (sever_) transport_->set_unreachable(true);
  }

  HostKind host_;
  std::uint64_t foreign_sequence_ = 0;  // the other device's SequenceNumbers
  Rng ids_;
  Rng foreign_ids_;
  hs::ManualClock clock_;
  Shared& shared_;
  hs::HostSimulator sim_;
  std::filesystem::path dir_;
  std::unique_ptr<boost::asio::io_context> io_ = std::make_unique<boost::asio::io_context>();
  std::unique_ptr<hs::LocalTransport> transport_;
  std::unique_ptr<net::host::HostAdapter> adapter_;
  std::set<std::string> ambiguous_;
  std::unique_ptr<WatchedHost> watched_;
  app::CountingRandom random_;
  app::EngineConfig config_;
  bool down_ = false;
  hs::Script script_;
  int cut_at_ = 0;
  int writes_ = 0;
  bool sever_ = false;
  bool cut_ = false;
  std::string cut_note_;
};

}  // namespace tender::test::model
