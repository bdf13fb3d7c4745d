// One simulated host API as HostSimulator serves it: which paths are its own, which
// requests create a transaction (they take the magic-cents and queued card outcomes),
// which take a queued transport behaviour, and its answers. AuroraApi and FullStackApi
// implement it; sim_registry.cpp makes one of each kind.
#pragma once

#include <string_view>

#include "net/host/host_kind.hpp"
#include "net/hostsim/api.hpp"
#include "net/hostsim/ledger.hpp"
#include "net/http/message.hpp"

namespace tender::net::hostsim {

class SimulatedApi {
 public:
  SimulatedApi() = default;
  SimulatedApi(const SimulatedApi&) = delete;
  SimulatedApi& operator=(const SimulatedApi&) = delete;
  virtual ~SimulatedApi() = default;

  [[nodiscard]] virtual host::HostKind kind() const noexcept = 0;
  [[nodiscard]] virtual bool serves(std::string_view path) const = 0;
  [[nodiscard]] virtual bool creates_transaction(const http::Request& request) const = 0;
  // A queued "any request" behaviour is for the payment API: a request the host refuses
  // (401) or a credential request (Aurora's token) takes none.
  [[nodiscard]] virtual bool takes_scripts(const http::Request& request) const = 0;
  virtual ApiReply handle(const http::Request& request) = 0;
  virtual http::Response server_error() = 0;
  virtual Ledger& ledger() = 0;
};

}  // namespace tender::net::hostsim
