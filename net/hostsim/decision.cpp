#include "net/hostsim/decision.hpp"

#include "common/pan.hpp"

namespace tender::net::hostsim {

bool approved(Outcome o) noexcept { return o == Outcome::approved || o == Outcome::partial; }

Decision decide(const DecisionInput& in, const Clock& clock, const Verifiers& verifiers) {
  Decision d;
  const std::string_view pan = in.card->pan.reveal();
  if (!luhn_valid(pan)) {
    d.outcome = Outcome::invalid_card;
  } else if (expired(*in.card, clock.now())) {
    d.outcome = Outcome::expired_card;
  } else {
    d.outcome = Outcome::approved;
    if (in.pin != nullptr && verifiers.pin != nullptr) {
      auto ok = verifiers.pin->verify(pan, in.pin->pin_block, in.pin->ksn);
      if (!ok || !*ok) d.outcome = Outcome::incorrect_pin;
    }
  }
  if (d.outcome == Outcome::approved && in.script) {
    switch (in.script->behaviour) {
      case Behaviour::decline: d.outcome = Outcome::declined; break;
      case Behaviour::insufficient_funds: d.outcome = Outcome::insufficient_funds; break;
      case Behaviour::partial: d.outcome = Outcome::partial; break;
      default: break;
    }
  }
  if (d.outcome == Outcome::approved) d.approved_amount = in.amount;
  if (d.outcome == Outcome::partial) {
    const std::int64_t scripted = in.script->partial_amount;
    d.approved_amount = scripted > 0 && scripted < in.amount ? scripted : in.amount / 2;
  }
  if (in.emv_tags != nullptr && verifiers.chip != nullptr) {
    auto chip = verifiers.chip->authorize(pan, in.card->psn, *in.emv_tags, approved(d.outcome));
    if (!chip || !chip->approved) {
      if (approved(d.outcome)) d.outcome = Outcome::declined;
      d.approved_amount = 0;
    }
    if (chip) d.emv_response = chip->response_tags;
  }
  if (!approved(d.outcome)) d.approved_amount = 0;
  return d;
}

}  // namespace tender::net::hostsim
