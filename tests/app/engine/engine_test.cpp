// The engine's state machine, table-driven: every case runs a whole transaction through the
// simulated devices and the host simulator, for Aurora and for FullStack, and checks the
// outcome, the journal's final state, the queue and the moves the machine made. A last test
// checks that the cases together take every transition of the table.
#include <gtest/gtest.h>

// The case table names only what each case needs (designated initializers); the rest keeps
// its default on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <cstdio>
#include <set>

#include "emv/tlv.hpp"
#include "tests/app/engine/engine_rig.hpp"

namespace tender::test {
namespace {

using app::Event;
using app::State;
using app::TxnOutcome;
using app::TxnState;
using B = hs::Behaviour;

constexpr int kAurora = 1;
constexpr int kFullStack = 2;
constexpr int kBoth = 3;

const std::string kSwipe = "4111111111111111=30121010000000000000";      // service code 101: stripe only
const std::string kSwipePin = "5413330089010434=30121200000000000000";   // 120: PIN required
const std::string kSwipeChip = "4761739001010010=30122011234567890";     // 201: a chip card

struct Case {
  std::string name;
  int hosts = kBoth;
  std::int64_t cents = 1234;
  std::vector<CardStep> cards;
  std::vector<PinStep> pins;
  std::vector<Confirm> confirms;
  std::vector<std::pair<B, int>> behaviours;  // scripted host behaviours, in order
  std::int64_t partial = 0;
  bool unreachable = false;
  int lose = 0;                               // answers lost after the host acted
  bool cold = false;                          // no OAuth token fetched before the sale
  std::int64_t floor_limit = 0;
  std::function<void(app::EngineConfig&)> tweak;
  TxnOutcome outcome = TxnOutcome::approved;
  TxnState state = TxnState::completed;
  std::size_t queued = 0;
  std::vector<std::pair<State, Event>> must_take;  // moves the path must contain
  app::TxnKind kind = app::TxnKind::sale;
  std::function<void(TweakedHost&)> host_tweak;
  // A follow-on run after the sale above was approved; outcome/state are then the follow-on's.
  std::optional<app::TxnKind> follow_on;
  std::optional<std::int64_t> follow_amount;
  bool settle_first = false;  // refunds need a settled sale at both hosts
  // More checks on the finished transaction (what reached the seam, what was printed).
  std::function<void(const app::TxnReport&, Rig&)> check;
};

CardStep insert(std::string card) { return {CardStep::insert, std::move(card), {}, {}, {}}; }
CardStep swipe(std::string track2) { return {CardStep::swipe_raw, {}, std::move(track2), {}, {}}; }
CardStep key(std::string pan, std::string expiry) { return {CardStep::key, {}, {}, std::move(pan), std::move(expiry)}; }
CardStep cancel() { return {CardStep::cancel, {}, {}, {}, {}}; }
CardStep silent() { return {CardStep::silent, {}, {}, {}, {}}; }
PinStep pin(std::string digits) { return {PinStep::digits, std::move(digits)}; }
PinStep pin_cancel() { return {PinStep::cancel, {}}; }
PinStep pin_timeout() { return {PinStep::timeout, {}}; }

auto surcharge_on = [](app::EngineConfig& c) {
  c.surcharge = true;
  c.surcharge_state = "TX";
};
auto partial_accept = [](app::EngineConfig& c) { c.partial = app::PartialPolicy::accept; };
auto partial_reverse = [](app::EngineConfig& c) { c.partial = app::PartialPolicy::reverse; };
auto short_guard = [](app::EngineConfig& c) { c.host_timeout = std::chrono::milliseconds{100}; };

// --- surcharge (issue 10 item 6): the host's prices at the seam, as the adapters give them ---
namespace host = net::host;
const std::string kSwipeDebit = "4000056655665556=30121010000000000000";  // BIN 400005: a debit BIN for the host
constexpr std::int64_t kSurcharge = 37;                                   // 3 % of 12.34

host::AmountBreakdown breakdown(const host::CalculateAmountRequest& r, std::int64_t surcharge) {
  const std::int64_t tip = r.tip ? r.tip->minor_units() : 0;
  const Currency c = r.base_amount.currency();
  return {r.base_amount, Money{surcharge, c}, Money{tip, c}, Money{r.base_amount.minor_units() + tip + surcharge, c}};
}
// Aurora: one answer per card type (creditCard 3 %, debitCard none).
Result<host::CalculateAmountResult> by_type(const host::CalculateAmountRequest& r) {
  host::CalculateAmountResult p;
  p.card = breakdown(r, r.base_amount.minor_units() * 3 / 100);
  p.debit = breakdown(r, 0);
  return p;
}
// FullStack: the gateway prices the BIN it is given (a debit BIN is never surcharged);
// without one, a credit card's estimate.
Result<host::CalculateAmountResult> by_bin(const host::CalculateAmountRequest& r) {
  host::CalculateAmountResult p;
  p.pricing = host::CardPricing::by_bin;
  p.card = breakdown(r, r.bin == "400005" ? 0 : r.base_amount.minor_units() * 3 / 100);
  return p;
}
auto type_prices = [](TweakedHost& h) { h.prices = by_type; };
// Aurora's adapter still drops the surcharge from its request: see TweakedHost.
auto type_prices_in_amount = [](TweakedHost& h) {
  h.prices = by_type;
  h.surcharge_in_amount = true;
};
auto bin_prices = [](TweakedHost& h) { h.prices = by_bin; };

// The request carries what the receipt prints: the total, and the surcharge (or none).
void expect_charged(const app::TxnReport& r, Rig& rig, std::int64_t total, std::int64_t surcharge) {
  ASSERT_EQ(rig.tweaked().sent.size(), 1u);
  const host::AuthorizationRequest& sent = rig.tweaked().sent.front();
  EXPECT_EQ(sent.amount, Money(total, usd()));
  EXPECT_EQ(sent.surcharge.value_or(Money{0, usd()}), Money(surcharge, usd()));
  EXPECT_EQ(r.entry.amount, Money(total, usd()));
  EXPECT_EQ(r.entry.surcharge.value_or(Money{0, usd()}), Money(surcharge, usd()));
  ASSERT_FALSE(r.receipts.empty());
  const std::string& receipt = r.receipts.front();
  EXPECT_NE(receipt.find(Money(total, usd()).format()), std::string::npos) << receipt;
  EXPECT_EQ(receipt.find("SURCHARGE") != std::string::npos, surcharge > 0) << receipt;
  if (surcharge > 0) {
    EXPECT_NE(receipt.find(Money(surcharge, usd()).format()), std::string::npos) << receipt;
  }
}
// Chip: the ARQC's Amount, Authorised is the total too.
void expect_arqc_amount(Rig& rig, std::int64_t total) {
  ASSERT_FALSE(rig.tweaked().sent.empty());
  const auto& emv = rig.tweaked().sent.front().emv;
  ASSERT_TRUE(emv);
  auto nodes = emv::decode(emv->tags);
  ASSERT_TRUE(nodes);
  const emv::TlvNode* amount = emv::find(*nodes, 0x9F02);
  ASSERT_NE(amount, nullptr);
  char digits[13];
  std::snprintf(digits, sizeof digits, "%012lld", static_cast<long long>(total));
  EXPECT_EQ(to_hex(amount->value), digits);
}
CardStep insert_labelled(std::string card, std::string label) {
  CardStep step = insert(std::move(card));
  step.edit = [label](icc::sim::CardProfile& p) { p.applications.front().label = label; };
  return step;
}

std::vector<Case> cases() {
  std::vector<Case> v;
  const auto add = [&](Case c) { v.push_back(std::move(c)); };
  // --- chip ---
  add({.name = "chip_online_pin_approved", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin("1234")},
       .must_take = {{State::reading_chip, Event::kernel_online}, {State::completing_chip, Event::card_approved}}});
  add({.name = "chip_wrong_pin_host_declines", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin("9999")},
       .outcome = TxnOutcome::declined, .state = TxnState::declined,
       .must_take = {{State::authorizing, Event::host_declined}, {State::completing_chip, Event::host_declined}}});
  add({.name = "chip_signature", .hosts = kAurora, .cards = {insert("mc_signature")}});
  add({.name = "chip_declined_offline_by_card", .hosts = kAurora, .cards = {insert("visa_decline_offline")},
       .outcome = TxnOutcome::declined, .state = TxnState::declined,
       .must_take = {{State::reading_chip, Event::kernel_declined}}});
  add({.name = "chip_blocked_application", .hosts = kAurora, .cards = {insert("visa_blocked")}, .outcome = TxnOutcome::declined,
       .state = TxnState::declined, .must_take = {{State::reading_chip, Event::kernel_failed}}});
  add({.name = "chip_cancel_at_pin", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin_cancel()},
       .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::reading_chip, Event::cancelled}}});
  add({.name = "chip_aac_after_host_approval", .hosts = kAurora, .cards = {insert("visa_aac_after_approval")},
       .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
       .must_take = {{State::completing_chip, Event::card_declined}, {State::reversing, Event::reversal_done}}});
  // The sale may have reached the host before the connection failed: the card declines
  // offline (unable to go online) and the request in doubt is reversed through the queue.
  add({.name = "chip_host_unreachable_card_declines_offline", .hosts = kAurora, .cards = {insert("visa_online_pin")},
       .pins = {pin("1234")}, .unreachable = true, .outcome = TxnOutcome::reversed, .state = TxnState::reversal_pending,
       .queued = 1, .must_take = {{State::recovering, Event::unrecoverable}, {State::going_offline, Event::offline_declined}}});
  // No OAuth token could be fetched: nothing was sent, so nothing is in doubt.
  add({.name = "chip_host_unreachable_before_anything_was_sent", .hosts = kAurora, .cards = {insert("visa_online_pin")},
       .pins = {pin("1234")}, .unreachable = true, .cold = true, .outcome = TxnOutcome::declined,
       .state = TxnState::declined,
       .must_take = {{State::authorizing, Event::unrecoverable}, {State::going_offline, Event::offline_declined}}});
  // FullStack has no chip fields: the terminal is a stripe terminal for it.
  add({.name = "chip_card_read_by_stripe", .hosts = kFullStack, .cards = {insert("visa_online_pin"), swipe(kSwipeChip)},
       .must_take = {{State::awaiting_card, Event::bad_card}, {State::awaiting_card, Event::swiped}}});
  add({.name = "pin_card_refused", .hosts = kFullStack, .cards = {swipe(kSwipePin)}, .outcome = TxnOutcome::declined,
       .state = TxnState::declined, .must_take = {{State::awaiting_card, Event::card_refused}}});
  // --- fallback ---
  add({.name = "fallback_swipe_after_no_common_application", .hosts = kAurora, .cards = {insert("unknown_aid"), swipe(kSwipeChip)},
       .must_take = {{State::reading_chip, Event::kernel_fallback}, {State::awaiting_fallback, Event::swiped}}});
  add({.name = "fallback_cancel", .hosts = kAurora, .cards = {insert("unknown_aid"), cancel()}, .outcome = TxnOutcome::cancelled,
       .state = TxnState::cancelled, .must_take = {{State::awaiting_fallback, Event::cancelled}}});
  add({.name = "fallback_timeout", .hosts = kAurora, .cards = {insert("unknown_aid"), silent()}, .outcome = TxnOutcome::cancelled,
       .state = TxnState::cancelled, .must_take = {{State::awaiting_fallback, Event::timed_out}}});
  add({.name = "fallback_insert_again_is_refused", .hosts = kAurora, .cards = {insert("unknown_aid"), insert("unknown_aid"), swipe(kSwipeChip)},
       .must_take = {{State::awaiting_fallback, Event::bad_card}}});
  add({.name = "fallback_swipe_with_pin", .hosts = kAurora, .cards = {insert("unknown_aid"), swipe(kSwipePin)}, .pins = {pin("1234")},
       .must_take = {{State::awaiting_fallback, Event::pin_needed}}});
  // --- swipe ---
  add({.name = "swipe_approved", .cards = {swipe(kSwipe)}, .must_take = {{State::awaiting_card, Event::swiped}}});
  add({.name = "swiped_chip_card_told_to_insert", .hosts = kAurora, .cards = {swipe(kSwipeChip), insert("visa_online_pin")},
       .pins = {pin("1234")}, .must_take = {{State::awaiting_card, Event::swiped_chip_card}}});
  add({.name = "swipe_with_online_pin", .hosts = kAurora, .cards = {swipe(kSwipePin)}, .pins = {pin("1234")},
       .must_take = {{State::awaiting_card, Event::pin_needed}, {State::entering_pin, Event::pin_entered}}});
  add({.name = "swipe_wrong_pin_declined", .hosts = kAurora, .cards = {swipe(kSwipePin)}, .pins = {pin("9999")},
       .outcome = TxnOutcome::declined, .state = TxnState::declined});
  add({.name = "swipe_pin_cancel", .hosts = kAurora, .cards = {swipe(kSwipePin)}, .pins = {pin_cancel()},
       .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::entering_pin, Event::cancelled}}});
  add({.name = "swipe_pin_timeout", .hosts = kAurora, .cards = {swipe(kSwipePin)}, .pins = {pin_timeout()},
       .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::entering_pin, Event::timed_out}}});
  add({.name = "bad_swipes_then_stop", .cards = {swipe("garbage"), swipe("4111"), swipe("=")},
       .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::awaiting_card, Event::bad_card}}});
  add({.name = "swipe_host_declines", .cards = {swipe(kSwipe)}, .behaviours = {{B::decline, 1}},
       .outcome = TxnOutcome::declined, .state = TxnState::declined});
  // --- keyed ---
  add({.name = "keyed_approved", .cards = {key("4111111111111111", "3012")},
       .must_take = {{State::awaiting_card, Event::keyed}}});
  add({.name = "keyed_bad_luhn_then_cancel", .cards = {key("4111111111111112", "3012"), cancel()},
       .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled});
  // --- prompts ---
  add({.name = "cancel_at_card_prompt", .cards = {cancel()}, .outcome = TxnOutcome::cancelled,
       .state = TxnState::cancelled, .must_take = {{State::awaiting_card, Event::cancelled}}});
  add({.name = "timeout_at_card_prompt", .cards = {silent()}, .outcome = TxnOutcome::cancelled,
       .state = TxnState::cancelled, .must_take = {{State::awaiting_card, Event::timed_out}}});
  // --- surcharge: decided once the card is read, never on debit, confirmed, charged as printed ---
  // The adapters as they are, against the simulators (no surcharge configured): nothing to
  // confirm, the sale goes at its price.
  add({.name = "surcharge_none_from_the_host", .cards = {swipe(kSwipe)}, .tweak = surcharge_on,
       .must_take = {{State::calculating, Event::calculated}, {State::pricing_card, Event::surcharge_off}},
       .check = [](const app::TxnReport& r, Rig& rig) { expect_charged(r, rig, 1234, 0); }});
  add({.name = "surcharge_host_unreachable_goes_on_at_base_price", .cards = {swipe(kSwipe)}, .unreachable = true,
       .tweak = surcharge_on, .outcome = TxnOutcome::approved_offline, .state = TxnState::offline_approved,
       .queued = 1, .must_take = {{State::calculating, Event::host_error}, {State::pricing_card, Event::host_error}}});
  // FullStack prices the BIN: asked again once the card is read, with the merchant's state.
  add({.name = "surcharge_swipe_credit", .hosts = kFullStack, .cards = {swipe(kSwipe)}, .confirms = {Confirm::yes},
       .tweak = surcharge_on,
       .must_take = {{State::pricing_card, Event::calculated}, {State::confirming_amount, Event::confirmed}},
       .host_tweak = bin_prices, .check = [](const app::TxnReport& r, Rig& rig) {
         expect_charged(r, rig, 1234 + kSurcharge, kSurcharge);
         const auto& asked = rig.tweaked().calculations;
         ASSERT_EQ(asked.size(), 2u);
         EXPECT_TRUE(asked[0].bin.empty());  // before the card: no card, no surcharge shown
         EXPECT_EQ(asked[1].bin, "411111");
         EXPECT_EQ(asked[1].state, "TX");
         EXPECT_EQ(asked[1].country, "US");
         ASSERT_EQ(rig.counter.totals.size(), 1u);
         EXPECT_EQ(rig.counter.totals[0].amount, Money(1234 + kSurcharge, usd()));
         EXPECT_EQ(rig.counter.totals[0].other, Money(kSurcharge, usd()));
       }});
  add({.name = "surcharge_swipe_debit_bin_not_surcharged", .hosts = kFullStack, .cards = {swipe(kSwipeDebit)},
       .tweak = surcharge_on, .must_take = {{State::pricing_card, Event::surcharge_off}}, .host_tweak = bin_prices,
       .check = [](const app::TxnReport& r, Rig& rig) {
         expect_charged(r, rig, 1234, 0);
         EXPECT_TRUE(rig.counter.totals.empty());  // nothing to confirm
       }});
  add({.name = "surcharge_keyed_credit", .hosts = kFullStack, .cards = {key("4111111111111111", "3012")},
       .tweak = surcharge_on, .must_take = {{State::awaiting_card, Event::keyed}, {State::pricing_card, Event::calculated}},
       .host_tweak = bin_prices,
       .check = [](const app::TxnReport& r, Rig& rig) { expect_charged(r, rig, 1234 + kSurcharge, kSurcharge); }});
  // Aurora prices by card type, and a stripe does not say its type: not surcharged.
  add({.name = "surcharge_swipe_of_unknown_type_not_surcharged", .hosts = kAurora, .cards = {swipe(kSwipe)},
       .tweak = surcharge_on, .must_take = {{State::pricing_card, Event::surcharge_off}}, .host_tweak = type_prices,
       .check = [](const app::TxnReport& r, Rig& rig) { expect_charged(r, rig, 1234, 0); }});
  add({.name = "surcharge_refused_at_confirmation", .hosts = kFullStack, .cards = {swipe(kSwipe)},
       .confirms = {Confirm::no}, .tweak = surcharge_on, .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::confirming_amount, Event::cancelled}}, .host_tweak = bin_prices,
       .check = [](const app::TxnReport&, Rig& rig) { EXPECT_TRUE(rig.tweaked().sent.empty()); }});
  add({.name = "surcharge_no_answer", .hosts = kFullStack, .cards = {swipe(kSwipe)}, .confirms = {Confirm::silent},
       .tweak = surcharge_on, .outcome = TxnOutcome::cancelled, .state = TxnState::cancelled,
       .must_take = {{State::confirming_amount, Event::timed_out}}, .host_tweak = bin_prices,
       .check = [](const app::TxnReport&, Rig& rig) { EXPECT_TRUE(rig.tweaked().sent.empty()); }});
  // Chip: the kernel asks for the amount after selection; "VISA CREDIT" is surcharged, the
  // cardholder confirms, and the ARQC carries the total.
  add({.name = "surcharge_chip_credit", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin("1234")},
       .confirms = {Confirm::yes}, .tweak = surcharge_on, .host_tweak = type_prices_in_amount,
       .check = [](const app::TxnReport& r, Rig& rig) {
         expect_charged(r, rig, 1234 + kSurcharge, kSurcharge);
         expect_arqc_amount(rig, 1234 + kSurcharge);
         ASSERT_EQ(rig.counter.totals.size(), 1u);
         EXPECT_EQ(rig.counter.totals[0].amount, Money(1234 + kSurcharge, usd()));
       }});
  add({.name = "surcharge_chip_debit_not_surcharged", .hosts = kAurora,
       .cards = {insert_labelled("visa_online_pin", "VISA DEBIT")}, .pins = {pin("1234")}, .tweak = surcharge_on,
       .host_tweak = type_prices_in_amount, .check = [](const app::TxnReport& r, Rig& rig) {
         expect_charged(r, rig, 1234, 0);
         expect_arqc_amount(rig, 1234);
         EXPECT_TRUE(rig.counter.totals.empty());
       }});
  add({.name = "surcharge_chip_refused", .hosts = kAurora, .cards = {insert("visa_online_pin")},
       .confirms = {Confirm::cancel}, .tweak = surcharge_on, .outcome = TxnOutcome::cancelled,
       .state = TxnState::cancelled, .must_take = {{State::reading_chip, Event::cancelled}},
       .host_tweak = type_prices_in_amount, .check = [](const app::TxnReport& r, Rig& rig) {
         EXPECT_TRUE(rig.tweaked().sent.empty());
         EXPECT_EQ(r.reason, "cancelled at the amount prompt");
       }});
  // --- partial approval ---
  add({.name = "partial_accepted_at_counter", .cards = {swipe(kSwipe)}, .confirms = {Confirm::yes},
       .behaviours = {{B::partial, 1}}, .partial = 500, .outcome = TxnOutcome::partially_approved,
       .must_take = {{State::authorizing, Event::host_partial}, {State::deciding_partial, Event::partial_accepted}}});
  add({.name = "partial_refused_at_counter", .cards = {swipe(kSwipe)}, .confirms = {Confirm::no},
       .behaviours = {{B::partial, 1}}, .partial = 500, .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
       .must_take = {{State::deciding_partial, Event::partial_refused}}});
  add({.name = "partial_cancelled_at_counter", .cards = {swipe(kSwipe)}, .confirms = {Confirm::cancel},
       .behaviours = {{B::partial, 1}}, .partial = 500, .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
       .must_take = {{State::deciding_partial, Event::cancelled}}});
  add({.name = "partial_no_answer", .cards = {swipe(kSwipe)}, .confirms = {Confirm::silent},
       .behaviours = {{B::partial, 1}}, .partial = 500, .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
       .must_take = {{State::deciding_partial, Event::timed_out}}});
  add({.name = "partial_accepted_by_configuration", .cards = {swipe(kSwipe)}, .behaviours = {{B::partial, 1}},
       .partial = 500, .tweak = partial_accept, .outcome = TxnOutcome::partially_approved});
  add({.name = "partial_reversed_by_configuration", .cards = {swipe(kSwipe)}, .behaviours = {{B::partial, 1}},
       .partial = 500, .tweak = partial_reverse, .outcome = TxnOutcome::reversed, .state = TxnState::reversed});
  add({.name = "chip_partial_accepted", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin("1234")},
       .behaviours = {{B::partial, 1}}, .partial = 500, .tweak = partial_accept,
       .outcome = TxnOutcome::partially_approved});
  // --- lost answers and recovery ---
  add({.name = "http_500_recovered", .cards = {swipe(kSwipe)}, .behaviours = {{B::error_500, 1}},
       .must_take = {{State::authorizing, Event::host_unknown}}});
  add({.name = "malformed_answer_recovered", .hosts = kFullStack, .cards = {swipe(kSwipe)},
       .behaviours = {{B::malformed, 1}}, .must_take = {{State::authorizing, Event::host_unknown}}});
  // Recovery finds the terminal's own approval: it is the host's answer (no approved sale lost).
  add({.name = "malformed_answer_found_by_recovery", .hosts = kAurora, .cards = {swipe(kSwipe)},
       .behaviours = {{B::malformed, 1}}, .must_take = {{State::recovering, Event::host_approved}}});
  // FullStack: the recovery's search finds the sale by its order_id; nothing is sent again.
  add({.name = "no_answer_found_by_search", .hosts = kFullStack, .cards = {swipe(kSwipe)}, .behaviours = {{B::no_answer, 1}},
       .must_take = {{State::recovering, Event::host_approved}}});
  add({.name = "no_answer_found_by_recovery", .hosts = kAurora, .cards = {swipe(kSwipe)},
       .behaviours = {{B::no_answer, 1}}, .must_take = {{State::recovering, Event::host_approved}}});
  // The card is still in the reader: it completes with the approval recovery found.
  add({.name = "chip_no_answer", .hosts = kAurora, .cards = {insert("visa_online_pin")}, .pins = {pin("1234")},
       .behaviours = {{B::close_connection, 1}},
       .must_take = {{State::authorizing, Event::host_unknown}, {State::recovering, Event::host_approved},
                     {State::completing_chip, Event::card_approved}}});
  // Approvals the terminal cannot believe (defect 9): above the request, zero, negative,
  // absurd. Each is voided at once and reported; none is printed as approved.
  for (const std::int64_t wrong : {99999LL, 0LL, -1234LL, 9223372036854775807LL}) {
    add({.name = "approved_amount_" + std::string(wrong < 0 ? "negative" : std::to_string(wrong)) + "_is_voided",
         .cards = {swipe(kSwipe)},
         .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
         .must_take = {{State::authorizing, Event::host_invalid}},
         .host_tweak = [wrong](TweakedHost& h) {
           h.sale_rewrites[0] = [wrong](Result<net::host::HostResult>& r) {
             if (r) r->approved_amount = Money{wrong, usd()};
           };
         }});
  }
  add({.name = "recovered_approval_of_a_wrong_amount_is_voided", .cards = {swipe(kSwipe)},
       .behaviours = {{B::no_answer, 1}}, .outcome = TxnOutcome::reversed, .state = TxnState::reversed,
       .must_take = {{State::recovering, Event::host_invalid}},
       .host_tweak = [](TweakedHost& h) {
         h.recover_rewrite = [](net::host::RecoveryResult& r) { r.result.approved_amount = Money{99999, usd()}; };
       }});
  // A lower approval than asked is a partial approval whatever the host's code said.
  add({.name = "lower_approved_amount_is_partial", .cards = {swipe(kSwipe)}, .tweak = partial_accept,
       .outcome = TxnOutcome::partially_approved,
       .must_take = {{State::authorizing, Event::host_partial}},
       .host_tweak = [](TweakedHost& h) {
         h.sale_rewrites[0] = [](Result<net::host::HostResult>& r) { if (r) r->approved_amount = Money{1000, usd()}; };
       }});
  add({.name = "engine_guard_fires_before_the_adapter", .hosts = kFullStack, .cards = {swipe(kSwipe)},
       .behaviours = {{B::no_answer, 1}}, .tweak = short_guard,
       .must_take = {{State::authorizing, Event::timed_out}}});
  add({.name = "answers_lost_twice_goes_offline", .cards = {swipe(kSwipe)}, .lose = 3,
       .outcome = TxnOutcome::approved_offline, .state = TxnState::offline_approved, .queued = 1,
       .must_take = {{State::going_offline, Event::offline_approved}}});
  // --- store and forward ---
  add({.name = "unreachable_within_offline_limit", .cards = {swipe(kSwipe)}, .unreachable = true,
       .outcome = TxnOutcome::approved_offline, .state = TxnState::offline_approved, .queued = 1});
  // A transport failure may have followed the write (host_adapter.hpp contract): the
  // request is in doubt, so a reversal is queued.
  add({.name = "unreachable_above_offline_limit", .cents = 6000, .cards = {swipe(kSwipe)},
       .unreachable = true, .outcome = TxnOutcome::reversed, .state = TxnState::reversal_pending, .queued = 1});
  add({.name = "unreachable_before_token_above_offline_limit", .hosts = kAurora, .cents = 6000,
       .cards = {swipe(kSwipe)}, .unreachable = true, .cold = true, .outcome = TxnOutcome::declined,
       .state = TxnState::declined});
  // The request reached the host and every answer was lost: no offline approval above the
  // limit, and a reversal waits in the queue for the host.
  add({.name = "answers_lost_above_offline_limit", .cents = 6000, .cards = {swipe(kSwipe)},
       .lose = 3, .outcome = TxnOutcome::reversed, .state = TxnState::reversal_pending,
       .queued = 1, .must_take = {{State::recovering, Event::unrecoverable}, {State::going_offline, Event::offline_declined}}});
  add({.name = "chip_tc_within_floor_limit", .hosts = kAurora, .cards = {insert("visa_dda")}, .floor_limit = 5000,
       .outcome = TxnOutcome::approved_offline, .state = TxnState::offline_approved, .queued = 1,
       .must_take = {{State::reading_chip, Event::kernel_approved}}});
  // --- lost answers whose first attempt the host decided ---
  add({.name = "decline_with_lost_answer", .cards = {swipe(kSwipe)}, .behaviours = {{B::decline, 1}}, .lose = 1,
       .outcome = TxnOutcome::declined, .state = TxnState::declined,
       .must_take = {{State::recovering, Event::host_declined}}});
  add({.name = "partial_with_lost_answer", .hosts = kFullStack, .cards = {swipe(kSwipe)},
       .behaviours = {{B::partial, 1}}, .partial = 500, .lose = 1, .tweak = partial_accept,
       .outcome = TxnOutcome::partially_approved, .must_take = {{State::recovering, Event::host_partial}}});
  // The host's recovery finds the request refused (a 4xx on the host's record): nothing charged.
  add({.name = "recovery_finds_it_refused", .cards = {swipe(kSwipe)}, .lose = 1,
       .outcome = TxnOutcome::failed, .state = TxnState::failed,
       .must_take = {{State::recovering, Event::host_error}},
       .host_tweak = [](TweakedHost& h) {
         h.recover_rewrite = [](net::host::RecoveryResult& r) {
           r = {net::host::Fate::done, net::host::HostResult{net::host::Outcome::error, {}, {}, {}, "400", "refused", {}}, "test"};
         };
       }});
  // The host never had it: sent once more (the card is still here), and approved.
  add({.name = "recovery_finds_nothing_and_sends_again", .cards = {swipe(kSwipe)}, .behaviours = {{B::error_500, 1}},
       .must_take = {{State::recovering, Event::not_at_host}, {State::authorizing, Event::host_approved}},
       .host_tweak = [](TweakedHost& h) {
         int calls = 0;
         h.recover_rewrite = [calls](net::host::RecoveryResult& r) mutable {
           if (calls++ == 0) r = {net::host::Fate::not_at_host, {}, "test"};
         };
       }});
  // FullStack: nothing recorded (500), nothing found: the replay inside the window (made by
  // the adapter's recovery) is refused by the host: nothing was charged.
  add({.name = "replay_refused", .hosts = kFullStack, .cards = {swipe(kSwipe)}, .behaviours = {{B::error_500, 1}},
       .outcome = TxnOutcome::failed, .state = TxnState::failed,
       .must_take = {{State::recovering, Event::host_error}},
       .host_tweak = [](TweakedHost& h) {
         h.recover_rewrite = [](net::host::RecoveryResult& r) {
           if (r.fate != net::host::Fate::done) return;
           r.result = net::host::HostResult{net::host::Outcome::error, {}, {}, {}, "400", "refused", {}};
         };
       }});
  // A host with chip fields but no PIN field (some acquirers): a PIN card is refused.
  add({.name = "fallback_pin_card_without_pin_field", .hosts = kAurora, .cards = {insert("unknown_aid"), swipe(kSwipePin)},
       .outcome = TxnOutcome::declined, .state = TxnState::declined,
       .must_take = {{State::awaiting_fallback, Event::card_refused}},
       .host_tweak = [](TweakedHost& h) { h.caps = net::host::Capabilities{true, false, true}; }});
  // --- other card transactions ---
  add({.name = "preauth_swipe", .cards = {swipe(kSwipe)}, .kind = app::TxnKind::preauth});
  add({.name = "card_verification", .hosts = kFullStack, .cents = 0, .cards = {swipe(kSwipe)},
       .kind = app::TxnKind::verify});
  // --- follow-ons on the sale before them ---
  add({.name = "void_last", .cards = {swipe(kSwipe)}, .must_take = {{State::idle, Event::start_followon}},
       .follow_on = app::TxnKind::void_});
  add({.name = "refund_part", .cards = {swipe(kSwipe)}, .follow_on = app::TxnKind::refund, .follow_amount = 500,
       .settle_first = true});
  add({.name = "refund_of_unsettled_sale_is_a_void", .cards = {swipe(kSwipe)}, .follow_on = app::TxnKind::refund});
  add({.name = "capture_preauth", .cards = {swipe(kSwipe)}, .kind = app::TxnKind::preauth,
       .follow_on = app::TxnKind::capture});
  add({.name = "tip_adjust", .hosts = kAurora, .cards = {swipe(kSwipe)}, .follow_on = app::TxnKind::tip_adjust,
       .follow_amount = 200});
  add({.name = "tip_adjust_unsupported", .hosts = kFullStack, .cards = {swipe(kSwipe)}, .outcome = TxnOutcome::failed,
       .state = TxnState::failed, .must_take = {{State::authorizing, Event::host_error}},
       .follow_on = app::TxnKind::tip_adjust, .follow_amount = 200});
  return v;
}

