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

// The script for a request that creates a transaction of `amount` minor units: the control
// queue first, then the magic-cents table.
using ScriptSource = std::function<std::optional<Script>(std::int64_t amount)>;

struct Services {
  const Clock* clock = nullptr;
  Verifiers verifiers;
  ScriptSource scripts;
};

// Six characters, deterministic from the transaction id (FNV-1a), as an issuer's approval code.
std::string approval_code(std::string_view transaction_id);

// Splits "/a/b/c" after `prefix` into the remaining segment ("" when none, npos-safe).
std::string_view path_rest(std::string_view path, std::string_view prefix);

}  // namespace tender::net::hostsim
