// The issuer side of a chip transaction, simulated for the built-in test cards: it
// verifies the card's ARQC with the issuer master key from the card's test profile,
// answers with an ARC and the ARPC (tag 91, method 1), and adds the profile's issuer
// scripts. tenderctl's --online uses it now; the host simulator will (issue 4).
#pragma once

#include <optional>

#include "common/result.hpp"
#include "drivers/icc/sim/card_profile.hpp"
#include "emv/completion.hpp"
#include "emv/kernel.hpp"

namespace tender::app {

enum class IssuerDecision { approve, decline };

struct IssuerAnswer {
  emv::OnlineResponse response;
  bool arqc_valid = false;  // a real issuer declines an ARQC that does not verify
};

// `profile` null (a replay card has no keys): the answer carries an ARC and nothing
// the card could check. An ARQC that does not verify, or an expired application
// (TVR), is declined whatever `decision`.
Result<IssuerAnswer> answer_online_request(const icc::sim::CardProfile* profile,
                                           const emv::KernelResult& request, IssuerDecision decision);

}  // namespace tender::app
