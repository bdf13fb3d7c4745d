// The simulation's side of each host kind (net/host/host_kind.hpp): the API the host
// simulator serves for it. One entry per host, listed once in sim_registry.cpp; the
// product's side is app/config/host_registry.hpp.
#pragma once

#include <memory>
#include <span>

#include "net/host/host_kind.hpp"
#include "net/hostsim/aurora_api.hpp"
#include "net/hostsim/connexpay_api.hpp"
#include "net/hostsim/fullstack_api.hpp"
#include "net/hostsim/simulated_api.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim {

// Each simulated API's settings (the merchant the simulator plays).
struct HostSimConfig {
  AuroraConfig aurora;
  FullStackConfig fullstack;
  ConnexPayConfig connexpay;
};

struct SimulatedHostEntry {
  host::HostKind kind;
  std::unique_ptr<SimulatedApi> (*make)(const HostSimConfig& config, Services services, Store* store);
};

// Every simulated host, in the order HostSimulator asks which one serves a path.
std::span<const SimulatedHostEntry> simulated_hosts() noexcept;

}  // namespace tender::net::hostsim
