#include "net/hostsim/idempotency.hpp"

namespace tender::net::hostsim {

void IdempotencyIndex::expire(TimePoint now) {
  while (!expiries_.empty() && expiries_.top().first <= now) {
    const auto& [when, key] = expiries_.top();
    // Only the item that matches the entry's own expiry removes it (see expiries_).
    if (const auto it = entries_.find(key); it != entries_.end() && it->second.expires == when) entries_.erase(it);
    expiries_.pop();
  }
}

const http::Response* IdempotencyIndex::find(std::string_view key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second.response;
}

void IdempotencyIndex::remember(std::string key, http::Response response, TimePoint expires) {
  expiries_.emplace(expires, key);
  entries_.insert_or_assign(std::move(key), Entry{std::move(response), expires});
}

}  // namespace tender::net::hostsim