struct Param {
  HostKind host;
  Case c;
};

void PrintTo(const Param& p, std::ostream* os) { *os << name(p.host) << "/" << p.c.name; }

std::vector<Param> params() {
  std::vector<Param> out;
  for (const Case& c : cases()) {
    if (c.hosts & kAurora) out.push_back({HostKind::aurora, c});
    if (c.hosts & kFullStack) out.push_back({HostKind::fullstack, c});
  }
  return out;
}

app::TxnReport run_case(const Param& p) {
  RigOptions options;
  options.host = p.host;
  options.floor_limit = p.c.floor_limit;
  options.tweak = p.c.tweak;
  options.host_tweak = p.c.host_tweak;
  Rig rig(options);
  for (const auto& s : p.c.cards) rig.counter.cards.push_back(s);
  for (const auto& s : p.c.pins) rig.counter.pins.push_back(s);
  for (const auto& s : p.c.confirms) rig.counter.confirms.push_back(s);
  if (!p.c.cold) rig.warm_up();
  for (const auto& [b, n] : p.c.behaviours) rig.script(b, n, p.c.partial);
  rig.unreachable(p.c.unreachable);
  rig.lose_answers(p.c.lose);
  app::TxnReport report = rig.sale(p.c.cents, p.c.kind);
  if (p.c.follow_on) {
    EXPECT_EQ(app::to_string(report.outcome), "approved") << report.reason;
    std::vector<std::pair<State, Event>> sale_path = report.path;
    if (p.c.settle_first) {
      auto settled = rig.settle();
      EXPECT_TRUE(settled && settled->accepted) << (settled ? settled->response_message : settled.error().describe());
    }
    report = rig.follow_on(*p.c.follow_on, {}, p.c.follow_amount);
    report.path.insert(report.path.begin(), sale_path.begin(), sale_path.end());
  }
  if (p.c.check) p.c.check(report, rig);
  EXPECT_EQ(rig.queued(), p.c.queued);
  auto row = rig.journal->find(report.entry.reference_id);
  EXPECT_TRUE(row && *row);
  if (row && *row) {
    EXPECT_EQ(app::to_string((*row)->state), app::to_string(p.c.state)) << report.reason;
  }
  return report;
}

