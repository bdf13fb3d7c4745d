// The host simulator: every simulated host API (sim_registry.hpp: Aurora ARISE pay-api v1,
// FullStack gateway v1.5.1, ConnexPay Sales API v1) served from one request handler, without any transport. The HTTPS server (net/http) carries out the
// ServerAction; tests call handle() directly. Not thread-safe: one io_context drives it.
#pragma once

#include <memory>
#include <vector>

#include "net/hostsim/aurora_api.hpp"
#include "net/hostsim/behaviour.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/connexpay_api.hpp"
#include "net/hostsim/fullstack_api.hpp"
#include "net/hostsim/server_action.hpp"
#include "net/hostsim/sim_registry.hpp"
#include "net/hostsim/store.hpp"
#include "net/hostsim/verifiers.hpp"

namespace tender::net::hostsim {

inline constexpr std::string_view kBehaviourPath = "/sim/behaviour";

class HostSimulator {
 public:
  // `clock` must outlive the simulator; `store`, `pin` and `chip` may be null (in memory
  // only; PIN and chip data not checked) and must outlive it otherwise.
  HostSimulator(HostSimConfig config, const Clock& clock, Store* store = nullptr, PinVerifier* pin = nullptr,
                ChipIssuer* chip = nullptr);
  // The APIs hold a callback into this object: it stays where it was built.
  HostSimulator(const HostSimulator&) = delete;
  HostSimulator& operator=(const HostSimulator&) = delete;
  HostSimulator(HostSimulator&&) = delete;
  HostSimulator& operator=(HostSimulator&&) = delete;
  ~HostSimulator() = default;

  // Never throws: a malformed request gets an error response.
  ServerAction handle(const http::Request& request) noexcept;

  // Loads the persisted state from the store (after a restart).
  Result<void> restore();

  // What POST /sim/behaviour does, for in-process callers (the emulator's host_behaviour).
  void script_next(const Script& script, int count) { queue_.set(script, count); }

  // Another client of the same FullStack merchant (another terminal) makes a keyed sale, with
  // its own idempotency key and order_id: the transaction a recovery must never adopt.
  Result<std::string> fullstack_other_client_sale(std::int64_t amount, std::string_view pan,
                                                  std::string_view expiry_mm_yy) {
    return fullstack().other_client_sale(amount, pan, expiry_mm_yy);
  }
  // Another terminal of the same ConnexPay merchant makes a keyed sale (its own DeviceGuid,
  // SequenceNumber and OrderNumber): what this terminal's recovery must never touch.
  Result<std::string> connexpay_other_device_sale(std::int64_t amount, std::string_view pan,
                                                  std::string_view expiry_yymm, std::string_view sequence_number) {
    return connexpay().other_device_sale(amount, pan, expiry_yymm, sequence_number);
  }
  // The ConnexPay side: its merchant, devices and credentials (the emulator reads them here).
  ConnexPayApi& connexpay() { return static_cast<ConnexPayApi&>(api(host::HostKind::connexpay)); }
  // The Aurora side, for tests that need what no request can make (a stranger's transaction).
  AuroraApi& aurora() { return static_cast<AuroraApi&>(api(host::HostKind::aurora)); }
  // The books of one API, read only: a test compares them with a terminal's journal.
  [[nodiscard]] const Ledger& ledger(Api kind) const { return api(kind).ledger(); }

 private:
  ServerAction dispatch(const http::Request& request);
  ServerAction control(const http::Request& request);
  std::optional<Script> script_for(std::int64_t amount);

  SimulatedApi& api(host::HostKind kind) const;
  FullStackApi& fullstack() { return static_cast<FullStackApi&>(api(host::HostKind::fullstack)); }

  BehaviourQueue queue_;
  std::vector<std::unique_ptr<SimulatedApi>> apis_;  // one per simulated_hosts() entry
};

}  // namespace tender::net::hostsim
