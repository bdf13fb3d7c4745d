// What the counter's display and receipts say at the end of a transaction: the engine's
// reasons as short display messages (display_text), the signature line of a swiped sale.
#include <gtest/gtest.h>

#include "app/engine/display_text.hpp"
#include "tests/app/engine/engine_rig.hpp"

namespace tender::test {
namespace {

using app::TxnOutcome;

const std::string kSwipe = "4111111111111111=30121010000000000000";

// The last outcome screen the engine showed, with its args.
std::optional<std::pair<app::Screen, app::ScreenArgs>> outcome_screen(const ScriptedCounter& counter) {
  for (auto it = counter.shown.rbegin(); it != counter.shown.rend(); ++it) {
    if (it->first == app::Screen::approved || it->first == app::Screen::declined || it->first == app::Screen::cancelled)
      return *it;
  }
  return std::nullopt;
}

// Every reason the engine gives (conclude(), the report) maps to a message made for 20
// columns: never the sentence cut at the edge.
TEST(DisplayText, EveryEngineReasonIsAShortMessage) {
  const std::vector<std::pair<TxnOutcome, std::string>> reasons{
      {TxnOutcome::cancelled, "no card presented in time"},
      {TxnOutcome::cancelled, "the card could not be read"},
      {TxnOutcome::declined, "the card asks for a PIN and this host cannot carry one"},
      {TxnOutcome::cancelled, "no PIN entered in time"},
      {TxnOutcome::cancelled, "PIN entry cancelled"},
      {TxnOutcome::cancelled, "PIN pad: the PED failed"},
      {TxnOutcome::declined, "declined by the card (AAC)"},
      {TxnOutcome::declined, "chip: no common application"},
      {TxnOutcome::declined, "chip: GENERATE AC returned 6985"},
      {TxnOutcome::failed, "journal unavailable: nothing was sent"},
      {TxnOutcome::failed, "not sent: connection refused by 127.0.0.1"},
      {TxnOutcome::failed, "refused by the host: invalid merchant configuration for this terminal"},
      {TxnOutcome::declined, "host unreachable and above the offline limit"},
      {TxnOutcome::declined, "host unreachable and the card declined offline"},
      {TxnOutcome::reversed, "the host's answer was lost and its recovery did not answer in time"},
      {TxnOutcome::reversed, "the card declined after the host approved (AAC at the second GENERATE AC)"},
      {TxnOutcome::reversed, "partial approval refused at the counter"},
      {TxnOutcome::cancelled, "cancelled at the amount prompt"},
      {TxnOutcome::declined, "declined by the host: THE ISSUER DECLINED THIS TRANSACTION FOR AN UNSPECIFIED REASON"},
      {TxnOutcome::failed, "engine: no transition from authorizing on swiped"},
      {TxnOutcome::failed, "something no table entry knows about, and long at that"},
  };
  for (const auto& [outcome, reason] : reasons) {
    const std::string text = app::display_text(outcome, reason, "THE ISSUER DECLINED THIS TRANSACTION");
    EXPECT_LE(text.size(), app::kDisplayTextColumns) << reason << " -> " << text;
    // Not a prefix of the sentence: a message of its own.
    if (!text.empty()) {
      std::string upper = reason;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      EXPECT_NE(upper.rfind(text, 0), 0u) << reason << " -> " << text;
    }
  }
  EXPECT_EQ(app::display_text(TxnOutcome::declined, "declined by the host: DO NOT HONOR", "DO NOT HONOR"), "DO NOT HONOR");
  EXPECT_EQ(app::display_text(TxnOutcome::declined, "chip: no common application"), "CARD NOT SUPPORTED");
  EXPECT_EQ(app::display_text(TxnOutcome::approved, "", "", "123456"), "AUTH 123456");
  EXPECT_EQ(app::display_text(TxnOutcome::approved_offline, ""), "APPROVED OFFLINE");
}

// The engine puts the short message on the declined screen; the journal keeps the reason whole.
TEST(EngineDisplay, HostDeclineShowsAShortMessageAndJournalsTheReason) {
  Rig rig;
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  const app::TxnReport r = rig.sale(1251);  // the simulator's "do not honor" cents
  ASSERT_EQ(r.outcome, TxnOutcome::declined) << r.reason;
  const auto shown = outcome_screen(rig.counter);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->first, app::Screen::declined);
  EXPECT_LE(shown->second.text.size(), app::kDisplayTextColumns) << shown->second.text;
  EXPECT_FALSE(shown->second.text.empty());
  EXPECT_EQ(shown->second.text.find("declined by the host"), std::string::npos) << shown->second.text;
  EXPECT_NE(r.reason.find("declined by the host"), std::string::npos) << r.reason;
  auto row = rig.journal->find(r.entry.reference_id);
  ASSERT_TRUE(row && *row);
  EXPECT_NE((*row)->reason.find("declined by the host"), std::string::npos) << (*row)->reason;
}

TEST(EngineDisplay, ApprovalShowsTheAuthCode) {
  Rig rig;
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  const app::TxnReport r = rig.sale(1234);
  ASSERT_EQ(r.outcome, TxnOutcome::approved) << r.reason;
  const auto shown = outcome_screen(rig.counter);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->first, app::Screen::approved);
  EXPECT_EQ(shown->second.text, "AUTH " + r.entry.auth_code);
}

// A swipe without a PIN is signed for: the journal's CVM is signature and the merchant copy
// (only it) has the signature line.
TEST(EngineDisplay, SwipedSaleWithoutPinAsksForASignatureOnTheMerchantCopy) {
  Rig rig;
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  const app::TxnReport r = rig.sale(1234);
  ASSERT_EQ(r.outcome, TxnOutcome::approved) << r.reason;
  EXPECT_EQ(r.entry.cvm, app::Cvm::signature);
  ASSERT_EQ(r.receipts.size(), 2u);
  EXPECT_NE(r.receipts[0].find("SIGNATURE"), std::string::npos) << r.receipts[0];
  EXPECT_NE(r.receipts[0].find("X____"), std::string::npos) << r.receipts[0];
  EXPECT_EQ(r.receipts[1].find("SIGNATURE"), std::string::npos) << r.receipts[1];
  // Keyed is not a swipe: no signature line is invented for it here.
  Rig keyed;
  keyed.counter.cards.push_back({CardStep::key, {}, {}, "4111111111111111", "3012"});
  const app::TxnReport k = keyed.sale(1234);
  ASSERT_EQ(k.outcome, TxnOutcome::approved) << k.reason;
  EXPECT_NE(k.entry.cvm, app::Cvm::signature);
}

}  // namespace
}  // namespace tender::test
