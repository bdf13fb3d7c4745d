// Cardholder verification (Book 3 10.5, Annex C3): the CVM List, the condition codes,
// and the rules performed against a TestCard and a scripted PIN pad.
#include "emv/cvm.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::hex;

TEST(CvmList, Parse) {
  auto list = parse_cvm_list(hex("000003E8 00002710 4203 1E03 1F00"));
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->amount_x, 1000u);
  EXPECT_EQ(list->amount_y, 10000u);
  ASSERT_EQ(list->rules.size(), 3u);
  EXPECT_EQ(list->rules[0], (CvRule{0x42, 0x03}));
  EXPECT_EQ(list->rules[0].method(), 0x02);
  EXPECT_TRUE(list->rules[0].apply_succeeding_if_unsuccessful());
  EXPECT_FALSE(list->rules[2].apply_succeeding_if_unsuccessful());
  EXPECT_TRUE(parse_cvm_list(hex("0000000000000000"))->rules.empty());
  EXPECT_FALSE(parse_cvm_list(hex("00000000000000")).has_value());
  EXPECT_FALSE(parse_cvm_list(hex("0000000000000000 42")).has_value());
}

TEST(CvmCondition, AnnexC3Table40) {
  const CvmList list{1000, 5000, {}};
  CvmEnvironment purchase;
  purchase.amount_in_application_currency = 2000;
  purchase.terminal_capabilities = {0xE0, 0xF8, 0xC8};
  CvmEnvironment unattended_cash = purchase;
  unattended_cash.type = TransactionType::cash;
  unattended_cash.unattended = true;
  CvmEnvironment manual_cash = purchase;
  manual_cash.type = TransactionType::cash;
  CvmEnvironment cashback = purchase;
  cashback.type = TransactionType::cashback;
  cashback.cashback = true;
  CvmEnvironment foreign = purchase;
  foreign.amount_in_application_currency.reset();

  struct Row {
    Byte condition;
    bool purchase, unattended_cash, manual_cash, cashback, foreign;
  };
  const Row rows[] = {
      {0x00, true, true, true, true, true},       // always
      {0x01, false, true, false, false, false},   // unattended cash
      {0x02, true, false, false, false, true},    // not cash, not cashback
      {0x03, true, true, true, true, true},       // terminal supports (signature)
      {0x04, false, false, true, false, false},   // manual cash
      {0x05, false, false, false, true, false},   // purchase with cashback
      {0x06, false, false, false, false, false},  // under X (2000 is not under 1000)
      {0x07, true, true, true, true, false},      // over X
      {0x08, true, true, true, true, false},      // under Y
      {0x09, false, false, false, false, false},  // over Y
  };
  for (const Row& row : rows) {
    const CvRule rule{0x1E, row.condition};
    EXPECT_EQ(condition_satisfied(rule, list, purchase), row.purchase) << int(row.condition);
    EXPECT_EQ(condition_satisfied(rule, list, unattended_cash), row.unattended_cash) << int(row.condition);
    EXPECT_EQ(condition_satisfied(rule, list, manual_cash), row.manual_cash) << int(row.condition);
    EXPECT_EQ(condition_satisfied(rule, list, cashback), row.cashback) << int(row.condition);
    EXPECT_EQ(condition_satisfied(rule, list, foreign), row.foreign) << int(row.condition);
  }
  EXPECT_FALSE(condition_satisfied(CvRule{0x1E, 0x0A}, list, purchase).has_value());
  EXPECT_FALSE(condition_satisfied(CvRule{0x1E, 0x80}, list, purchase).has_value());
  // Exactly X is neither under nor over.
  purchase.amount_in_application_currency = 1000;
  EXPECT_FALSE(*condition_satisfied(CvRule{0x1E, 0x06}, list, purchase));
  EXPECT_FALSE(*condition_satisfied(CvRule{0x1E, 0x07}, list, purchase));
  // 03 with a CVM the terminal does not support, or does not know.
  purchase.terminal_capabilities = {0xE0, 0x08, 0xC8};
  EXPECT_FALSE(*condition_satisfied(CvRule{0x1E, 0x03}, list, purchase));
  EXPECT_FALSE(*condition_satisfied(CvRule{0x08, 0x03}, list, purchase));
}

TEST(CvmSupport, Book4AnnexA2) {
  const std::array<Byte, 3> all{0xE0, 0xF8, 0xC8};
  for (int m : {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x1E, 0x1F}) EXPECT_TRUE(terminal_supports(static_cast<Byte>(m), all)) << m;
  EXPECT_FALSE(terminal_supports(0x06, all));
  EXPECT_FALSE(terminal_supports(0x3F, all));
  const std::array<Byte, 3> pin_only{0xE0, 0x80, 0xC8};
  EXPECT_TRUE(terminal_supports(0x01, pin_only));
  EXPECT_FALSE(terminal_supports(0x03, pin_only));  // PIN and signature both needed
  EXPECT_FALSE(terminal_supports(0x1F, pin_only));
}

