// One power-on of the emulated terminal: its own io_context, the HTTPS connection to the
// emulator's host, the journal in the state folder and the engine. Destroying it is a power
// cut: pending work goes with the io_context, unrun; the journal holds what was written.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/emu/emu_host.hpp"
#include "app/emu/host_log.hpp"
#include "app/config/settings.hpp"
#include "app/emu/scenario.hpp"
#include "app/engine/engine.hpp"
#include "net/http/client.hpp"

namespace tender::app::emu {

struct TerminalSetup {
  HostKind host = HostKind::aurora;  // the built-in simulator as this host
  std::filesystem::path state_dir;
  EngineConfig engine;
  std::chrono::milliseconds host_deadline{2000};
  EngineEnvironment env;
  // A configured host (the terminal configuration's host block) instead of the built-in
  // simulator; null: the simulator of boot()'s EmuHost.
  const HostSettings* configured_host = nullptr;
  // With a configured host: where the terminal logs what it sends and receives (null: no log).
  // Must outlive the terminal.
  HostLog* host_log = nullptr;
};

// The emulator's journal is sealed under the published test key (app/config's
// test_device_key()), never a real one.
// The emulator's merchant and timings, before a scenario's overrides.
EngineConfig emulator_engine_config();

class EmuTerminal {
 public:
  // `kernel` and `counter` must outlive the terminal. `host` may be null when the setup
  // names a configured host.
  static Result<std::unique_ptr<EmuTerminal>> boot(EmuHost* host, const TerminalSetup& setup,
                                                   const emv::TerminalConfig& kernel, Counter& counter);
  boost::asio::io_context io;
  Engine& engine() { return *engine_; }
  Journal& journal() { return *journal_; }
  // What the host can carry (the merchant's menu offers only that).
  net::host::Capabilities capabilities() { return connection_->adapter().capabilities(); }
  ~EmuTerminal();

 private:
  EmuTerminal() = default;
  std::optional<HostConnection> connection_;  // the configured host or the built-in simulator
  std::optional<Journal> journal_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace tender::app::emu
