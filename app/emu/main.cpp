// tender-emu: the terminal application on simulated devices.
//
//   tender-emu run PATH... [--config FILE] [--report-dir DIR] [--state-dir DIR]
//       Runs scenario files (or every *.json in a folder, in name order), each on a fresh
//       terminal against the built-in host simulator (HTTPS on 127.0.0.1) or, with --config,
//       the host of that terminal configuration (a processor's test host, a tender-hostsim),
//       and writes DIR/junit.xml, DIR/summary.txt and per scenario receipts.txt, host.log
//       (masked) and display.log, each as the run goes. Under --config a scenario that needs
//       the built-in simulator (another host kind, host_behaviour steps) is skipped, with the
//       reason. A scenario file that cannot be read or parsed is an <error> test case naming
//       the step (or the JSON position) and the run goes on with the others.
//       Exit 0 when none failed (skips allowed), 1 when one failed, 3 when a scenario file
//       could not be read or parsed (whatever else failed); 2 for bad arguments or an
//       unreadable configuration (nothing runs).
//   tender-emu load --terminals N --sales M [--config FILE | --host KIND] [--state-dir DIR] [--json]
//       A fleet of N virtual terminals, M sales each: sales/s, latency, errors, peak RSS
//       (app/emu/cmd_load.hpp).
//   tender-emu emv run ... | emv cards
//       The EMV kernel against a virtual test card (app/emu/cmd_emv.cpp).
//   tender-emu [--host aurora|fullstack|connexpay | --config FILE] [--display 4x20|320x240] [--state-dir DIR]
//       Interactive: the display, a keypad and the card set in a terminal UI. With no
//       --config the host simulator runs in-process on 127.0.0.1; with one, the terminal
//       configuration's host (e.g. an acquirer's test host, or a tender-hostsim) is used.
//   tender-emu --web [ADDR:]PORT [--host ... | --config FILE] [--display ...] [--state-dir DIR]
//       The same, as a page in a browser (app/emu/web_front.hpp), served on loopback only
//       (127.0.0.1, ::1 or localhost; port 0: a free one) until SIGINT or SIGTERM.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/config/settings.hpp"
#include "app/emu/cmd_emv.hpp"
#include "app/emu/cmd_load.hpp"
#include "app/emu/emu_host.hpp"
#include "app/emu/interactive.hpp"
#include "app/emu/report.hpp"
#include "app/emu/runner.hpp"
#include "app/emu/scenario.hpp"
#include "common/log.hpp"
#include "common/version.hpp"

