// The crash test's terminal: a real engine on a real journal, talking HTTPS to a
// tender-hostsim process that outlives it. The parent kills it (SIGKILL) at a chosen
// journal write (--kill-at N: right after the Nth write, before the step it guards) or at a
// random moment, then runs it again with --recover and compares the journal with the host.
//
//   engine_crash_child --state DIR --port N --ca FILE --host aurora|fullstack
//                      [--processor ID] [--sales K] [--first-cents C] [--kill-at N] [--recover]
//
// Each run is another terminal of the same merchant: --first-cents gives its sales amounts no
// other run uses (C+49, C+48, ...). Identical sales on one card at two terminals within minutes
// are the one case Aurora's host shows nothing to tell apart (its recovery holds them for the
// merchant, tested in tests/net); this test is about power cuts.
//
// stdout: one line per journal write "W <n> <state>", then "DONE" (never card data).
// Test cards and test keys only.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <boost/asio/io_context.hpp>

#include "app/config/settings.hpp"
#include "app/engine/engine.hpp"
#include "app/sim/test_device_key.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/pinpad/soft_ped.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/http/client.hpp"

namespace {

using namespace tender;

const char* const kSwipe = "4111111111111111=30121010000000000000";

// Swipes for FullStack; for Aurora every other sale is a chip card with online PIN.
class CrashCounter final : public app::Counter {
 public:
  explicit CrashCounter(bool chip_host) : chip_host_(chip_host), ped_(app::test_pin_pad(std::string_view{"1234"}).value()) {}
  void show(app::Screen, const app::ScreenArgs&) override {}
  void async_card(app::Screen, const app::ScreenArgs&, std::function<void(Result<app::CardEvent>)> h) override {
    app::CardEvent e;
    if (chip_host_ && (sales_++ % 2 == 1)) {
      card_.emplace(icc::sim::make_builtin_card("visa_online_pin").value());
      reader_.insert(&*card_);
      e.presentation = app::CardPresentation::inserted;
    } else {
      e.presentation = app::CardPresentation::swiped;
      e.track2 = SecretString{kSwipe};
    }
    h(std::move(e));
  }
  void async_confirm(app::Screen, const app::ScreenArgs&, std::function<void(Result<bool>)> h) override { h(true); }
  void cancel_prompt() override {}
  icc::CardReader& chip_reader() override { return reader_; }
  pinpad::PinPad& pin_pad() override { return ped_; }
  void release_card() override {
    (void)reader_.power_off();
    reader_.remove();
  }
  Result<void> print(ByteView, std::string_view) override { return ok(); }

 private:
  bool chip_host_;
  int sales_ = 0;
  icc::SimReader reader_;
  std::optional<icc::sim::VirtualCard> card_;
  pinpad::SoftPed ped_;
};

int usage(const std::string& why) {
  std::cerr << "engine_crash_child: " << why << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  bool recover = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--recover") {
      recover = true;
    } else if (a.starts_with("--") && i + 1 < argc) {
      opt[a] = argv[++i];
    } else {
      return usage("bad argument " + a);
    }
  }
  for (const char* need : {"--state", "--port", "--ca", "--host"}) {
    if (!opt.contains(need)) return usage(std::string("missing ") + need);
  }
  const bool aurora = opt["--host"] == "aurora";
  const int sales = opt.contains("--sales") ? std::atoi(opt["--sales"].c_str()) : 3;
  const long first_cents = opt.contains("--first-cents") ? std::atol(opt["--first-cents"].c_str()) : 1000;
  const long kill_at = opt.contains("--kill-at") ? std::atol(opt["--kill-at"].c_str()) : -1;
  log::set_level(log::Level::error);

  boost::asio::io_context io;
  std::ifstream ca_in(opt["--ca"]);
  std::stringstream ca;
  ca << ca_in.rdbuf();
  net::http::ClientOptions co;
  co.host = "127.0.0.1";
  co.port = static_cast<std::uint16_t>(std::atoi(opt["--port"].c_str()));
  co.server_name = "localhost";
  co.tls.ca_pem = ca.str();
  auto api = net::http::Client::create(io, co);
  auto oauth = net::http::Client::create(io, co);
  if (!api || !oauth) return usage("client: cannot be created");
  std::unique_ptr<net::host::HostAdapter> adapter;
  if (aurora) {
    net::aurora::AuroraConfig ac;
    ac.client_id = "tender-test";
    ac.client_secret = SecretString("tender-test-secret");
    ac.payment_processor_id = opt.contains("--processor") ? opt["--processor"] : "proc-1";
    ac.deadline = std::chrono::milliseconds{3000};
    adapter = std::make_unique<net::aurora::AuroraAdapter>(**api, **oauth, ac);
  } else {
    net::fullstack::FullStackConfig fc;
    fc.api_key = SecretString("api_tender_test");
    fc.terminal_id = "1ucio551tlv85l7moe5s";
    fc.deadline = std::chrono::milliseconds{3000};
    adapter = std::make_unique<net::fullstack::FullStackAdapter>(**api, fc);
  }
  auto journal = app::Journal::open(std::filesystem::path(opt["--state"]) / "journal.db", app::test_device_key());
  if (!journal) return usage("journal: " + journal.error().describe());
  auto terminal = app::builtin_test_terminal();
  if (!terminal) return usage("terminal config");
  CrashCounter counter(aurora);
  app::EngineConfig config;
  config.merchant.name = "CRASH TEST";
  config.host_timeout = std::chrono::milliseconds{5000};
  config.offline_swipe_limit = 0;
  app::CountingRandom random;
  app::EngineEnvironment env;
  env.random = &random;
  long writes = 0;
  env.journaled = [&](const app::JournalEntry& e) {
    ++writes;
    std::cout << "W " << writes << " " << app::to_string(e.state) << std::endl;
    if (writes == kill_at) std::raise(SIGKILL);  // the power goes right after the write
  };
  app::Engine engine(io, config, *terminal, *adapter, *journal, counter, env);

  bool done = false;
  if (recover) {
    engine.recover([&](app::RecoveryReport r) {
      std::cout << "RECOVERED completed=" << r.completed << " reversal_queued=" << r.reversal_queued
                << " cancelled=" << r.cancelled << " remaining=" << r.queue.remaining << std::endl;
      done = true;
    });
    io.run();
    std::cout << "DONE" << std::endl;
    return done ? 0 : 1;
  }
  int started = 0;
  std::function<void()> next = [&] {
    if (started == sales) {
      done = true;
      return;
    }
    app::SaleRequest request;
    // Descending within the run too (see crash_test.cpp); never a simulator magic-cents amount.
    request.amount = Money{first_cents + 49 - (started % 50), usd()};
    ++started;
    engine.sale(request, [&](app::TxnReport r) {
      std::cout << "SALE " << app::to_string(r.outcome) << std::endl;
      next();
    });
  };
  next();
  io.run();
  std::cout << "DONE" << std::endl;
  return done ? 0 : 1;
}
