#include "net/hostsim/sim_registry.hpp"

#include <array>

namespace tender::net::hostsim {
namespace {

template <class Api, auto Member>
std::unique_ptr<SimulatedApi> make(const HostSimConfig& config, Services services, Store* store) {
  return std::make_unique<Api>(config.*Member, std::move(services), store);
}

// A new host: its entry here, its API beside AuroraApi and FullStackApi. Each API serves its own
// paths only (FullStack its resource roots, ConnexPay /api/v1/): no path has two takers
// (host_registry_test).
constexpr std::array kSimulatedHosts{
    SimulatedHostEntry{host::HostKind::aurora, make<AuroraApi, &HostSimConfig::aurora>},
    SimulatedHostEntry{host::HostKind::fullstack, make<FullStackApi, &HostSimConfig::fullstack>},
    SimulatedHostEntry{host::HostKind::connexpay, make<ConnexPayApi, &HostSimConfig::connexpay>},
};

}  // namespace

std::span<const SimulatedHostEntry> simulated_hosts() noexcept { return kSimulatedHosts; }

}  // namespace tender::net::hostsim
