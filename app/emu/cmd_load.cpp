#include "app/emu/cmd_load.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <latch>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <variant>

#include "app/config/settings.hpp"
#include "app/emu/emu_counter.hpp"
#include "app/emu/emu_host.hpp"
#include "app/emu/load_stats.hpp"
#include "app/emu/terminal.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr std::size_t kMaxTerminals = 1000;
constexpr std::size_t kMaxSales = 1'000'000;
// A fleet on one machine answers slower than a single scenario: the built-in simulator's
// deadline per request (the configured host's is its configuration's timeout_ms).
constexpr std::chrono::milliseconds kBuiltinHostDeadline{10'000};
// The engine's guard stays this much longer than the adapter's deadline (as in `run`).
constexpr std::chrono::milliseconds kGuardOverDeadline{5'000};
// A sale with no report by then counts as a "deadline" error and ends that terminal's run.
constexpr std::chrono::seconds kSaleDeadline{60};
// The card of a chip sale (online PIN, the demo's) and of a swipe: test cards only.
constexpr std::string_view kChipCard = "visa_online_pin";
constexpr std::string_view kChipPin = "1234";
constexpr std::string_view kSwipeTrack = ";4111111111111111=30121010000000000000?";

struct LoadOptions {
  std::size_t terminals = 0;
  std::size_t sales = 0;
  fs::path config_file;
  std::optional<HostKind> host;
  fs::path state_dir;
  bool json = false;
};

int usage(const std::string& why) {
  std::cerr << "tender-emu: load: " << log::scrub(why) << " (see tender-emu --help)\n";
  return kExitBadInput;
}

std::optional<std::size_t> parse_count(std::string_view text, std::size_t max) {
  std::size_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > max) return std::nullopt;
  return value;
}

// Bad arguments: the usage message; else the options.
std::variant<LoadOptions, std::string> parse(const std::vector<std::string>& args) {
  LoadOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      o.json = true;
      continue;
    }
    if (a != "--terminals" && a != "--sales" && a != "--config" && a != "--host" && a != "--state-dir") {
      return "unknown argument " + a;
    }
    if (i + 1 >= args.size() || args[i + 1].empty()) return a + " needs a value";
    const std::string& v = args[++i];
    if (a == "--terminals") {
      const auto n = parse_count(v, kMaxTerminals);
      if (!n) return "--terminals must be a number from 1 to " + std::to_string(kMaxTerminals);
      o.terminals = *n;
    } else if (a == "--sales") {
      const auto n = parse_count(v, kMaxSales);
      if (!n) return "--sales must be a number from 1 to " + std::to_string(kMaxSales);
      o.sales = *n;
    } else if (a == "--config") {
      o.config_file = v;
    } else if (a == "--state-dir") {
      o.state_dir = v;
    } else {
      const auto kind = net::host::host_kind_from(v);
      if (!kind) return "--host must be " + net::host::host_kind_choices();
      o.host = *kind;
    }
  }
  if (o.terminals == 0) return "--terminals N is required";
  if (o.sales == 0) return "--sales M is required";
  if (!o.config_file.empty() && o.host) return "--host names the built-in simulator's host; --config names its own";
  return o;
}

// What every virtual terminal shares, read only while they run.
struct Plan {
  std::size_t sales = 0;
  HostKind kind = HostKind::aurora;
  EmuHost* builtin = nullptr;                // null: the configured host
  const HostSettings* configured = nullptr;  // null: the built-in simulator
  fs::path state_root;
};

// One virtual terminal: boots, waits for the fleet, makes its sales one after the other, then
// reads its journal back. Runs on its own thread; nothing in it is shared but `plan`.
class VirtualTerminal {
 public:
  VirtualTerminal(const Plan& plan, std::size_t index) : plan_(plan) { tally_.index = index; }

  TerminalTally run(std::latch& ready, std::latch& go) {
    // Asio throws when the process is out of descriptors (an io_context's epoll): that is
    // this terminal's error, and the fleet must not wait for it at the latch.
    Result<void> booted = ok();
    try {
      booted = boot();
    } catch (const std::exception& e) {
      booted = make_error(Errc::io_error, e.what());
    }
    ready.count_down();
    go.wait();
    if (!booted) {
      ++tally_.errors["boot"];
      log::warn("emu.load", "terminal ", tally_.index + 1, ": ", booted.error().describe());
      return std::move(tally_);
    }
    try {
      for (std::size_t i = 0; i < plan_.sales; ++i) {
        if (!sale(i)) break;  // a terminal stuck in a sale makes no more
      }
    } catch (const std::exception& e) {
      ++tally_.errors["exception"];
      log::warn("emu.load", "terminal ", tally_.index + 1, ": ", log::scrub(e.what()));
    }
    read_journal();
    counter_.reset();  // the counter's pending prompt may hold the engine's handler
    terminal_.reset();
    return std::move(tally_);
  }

