// Terminal action analysis (Book 3 10.7) and card action analysis (10.8), CDA included.
#include "emv/action_analysis.hpp"

#include <gtest/gtest.h>

#include "emv/oda.hpp"
#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::hex;

ActionCodes codes(std::string_view denial, std::string_view online, std::string_view dflt) {
  ActionCodes c;
  const auto fill = [](std::array<Byte, 5>& out, std::string_view h) {
    const Bytes b = hex(h);
    std::copy(b.begin(), b.end(), out.begin());
  };
  fill(c.denial, denial);
  fill(c.online, online);
  fill(c.default_, dflt);
  return c;
}

TEST(TerminalActionAnalysis, TacIacCombinations) {
  const ActionCodes visa = codes("0010000000", "DC4004F800", "DC4000A800");
  const ActionCodes no_iac = codes("0000000000", "0000000000", "0000000000");
  struct Row {
    const char* tvr;
    const char* iac_denial;
    const char* iac_online;
    const char* iac_default;
    bool online_capable;
    CryptogramType expected;
  };
  const Row rows[] = {
      {"0000000000", "0000000000", "0000000000", "0000000000", true, CryptogramType::tc},
      {"0010000000", "0000000000", "0000000000", "0000000000", true, CryptogramType::aac},   // TAC denial
      {"0000800000", "0000800000", "0000000000", "0000000000", true, CryptogramType::aac},   // IAC denial
      {"0000008000", "0000000000", "0000000000", "0000000000", true, CryptogramType::arqc},  // TAC online
      {"0000000080", "0000000000", "0000000080", "0000000000", true, CryptogramType::arqc},  // IAC online
      {"0000000080", "0000000000", "0000000000", "0000000000", true, CryptogramType::tc},
      {"0000008000", "0000000000", "0000000000", "0000000000", false, CryptogramType::aac},  // TAC default
      {"0000000080", "0000000000", "0000000000", "0000000080", false, CryptogramType::aac},  // IAC default
      {"0000000080", "0000000000", "FFFFFFFFFF", "0000000000", false, CryptogramType::tc},
      {"0010008000", "0000000000", "0000000000", "0000000000", true, CryptogramType::aac},   // denial first
  };
  for (const Row& row : rows) {
    const ActionCodes iac = codes(row.iac_denial, row.iac_online, row.iac_default);
    EXPECT_EQ(terminal_action_analysis(Tvr{hex(row.tvr)}, visa, iac, row.online_capable), row.expected)
        << row.tvr << " online_capable=" << row.online_capable;
  }
  EXPECT_EQ(terminal_action_analysis(Tvr{}, no_iac, no_iac, true), CryptogramType::tc);
  EXPECT_EQ(default_action_analysis(Tvr{hex("0000008000")}, visa, no_iac), CryptogramType::aac);
  EXPECT_EQ(default_action_analysis(Tvr{hex("0000001000")}, visa, no_iac), CryptogramType::tc);
}

TEST(TerminalActionAnalysis, AbsentIssuerActionCodes) {
  TagStore icc;
  ActionCodes iac = issuer_action_codes(icc);
  EXPECT_EQ(to_hex(iac.denial), "0000000000");
  EXPECT_EQ(to_hex(iac.online), "FFFFFFFFFF");
  EXPECT_EQ(to_hex(iac.default_), "FFFFFFFFFF");
  icc.set(0x9F0E, hex("0010000000"));
  icc.set(0x9F0F, hex("00"));  // wrong length: treated as absent
  icc.set(0x9F0D, hex("0000000001"));
  iac = issuer_action_codes(icc);
  EXPECT_EQ(to_hex(iac.denial), "0010000000");
  EXPECT_EQ(to_hex(iac.online), "FFFFFFFFFF");
  EXPECT_EQ(to_hex(iac.default_), "0000000001");
  // Any TVR bit with absent IAC-Online goes online.
  EXPECT_EQ(terminal_action_analysis(Tvr{hex("0000000001")}, ActionCodes{}, issuer_action_codes(TagStore{}), true),
            CryptogramType::arqc);
}

TEST(CardActionAnalysis, CryptogramInformationData) {
  EXPECT_EQ(decode_cid(0x00).type, CryptogramType::aac);
  EXPECT_EQ(decode_cid(0x40).type, CryptogramType::tc);
  EXPECT_EQ(decode_cid(0x80).type, CryptogramType::arqc);
  EXPECT_FALSE(decode_cid(0xC0).type.has_value());
  const Cid advice = decode_cid(0x0A);
  EXPECT_TRUE(advice.advice_required);
  EXPECT_EQ(advice.reason, static_cast<Byte>(CidReason::pin_try_limit_exceeded));
  EXPECT_EQ(decode_cid(0x01).reason, static_cast<Byte>(CidReason::service_not_allowed));
  EXPECT_EQ(decode_cid(0x03).reason, static_cast<Byte>(CidReason::issuer_authentication_failed));
  EXPECT_LT(rank(CryptogramType::aac), rank(CryptogramType::arqc));
  EXPECT_LT(rank(CryptogramType::arqc), rank(CryptogramType::tc));
}

struct CardAction : ::testing::Test {
  Context& prepare() {
    Context& ctx = rig.read(profile);
    EXPECT_TRUE(offline_data_authentication(ctx, rig.ttl).has_value());
    return ctx;
  }
  kt::Rig rig;
  kt::CardProfile profile;
};

