// FullStack's idempotency keys, as the simulator keeps them: the first answer to a key is
// replayed to every request with the same key until the key's time to live ends (raw L277
// "Default time is 5 minutes"; FluidPay duplicate-detection: idempotency_time).
//
// Why an index: the keys of the last window pile up (20,000 keyed sales in five minutes is
// a busy certification run), and scanning all of them on every request made the simulator
// fall from 20k to under 700 requests per second. A hash map finds a key in O(1) and a
// min-heap of expiries drops the ended ones in O(log n) each, so a request costs the same
// with 100 or 20,000 live keys (bench/bench_hostsim_idempotency.cpp prints both).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/http/message.hpp"

namespace tender::net::hostsim {

class IdempotencyIndex {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Forgets every key whose window ended at or before `now`.
  void expire(TimePoint now);
  // The first answer to `key`, while its window lasts (call expire() first).
  [[nodiscard]] const http::Response* find(std::string_view key) const;
  // Remembers the first answer to `key` until `expires`.
  void remember(std::string key, http::Response response, TimePoint expires);
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    http::Response response;
    TimePoint expires;
  };
  // Transparent hashing: a lookup by string_view allocates nothing.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Expiry = std::pair<TimePoint, std::string>;

  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  // Earliest expiry on top. An entry replaced after its window ended leaves a stale heap
  // item behind; expire() recognises it by its time and skips it.
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiries_;
};

}  // namespace tender::net::hostsim
