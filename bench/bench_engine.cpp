// One whole sale through the transaction engine (issue 5), the way a terminal runs it: the
// engine on a journal in a temp dir, the Aurora adapter on our HTTPS client, the host
// simulator (DUKPT PIN verifier, test card issuer) behind our HTTPS server on loopback,
// all on one io_context. The counter answers at once and its cards are made outside the
// timed region, so the figure is the terminal's own cost per sale (kernel APDUs, PIN block,
// TLS, JSON, journal commits, receipts), not a cardholder's nor the card issuer's. The chip
// sale with online PIN is the heavy path; the swipe is its baseline.
//
// The simulator keeps every transaction in memory, so RSS grows a little with each sale:
// rss_growth_kib says by how much over the run, peak_rss_kib is the whole process's peak.
// The journal lives under temp_directory_path() (TMPDIR): every sale makes several
// synchronous=FULL commits, so the wall time follows that disk's fsync latency; compare
// with TMPDIR=/dev/shm to see the code alone.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/config/settings.hpp"
#include "app/engine/engine.hpp"
#include "app/hostsim/verifiers.hpp"
#include "app/sim/test_device_key.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"
#include "bench/bench_support.hpp"

namespace {

using namespace std::chrono_literals;
using namespace tender;
namespace hs = tender::net::hostsim;

const net::tls::test_pki::LoopbackPki& pki() { return net::tls::test_pki::loopback_pki(); }

// ISO 7813 track 2 of the documents' Visa test card, service code 101: stripe only, no PIN.
constexpr std::string_view kSwipeTrack2 = "4111111111111111=30121010000000000000";

long peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // Linux: KiB
}

// Resident now (the peak never falls, so it cannot show growth within one run).
long current_rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}


// A counter with nobody at it who takes any time: every card prompt gets the same card at
// once, every question ENTER, every receipt goes nowhere. The PIN pad is the soft PED
// under the X9.24 test keys with the test cards' PIN.
class InstantCounter final : public app::Counter {
 public:
  enum class Presents { chip, swipe };

  InstantCounter(Presents presents, pinpad::SoftPed ped) : presents_(presents), ped_(std::move(ped)) {}

  void show(app::Screen, const app::ScreenArgs&) override {}

  void async_card(app::Screen, const app::ScreenArgs&, std::function<void(Result<app::CardEvent>)> handler) override {
    app::CardEvent event;
    if (presents_ == Presents::swipe) {
      event.presentation = app::CardPresentation::swiped;
      event.track2 = SecretString{std::string{kSwipeTrack2}};
      handler(std::move(event));
      return;
    }
    if (!next_card_) {
      if (auto made = make_card(); !made) {
        handler(made.error());
        return;
      }
    }
    card_ = std::move(next_card_);
    reader_.insert(card_.get());
    event.presentation = app::CardPresentation::inserted;
    handler(std::move(event));
  }

  void async_confirm(app::Screen, const app::ScreenArgs&, std::function<void(Result<bool>)> handler) override {
    handler(true);
  }
  void cancel_prompt() override {}
  icc::CardReader& chip_reader() override { return reader_; }
  pinpad::PinPad& pin_pad() override { return ped_; }
  void release_card() override {
    (void)reader_.power_off();
    reader_.remove();
  }
  Result<void> print(ByteView, std::string_view) override { return ok(); }

  // A fresh card for the next insert, as a new cardholder brings one (no ATC or PIN try
  // counter carried between sales). Made ahead because personalising it (RSA-signing its
  // certificates) is the card issuer's work, and costs more than the terminal's whole sale.
  Result<void> make_card() {
    auto card = icc::sim::make_builtin_card("visa_online_pin");
    if (!card) return std::move(card).error();
    next_card_ = std::make_unique<icc::sim::VirtualCard>(std::move(*card));
    return ok();
  }

 private:
  Presents presents_;
  icc::SimReader reader_;
  std::unique_ptr<icc::sim::VirtualCard> card_;
  std::unique_ptr<icc::sim::VirtualCard> next_card_;
  pinpad::SoftPed ped_;
};

