// The emulator's side of each host kind: the host block a terminal needs to use the
// built-in simulator (net/hostsim/sim_registry.hpp) as that host, with the credentials
// the simulated merchant accepts. One entry per host, listed once in sim_hosts.cpp.
#pragma once

#include <chrono>
#include <cstdint>

#include "app/config/settings.hpp"

namespace tender::app::emu {

// The host settings of the built-in simulator as `kind`, at 127.0.0.1:port (its
// certificate names "localhost"); Errc::unsupported for a kind with no entry.
Result<HostSettings> simulator_host_settings(HostKind kind, std::uint16_t port, std::chrono::milliseconds deadline);

}  // namespace tender::app::emu
