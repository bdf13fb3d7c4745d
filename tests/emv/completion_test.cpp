// Online processing, issuer script processing and completion (Book 3 10.9-10.11).
#include "emv/completion.hpp"

#include <gtest/gtest.h>

#include "emv/oda.hpp"
#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::cat;
using kt::hex;
using kt::tlv;

TEST(Arc, Approvals) {
  for (const char* arc : {"00", "08", "10", "11"}) EXPECT_TRUE(arc_approves(as_bytes(arc))) << arc;
  for (const char* arc : {"05", "51", "01", "Y3", "Z3", "0", "000"}) EXPECT_FALSE(arc_approves(as_bytes(arc))) << arc;
}

struct Completion_ : ::testing::Test {
  // Read, ODA, and a first GENERATE AC answered with an ARQC.
  Context& online() {
    Context& ctx = rig.read(profile);
    EXPECT_TRUE(offline_data_authentication(ctx, rig.ttl).has_value());
    ctx.tvr.reset();
    auto decision = card_action_analysis(ctx, rig.ttl, CryptogramType::arqc);
    EXPECT_TRUE(decision.has_value() && decision->cryptogram == CryptogramType::arqc);
    return ctx;
  }
  Result<Completion> complete(const OnlineResponse& response) {
    return complete_transaction(*rig.ctx, rig.ttl, response);
  }
  static OnlineResponse approved(Bytes scripts = {}) {
    return OnlineResponse{true, as_bytes_copy("00"), hex("11223344556677883030"), std::move(scripts)};
  }
  static Bytes as_bytes_copy(std::string_view s) { return Bytes(s.begin(), s.end()); }
  std::size_t index_of(const Bytes& prefix) const {
    for (std::size_t i = 0; i < rig.card.log.size(); ++i) {
      const Bytes& c = rig.card.log[i];
      if (c.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), c.begin())) return i;
    }
    return SIZE_MAX;
  }

  kt::Rig rig;
  kt::CardProfile profile;
};

TEST_F(Completion_, ApprovedWithIssuerAuthentication) {
  Context& ctx = online();
  auto c = complete(approved());
  ASSERT_TRUE(c.has_value()) << c.error().describe();
  EXPECT_TRUE(c->host_reached);
  EXPECT_TRUE(c->approved);
  EXPECT_EQ(rig.card.count(hex("008200000A 11223344556677883030")), 1u);
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "3000");  // card risk management, issuer authentication
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x40);
  // CDOL2: ARC first, 91 last.
  EXPECT_EQ(to_hex(ByteView{ctx.cdol2_data}.first(2)), "3030");
  EXPECT_EQ(to_hex(ByteView{ctx.cdol2_data}.last(10)), "11223344556677883030");
  EXPECT_EQ(to_hex(*ctx.lookup(0x8A)), "3030");
}

TEST_F(Completion_, IssuerAuthenticationFails) {
  rig.card.external_authenticate_sw = 0x6300;
  Context& ctx = online();
  auto c = complete(approved());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000040");
  EXPECT_TRUE(ctx.tsi.test(TsiBit::issuer_authentication_performed));
}

TEST_F(Completion_, IssuerAuthenticationDataOfAWrongLength) {
  Context& ctx = online();
  OnlineResponse response = approved();
  response.issuer_authentication_data = hex("1122");
  ASSERT_TRUE(complete(response).has_value());
  EXPECT_TRUE(ctx.tvr.test(TvrBit::issuer_authentication_failed));
  EXPECT_EQ(rig.card.count(hex("0082")), 0u);
}

TEST_F(Completion_, WithoutIssuerAuthenticationInTheAipTheDataGoesInCdol2) {
  profile.aip1 = 0x18;
  Context& ctx = online();
  ASSERT_TRUE(complete(approved()).has_value());
  EXPECT_EQ(rig.card.count(hex("0082")), 0u);
  EXPECT_FALSE(ctx.tsi.test(TsiBit::issuer_authentication_performed));
  EXPECT_EQ(to_hex(ByteView{ctx.cdol2_data}.last(10)), "11223344556677883030");
}

TEST_F(Completion_, HostDeclines) {
  Context& ctx = online();
  OnlineResponse response = approved();
  response.arc = hex("3035");
  auto c = complete(response);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->approved);
  EXPECT_EQ(c->decision.cryptogram, CryptogramType::aac);
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x00);
  EXPECT_EQ(to_hex(ByteView{ctx.cdol2_data}.first(2)), "3035");
}

TEST_F(Completion_, CardDeclinesWhatTheHostApproved) {
  rig.card.cid = [](Byte p1, int call) { return call == 2 ? Byte{0x00} : static_cast<Byte>(p1 & 0xC0); };
  online();
  auto c = complete(approved());
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->host_reached);
  EXPECT_FALSE(c->approved);
}

TEST_F(Completion_, UnableToGoOnlineDefaultApproves) {
  Context& ctx = online();
  auto c = complete(OnlineResponse{});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->host_reached);
  EXPECT_TRUE(c->approved);
  EXPECT_EQ(to_hex(*ctx.lookup(0x8A)), "5933");  // Y3
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x40);
  EXPECT_EQ(rig.card.count(hex("0082")), 0u);
}