struct Cvm : ::testing::Test {
  Result<CvmOutcome> run(std::string_view cvm_list) {
    profile.cvm_list = hex(cvm_list);
    Context& ctx = rig.read(profile, input);
    return cardholder_verification(ctx, rig.ttl, pin_pad, ui);
  }
  Context& ctx() { return *rig.ctx; }
  std::string results() { return to_hex(ctx().cvm_results); }
  std::string tvr() { return to_hex(ctx().tvr.bytes()); }

  kt::Rig rig;
  kt::CardProfile profile;
  TransactionInput input = kt::purchase();
  kt::FakePinPad pin_pad;
  kt::FakeUi ui;
};

TEST_F(Cvm, OfflinePlaintextPin) {
  pin_pad.entries = {"1234"};
  auto r = run("00000000 00000000 0100");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "010002");
  EXPECT_EQ(tvr(), "0000000000");
  EXPECT_EQ(to_hex(ctx().tsi.bytes()), "4000");
  EXPECT_FALSE(r->signature_required);
  EXPECT_EQ(rig.card.count(hex("80CA9F17")), 1u);
  EXPECT_EQ(rig.card.count(hex("0020008008 241234FFFFFFFFFF")), 1u);
  EXPECT_EQ(ui.messages, (std::vector<std::string>{"ENTER PIN", "PIN OK"}));
}

TEST_F(Cvm, WrongPinThenRight) {
  pin_pad.entries = {"1111", "2222", "1234"};
  ASSERT_TRUE(run("00000000 00000000 0100").has_value());
  EXPECT_EQ(results(), "010002");
  EXPECT_EQ(tvr(), "0000000000");
  EXPECT_EQ(ui.messages, (std::vector<std::string>{"ENTER PIN", "INCORRECT PIN", "ENTER PIN", "INCORRECT PIN",
                                                   "LAST PIN TRY", "PIN OK"}));
}

TEST_F(Cvm, PinTryLimitReachedWhileEntering) {
  pin_pad.entries = {"1111", "1111", "1111", "1234"};
  ASSERT_TRUE(run("00000000 00000000 0100").has_value());
  EXPECT_EQ(results(), "010001");
  EXPECT_EQ(tvr(), "0000A00000");  // not successful, PIN try limit exceeded
  EXPECT_EQ(rig.card.pin_tries, 0);
  EXPECT_EQ(pin_pad.entries.size(), 1u);
}

TEST_F(Cvm, PinTryLimitExceededBeforeEntry) {
  rig.card.pin_tries = 0;
  pin_pad.entries = {"1234"};
  auto r = run("00000000 00000000 4100 1E00");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "1E0000");
  EXPECT_EQ(tvr(), "0000200000");
  EXPECT_TRUE(r->signature_required);
  EXPECT_EQ(rig.card.count(hex("0020")), 0u);
  EXPECT_EQ(pin_pad.entries.size(), 1u);  // never asked
}

TEST_F(Cvm, PinBlockedByTheCard) {
  pin_pad.entries = {"1234"};
  rig.card.on(hex("0020"), hex("6983"));
  ASSERT_TRUE(run("00000000 00000000 0100").has_value());
  EXPECT_EQ(results(), "010001");
  EXPECT_EQ(tvr(), "0000A00000");
}

TEST_F(Cvm, NoPinTryCounterStillAsksForThePin) {
  pin_pad.entries = {"1234"};
  rig.card.on(hex("80CA9F17"), hex("6A88"));
  ASSERT_TRUE(run("00000000 00000000 0100").has_value());
  EXPECT_EQ(results(), "010002");
}

TEST_F(Cvm, BypassFallsThroughToNoCvm) {
  pin_pad.entries = {std::nullopt};
  ASSERT_TRUE(run("00000000 00000000 4100 1F00").has_value());
  EXPECT_EQ(results(), "1F0002");
  EXPECT_EQ(tvr(), "0000080000");
}

TEST_F(Cvm, BypassCountsForLaterPinMethods) {
  pin_pad.entries = {std::nullopt, "1234"};
  auto r = run("00000000 00000000 4100 4200 1E00");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "1E0000");
  EXPECT_EQ(tvr(), "0000080000");
  EXPECT_EQ(pin_pad.online_calls, 0);
  EXPECT_FALSE(r->online_pin.has_value());
}

TEST_F(Cvm, PinEntryTimeoutIsNotEntered) {
  pin_pad.entries = {"!timeout"};
  ASSERT_TRUE(run("00000000 00000000 4100 1F00").has_value());
  EXPECT_EQ(tvr(), "0000080000");
}

TEST_F(Cvm, CancelTerminates) {
  pin_pad.entries = {"!cancel"};
  auto r = run("00000000 00000000 4100 1F00");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::cancelled);
}