 private:
  Result<void> boot() {
    auto kernel = builtin_test_terminal();
    if (!kernel) return std::move(kernel).error();
    kernel_ = std::move(*kernel);
    TerminalSetup setup;
    setup.host = plan_.kind;
    setup.state_dir = plan_.state_root / ("terminal-" + std::to_string(tally_.index + 1));
    std::error_code ec;
    fs::remove_all(setup.state_dir, ec);
    fs::create_directories(setup.state_dir, ec);
    if (ec) return make_error(Errc::io_error, "cannot create " + setup.state_dir.string() + ": " + ec.message());
    setup.engine = emulator_engine_config();
    // Each terminal its own id, as a fleet's would be: LD000001, LD000002, ...
    std::string id = std::to_string(tally_.index + 1);
    setup.engine.terminal_id = "LD" + std::string(id.size() < 6 ? 6 - id.size() : 0, '0') + id;
    setup.host_deadline = kBuiltinHostDeadline;
    if (plan_.configured != nullptr) {
      setup.configured_host = plan_.configured;
      setup.engine.host_timeout = std::max(setup.engine.host_timeout, plan_.configured->timeout + kGuardOverDeadline);
    } else {
      setup.engine.host_timeout = std::max(setup.engine.host_timeout, kBuiltinHostDeadline + kGuardOverDeadline);
    }
    auto t = EmuTerminal::boot(plan_.builtin, setup, kernel_, counter_);
    if (!t) return std::move(t).error();
    terminal_ = std::move(*t);
    return ok();
  }

  // Runs the terminal's io_context until `done` holds or `deadline` passes; false then, or
  // when the engine waits for an input the load gives no more (a prompt it did not expect).
  bool run_until(const std::function<bool()>& done, Clock::time_point deadline) {
    auto& io = terminal_->io;
    while (!done()) {
      if (Clock::now() > deadline) return false;
      if (counter_.waiting_for_input()) return false;
      if (io.stopped()) io.restart();
      io.run_one_for(std::chrono::milliseconds{50});
    }
    return true;
  }

  // Sale `i`: chip with online PIN every other one where the host takes chip (FullStack's
  // simulator takes swipes only), else a swipe. Amounts 10.00 to 99.49, cents 00..49 only
  // (the simulator's cents 51..58 script failures).
  bool sale(std::size_t i) {
    const bool chip = plan_.kind != HostKind::fullstack && i % 2 == 1;
    if (chip) {
      counter_.push({Input::Kind::insert, std::string(kChipCard), i});
      counter_.push({Input::Kind::pin, std::string(kChipPin), i});
    } else {
      counter_.push({Input::Kind::swipe, std::string(kSwipeTrack), i});
    }
    const std::size_t k = tally_.index * plan_.sales + i;
    SaleRequest request;
    request.amount = Money{static_cast<std::int64_t>((10 + k % 90) * 100 + k % 50), usd()};
    std::optional<TxnReport> report;
    ++tally_.sales;
    const auto started = Clock::now();
    const auto deadline = started + kSaleDeadline;
    terminal_->engine().sale(request, [&report](TxnReport r) { report = std::move(r); });
    const bool answered = run_until([&] { return report.has_value(); }, deadline);
    if (!answered) {
      ++tally_.errors[counter_.waiting_for_input() ? "prompt" : "deadline"];
      return false;
    }
    tally_.latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    if (report->outcome == TxnOutcome::approved) {
      ++tally_.approved;
    } else {
      ++tally_.errors[std::string(to_string(report->outcome))];
    }
    // The engine ends its work (printing, the card's release) before the next sale.
    if (!run_until([&] { return !terminal_->engine().busy(); }, deadline)) {
      ++tally_.errors["busy"];
      return false;
    }
    counter_.remove_card();
    counter_.reset();  // inputs the sale did not use
    counter_.printed.clear();
    counter_.printed_escpos.clear();
    return true;
  }

  void read_journal() {
    if (!terminal_) return;
    auto rows = terminal_->journal().list();
    if (!rows) {
      ++tally_.errors["journal"];
      return;
    }
    for (const auto& row : *rows) {
      if (row.kind != TxnKind::sale || row.state != TxnState::completed) continue;
      ++tally_.journal_sales;
      tally_.host_references.push_back(row.host_reference);
    }
  }

