#include "app/emu/terminal.hpp"

#include "app/emu/sim_hosts.hpp"
#include "app/sim/test_device_key.hpp"

namespace tender::app::emu {

EngineConfig emulator_engine_config() {
  EngineConfig c;
  c.merchant.name = "TENDER EMULATOR";
  c.merchant.address = {"1 CERTIFICATION WAY", "TESTVILLE"};
  c.merchant.merchant_id = "EMU000000000001";
  c.terminal_id = "EMU00001";
  c.prompt_timeout = std::chrono::milliseconds{60000};
  c.host_timeout = std::chrono::milliseconds{10000};
  c.offline_swipe_limit = 5000;
  return c;
}

EmuTerminal::~EmuTerminal() {
  engine_.reset();  // before the adapter and journal it refers to
}

Result<std::unique_ptr<EmuTerminal>> EmuTerminal::boot(EmuHost* emu_host, const TerminalSetup& setup,
                                                       const emv::TerminalConfig& kernel, Counter& counter) {
  std::unique_ptr<EmuTerminal> t(new EmuTerminal());
  auto journal = Journal::open(setup.state_dir / "journal.db", test_device_key());
  if (!journal) return std::move(journal).error();
  t->journal_.emplace(std::move(*journal));
  // The terminal reaches the built-in simulator the way `tender` reaches a host: the same
  // registry entry builds the adapter on the same clients, only the settings differ.
  ConnectOptions options;
  const HostSettings* settings = setup.configured_host;
  std::optional<HostSettings> simulator;
  if (settings != nullptr) {
    if (setup.host_log != nullptr) {
      options.wrap = [log = setup.host_log](net::http::Transport& client) -> std::unique_ptr<net::http::Transport> {
        return std::make_unique<LoggingTransport>(client, *log);
      };
    }
  } else {
    if (emu_host == nullptr) return make_error(Errc::invalid_argument, "no host: neither the simulator nor a configured one");
    auto sim = simulator_host_settings(setup.host, emu_host->port(), setup.host_deadline);
    if (!sim) return std::move(sim).error();
    simulator.emplace(std::move(*sim));
    settings = &*simulator;
    options.ca_pem = emu_host->ca_pem();
    options.unix_now = setup.env.unix_now;  // the host's time windows, by the world's clock
  }
  auto connection = connect_host(t->io, *settings, options);
  if (!connection) return std::move(connection).error();
  t->connection_.emplace(std::move(*connection));
  t->engine_ = std::make_unique<Engine>(t->io, setup.engine, kernel, t->connection_->adapter(), *t->journal_, counter,
                                        setup.env);
  return t;
}

}  // namespace tender::app::emu
