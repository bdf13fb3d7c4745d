// tender-hostsim's verifiers: the DUKPT receiver against blocks made the PIN pad's way,
// and the test cards' issuer answering a real kernel's online request.
#include <gtest/gtest.h>

#include "tests/chip_session.hpp"

#include <optional>
#include <span>

#include "app/hostsim/verifiers.hpp"
#include "app/terminal/issuer_response.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"
#include "drivers/pinpad/pin_block.hpp"
#include "emv/kernel.hpp"
#include "emv/tlv.hpp"

namespace tender {
namespace {

constexpr std::string_view kPan = "4761739001010010";

Bytes hex(std::string_view h) {
  auto b = from_hex(h);
  EXPECT_TRUE(b);
  return b ? *b : Bytes{};
}

// ISO-0 under the TDES DUKPT key of `ksn` (10 bytes).
Bytes tdes_block(std::string_view pin, std::string_view pan, const Bytes& ksn) {
  auto key = pinpad::tdes::derive_pin_key(hex(app::kTestTdesBdkHex), ksn);
  EXPECT_TRUE(key);
  auto clear = pinpad::format0_encode(pin, pan);
  EXPECT_TRUE(clear);
  const auto block = pinpad::tdes::encrypt_pin_block(*key, std::span<const Byte, 8>(clear->reveal().data(), 8));
  return Bytes(block.begin(), block.end());
}

// ISO-4 under the AES DUKPT PIN key of `ksn` (12 bytes).
Bytes aes_block(std::string_view pin, std::string_view pan, const Bytes& ksn) {
  auto parsed = pinpad::aes::parse_ksn(ksn);
  EXPECT_TRUE(parsed);
  auto key = pinpad::aes::derive_pin_key(hex(app::kTestAesBdkHex), *parsed);
  EXPECT_TRUE(key);
  const Bytes random8 = hex("0102030405060708");
  auto field = pinpad::format4_pin_field(pin, random8);
  EXPECT_TRUE(field);
  auto block = pinpad::format4_encipher(key->reveal(), *field, pan);
  EXPECT_TRUE(block);
  return Bytes(block->begin(), block->end());
}

TEST(DukptPinVerifier, TdesFormat0) {
  app::DukptPinVerifier verifier;
  const Bytes ksn = hex("FFFF9876543210E00001");
  auto ok = verifier.verify(kPan, tdes_block("1234", kPan, ksn), ksn);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
  auto wrong = verifier.verify(kPan, tdes_block("9999", kPan, ksn), ksn);
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(*wrong);
  // The block of another KSN decrypts to garbage: not the PIN.
  auto other_ksn = verifier.verify(kPan, tdes_block("1234", kPan, hex("FFFF9876543210E00002")), ksn);
  ASSERT_TRUE(other_ksn);
  EXPECT_FALSE(*other_ksn);
}

TEST(DukptPinVerifier, AesFormat4) {
  app::DukptPinVerifier verifier;
  const Bytes ksn = hex("123456789012345600000001");
  auto ok = verifier.verify(kPan, aes_block("1234", kPan, ksn), ksn);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
  auto wrong = verifier.verify(kPan, aes_block("4321", kPan, ksn), ksn);
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(*wrong);
}

TEST(DukptPinVerifier, ExpectedPinByPan) {
  app::DukptPinVerifier::PinMap pins;
  pins.emplace(std::string(kPan), SecretString{"8888"});
  app::DukptPinVerifier verifier(std::move(pins));
  const Bytes ksn = hex("FFFF9876543210E00003");
  auto own = verifier.verify(kPan, tdes_block("8888", kPan, ksn), ksn);
  ASSERT_TRUE(own);
  EXPECT_TRUE(*own);
  auto default_pin = verifier.verify(kPan, tdes_block("1234", kPan, ksn), ksn);
  ASSERT_TRUE(default_pin);
  EXPECT_FALSE(*default_pin);
  constexpr std::string_view kOtherPan = "4111111111111111";
  auto other = verifier.verify(kOtherPan, tdes_block("1234", kOtherPan, ksn), ksn);
  ASSERT_TRUE(other);
  EXPECT_TRUE(*other);
}

TEST(DukptPinVerifier, BadLengthsAreErrors) {
  app::DukptPinVerifier verifier;
  EXPECT_FALSE(verifier.verify(kPan, hex("1111"), hex("2222222222")));                 // the document's example
  EXPECT_FALSE(verifier.verify(kPan, hex("0011223344556677"), hex("FFFF9876543210E000")));  // 9-byte KSN
  EXPECT_FALSE(verifier.verify(kPan, hex("00112233"), hex("FFFF9876543210E00001")));      // short block
  EXPECT_FALSE(verifier.verify(kPan, hex("0011223344556677"), hex("FFFF9876543210E00000")));  // counter 0
}

// A built-in card through the kernel, the issuer answering from the online tags as a
// host receives them. Returns the kernel's result; `tamper` flips a bit of the ARQC.
struct HostRun {
  emv::KernelResult result;
  std::optional<net::hostsim::ChipDecision> decision;
};

HostRun run_card(std::string_view name, bool approve, bool tamper = false) {
  auto issuer = app::TestCardIssuer::builtin();
  EXPECT_TRUE(issuer);
  test::ChipSession session{name, "1234"};
  HostRun run;
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    Bytes tags = request.online_tags;
    if (tamper) {
      const auto at = to_hex(tags).find("9F2608");
      EXPECT_NE(at, std::string::npos);
      tags[at / 2 + 3] ^= 0x01;
    }
    Bytes psn;
    if (request.pan_sequence_number) psn.push_back(*request.pan_sequence_number);
    auto decision = issuer->authorize(request.pan->reveal(), psn, tags, approve);
    if (!decision) return std::move(decision).error();
    run.decision = *decision;
    auto response = app::online_response_from_issuer_tags(decision->response_tags);
    if (!response) return std::move(response).error();
    return std::optional<emv::OnlineResponse>{std::move(*response)};
  };
  auto result = session.run(responder);
  EXPECT_TRUE(result);
  if (result) run.result = std::move(*result);
  return run;
}

bool has_tag(const Bytes& tlv, emv::Tag tag) {
  auto nodes = emv::decode(tlv);
  return nodes && emv::find(*nodes, tag) != nullptr;
}

TEST(TestCardIssuer, ApprovesAValidArqcWithArpcAndScripts) {
  const HostRun run = run_card("visa_issuer_scripts", true);
  ASSERT_TRUE(run.decision);
  EXPECT_TRUE(run.decision->approved);
  EXPECT_TRUE(has_tag(run.decision->response_tags, 0x91));
  EXPECT_EQ(emv::name(run.result.outcome), emv::name(emv::Outcome::approved_online));
  EXPECT_EQ(to_hex(run.result.tsi), "FC00");  // issuer authentication and scripts performed
}

TEST(TestCardIssuer, CdaCardCompletesOnline) {
  const HostRun run = run_card("mc_cda", true);
  ASSERT_TRUE(run.decision);
  EXPECT_TRUE(run.decision->approved);
  EXPECT_EQ(emv::name(run.result.outcome), emv::name(emv::Outcome::approved_online));
}

TEST(TestCardIssuer, DeclineKeepsTheArpc) {
  const HostRun run = run_card("visa_online_pin", false);
  ASSERT_TRUE(run.decision);
  EXPECT_FALSE(run.decision->approved);
  EXPECT_TRUE(has_tag(run.decision->response_tags, 0x91));
  EXPECT_EQ(emv::name(run.result.outcome), emv::name(emv::Outcome::declined_online));
}

TEST(TestCardIssuer, ATamperedArqcIsDeclined) {
  const HostRun run = run_card("visa_online_pin", true, /*tamper=*/true);
  ASSERT_TRUE(run.decision);
  EXPECT_FALSE(run.decision->approved);
  EXPECT_EQ(emv::name(run.result.outcome), emv::name(emv::Outcome::declined_online));
}

TEST(TestCardIssuer, UnknownPanFollowsTheDecisionWithoutArpc) {
  auto issuer = app::TestCardIssuer::builtin();
  ASSERT_TRUE(issuer);
  auto approved = issuer->authorize("5413330056003511", {}, hex("9F2701809F3602000A"), true);
  ASSERT_TRUE(approved);
  EXPECT_TRUE(approved->approved);
  EXPECT_EQ(to_hex(approved->response_tags), "8A023030");
  auto declined = issuer->authorize("5413330056003511", {}, {}, false);
  ASSERT_TRUE(declined);
  EXPECT_FALSE(declined->approved);
  EXPECT_EQ(to_hex(declined->response_tags), "8A023035");
}

TEST(TestCardIssuer, KnownPanWithoutTheCryptogramTagsIsAnError) {
  auto issuer = app::TestCardIssuer::builtin();
  ASSERT_TRUE(issuer);
  EXPECT_FALSE(issuer->authorize(kPan, {}, hex("9F2701809F3602000A"), true));
  EXPECT_FALSE(issuer->authorize(kPan, {}, hex("9F"), true));
}

}  // namespace
}  // namespace tender
