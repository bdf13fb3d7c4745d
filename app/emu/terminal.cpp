#include "app/emu/terminal.hpp"

#include "net/aurora/aurora_adapter.hpp"
#include "net/fullstack/fullstack_adapter.hpp"

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
  if (setup.configured_host != nullptr) {
    TransportWrapper wrap;
    if (setup.host_log != nullptr) {
      wrap = [log = setup.host_log](net::http::Transport& client) -> std::unique_ptr<net::http::Transport> {
        return std::make_unique<LoggingTransport>(client, *log);
      };
    }
    auto connection = connect_host(t->io, *setup.configured_host, wrap);
    if (!connection) return std::move(connection).error();
    t->connection_.emplace(std::move(*connection));
    t->engine_ = std::make_unique<Engine>(t->io, setup.engine, kernel, t->connection_->adapter(), *t->journal_, counter,
                                          setup.env);
    return t;
  }
  if (emu_host == nullptr) return make_error(Errc::invalid_argument, "no host: neither the simulator nor a configured one");
  EmuHost& host = *emu_host;
  net::http::ClientOptions co;
  co.host = "127.0.0.1";
  co.port = host.port();
  co.server_name = "localhost";
  co.tls.ca_pem = host.ca_pem();
  auto api = net::http::Client::create(t->io, co);
  if (!api) return std::move(api).error();
  t->api_ = std::move(*api);
  if (setup.host == HostChoice::aurora) {
    auto oauth = net::http::Client::create(t->io, co);
    if (!oauth) return std::move(oauth).error();
    t->oauth_ = std::move(*oauth);
    net::aurora::AuroraConfig ac;
    ac.client_id = "tender-test";
    ac.client_secret = SecretString("tender-test-secret");
    ac.payment_processor_id = "emu-processor";
    ac.deadline = setup.host_deadline;
    t->adapter_ = std::make_unique<net::aurora::AuroraAdapter>(*t->api_, *t->oauth_, ac);
  } else {
    net::fullstack::FullStackConfig fc;
    fc.api_key = SecretString("api_tender_test");
    fc.terminal_id = "1ucio551tlv85l7moe5s";
    fc.deadline = setup.host_deadline;
    if (setup.env.unix_now) fc.unix_now = setup.env.unix_now;  // the idempotency window, by the world's clock
    t->adapter_ = std::make_unique<net::fullstack::FullStackAdapter>(*t->api_, fc);
  }
  t->engine_ = std::make_unique<Engine>(t->io, setup.engine, kernel, *t->adapter_, *t->journal_, counter, setup.env);
  return t;
}

}  // namespace tender::app::emu