std::string path_text(const app::TxnReport& r) {
  std::string s;
  for (const auto& [state, event] : r.path) s += std::string(app::to_string(state)) + "-" + std::string(app::to_string(event)) + " ";
  return s;
}

class EngineTable : public ::testing::TestWithParam<Param> {};

TEST_P(EngineTable, EndsAsExpected) {
  const Param& p = GetParam();
  const app::TxnReport report = run_case(p);
  EXPECT_EQ(app::to_string(report.outcome), app::to_string(p.c.outcome)) << report.reason << "\n" << path_text(report);
  for (const auto& move : p.c.must_take) {
    EXPECT_NE(std::find(report.path.begin(), report.path.end(), move), report.path.end())
        << "missing " << app::to_string(move.first) << " on " << app::to_string(move.second) << "\n"
        << path_text(report);
  }
  ASSERT_FALSE(report.path.empty());
  EXPECT_EQ(report.path.back().second, Event::finished);
  EXPECT_TRUE(report.reason.find("no transition") == std::string::npos) << report.reason;
}

INSTANTIATE_TEST_SUITE_P(Cases, EngineTable, ::testing::ValuesIn(params()),
                         [](const ::testing::TestParamInfo<Param>& param_info) {
                           return std::string(name(param_info.param.host)) + "_" + param_info.param.c.name;
                         });

}  // namespace
}  // namespace tender::test

namespace tender::test {
namespace {

// Together, the cases take every move of the table: a move no case takes is either dead
// (remove it) or untested (add a case).
TEST(EngineTableCoverage, EveryTransitionIsTaken) {
  std::set<std::pair<State, Event>> taken;
  for (const Param& p : params()) {
    const app::TxnReport report = run_case(p);
    for (const auto& move : report.path) taken.insert(move);
  }
  std::string missing;
  for (const auto& t : app::transitions()) {
    if (!taken.contains({t.from, t.event})) {
      missing += std::string(app::to_string(t.from)) + " on " + std::string(app::to_string(t.event)) + "\n";
    }
  }
  EXPECT_TRUE(missing.empty()) << "transitions no case takes:\n" << missing;
}

}  // namespace
}  // namespace tender::test