// Everything a sale needs, built once per benchmark run (the TLS handshake and the OAuth
// token are paid by a warm-up sale, not by the measured ones).
class Terminal {
 public:
  static std::unique_ptr<Terminal> create(InstantCounter::Presents presents, std::string& error) {
    auto issuer = app::TestCardIssuer::builtin();
    auto ped = app::test_pin_pad(std::optional<std::string_view>{app::kTestCardPin});
    auto terminal = app::builtin_test_terminal();
    if (!issuer || !ped || !terminal) {
      error = "test issuer, PIN pad or terminal configuration";
      return nullptr;
    }
    auto t = std::unique_ptr<Terminal>(new Terminal(std::move(*issuer), presents, std::move(*ped), std::move(*terminal)));
    if (!t->start(error)) return nullptr;
    return t;
  }

  ~Terminal() {
    engine_.reset();
    adapter_.reset();
    api_.reset();
    oauth_.reset();
    if (server_) server_->stop();
    io_.restart();
    io_.run_for(20ms);
    server_.reset();
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  Result<void> prepare_card() { return counter_.make_card(); }

  // One sale to its end; nullopt if the engine did not finish within the guard.
  std::optional<app::TxnReport> sale(std::int64_t cents) {
    std::optional<app::TxnReport> report;
    app::SaleRequest request;
    request.amount = Money{cents, usd()};
    engine_->sale(request, [&](app::TxnReport r) { report.emplace(std::move(r)); });
    const auto end = std::chrono::steady_clock::now() + 10s;
    io_.restart();
    while (!report && std::chrono::steady_clock::now() < end) io_.run_one_for(100ms);
    return report;
  }

 private:
  Terminal(app::TestCardIssuer issuer, InstantCounter::Presents presents, pinpad::SoftPed ped,
           emv::TerminalConfig terminal)
      : issuer_(std::move(issuer)),
        sim_(hs::HostSimConfig{}, clock_, nullptr, &pin_verifier_, &issuer_),
        counter_(presents, std::move(ped)),
        terminal_(std::move(terminal)) {}

  bool start(std::string& error) {
    net::http::ServerOptions server_options;
    server_options.tls.cert_chain_pem = pki().server.cert_pem;
    server_options.tls.key_pem = SecretString(pki().server.key_pem.reveal());
    server_options.read_timeout = 5s;
    auto server = net::http::Server::create(
        io_, server_options, [this](net::http::Request request, net::http::ServerReply reply) { reply(sim_.handle(request)); });
    if (!server) {
      error = server.error().describe();
      return false;
    }
    server_ = std::move(*server);
    api_ = make_client(error);
    oauth_ = make_client(error);
    if (!api_ || !oauth_) return false;

    net::aurora::AuroraConfig ac;
    ac.client_id = "tender-test";
    ac.client_secret = SecretString("tender-test-secret");
    ac.payment_processor_id = "proc-1";
    ac.deadline = 4s;  // under the engine's guard, so the adapter's own timeout is the one seen
    adapter_ = std::make_unique<net::aurora::AuroraAdapter>(*api_, *oauth_, ac);

    app::JournalOptions jo;
    jo.offline_queue_cap = 100;
    auto journal = app::Journal::open(dir_.path() / "journal.db", app::test_device_key(), jo);
    if (!journal) {
      error = journal.error().describe();
      return false;
    }
    journal_.emplace(std::move(*journal));

    app::EngineConfig config;
    config.merchant.name = "TENDER BENCH STORE";
    config.merchant.address = {"1 TEST STREET", "SPRINGFIELD"};
    config.merchant.merchant_id = "MID0001";
    config.prompt_timeout = 10min;  // the counter answers at once; no deadline should ever pass
    config.host_timeout = 5s;
    app::EngineEnvironment env;
    env.random = &random_;
    engine_ = std::make_unique<app::Engine>(io_, config, terminal_, *adapter_, *journal_, counter_, env);
    return true;
  }

  std::unique_ptr<net::http::Client> make_client(std::string& error) {
    net::http::ClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_->port();
    options.server_name = "localhost";
    options.tls.ca_pem = pki().ca.cert_pem;
    auto client = net::http::Client::create(io_, options);
    if (!client) {
      error = client.error().describe();
      return nullptr;
    }
    return std::move(*client);
  }

  boost::asio::io_context io_;
  hs::SystemClock clock_;
  app::DukptPinVerifier pin_verifier_;
  app::TestCardIssuer issuer_;
  hs::HostSimulator sim_;
  InstantCounter counter_;
  emv::TerminalConfig terminal_;
  app::CountingRandom random_;
  bench::TempDir dir_{"engine"};
  std::unique_ptr<net::http::Server> server_;
  std::unique_ptr<net::http::Client> api_;
  std::unique_ptr<net::http::Client> oauth_;
  std::unique_ptr<net::aurora::AuroraAdapter> adapter_;
  std::optional<app::Journal> journal_;
  std::unique_ptr<app::Engine> engine_;
};

// What went wrong, in the engine's words: outcome, reason and the moves it made (never card data).
std::string describe(const app::TxnReport& report) {
  std::string text = "not approved: outcome=" + std::string(app::to_string(report.outcome)) + " reason=\"" +
                     report.reason + "\" path=";
  for (const auto& [state, event] : report.path) {
    text += std::string(app::to_string(state)) + "/" + std::string(app::to_string(event)) + " ";
  }
  return text;
}

void engine_sale(benchmark::State& state, InstantCounter::Presents presents) {
  log::set_level(log::Level::warn);
  std::string error;
  auto terminal = Terminal::create(presents, error);
  if (!terminal) return state.SkipWithError(error.c_str());

  const bool chip = presents == InstantCounter::Presents::chip;
  const auto one_sale = [&]() -> bool {
    // Fixed: the simulator reads cents 51..58 as scripted failures (net/hostsim/behaviour.cpp).
    auto report = terminal->sale(1234);
    if (!report) {
      state.SkipWithError("the engine did not finish a sale within 10 s");
      return false;
    }
    if (report->outcome != app::TxnOutcome::approved) {
      error = describe(*report);
      state.SkipWithError(error.c_str());
      return false;
    }
    return true;
  };
  if (!one_sale()) return;

  const long rss_before = current_rss_kib();
  for (auto _ : state) {
    if (chip) {
      state.PauseTiming();
      auto made = terminal->prepare_card();
      state.ResumeTiming();
      if (!made) {
        error = made.error().describe();
        return state.SkipWithError(error.c_str());
      }
    }
    if (!one_sale()) return;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["peak_rss_kib"] = static_cast<double>(peak_rss_kib());
  state.counters["rss_growth_kib"] = static_cast<double>(current_rss_kib() - rss_before);
}

void BM_EngineChipSaleOnlinePin(benchmark::State& state) { engine_sale(state, InstantCounter::Presents::chip); }
void BM_EngineSwipeSale(benchmark::State& state) { engine_sale(state, InstantCounter::Presents::swipe); }
// Real time: most of a sale is waiting (fsync, the loopback round trips), which CPU time misses.
BENCHMARK(BM_EngineChipSaleOnlinePin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EngineSwipeSale)->Unit(benchmark::kMillisecond)->UseRealTime();

// What making one virtual card costs (profile parse, personalisation with RSA-signed
// certificates): kept out of BM_EngineChipSaleOnlinePin, shown so the exclusion is visible.
void BM_EngineBenchCardInsert(benchmark::State& state) {
  for (auto _ : state) {
    auto card = icc::sim::make_builtin_card("visa_online_pin");
    if (!card) return state.SkipWithError(card.error().describe().c_str());
    benchmark::DoNotOptimize(card);
  }
}
BENCHMARK(BM_EngineBenchCardInsert)->Unit(benchmark::kMicrosecond);

}  // namespace
