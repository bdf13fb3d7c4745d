#include "app/emu/emu_host.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "app/hostsim/verifiers.hpp"
#include "common/log.hpp"
#include "common/pan.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::app::emu {
namespace {

namespace hs = net::hostsim;
using Json = nlohmann::json;

// Fields that carry card data, in any host's API (ConnexPay's requests are PascalCase), or a
// credential (the OAuth2 token response's): masked whatever their value.
constexpr std::array<std::string_view, 25> kSecretFields{
    "track1",       "track2",        "track_1",       "track_2",    "encrypted_track_1", "encrypted_track_2",
    "pin",          "pinBlock",      "emvTags",       "cvv",        "cvc",               "trackData",
    "encryptedTrack", "emv_tags",    "securityCode",  "Track1Data", "Track2Data",        "EmvTags",
    "Pin",          "Cvv2",          "password",      "access_token", "refresh_token",   "client_secret",
    "api_key"};
constexpr std::array<std::string_view, 5> kPanFields{"number", "cardNumber", "CardNumber", "pan", "accountNumber"};

bool is_one_of(std::string_view key, std::span<const std::string_view> names) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

}  // namespace

Json mask_host_body(const Json& body) {
  if (body.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : body.items()) {
      if (!v.is_null() && is_one_of(k, kSecretFields)) {
        // Chip tags hold the PAN and track 2 equivalent; a list of them goes whole.
        out[k] = v.is_string() ? "[masked " + std::to_string(v.get<std::string>().size()) + " chars]" : "[masked]";
      } else if (v.is_string() && is_one_of(k, kPanFields)) {
        out[k] = mask_pan(v.get<std::string>());
      } else {
        out[k] = mask_host_body(v);
      }
    }
    return out;
  }
  if (body.is_array()) {
    Json out = Json::array();
    for (const auto& v : body) out.push_back(mask_host_body(v));
    return out;
  }
  if (body.is_string()) return log::scrub(body.get<std::string>());  // a PAN in a field we did not name
  return body;
}

struct EmuHost::Impl {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  hs::ShiftedClock clock;  // the system clock, moved forward by advance_clock
  DukptPinVerifier pin_verifier;
  std::optional<TestCardIssuer> issuer;
  std::unique_ptr<hs::HostSimulator> sim;
  std::unique_ptr<net::http::Server> server;
  std::uint16_t port = 0;
  std::uint64_t other_sales = 0;  // the other terminal's sequence numbers
  mutable std::mutex mutex;
  std::vector<HostRequest> log;
  std::thread thread;

  // Runs `fn` on the host's thread and waits for it: the simulator is single-threaded.
  template <class F>
  auto on_host(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return result.get();
  }

  Result<void> listen(std::uint16_t at) {
    net::http::ServerOptions options;
    options.port = at;
    options.tls.cert_chain_pem = net::tls::test_pki::loopback_pki().server.cert_pem;
    options.tls.key_pem = SecretString(net::tls::test_pki::loopback_pki().server.key_pem.reveal());
    options.read_timeout = std::chrono::seconds{10};
    auto created = net::http::Server::create(io, options, [this](net::http::Request request, net::http::ServerReply reply) {
      HostRequest entry;
      entry.method = std::string(net::http::to_string(request.method));
      entry.path = std::string(request.path());
      const Json body = Json::parse(request.body, nullptr, false);
      entry.body = body.is_discarded() ? Json(nullptr) : mask_host_body(body);
      {
        std::lock_guard lock(mutex);
        log.push_back(std::move(entry));
      }
      reply(sim->handle(request));
    });
    if (!created) return std::move(created).error();
    server = std::move(*created);
    port = server->port();
    return ok();
  }
};

EmuHost::EmuHost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<EmuHost>> EmuHost::start() {
  auto impl = std::make_unique<Impl>();
  auto issuer = TestCardIssuer::builtin();
  if (!issuer) return std::move(issuer).error();
  impl->issuer.emplace(std::move(*issuer));
  impl->sim = std::make_unique<hs::HostSimulator>(hs::HostSimConfig{}, impl->clock, nullptr, &impl->pin_verifier, &*impl->issuer);
  if (auto r = impl->listen(0); !r) return std::move(r).error();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<EmuHost>(new EmuHost(std::move(impl)));
}

EmuHost::~EmuHost() {
  impl_->on_host([this] {
    if (impl_->server) impl_->server->stop();
    impl_->work.reset();
    return 0;
  });
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t EmuHost::port() const noexcept { return impl_->port; }
std::string EmuHost::ca_pem() const { return net::tls::test_pki::loopback_pki().ca.cert_pem; }

void EmuHost::script(const net::hostsim::Script& script, int count) {
  impl_->on_host([this, script, count] {
    impl_->sim->script_next(script, count);
    return 0;
  });
}

void EmuHost::clear_scripts() {
  impl_->on_host([this] {
    impl_->sim->script_next(net::hostsim::Script{}, 0);
    return 0;
  });
}

Result<void> EmuHost::set_reachable(bool reachable) {
  return impl_->on_host([this, reachable]() -> Result<void> {
    if (!reachable) {
      if (impl_->server) impl_->server->stop();
      impl_->server.reset();
      return ok();
    }
    if (impl_->server) return ok();
    return impl_->listen(impl_->port);
  });
}

void EmuHost::advance_clock(std::chrono::seconds by) { impl_->clock.advance(by); }

std::int64_t EmuHost::unix_now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(impl_->clock.now().time_since_epoch()).count();
}

Result<void> EmuHost::other_terminal_sale(net::host::HostKind kind, const Money& amount) {
  return impl_->on_host([this, kind, cents = amount.minor_units()]() -> Result<void> {
    Result<std::string> id = make_error(Errc::unsupported, "other_terminal_sale: the " + std::string(to_string(kind)) +
                                                               " simulator has no other terminal (use +twin)");
    if (kind == net::host::HostKind::fullstack) id = impl_->sim->fullstack_other_client_sale(cents, "4111111111111111", "12/30");
    if (kind == net::host::HostKind::connexpay) {
      // Its own SequenceNumber: the other device's counter, not one this terminal could send.
      const std::string sequence = "OTHER" + std::to_string(++impl_->other_sales);
      id = impl_->sim->connexpay_other_device_sale(cents, "4111111111111111", "3012", sequence);
    }
    if (!id) return std::move(id).error();
    return ok();
  });
}

std::vector<HostRequest> EmuHost::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::vector<HostRequest> EmuHost::take_requests() {
  std::lock_guard lock(impl_->mutex);
  std::vector<HostRequest> taken;
  taken.swap(impl_->log);
  return taken;
}

void EmuHost::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->log.clear();
}

}  // namespace tender::app::emu