TEST_F(Completion_, UnableToGoOnlineDefaultDeclines) {
  profile.iac_default = hex("0000008000");
  Context& ctx = online();
  ctx.tvr.set(TvrBit::transaction_exceeds_floor_limit);
  auto c = complete(OnlineResponse{});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->approved);
  EXPECT_EQ(to_hex(*ctx.lookup(0x8A)), "5A33");  // Z3
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x00);
}

TEST_F(Completion_, SecondGenerateAcMustNotBeAnArqc) {
  rig.card.cid = [](Byte, int) { return Byte{0x80}; };
  online();
  EXPECT_FALSE(complete(approved()).has_value());
}

const Bytes kScriptBefore = tlv(0x71, cat({tlv(0x9F18, hex("11223344")), tlv(0x86, hex("841E0000 00")),
                                           tlv(0x86, hex("84160000 00"))}));
const Bytes kScriptAfter = tlv(0x72, cat({tlv(0x9F18, hex("55667788")), tlv(0x86, hex("8424000208 1122334455667788"))}));

TEST_F(Completion_, ScriptsBeforeAndAfterTheFinalGenerateAc) {
  Context& ctx = online();
  ASSERT_TRUE(complete(approved(cat({kScriptBefore, kScriptAfter}))).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "2011223344" "2055667788");
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_TRUE(ctx.tsi.test(TsiBit::script_processing_performed));
  const std::size_t second_ac = [&] {
    std::size_t last = 0;
    for (std::size_t i = 0; i < rig.card.log.size(); ++i)
      if (rig.card.log[i][1] == 0xAE) last = i;
    return last;
  }();
  EXPECT_LT(index_of(hex("841E")), second_ac);
  EXPECT_LT(index_of(hex("8416")), second_ac);
  EXPECT_GT(index_of(hex("8424")), second_ac);
}

TEST_F(Completion_, ScriptFailsBeforeTheFinalGenerateAc) {
  rig.card.on(hex("8416"), hex("6985"));
  Context& ctx = online();
  ASSERT_TRUE(complete(approved(kScriptBefore)).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "1211223344");  // failed at command 2
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000020");
}

TEST_F(Completion_, ScriptFailsAfterTheFinalGenerateAcAndStopsThere) {
  rig.card.on(hex("8424"), hex("6A80"));
  const Bytes after = tlv(0x72, cat({tlv(0x86, hex("8424000208 1122334455667788")), tlv(0x86, hex("841E000000"))}));
  Context& ctx = online();
  ASSERT_TRUE(complete(approved(after)).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "1100000000");  // no 9F18: zeros
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000010");
  EXPECT_EQ(rig.card.count(hex("841E")), 0u);
}

TEST_F(Completion_, WarningsAreSuccess) {
  rig.card.script_sw = 0x6283;
  Context& ctx = online();
  ASSERT_TRUE(complete(approved(kScriptBefore)).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "2011223344");
}

TEST_F(Completion_, MalformedScripts) {
  Context& ctx = online();
  ASSERT_TRUE(complete(approved(hex("71 10 9F18 04 11"))).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "1000000000");
  EXPECT_TRUE(ctx.tvr.test(TvrBit::script_processing_failed_before_final_generate_ac));
  EXPECT_FALSE(ctx.tvr.test(TvrBit::script_processing_failed_after_final_generate_ac));
}

TEST_F(Completion_, MalformedScriptCommand) {
  Context& ctx = online();
  const Bytes script = tlv(0x71, cat({tlv(0x86, hex("84")), tlv(0x86, hex("841E000000"))}));
  ASSERT_TRUE(complete(approved(script)).has_value());
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F5B)), "1100000000");
  EXPECT_EQ(rig.card.count(hex("841E")), 0u);
}

TEST_F(Completion_, NoScriptsWhenTheHostIsNotReached) {
  Context& ctx = online();
  OnlineResponse response;
  response.issuer_scripts = kScriptBefore;
  ASSERT_TRUE(complete(response).has_value());
  EXPECT_FALSE(ctx.terminal.contains(0x9F5B));
}

TEST_F(Completion_, CdaOnTheSecondGenerateAc) {
  profile.oda = OdaMethod::cda;
  online();
  auto c = complete(approved());
  ASSERT_TRUE(c.has_value()) << c.error().describe();
  EXPECT_EQ(rig.card.generate_ac_p1.back(), 0x50);
  EXPECT_TRUE(c->decision.cda_requested);
  EXPECT_FALSE(c->decision.cda_failed);
  EXPECT_TRUE(c->approved);
}

TEST_F(Completion_, CdaFailsOnTheSecondGenerateAc) {
  profile.oda = OdaMethod::cda;
  Context& ctx = online();
  rig.card.corrupt_cda = true;
  auto c = complete(approved());
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->decision.cda_failed);
  EXPECT_FALSE(c->approved);
  EXPECT_TRUE(ctx.tvr.test(TvrBit::cda_failed));
}

}  // namespace
}  // namespace tender::emv
