// The product's side of each host kind (net/host/host_kind.hpp): the block of the
// configuration's "host" object that configures it, and how its adapter is built on the
// HTTPS clients connect_host makes. One entry per host, defined in the host's own file
// (hosts/<kind>.cpp) and listed once in host_registry.cpp. Internal to app/config:
// settings.cpp reads the blocks through it, host_connection.cpp builds the adapters.
// The simulation's side of a host (its simulated API and the emulator's credentials for
// it) is net/hostsim/sim_registry.hpp and app/emu/sim_hosts.hpp; the product links neither.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "app/config/json_fields.hpp"
#include "app/config/settings.hpp"
#include "net/host/host_adapter.hpp"
#include "net/host/host_kind.hpp"
#include "net/http/transport.hpp"

namespace tender::app::config_detail {

// What connect_host hands an adapter factory.
struct AdapterLinks {
  // The HTTPS client of an origin: the API's own for settings.api (and any origin equal
  // to it), a client of its own for another one (Aurora's token origin). connect_host
  // owns the clients; they outlive the adapter.
  std::function<Result<net::http::Transport*>(const HttpsEndpoint&)> transport;
  // Wall-clock seconds for a host's time windows (FullStack's idempotency window); empty:
  // the system clock. The emulator gives its scenario's clock.
  std::function<std::int64_t()> unix_now;
};

struct HostEntry {
  net::host::HostKind kind;
  // The keys its block (host.<kind name>) allows.
  std::span<const std::string_view> block_keys;
  // Reads the block into `settings` (api, timeout and currency are already set).
  Result<void> (*read_block)(Object& block, HostSettings& settings);
  // The adapter on the connection's clients; Errc::invalid_argument when `settings` has
  // no block of this kind.
  Result<std::unique_ptr<net::host::HostAdapter>> (*make_adapter)(const HostSettings& settings,
                                                                  const AdapterLinks& links);
};

extern const HostEntry kAuroraHost;     // hosts/aurora.cpp
extern const HostEntry kFullStackHost;  // hosts/fullstack.cpp
extern const HostEntry kConnexPayHost;  // hosts/connexpay.cpp

// Every host, in net::host::kHostKinds' order.
std::span<const HostEntry* const> host_registry() noexcept;
// Null only for a kind with no entry (host_registry_test holds that there is none).
const HostEntry* host_entry(net::host::HostKind kind) noexcept;

}  // namespace tender::app::config_detail
