// The simulated host's books, shared by both APIs: transactions, their lifecycle
// (authorize -> capture -> settle -> refund; void before settlement), and settlement
// batches. Every rule is checked here once; each API maps the typed errors to its own
// error bodies. Each mutation is written through to the Store.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim {

// The lifecycle errors, so APIs can tell "not allowed now" from "not found".
inline constexpr std::string_view kNotFound = "transaction not found";

// A UUID-shaped id (Aurora's transaction and batch ids, the simulator's correlation ids),
// deterministic from `n`.
std::string uuid_from(std::uint64_t n);

class Ledger {
 public:
  Ledger(Api api, const Clock& clock, Store* store);

  // Loads what the store holds (after a restart).
  Result<void> restore();

  // Records a new transaction; fills id, created_at, status from the outcome.
  Txn& record(Txn txn);

  Txn* find(std::string_view id);
  // Writes a transaction changed outside the lifecycle calls through to the store.
  void persist(const Txn& txn) { save(txn); }

  // Capture up to the authorized amount (all of it when `amount` is empty).
  Result<void> capture(Txn& txn, std::optional<std::int64_t> amount);
  // Void: only before settlement.
  Result<void> void_transaction(Txn& txn);
  // Tip adjustment: only before settlement, on an approved card payment.
  Result<void> adjust_tip(Txn& txn, std::int64_t tip);
  // Refund: only after settlement, up to what was settled minus earlier refunds. Records and
  // returns the refund transaction (a new id, parent = the original).
  Result<Txn*> refund(Txn& txn, std::optional<std::int64_t> amount);
  // Moves every captured transaction of `owner` (empty: of every owner) in the open batch
  // into a new settled batch.
  Batch settle(const std::string& owner);

  [[nodiscard]] std::vector<const Txn*> select(const std::function<bool(const Txn&)>& keep) const;
  [[nodiscard]] std::vector<const Batch*> batches() const;

 private:
  void save(const Txn& txn);
  std::string next_id();

  Api api_;
  const Clock& clock_;
  Store* store_;
  std::vector<Txn> txns_;  // in creation order
  std::map<std::string, std::size_t, std::less<>> index_;
  std::vector<Batch> batches_;
  std::uint64_t sequence_ = 0;
};

}  // namespace tender::net::hostsim