TEST_F(CardAction, CdolDataAndTheFirstGenerateAc) {
  Context& ctx = prepare();
  ctx.tvr.reset();
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
  ASSERT_TRUE(decision.has_value()) << decision.error().describe();
  // 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37, as Book 3 5.4 builds them.
  EXPECT_EQ(to_hex(ctx.cdol1_data), "000000001000" "000000000000" "0840" "0000000000" "0840" "250315" "00" "11223344");
  EXPECT_EQ(to_hex(rig.card.log.back()), "80AE80001D" + to_hex(ctx.cdol1_data) + "00");
  EXPECT_EQ(decision->cryptogram, CryptogramType::arqc);
  EXPECT_FALSE(decision->cda_requested);
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "2000");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F27)), "80");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F36)), "0011");
  EXPECT_EQ(ctx.icc.get(0x9F26)->size(), 8u);
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F10)), "06010A03A00000");
}

TEST_F(CardAction, CardMayDeclineButNotUpgrade) {
  Context& ctx = prepare();
  rig.card.cid = [](Byte, int) { return Byte{0x00}; };
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::tc);
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(decision->cryptogram, CryptogramType::aac);

  kt::Rig other;
  Context& ctx2 = other.read(profile);
  other.card.cid = [](Byte, int) { return Byte{0x40}; };
  EXPECT_FALSE(card_action_analysis(ctx2, other.ttl, CryptogramType::arqc).has_value());
}

TEST_F(CardAction, AdviceAndReason) {
  Context& ctx = prepare();
  rig.card.cid = [](Byte, int) { return Byte{0x0A}; };
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
  ASSERT_TRUE(decision.has_value());
  EXPECT_TRUE(decision->cid.advice_required);
  EXPECT_EQ(decision->cid.reason, 2);
}

TEST_F(CardAction, CardErrorsTerminate) {
  Context& ctx = prepare();
  rig.card.cid = [](Byte, int) { return Byte{0xC0}; };
  EXPECT_FALSE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  rig.card.on(hex("80AE"), hex("6985"), 1);
  EXPECT_FALSE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  rig.card.on(hex("80AE"), hex("80 05 8000110000 9000"), 1);
  EXPECT_FALSE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  ctx.icc.set(0x8C, hex("9F02"));
  EXPECT_FALSE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  ctx.icc.set(0x8C, hex("9F0281FF 9F0302"));
  EXPECT_FALSE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
}

TEST_F(CardAction, TcHashValueWithTheDefaultTdol) {
  profile.cdol1 = hex("9F0206 9814");
  Context& ctx = prepare();
  ASSERT_TRUE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  EXPECT_TRUE(ctx.tvr.test(TvrBit::default_tdol_used));
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x98)), to_hex(sha1({hex("000000001000")})));
  EXPECT_EQ(to_hex(ctx.cdol1_data), "000000001000" + to_hex(sha1({hex("000000001000")})));
}

TEST_F(CardAction, TcHashValueWithTheCardsTdol) {
  profile.cdol1 = hex("9814");
  profile.extra[0x97] = hex("9F1A02");
  Context& ctx = prepare();
  ASSERT_TRUE(card_action_analysis(ctx, rig.ttl, CryptogramType::arqc).has_value());
  EXPECT_FALSE(ctx.tvr.test(TvrBit::default_tdol_used));
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x98)), to_hex(sha1({hex("0840")})));
}

TEST_F(CardAction, CdaRequestedAndVerified) {
  profile.oda = OdaMethod::cda;
  Context& ctx = prepare();
  ASSERT_TRUE(ctx.cda_key_ready);
  EXPECT_TRUE(cda_requested(ctx, CryptogramType::arqc));
  EXPECT_TRUE(cda_requested(ctx, CryptogramType::tc));
  EXPECT_FALSE(cda_requested(ctx, CryptogramType::aac));
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
  ASSERT_TRUE(decision.has_value()) << decision.error().describe();
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x90);
  EXPECT_TRUE(decision->cda_requested);
  EXPECT_FALSE(decision->cda_failed);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  // The AC came inside the signature.
  const Bytes digest = sha1({ctx.cdol1_data});
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F26)), to_hex(ByteView{digest}.first(8)));
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F4C)), "0102030405060708");
}

TEST_F(CardAction, CdaSignatureOverOtherDataFails) {
  profile.oda = OdaMethod::cda;
  Context& ctx = prepare();
  rig.card.corrupt_cda = true;
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
  ASSERT_TRUE(decision.has_value());
  EXPECT_TRUE(decision->cda_failed);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0400000000");
}

TEST_F(CardAction, CdaRequestedButNoSignature) {
  profile.oda = OdaMethod::cda;
  Context& ctx = prepare();
  rig.card.icc_key = nullptr;  // the card answers format 1 without a signature
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::tc);
  ASSERT_TRUE(decision.has_value());
  EXPECT_TRUE(decision->cda_failed);
  EXPECT_TRUE(ctx.tvr.test(TvrBit::cda_failed));
}

TEST_F(CardAction, CdaNotCheckedOnAnAac) {
  profile.oda = OdaMethod::cda;
  Context& ctx = prepare();
  rig.card.cid = [](Byte, int) { return Byte{0x00}; };
  auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(decision->cryptogram, CryptogramType::aac);
  EXPECT_FALSE(decision->cda_failed);
}

TEST_F(CardAction, TerminalActionAnalysisOnTheContext) {
  Context& ctx = prepare();
  ctx.tvr.reset();
  EXPECT_EQ(terminal_action_analysis(ctx), CryptogramType::tc);  // IACs all zero, TVR clear
  ctx.tvr.set(TvrBit::transaction_exceeds_floor_limit);
  EXPECT_EQ(terminal_action_analysis(ctx), CryptogramType::arqc);
  ctx.tvr.set(TvrBit::requested_service_not_allowed);  // Visa TAC denial
  EXPECT_EQ(terminal_action_analysis(ctx), CryptogramType::aac);
}

}  // namespace
}  // namespace tender::emv
