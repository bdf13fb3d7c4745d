// The host registries cover every host kind: the product's (app/config/host_registry.hpp:
// configuration block and adapter), the simulator's (net/hostsim/sim_registry.hpp) and the
// emulator's (app/emu/sim_hosts.hpp). A kind added to net/host/host_kind.hpp without all
// three entries fails here, not in a certification run.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <set>

#include "app/config/host_registry.hpp"
#include "app/emu/sim_hosts.hpp"
#include "net/host/host_kind.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/hostsim/sim_registry.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::app::emu {
namespace {

using net::host::kHostKinds;

TEST(HostKind, NamesRoundTripAndUnknownNamesAreRefused) {
  std::set<std::string_view> names;
  for (const auto& [kind, name] : kHostKinds) {
    EXPECT_EQ(net::host::to_string(kind), name);
    EXPECT_EQ(net::host::host_kind_from(name), kind);
    EXPECT_NE(net::host::host_kind_choices().find("\"" + std::string(name) + "\""), std::string::npos) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kHostKinds.size());
  EXPECT_FALSE(net::host::host_kind_from("Aurora"));
  EXPECT_FALSE(net::host::host_kind_from(""));
  EXPECT_FALSE(net::host::host_kind_from("payx1"));
}

TEST(HostRegistry, TheProductHasOneEntryPerKindInOrder) {
  const auto registry = config_detail::host_registry();
  ASSERT_EQ(registry.size(), kHostKinds.size());
  for (std::size_t i = 0; i < kHostKinds.size(); ++i) {
    const auto kind = kHostKinds[i].first;
    EXPECT_EQ(registry[i]->kind, kind);
    ASSERT_EQ(config_detail::host_entry(kind), registry[i]);
    EXPECT_FALSE(registry[i]->block_keys.empty());
  }
}

TEST(HostRegistry, TheSimulatorHasOneApiPerKindAndTheyServeDisjointPaths) {
  const auto hosts = net::hostsim::simulated_hosts();
  ASSERT_EQ(hosts.size(), kHostKinds.size());
  const net::hostsim::ManualClock clock{std::chrono::system_clock::time_point{}};
  net::hostsim::Services services;
  services.clock = &clock;
  std::vector<std::unique_ptr<net::hostsim::SimulatedApi>> apis;
  for (std::size_t i = 0; i < kHostKinds.size(); ++i) {
    EXPECT_EQ(hosts[i].kind, kHostKinds[i].first);
    apis.push_back(hosts[i].make(net::hostsim::HostSimConfig{}, services, nullptr));
    EXPECT_EQ(apis.back()->kind(), kHostKinds[i].first);
  }
  // Each API's paths are its own: the simulator's dispatch must never have two takers.
  for (std::string_view path : {"/api/transaction", "/pay-api/v1/transactions/sale", "/oauth2/token", "/api/v1/sales",
                                "/api/v1/token", "/api/terminals", "/api/v1/Search/Sales/false"}) {
    int takers = 0;
    for (const auto& api : apis) takers += api->serves(path) ? 1 : 0;
    EXPECT_LE(takers, 1) << path;
  }
}

TEST(HostRegistry, TheEmulatorReachesTheSimulatorAsEveryKind) {
  boost::asio::io_context io;
  const std::string ca = net::tls::test_pki::loopback_pki().ca.cert_pem;
  for (const auto& [kind, name] : kHostKinds) {
    auto settings = simulator_host_settings(kind, 8443, std::chrono::milliseconds{2000});
    ASSERT_TRUE(settings) << name;
    EXPECT_EQ(settings->kind, kind);
    ConnectOptions options;
    options.ca_pem = ca;
    auto connection = connect_host(io, *settings, options);  // builds the clients and the adapter; sends nothing
    ASSERT_TRUE(connection) << name << ": " << connection.error().message;
  }
}

TEST(HostRegistry, AnAdapterRefusesSettingsWithoutItsBlock) {
  boost::asio::io_context io;
  for (const auto& [kind, name] : kHostKinds) {
    auto settings = simulator_host_settings(kind, 8443, std::chrono::milliseconds{2000});
    ASSERT_TRUE(settings);
    settings->aurora.reset();
    settings->fullstack.reset();
    settings->connexpay.reset();
    ConnectOptions options;
    options.ca_pem = net::tls::test_pki::loopback_pki().ca.cert_pem;
    auto connection = connect_host(io, *settings, options);
    ASSERT_FALSE(connection) << name;
    EXPECT_EQ(connection.error().code, Errc::invalid_argument);
  }
}

}  // namespace
}  // namespace tender::app::emu
