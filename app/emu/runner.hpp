// Runs scenarios on a fresh terminal each: the real engine, journal and host adapters over
// HTTPS to the in-process host simulator, or to the host of a terminal configuration (a
// processor's test host, a tender-hostsim), with the emulator's devices fed by the steps.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/config/settings.hpp"
#include "app/emu/emu_host.hpp"
#include "app/emu/scenario.hpp"

namespace tender::app::emu {

struct ScenarioResult {
  std::string name;
  std::string file;
  std::string host;
  bool passed = true;
  // Not run: it needs the built-in host simulator and the run has a configured host.
  // A skipped scenario has neither passed nor failed.
  bool skipped = false;
  std::string skipped_because;
  std::vector<std::string> failures;  // "step N (kind): what differed"; never card data
  std::vector<std::string> receipts;  // plain text, in print order
  std::vector<HostRequest> host_log;  // masked
  std::vector<std::string> display;   // every screen shown, as text
  double seconds = 0;
  std::size_t transactions = 0;
};

struct RunnerOptions {
  std::filesystem::path state_dir;  // one subfolder per scenario; empty: a temporary folder, removed
  std::chrono::milliseconds step_deadline{60000};
  // The host of a terminal configuration instead of the built-in simulator (tender-emu run
  // --config): the terminal logs its own exchanges (host.log, expect_host_request), and a
  // scenario that needs the built-in simulator is skipped. Must outlive the runner.
  const HostSettings* configured_host = nullptr;
};

// Why `scenario` cannot run against a configured host of `kind` (the skip message), or
// nothing when it can: its host is another kind, or a step of it controls the built-in
// simulator (host_behaviour: scripted answers, taking the host off the network), which an
// external host does not offer.
std::optional<std::string> needs_builtin_host(const Scenario& scenario, HostKind kind);

class Runner {
 public:
  // `host` is the built-in simulator, shared by all scenarios (each starts with an empty host
  // log and no scripts); null when `options` names a configured host.
  Runner(EmuHost* host, RunnerOptions options);
  ScenarioResult run(const Scenario& scenario);

 private:
  EmuHost* host_;
  RunnerOptions options_;
};

}  // namespace tender::app::emu
