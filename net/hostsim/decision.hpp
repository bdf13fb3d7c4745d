// How the simulated issuer decides: one function for both APIs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "net/hostsim/behaviour.hpp"
#include "net/hostsim/card.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/store.hpp"
#include "net/hostsim/verifiers.hpp"

namespace tender::net::hostsim {

struct PinData {
  Bytes pin_block;
  Bytes ksn;
};

struct DecisionInput {
  const CardData* card = nullptr;
  std::int64_t amount = 0;             // minor units requested
  std::optional<Script> script;        // a card-outcome script, if any
  const PinData* pin = nullptr;        // online PIN, if sent
  const Bytes* emv_tags = nullptr;     // chip data, if sent
};

struct Decision {
  Outcome outcome = Outcome::declined;
  std::int64_t approved_amount = 0;
  Bytes emv_response;  // from the ChipIssuer
};

struct Verifiers {
  PinVerifier* pin = nullptr;
  ChipIssuer* chip = nullptr;
};

// In order: Luhn (invalid card), expiry against the clock, PIN, the script (decline,
// insufficient funds, partial), then the chip issuer's cryptogram check.
Decision decide(const DecisionInput& in, const Clock& clock, const Verifiers& verifiers);

bool approved(Outcome o) noexcept;

}  // namespace tender::net::hostsim