  const Plan& plan_;
  TerminalTally tally_;
  emv::TerminalConfig kernel_;
  EmuCounter counter_;  // declared before the terminal: it outlives it
  std::unique_ptr<EmuTerminal> terminal_;
};

// Each terminal holds its io_context (epoll, its wakeup and timer descriptors), its
// connection, its journal (SQLite: the database and its rollback journal) and, with the
// built-in simulator, the server's side of the connection: raise the
// soft descriptor limit to fit the fleet when the hard limit allows (1,000 terminals do not fit
// the usual 1,024).
void raise_descriptor_limit(std::size_t terminals) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  const auto want = static_cast<rlim_t>(8 * terminals + 64);
  if (limit.rlim_cur >= want) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? want : std::min(want, limit.rlim_max);
  (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int load_command(const std::vector<std::string>& args) {
  auto parsed = parse(args);
  if (const auto* why = std::get_if<std::string>(&parsed)) return usage(*why);
  const LoadOptions& options = std::get<LoadOptions>(parsed);

  raise_descriptor_limit(options.terminals);
  Plan plan;
  plan.sales = options.sales;
  FleetReport report;
  report.terminals = options.terminals;
  report.sales_per_terminal = options.sales;
  std::optional<TerminalSettings> settings;
  std::unique_ptr<EmuHost> builtin;
  if (!options.config_file.empty()) {
    auto loaded = load_settings(options.config_file);
    if (!loaded) {
      std::cerr << "tender-emu: " << options.config_file.string() << ": " << log::scrub(loaded.error().message) << "\n";
      return kExitBadInput;
    }
    settings.emplace(std::move(*loaded));
    if (settings->host.currency != usd()) {
      std::cerr << "tender-emu: " << options.config_file.string() << ": host.currency: the load's amounts are in USD\n";
      return kExitBadInput;
    }
    plan.configured = &settings->host;
    plan.kind = settings->host.kind;
    report.host = std::string(to_string(plan.kind)) + " at https://" + settings->host.api.host + ":" +
                  std::to_string(settings->host.api.port);
  } else {
    auto host = EmuHost::start();
    if (!host) {
      std::cerr << "tender-emu: host simulator: " << host.error().describe() << "\n";
      return kExitFailed;
    }
    builtin = std::move(*host);
    plan.builtin = builtin.get();
    plan.kind = options.host.value_or(HostKind::aurora);
    report.host = std::string(to_string(plan.kind)) + " (built-in simulator on 127.0.0.1:" +
                  std::to_string(builtin->port()) + ")";
  }
  const bool temporary = options.state_dir.empty();
  plan.state_root = temporary ? fs::temp_directory_path() / ("tender-emu-load-" + std::to_string(::getpid()))
                              : options.state_dir;

  // Every terminal boots first; the clock starts when the last one is ready.
  std::latch ready(static_cast<std::ptrdiff_t>(options.terminals));
  std::latch go(1);
  std::vector<TerminalTally> tallies(options.terminals);
  std::vector<std::thread> threads;
  threads.reserve(options.terminals);
  for (std::size_t i = 0; i < options.terminals; ++i) {
    threads.emplace_back([&plan, &tallies, &ready, &go, i] { tallies[i] = VirtualTerminal(plan, i).run(ready, go); });
  }
  ready.wait();
  const auto started = Clock::now();
  go.count_down();
  // The built-in simulator remembers every request (for a scenario's host.log); a load run
  // reads none, so the record is dropped as it goes, to keep memory flat.
  std::atomic<bool> finished{false};
  std::thread sweeper;
  if (builtin) {
    sweeper = std::thread([&] {
      while (!finished.load()) {
        builtin->clear_requests();
        std::this_thread::sleep_for(std::chrono::milliseconds{200});
      }
    });
  }
  for (auto& t : threads) t.join();
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  finished = true;
  if (sweeper.joinable()) sweeper.join();
  report.tallies = std::move(tallies);
  report.peak_rss_kib = peak_rss_kib();
  if (temporary) {
    std::error_code ec;
    fs::remove_all(plan.state_root, ec);
  }
  std::cout << (options.json ? json_text(report) : human_text(report));
  const bool all_good = report.error_count() == 0 && report.approved() == options.terminals * options.sales &&
                        report.journal_sales() == report.approved();
  return all_good ? 0 : kExitFailed;
}

}  // namespace tender::app::emu