namespace {

namespace fs = std::filesystem;
using namespace tender::app::emu;

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitScenarioError = 3;  // run: a scenario file did not read or parse

constexpr std::string_view kUsage =
    "usage: tender-emu run PATH... [--config FILE] [--report-dir DIR] [--state-dir DIR]\n"
    "       tender-emu [--host aurora|fullstack|connexpay | --config FILE] [--display 4x20|320x240] [--state-dir DIR]\n"
    "       tender-emu --web [ADDR:]PORT [--host ...|--config FILE] [--display ...] [--state-dir DIR]\n"
    "           (the same in a browser; ADDR: 127.0.0.1 (default), ::1 or localhost only)\n"
    "       tender-emu load --terminals N --sales M [--config FILE | --host aurora|fullstack|connexpay] [--state-dir DIR] [--json]\n"
    "       tender-emu emv run --card PROFILE.json|NAME|--trace TRACE.json --amount 12.34 [--online approve|decline|unreachable] [--pin 1234] [--verbose]\n"
    "       tender-emu emv cards\n"
    "       tender-emu --help | --version\n";

// A usage error: one line, exit 2 (--help prints the usage).
int usage(const std::string& why) {
  std::cerr << "tender-emu: " << tender::log::scrub(why) << " (see tender-emu --help)\n";
  return kExitBadInput;
}

int run_command(const std::vector<std::string>& args) {
  std::vector<fs::path> files;
  fs::path report_dir = "emu-report";
  fs::path state_dir;
  fs::path config_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--report-dir" || args[i] == "--state-dir" || args[i] == "--config") {
      if (i + 1 >= args.size() || args[i + 1].empty()) return usage(args[i] + " needs a value");
      fs::path& target = args[i] == "--report-dir" ? report_dir : args[i] == "--state-dir" ? state_dir : config_file;
      if (!target.empty() && args[i] == "--config") return usage("--config given twice");
      target = args[i + 1];
      ++i;
      continue;
    }
    if (args[i].starts_with("--")) return usage("unknown option " + args[i]);
    const fs::path p = args[i];
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p)) {
        if (e.path().extension() == ".json") found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p)) {
      files.push_back(p);
    } else {
      return usage("no such file or folder: " + p.string());
    }
  }
  if (files.empty()) return usage("no scenario files given");
  RunnerOptions options;
  options.state_dir = state_dir;
  // --config: the configuration's host (its host block only: the merchant, policies and
  // journal key stay the emulator's, so every scenario means what it says).
  std::optional<tender::app::TerminalSettings> settings;
  std::unique_ptr<EmuHost> builtin;
  if (!config_file.empty()) {
    auto loaded = tender::app::load_settings(config_file);
    if (!loaded) {
      std::cerr << "tender-emu: " << config_file.string() << ": " << tender::log::scrub(loaded.error().message) << "\n";
      return kExitBadInput;
    }
    settings.emplace(std::move(*loaded));
    if (settings->host.currency != tender::usd()) {
      std::cerr << "tender-emu: " << config_file.string() << ": host.currency: the scenarios' amounts are in USD\n";
      return kExitBadInput;
    }
    options.configured_host = &settings->host;
    std::cout << "host: " << to_string(settings->host.kind) << " at https://" << settings->host.api.host << ":"
              << settings->host.api.port << " (" << config_file.string() << ")\n";
  } else {
    auto host = EmuHost::start();
    if (!host) {
      std::cerr << "tender-emu: host simulator: " << host.error().describe() << "\n";
      return kExitFailed;
    }
    builtin = std::move(*host);
  }
  Runner runner(builtin.get(), options);
  auto report = ReportWriter::open(report_dir, RunInfo{utc_timestamp(), host_name(), 0});
  if (!report) {
    std::cerr << "tender-emu: report: " << report.error().message << "\n";
    return kExitFailed;
  }
  const auto started = std::chrono::steady_clock::now();
  // One file at a time, its result on disk before the next is read: the run holds no more
  // than the scenario running.
  for (const auto& f : files) {
    ScenarioResult r;
    if (auto s = load_scenario(f.string()); !s) {
      // The parser names the step and field, never a value; the scrub is the second line.
      r = file_error(f.string(), tender::log::scrub(s.error().message));
    } else if (runner.skip_reason(*s)) {
      r = runner.run(*s, nullptr);
    } else if (auto out = report->files_for(*s); !out) {
      std::cerr << "tender-emu: report: " << out.error().message << "\n";
      return kExitFailed;
    } else {
      r = runner.run(*s, &*out);
    }
    std::cout << (r.skipped || r.error ? result_line(r) : (r.passed ? "PASS " : "FAIL ") + r.host + " " + r.name) << "\n";
    for (const auto& failure : r.failures) std::cout << "     " << failure << "\n";
    std::cout.flush();
    if (auto w = report->add(r); !w) {
      std::cerr << "tender-emu: report: " << w.error().message << "\n";
      return kExitFailed;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (auto w = report->finish(seconds); !w) {
    std::cerr << "tender-emu: report: " << w.error().message << "\n";
    return kExitFailed;
  }
  std::cout << counts_line(report->counts()) << "\n";
  // What a load run reports (README: the emulator's figures): transactions per second over
  // the whole run and the process's peak resident memory.
  const std::size_t transactions = report->transactions();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << transactions << " transactions in " << std::fixed << std::setprecision(2) << seconds << " s ("
            << (seconds > 0 ? static_cast<double>(transactions) / seconds : 0.0) << "/s), peak RSS " << std::setprecision(1)
            << static_cast<double>(usage.ru_maxrss) / 1024.0 << " MiB\n";
  if (report->counts().errors > 0) return kExitScenarioError;
  return report->counts().failed == 0 ? 0 : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The engine's and adapters' own log lines would drown the report; warnings and errors stay.
  tender::log::set_level(tender::log::Level::warn);
  if (!args.empty() && args[0] == "run") return run_command({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "load") return load_command({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "emv") return tender::ctl::emv_command({args.begin() + 1, args.end()});
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (!args.empty() && args[0] == "--version") {
    std::cout << tender::version_line("tender-emu") << '\n';
    return 0;
  }
  return run_interactive(args);
}
