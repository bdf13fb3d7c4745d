// Runs scenarios on a fresh terminal each: the real engine, journal and host adapters over
// HTTPS to the in-process host simulator, with the emulator's devices fed by the steps.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "app/emu/emu_host.hpp"
#include "app/emu/scenario.hpp"

namespace tender::app::emu {

struct ScenarioResult {
  std::string name;
  std::string file;
  std::string host;
  bool passed = true;
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
};

class Runner {
 public:
  // `host` is shared by all scenarios (each starts with an empty host log and no scripts).
  Runner(EmuHost& host, RunnerOptions options);
  ScenarioResult run(const Scenario& scenario);

 private:
  EmuHost& host_;
  RunnerOptions options_;
};

}  // namespace tender::app::emu