TEST_F(Cvm, OnlinePin) {
  pin_pad.entries = {"1234"};
  auto r = run("00000000 00000000 4203 1E03 1F03");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "420300");
  EXPECT_EQ(tvr(), "0000040000");
  ASSERT_TRUE(r->online_pin.has_value());
  EXPECT_EQ(to_hex(r->online_pin->ksn), "FFFF9876543210E00001");
  EXPECT_EQ(pin_pad.pan_length, 16u);
  EXPECT_FALSE(r->signature_required);
}

TEST_F(Cvm, PinPadMissing) {
  pin_pad.present = false;
  auto r = run("00000000 00000000 4203 1E03");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "1E0300");
  EXPECT_EQ(tvr(), "0000100000");
  EXPECT_TRUE(r->signature_required);
}

TEST_F(Cvm, PlaintextPinAndSignature) {
  pin_pad.entries = {"1234"};
  auto r = run("00000000 00000000 0300");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "030000");
  EXPECT_TRUE(r->signature_required);
}

TEST_F(Cvm, EncipheredOfflinePin) {
  profile.oda = OdaMethod::dda;
  pin_pad.entries = {"1234"};
  auto r = run("00000000 00000000 0400");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(results(), "040002");
  EXPECT_EQ(rig.card.count(hex("0084000000")), 1u);
  EXPECT_EQ(rig.card.count(hex("00200088 60")), 1u);  // 96-byte enciphered block
}

TEST_F(Cvm, EncipheredPinWithoutKeyFails) {
  pin_pad.entries = {"1234"};
  ASSERT_TRUE(run("00000000 00000000 4400 1F00").has_value());  // the card has no ICC key
  EXPECT_EQ(results(), "1F0002");
  EXPECT_EQ(rig.card.count(hex("0084")), 0u);
}

TEST_F(Cvm, UnrecognisedCvm) {
  ASSERT_TRUE(run("00000000 00000000 0800 1F00").has_value());
  EXPECT_EQ(results(), "080001");
  EXPECT_EQ(tvr(), "0000C00000");
}

TEST_F(Cvm, UnrecognisedCvmThenNext) {
  ASSERT_TRUE(run("00000000 00000000 4800 1F00").has_value());
  EXPECT_EQ(results(), "1F0002");
  EXPECT_EQ(tvr(), "0000400000");
}

TEST_F(Cvm, UnsupportedCvmFails) {
  rig.config.capabilities[1] = 0x08;  // no CVM required only
  ASSERT_TRUE(run("00000000 00000000 1E00 1F00").has_value());
  EXPECT_EQ(results(), "1E0001");
  EXPECT_EQ(tvr(), "0000800000");
}

TEST_F(Cvm, FailCvmProcessing) {
  ASSERT_TRUE(run("00000000 00000000 0000 1F00").has_value());
  EXPECT_EQ(results(), "000001");
  EXPECT_EQ(tvr(), "0000800000");
}

TEST_F(Cvm, NoConditionSatisfied) {
  ASSERT_TRUE(run("00000000 00000000 1F01 1E04").has_value());
  EXPECT_EQ(results(), "3F0001");
  EXPECT_EQ(tvr(), "0000800000");
  EXPECT_EQ(to_hex(ctx().tsi.bytes()), "4000");
}

TEST_F(Cvm, AmountConditionsInTheApplicationCurrency) {
  // X = 20.00: 10.00 is under X, so the first rule (signature if under X) applies.
  ASSERT_TRUE(run("000007D0 00000000 1E06 1F00").has_value());
  EXPECT_EQ(results(), "1E0600");
}

TEST_F(Cvm, AmountConditionsSkippedInAnotherCurrency) {
  profile.application_currency = hex("0978");
  ASSERT_TRUE(run("000007D0 00000000 1E06 1F00").has_value());
  EXPECT_EQ(results(), "1F0002");
}

TEST_F(Cvm, NoCvmListIsIccDataMissing) {
  ASSERT_TRUE(run("00000000 00000000").has_value());
  EXPECT_EQ(results(), "3F0000");
  EXPECT_EQ(tvr(), "2000000000");
  EXPECT_EQ(to_hex(ctx().tsi.bytes()), "0000");
}

TEST_F(Cvm, MalformedCvmListIsIccDataMissing) {
  ASSERT_TRUE(run("00000000 000000").has_value());
  EXPECT_EQ(results(), "3F0000");
  EXPECT_EQ(tvr(), "2000000000");
}

TEST_F(Cvm, CardholderVerificationNotSupportedByTheCard) {
  profile.aip1 = 0x0C;
  ASSERT_TRUE(run("00000000 00000000 0100").has_value());
  EXPECT_EQ(results(), "3F0000");
  EXPECT_EQ(tvr(), "0000000000");
  EXPECT_EQ(to_hex(ctx().tsi.bytes()), "0000");
}

TEST_F(Cvm, CashAtAnAttendedTerminal) {
  input.type = TransactionType::cash;
  profile.auc = hex("FF00");
  pin_pad.entries = {"1234"};
  ASSERT_TRUE(run("00000000 00000000 1F02 0104").has_value());  // manual cash: offline PIN
  EXPECT_EQ(results(), "010402");
}

}  // namespace
}  // namespace tender::emv
