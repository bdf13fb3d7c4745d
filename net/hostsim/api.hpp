// What the two API front ends share: the services they get from HostSimulator and the
// reply they hand back (a response, plus a transport behaviour for the simulator to apply).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "net/hostsim/behaviour.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/decision.hpp"
#include "net/http/message.hpp"

namespace tender::net::hostsim {

struct ApiReply {
  http::Response response;
  std::optional<Script> transport;  // no_answer, close_connection, malformed, delay
};
// A reply that is only its response (no transport script).
inline ApiReply reply(http::Response r) { return {std::move(r), {}}; }

// The script for a request that creates a transaction of `amount` minor units: the control
// queue first, then the magic-cents table.
using ScriptSource = std::function<std::optional<Script>(std::int64_t amount)>;

struct Services {
  const Clock* clock = nullptr;
  Verifiers verifiers;
  ScriptSource scripts;
};

// FullStack's ids look like the document's ("b7kgflt1tlv51er0fts0": 20 lowercase base32
// characters): "tsim" and 16 characters from a bijective mix of `n`, every fourth one a
// letter. Deterministic and unique per n, and never a run of 12 digits, which the terminal's
// log scrubber takes for a card number (it drops an id that does not survive it).
std::string fullstack_id(std::uint64_t n);
// An x-correlation-id in UUID form for answer `n`, with no run of digits a scrubber would mask.
std::string correlation_uuid(std::uint64_t n);

// 64-bit FNV-1a: the simulators' deterministic ids and codes (stable across runs and restarts).
std::uint64_t fnv1a(std::string_view s);

// Six characters, deterministic from the transaction id (FNV-1a), as an issuer's approval code.
std::string approval_code(std::string_view transaction_id);

// Splits "/a/b/c" after `prefix` into the remaining segment ("" when none, npos-safe).
std::string_view path_rest(std::string_view path, std::string_view prefix);

}  // namespace tender::net::hostsim
