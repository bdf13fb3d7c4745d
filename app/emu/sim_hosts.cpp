#include "app/emu/sim_hosts.hpp"

#include <array>

#include "net/hostsim/sim_registry.hpp"

namespace tender::app::emu {
namespace {

// The simulator's merchant (its defaults) is the one place for the credentials both sides use.
void aurora(HostSettings& h) {
  const net::hostsim::AuroraConfig merchant;
  AuroraSettings a;
  a.client_id = merchant.client_id;
  a.client_secret = SecretString(merchant.client_secret);
  a.payment_processor_id = "emu-processor";
  a.oauth = h.api;
  h.aurora = std::move(a);
}

void fullstack(HostSettings& h) {
  const net::hostsim::FullStackConfig merchant;
  FullStackSettings f;
  f.api_key = SecretString(merchant.api_key);
  f.terminal_id = "1ucio551tlv85l7moe5s";  // a gateway terminal id in the document's form
  h.fullstack = std::move(f);
}

void connexpay(HostSettings& h) {
  const net::hostsim::ConnexPayConfig merchant;
  ConnexPaySettings c;
  c.username = merchant.username;
  c.password = SecretString(merchant.password);
  c.device_guid = merchant.device_guid;
  c.merchant_guid = merchant.merchant_guid;
  h.connexpay = std::move(c);
}

// A new host: its entry here (and in net/hostsim/sim_registry.cpp).
constexpr std::array kSimHosts{
    std::pair{HostKind::aurora, &aurora},
    std::pair{HostKind::fullstack, &fullstack},
    std::pair{HostKind::connexpay, &connexpay},
};

}  // namespace

Result<HostSettings> simulator_host_settings(HostKind kind, std::uint16_t port, std::chrono::milliseconds deadline) {
  HostSettings h;
  h.kind = kind;
  h.api = HttpsEndpoint{"127.0.0.1", port};
  h.server_name = "localhost";
  h.timeout = deadline;
  for (const auto& [k, fill] : kSimHosts) {
    if (k != kind) continue;
    fill(h);
    return h;
  }
  return make_error(Errc::unsupported, "the built-in simulator has no " + std::string(to_string(kind)) + " host");
}

}  // namespace tender::app::emu
