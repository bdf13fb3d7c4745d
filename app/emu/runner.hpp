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
#include "app/emu/scenario_files.hpp"

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
  // Not run either: the file could not be read or parsed (the report's <error>), e.g.
  // "step 3: unknown step \"sael\"" or "not JSON: syntax error at line 4, column 7".
  std::optional<std::string> error;
  std::vector<std::string> failures;  // "step N (kind): what differed"; never card data
  // Where its receipts.txt, host.log and display.log went (written as it ran, never held
  // here): the folder relative to the report's, and how many of each it wrote. Empty when
  // nothing ran.
  std::string folder;
  std::size_t receipts = 0;
  std::size_t host_requests = 0;
  std::size_t screens = 0;
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
  // Why `scenario` will be skipped under this runner's options, or nothing when it runs.
  [[nodiscard]] std::optional<std::string> skip_reason(const Scenario& scenario) const;
  // Runs it, writing its receipts, host log and display log into `files` as they happen;
  // `files` may be null only for a scenario skip_reason() skips.
  ScenarioResult run(const Scenario& scenario, ScenarioFiles* files);

 private:
  EmuHost* host_;
  RunnerOptions options_;
};

}  // namespace tender::app::emu
