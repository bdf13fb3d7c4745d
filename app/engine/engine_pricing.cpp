// The surcharge (issue 10, item 6): the host's prices are fetched before the card, the
// surcharge is decided once the card is read (its type, or the host's price of its BIN), the
// cardholder confirms the total, and the request carries exactly what the receipt prints:
// AuthorizationRequest::amount = base + tip + surcharge, ::surcharge = the surcharge shown.
//
// Swiped and keyed cards: pricing_card (the host's BIN price where it prices by BIN), then
// confirming_amount. Chip cards: the kernel asks for the amount after final selection and
// before GET PROCESSING OPTIONS (KernelUi::amount_for); the confirmation happens there,
// synchronously, and the total is what the card puts in its cryptogram (9F02).
#include "app/engine/engine_impl.hpp"
#include "app/engine/surcharge.hpp"
#include "common/log.hpp"

namespace tender::app {
namespace {

constexpr std::string_view kComponent = "engine";
constexpr std::size_t kBinDigits = 6;  // ARCHITECTURE.md: never more than the first 6 leave the card

}  // namespace

Money Engine::Impl::base_total() const {
  const Txn& t = *txn;
  if (!t.sale.tip) return t.sale.amount;
  auto total = add(t.sale.amount, *t.sale.tip);
  return total ? *total : t.sale.amount;  // sale() refused a tip that does not add up
}

bool Engine::Impl::surcharge_possible() const {
  return config.surcharge && !txn->follow_on && txn->sale.kind == TxnKind::sale;
}

host::CalculateAmountRequest Engine::Impl::calculate_request(std::string bin) const {
  host::CalculateAmountRequest request;
  request.base_amount = txn->sale.amount;
  request.tip = txn->sale.tip;
  request.bin = std::move(bin);
  request.state = config.surcharge_state;
  request.country = config.surcharge_country;
  return request;
}

// Before the card: every card type's price at once. Nothing is shown or charged yet.
void Engine::Impl::on_calculating() {
  if (!surcharge_possible()) {
    raise(Event::surcharge_off);
    return;
  }
  const auto current = begin_step(config.host_timeout, [this] { raise(Event::host_error); });
  host.calculate_amount(calculate_request({}), step_handler<Result<host::CalculateAmountResult>>(
                                                   current, [this](Result<host::CalculateAmountResult> r) {
                                                     if (!r) {
                                                       log::warn(kComponent, "surcharge prices: ", r.error().describe(),
                                                                 "; the sale goes at the base price");
                                                       raise(Event::host_error);
                                                       return;
                                                     }
                                                     txn->prices = std::move(*r);
                                                     raise(Event::calculated);
                                                   }));
}

// A swiped or keyed card is read (a PIN stripe never comes here: it is debit).
void Engine::Impl::on_pricing_card() {
  Txn& t = *txn;
  t.entry.amount = base_total();
  t.entry.surcharge.reset();
  if (!surcharge_possible()) {
    raise(Event::surcharge_off);
    return;
  }
  const bool by_bin = !t.prices || t.prices->pricing == host::CardPricing::by_bin;
  if (!by_bin || t.bin.size() != kBinDigits) {
    if (!t.prices) {
      raise(Event::surcharge_off);
      return;
    }
    // Prices per card type, and a stripe says nothing of its type: only a host that knows
    // the BIN could tell a credit card from a debit one.
    price_card(*t.prices, false);
    return;
  }
  // The host prices by BIN (or its first answer failed, which a BIN price may still fix:
  // FullStack wants cc_bin whenever surcharge is allowed).
  const auto current = begin_step(config.host_timeout, [this] { raise(Event::host_error); });
  host.calculate_amount(calculate_request(t.bin), step_handler<Result<host::CalculateAmountResult>>(
                                                      current, [this](Result<host::CalculateAmountResult> r) {
                                                        if (!r) {
                                                          log::warn(kComponent, "the card's price: ", r.error().describe(),
                                                                    "; the sale goes at the base price");
                                                          raise(Event::host_error);
                                                          return;
                                                        }
                                                        price_card(*r, r->pricing == host::CardPricing::by_bin);
                                                      }));
}

void Engine::Impl::price_card(const host::CalculateAmountResult& prices, bool for_this_card) {
  Txn& t = *txn;
  const SurchargeDecision d = decide_surcharge(prices, Funding::unknown, for_this_card, t.sale.amount);
  log::info(kComponent, "surcharge: ", d.why);
  if (!d.surcharge) {
    raise(Event::surcharge_off);
    return;
  }
  auto total = add(base_total(), *d.surcharge);
  if (!total) {
    log::warn(kComponent, "surcharge: ", total.error().message, "; the sale goes at the base price");
    raise(Event::surcharge_off);
    return;
  }
  t.entry.amount = *total;
  t.entry.surcharge = d.surcharge;
  raise(Event::calculated);
}

void Engine::Impl::on_confirming_amount() {
  Txn& t = *txn;
  const auto current = begin_step(config.prompt_timeout, [this] {
    counter.cancel_prompt();
    conclude(TxnOutcome::cancelled, TxnState::cancelled, "no answer at the amount prompt", Event::timed_out);
  });
  counter.async_confirm(Screen::confirm_amount, ScreenArgs{t.entry.amount, t.entry.surcharge, {}},
                        step_handler<Result<bool>>(current, [this](Result<bool> r) {
                          if (r && *r) {
                            raise(Event::confirmed);
                            return;
                          }
                          conclude(TxnOutcome::cancelled, TxnState::cancelled, "cancelled at the amount prompt",
                                   Event::cancelled);
                        }));
}

// Inside the kernel, between final selection and GET PROCESSING OPTIONS: called once per
// application tried, so each starts again from the base price.
Result<Money> Engine::Impl::chip_amount(const emv::Candidate& selected) {
  Txn& t = *txn;
  const Money base = base_total();
  t.entry.amount = base;
  t.entry.surcharge.reset();
  if (!surcharge_possible() || !t.prices) return base;
  const Funding funding = chip_funding(selected.adf_name, selected.label, selected.preferred_name);
  const SurchargeDecision d = decide_surcharge(*t.prices, funding, false, t.sale.amount);
  log::info(kComponent, "surcharge (", to_string(funding), " application): ", d.why);
  if (!d.surcharge) return base;
  auto total = add(base, *d.surcharge);
  if (!total) return base;
  auto answer = counter.confirm_total(ScreenArgs{*total, d.surcharge, {}});
  if (!answer && answer.error().code == Errc::unsupported) {
    // A counter that cannot ask while the chip runs cannot show the surcharge: none is charged.
    log::warn(kComponent, "surcharge: this counter cannot confirm it at the chip; the sale goes at the base price");
    return base;
  }
  if (!answer || !*answer) {
    t.amount_refused = !answer && answer.error().code == Errc::timeout ? "no answer at the amount prompt"
                                                                       : "cancelled at the amount prompt";
    return make_error(Errc::cancelled, t.amount_refused);
  }
  t.entry.amount = *total;
  t.entry.surcharge = d.surcharge;
  counter.show(Screen::processing, ScreenArgs{*total, {}, {}});
  return *total;
}

}  // namespace tender::app
