// The issuer side of a chip transaction, simulated for the built-in test cards: it
// verifies the card's ARQC with the issuer master key from the card's test profile,
// answers with an ARC and the ARPC (tag 91, method 1), and adds the profile's issuer
// scripts. tenderctl's --online answers a kernel result with it; tender-hostsim's chip
// issuer (app/hostsim) answers the online tags a host receives with the same code.
#pragma once

#include <optional>
#include <string_view>

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

// The same answer from what a host receives: the card's PAN and PAN sequence number
// (5F34, 00 when absent), the selected application's AID (84; empty when unknown: the
// scripts then go without a MAC) and the online tags. `profile` must have an issuer
// section (Errc::invalid_argument otherwise).
Result<IssuerAnswer> answer_online_tags(const icc::sim::CardProfile& profile, std::string_view pan, Byte psn,
                                        ByteView aid, const emv::TagLookup& online_tags,
                                        IssuerDecision decision);

}  // namespace tender::app
