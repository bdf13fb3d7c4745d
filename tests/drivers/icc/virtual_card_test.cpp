// VirtualCard: selection, records, GET PROCESSING OPTIONS, GET DATA, VERIFY, GET
// CHALLENGE, T=0 emulation and the status words of malformed commands.
#include "drivers/icc/sim/virtual_card.hpp"

#include <gtest/gtest.h>

#include "drivers/pinpad/pin_block.hpp"
#include "drivers/pinpad/soft_ped.hpp"
#include "tests/drivers/icc/sim_terminal.hpp"

namespace tender::icc::sim {
namespace {

using test::builtin_card;
using test::command;
using test::hex;
using test::objects;
using test::send;
using test::send_raw;

const Bytes kPse = Bytes{'1', 'P', 'A', 'Y', '.', 'S', 'Y', 'S', '.', 'D', 'D', 'F', '0', '1'};

Bytes plaintext_pin_verify(std::string_view pin) {
  auto block = pinpad::format2_encode(pin);
  return command(0x00, 0x20, 0x00, 0x80, block->reveal(), std::nullopt);
}

TEST(VirtualCard, AtrFollowsTheProtocol) {
  EXPECT_EQ(builtin_card("visa_online_pin").atr(), hex("3BE000008131FE45EB"));
  EXPECT_EQ(builtin_card("visa_t0").atr(), hex("3B600000"));
}

TEST(VirtualCard, SelectsThePseAndReadsItsDirectory) {
  VirtualCard card = builtin_card("visa_online_pin");
  const ResponseApdu fci = send(card, command(0x00, 0xA4, 0x04, 0x00, kPse));
  ASSERT_EQ(fci.sw, kSwOk);
  auto f = objects(fci.data);
  EXPECT_EQ(f.at(0x84), kPse);
  EXPECT_EQ(f.at(0x88), hex("01"));
  const ResponseApdu rec = send(card, "00B2010C00");
  ASSERT_EQ(rec.sw, kSwOk);
  auto entry = objects(rec.data);
  EXPECT_EQ(entry.at(0x4F), hex("A0000000031010"));
  EXPECT_EQ(entry.at(0x50), Bytes(as_bytes("VISA CREDIT").begin(), as_bytes("VISA CREDIT").end()));
  EXPECT_EQ(entry.at(0x87), hex("01"));
  EXPECT_EQ(send(card, "00B2020C00").sw, 0x6A83);  // end of directory
  EXPECT_EQ(send(card, "00B2011400").sw, 0x6A83);  // another SFI
}

TEST(VirtualCard, AdfFciHoldsTheBook3Elements) {
  VirtualCard card = builtin_card("visa_online_pin");
  const ResponseApdu fci = send(card, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010")));
  ASSERT_EQ(fci.sw, kSwOk);
  auto nodes = emv::decode(fci.data);
  ASSERT_TRUE(nodes);
  ASSERT_EQ((*nodes)[0].tag, 0x6F);
  ASSERT_TRUE(emv::find(*nodes, 0xA5));
  ASSERT_TRUE(emv::find(*nodes, 0xBF0C));
  auto f = objects(fci.data);
  EXPECT_EQ(f.at(0x84), hex("A0000000031010"));
  EXPECT_EQ(f.at(0x87), hex("01"));
  EXPECT_EQ(f.at(0x9F38), hex("9F1A02"));
  EXPECT_EQ(f.at(0x5F2D), hex("656E"));
}

TEST(VirtualCard, PartialNameSelectionWithNextOccurrence) {
  VirtualCard card = builtin_card("mc_two_apps_selection");
  const Bytes rid = hex("A000000004");
  const ResponseApdu first = send(card, command(0x00, 0xA4, 0x04, 0x00, rid));
  ASSERT_EQ(first.sw, kSwOk);
  EXPECT_EQ(objects(first.data).at(0x84), hex("A0000000041010"));
  EXPECT_EQ(objects(first.data).at(0x87), hex("81"));  // confirmation required, priority 1
  const ResponseApdu next = send(card, command(0x00, 0xA4, 0x04, 0x02, rid));
  ASSERT_EQ(next.sw, kSwOk);
  EXPECT_EQ(objects(next.data).at(0x84), hex("A0000000043060"));
  EXPECT_EQ(objects(next.data).at(0x87), hex("82"));
  EXPECT_EQ(send(card, command(0x00, 0xA4, 0x04, 0x02, rid)).sw, 0x6A82);
  // The directory lists both with their priority indicators.
  ASSERT_EQ(send(card, command(0x00, 0xA4, 0x04, 0x00, kPse)).sw, kSwOk);
  EXPECT_EQ(objects(send(card, "00B2020C00").data).at(0x4F), hex("A0000000043060"));
}

TEST(VirtualCard, SelectionFailures) {
  VirtualCard card = builtin_card("visa_sda");
  EXPECT_EQ(send(card, command(0x00, 0xA4, 0x04, 0x00, kPse)).sw, 0x6A82);  // no PSE on this card
  EXPECT_EQ(send(card, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000041010"))).sw, 0x6A82);
  EXPECT_EQ(send(card, command(0x00, 0xA4, 0x00, 0x00, hex("A0000000031010"))).sw, 0x6A86);
  EXPECT_EQ(send(card, command(0x00, 0xA4, 0x04, 0x01, hex("A0000000031010"))).sw, 0x6A86);
  EXPECT_EQ(send(card, "00A4040000").sw, 0x6700);  // no name
  VirtualCard unknown = builtin_card("unknown_aid");
  EXPECT_EQ(send(unknown, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010"))).sw, 0x6A82);
}

TEST(VirtualCard, BlockedApplicationAnswers6283WithItsFci) {
  VirtualCard card = builtin_card("visa_blocked");
  EXPECT_TRUE(card.application_blocked());
  const ResponseApdu fci = send(card, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010")));
  EXPECT_EQ(fci.sw, 0x6283);
  EXPECT_EQ(objects(fci.data).at(0x84), hex("A0000000031010"));
  EXPECT_EQ(send(card, command(0x80, 0xA8, 0x00, 0x00, hex("83020840"))).sw, 0x6985);
}

TEST(VirtualCard, UnknownAndMalformedCommandsGetStatusWords) {
  VirtualCard card = builtin_card("visa_online_pin");
  EXPECT_EQ(send(card, "00FE000000").sw, 0x6D00);  // unknown instruction
  EXPECT_EQ(send(card, "80A4040007A0000000031010").sw, 0x6E00);  // SELECT with CLA 80
  EXPECT_EQ(send(card, "00B2").sw, 0x6700);  // shorter than a header
  EXPECT_EQ(send(card, "00A4040005A000").sw, 0x6700);  // Lc beyond the data
  EXPECT_EQ(send(card, "00B2010C00").sw, 0x6985);  // nothing selected
  EXPECT_EQ(send(card, "80CA9F3600").sw, 0x6985);
  for (int b = 0; b < 256; ++b) {  // no single-byte command upsets it
    const Bytes c{static_cast<Byte>(b), static_cast<Byte>(b), 0x00, 0x00, 0x01, 0x00};
    EXPECT_GE(card.process(c).size(), 2u);
  }
}

// Random commands with the card's own instruction codes, in every state a transaction
// passes through: each gets a status word, and the sanitizers see no fault.
TEST(VirtualCard, RandomCommandsAlwaysGetAStatusWord) {
  const Byte instructions[] = {0x18, 0x1E, 0x20, 0x24, 0x82, 0x84, 0x88, 0xA4, 0xA8, 0xAE, 0xB2, 0xC0, 0xCA, 0xDA};
  const Byte classes[] = {0x00, 0x80, 0x84, 0x04};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return static_cast<Byte>(seed >> 16);
  };
  for (const char* name : {"visa_online_pin", "mc_cda", "visa_t0", "visa_issuer_scripts"}) {
    VirtualCard card = builtin_card(name);
    for (int i = 0; i < 600; ++i) {
      if (i % 100 == 0) test::select_and_gpo(card, name[0] == 'v' ? "A0000000031010" : "A0000000041010");
      Bytes c{classes[next() % 4], instructions[next() % sizeof instructions], next(), next()};
      const std::size_t length = next() % 40;
      if (length > 0) c.push_back(static_cast<Byte>(length - 1));
      for (std::size_t j = 1; j < length; ++j) c.push_back(next());
      const Bytes r = card.process(c);
      ASSERT_GE(r.size(), 2u);
    }
  }
}

TEST(VirtualCard, GetProcessingOptionsFormatsAndChecks) {
  VirtualCard visa = builtin_card("visa_online_pin");
  ASSERT_EQ(send(visa, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010"))).sw, kSwOk);
  EXPECT_EQ(send(visa, command(0x80, 0xA8, 0x00, 0x00, hex("830108"))).sw, 0x6700);  // PDOL asks 2 bytes
  EXPECT_EQ(send(visa, command(0x80, 0xA8, 0x00, 0x00, hex("8402 0840"))).sw, 0x6A80);
  EXPECT_EQ(send(visa, command(0x80, 0xA8, 0x00, 0x00, hex("8303 0840"))).sw, 0x6A80);
  EXPECT_EQ(send(visa, command(0x80, 0xA8, 0x01, 0x00, hex("83020840"))).sw, 0x6A86);
  const ResponseApdu r = send(visa, command(0x80, 0xA8, 0x00, 0x00, hex("83020840")));
  ASSERT_EQ(r.sw, kSwOk);
  EXPECT_EQ(r.data[0], 0x77);
  EXPECT_EQ(objects(r.data).at(0x82), hex("3C00"));
  EXPECT_EQ(objects(r.data).at(0x94), hex("08010100 10010201 18010100"));
  EXPECT_EQ(send(visa, command(0x80, 0xA8, 0x00, 0x00, hex("83020840"))).sw, 0x6985);  // once per selection

  VirtualCard mc = builtin_card("mc_signature");  // format 1, no PDOL
  ASSERT_EQ(send(mc, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000041010"))).sw, kSwOk);
  const ResponseApdu f1 = send(mc, command(0x80, 0xA8, 0x00, 0x00, hex("8300")));
  ASSERT_EQ(f1.sw, kSwOk);
  EXPECT_EQ(f1.data, hex("800E 5800 08010100 10010201 18010100"));
}

TEST(VirtualCard, ReadRecordFollowsTheAfl) {
  VirtualCard card = builtin_card("visa_dda");
  const auto gpo = test::select_and_gpo(card, "A0000000031010");
  const auto records = test::read_records(card, gpo.afl);
  EXPECT_EQ(records.data.at(0x5A), hex("4761739001010267"));
  EXPECT_EQ(records.data.at(0x5F20), Bytes(as_bytes("TEST/CARD").begin(), as_bytes("TEST/CARD").end()));
  EXPECT_EQ(records.data.at(0x8F), hex("E1"));
  EXPECT_TRUE(records.data.contains(0x9F46));
  EXPECT_EQ(send(card, "00B2030C00").sw, 0x6A83);
  EXPECT_EQ(send(card, "00B2010400").sw, 0x6A86);  // SFI 0
  EXPECT_EQ(send(card, "00B201FC00").sw, 0x6A86);  // SFI 31
  EXPECT_EQ(send(card, "00B2010D00").sw, 0x6A86);  // P2 low bits not 100
  EXPECT_EQ(send(card, "00B2000C00").sw, 0x6A86);  // record 0
}

TEST(VirtualCard, GetDataCountersAndStatusWords) {
  VirtualCard card = builtin_card("visa_online_pin");
  test::select_and_gpo(card, "A0000000031010");
  EXPECT_EQ(send(card, "80CA9F3600").data, hex("9F36020011"));
  EXPECT_EQ(send(card, "80CA9F1300").data, hex("9F13020010"));
  EXPECT_EQ(send(card, "80CA9F1700").data, hex("9F170103"));
  EXPECT_EQ(send(card, "80CA9F4F00").sw, 0x6A88);
  EXPECT_EQ(send(card, "00CA9F3600").sw, 0x6E00);
}

TEST(VirtualCard, PlaintextPinAndPersistentTryCounter) {
  VirtualCard card = builtin_card("mc_offline_plain_pin");
  test::select_and_gpo(card, "A0000000041010");
  EXPECT_EQ(send(card, "0020008000").sw, 0x63C3);  // no data: tries left
  EXPECT_EQ(send(card, plaintext_pin_verify("9999")).sw, 0x63C2);
  EXPECT_EQ(card.pin_try_counter(), 2);
  card.reset();
  test::select_and_gpo(card, "A0000000041010");
  EXPECT_EQ(send(card, "80CA9F1700").data, hex("9F170102"));
  EXPECT_EQ(send(card, plaintext_pin_verify("1234")).sw, kSwOk);
  EXPECT_EQ(card.pin_try_counter(), 3);
  EXPECT_EQ(send(card, plaintext_pin_verify("0000")).sw, 0x63C2);
  EXPECT_EQ(send(card, plaintext_pin_verify("0000")).sw, 0x63C1);
  EXPECT_EQ(send(card, plaintext_pin_verify("0000")).sw, 0x63C0);
  EXPECT_EQ(send(card, plaintext_pin_verify("1234")).sw, 0x6983);
  card.reset();
  test::select_and_gpo(card, "A0000000041010");
  EXPECT_EQ(send(card, plaintext_pin_verify("1234")).sw, 0x6983);  // still blocked after reset
  EXPECT_EQ(send(card, "0020008000").sw, 0x6983);
}

TEST(VirtualCard, VerifyRejectsMalformedInput) {
  VirtualCard card = builtin_card("mc_offline_plain_pin");
  EXPECT_EQ(send(card, plaintext_pin_verify("1234")).sw, 0x6985);  // nothing selected
  test::select_and_gpo(card, "A0000000041010");
  EXPECT_EQ(send(card, "0020008004 24123456").sw, 0x6700);
  EXPECT_EQ(send(card, "0020008008 3412 34FF FFFF FFFF").sw, 0x6A80);  // not a format 2 block
  EXPECT_EQ(send(card, "0020008108 2412 34FF FFFF FFFF").sw, 0x6A86);
  EXPECT_EQ(send(card, "0020018008 2412 34FF FFFF FFFF").sw, 0x6A86);
  EXPECT_EQ(send(card, "0020008808 2412 34FF FFFF FFFF").sw, 0x6700);  // not one ICC key block
  EXPECT_EQ(card.pin_try_counter(), 3);
  VirtualCard sda = builtin_card("mc_signature");
  test::select_and_gpo(sda, "A0000000041010");
  EXPECT_EQ(send(sda, "0020008808 2412 34FF FFFF FFFF").sw, 0x6A86);  // no ICC key: no enciphered PIN
}

TEST(VirtualCard, PinTryLimitExceededProfile) {
  VirtualCard card = builtin_card("mc_pin_try_exceeded");
  test::select_and_gpo(card, "A0000000041010");
  EXPECT_EQ(send(card, "80CA9F1700").data, hex("9F170100"));
  EXPECT_EQ(send(card, plaintext_pin_verify("1234")).sw, 0x6983);
}

// The enciphered PIN comes from the real soft PED, as the kernel would obtain it.
pinpad::SoftPed make_ped(std::string pin) {
  auto originator = pinpad::tdes::Originator::load_initial_key(
      pinpad::tdes::Key{hex("6AC292FAA1315B4D858AB3A3D7D5933A")}, pinpad::tdes::Ksn{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00});
  return pinpad::SoftPed{[pin](std::string_view) -> Result<std::optional<SecretString>> {
                           return std::optional<SecretString>{SecretString{pin}};
                         },
                         std::move(*originator)};
}

TEST(VirtualCard, EncipheredPinWithGetChallenge) {
  VirtualCard card = builtin_card("visa_offline_enc_pin");
  test::select_and_gpo(card, "A0000000031010");
  const auto icc_key = card.image().apps[0].icc_key->public_key();

  auto ped = make_ped("1234");
  const ResponseApdu challenge = send(card, "0084000000");
  ASSERT_EQ(challenge.sw, kSwOk);
  ASSERT_EQ(challenge.data.size(), 8u);
  auto entered = ped.enter_offline_enciphered_pin(icc_key, challenge.data, "PIN");
  ASSERT_TRUE(entered) << entered.error().describe();
  const Bytes verify = command(0x00, 0x20, 0x00, 0x88, entered->verify_data.reveal(), std::nullopt);
  EXPECT_EQ(send(card, verify).sw, kSwOk);
  EXPECT_EQ(send(card, verify).sw, 0x6985);  // the challenge is used up

  // Enciphered under an old challenge: rejected without spending a try.
  ASSERT_EQ(send(card, "0084000000").sw, kSwOk);
  EXPECT_EQ(send(card, verify).sw, 0x6A80);
  EXPECT_EQ(card.pin_try_counter(), 3);

  auto wrong_ped = make_ped("4321");
  const ResponseApdu c2 = send(card, "0084000000");
  auto wrong = wrong_ped.enter_offline_enciphered_pin(icc_key, c2.data, "PIN");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(send(card, command(0x00, 0x20, 0x00, 0x88, wrong->verify_data.reveal(), std::nullopt)).sw, 0x63C2);
  EXPECT_EQ(send(card, command(0x00, 0x20, 0x00, 0x88, hex("0102"), std::nullopt)).sw, 0x6700);
}

TEST(VirtualCard, GetChallengeChecksItsParameters) {
  VirtualCard card = builtin_card("visa_online_pin");
  EXPECT_EQ(send(card, "0084000000").data, hex("0102030405060708"));
  EXPECT_EQ(send(card, "0084010000").sw, 0x6A86);
}

TEST(VirtualCard, ResetLosesTheSelectionButNotTheCounters) {
  VirtualCard card = builtin_card("visa_online_pin");
  test::select_and_gpo(card, "A0000000031010");
  card.reset();
  EXPECT_EQ(send(card, "00B2010C00").sw, 0x6985);
  EXPECT_EQ(card.atc(), 17);
}

// ---- T=0 emulation ----------------------------------------------------------------

TEST(VirtualCardT0, CaseFourAnswersWith61xxThenGetResponse) {
  VirtualCard card = builtin_card("visa_t0");
  const Bytes select = hex("00A4040007A0000000031010");  // no Le under T=0
  const ResponseApdu first = send_raw(card, select);
  ASSERT_EQ(first.sw1(), 0x61);
  ASSERT_TRUE(first.data.empty());
  const Byte length = first.sw2();
  EXPECT_EQ(send_raw(card, command(0x00, 0xC0, 0x00, 0x00, {}, static_cast<std::uint16_t>(length - 1))).sw, 0x6C00 | length);
  const ResponseApdu fci = send_raw(card, command(0x00, 0xC0, 0x00, 0x00, {}, length));
  ASSERT_EQ(fci.sw, kSwOk);
  EXPECT_EQ(fci.data.size(), length);
  EXPECT_EQ(objects(fci.data).at(0x84), hex("A0000000031010"));
  EXPECT_EQ(send_raw(card, command(0x00, 0xC0, 0x00, 0x00, {}, length)).sw, 0x6985);  // nothing pending

  const ResponseApdu gpo = send_raw(card, hex("80A800000483020840"));
  ASSERT_EQ(gpo.sw1(), 0x61);
  const ResponseApdu gpo_data = send_raw(card, command(0x00, 0xC0, 0x00, 0x00, {}, gpo.sw2()));
  EXPECT_EQ(gpo_data.sw, kSwOk);
  EXPECT_EQ(objects(gpo_data.data).at(0x82), hex("3C00"));
}

TEST(VirtualCardT0, CaseTwoWithWrongLeGets6Cxx) {
  VirtualCard card = builtin_card("visa_t0");
  send_raw(card, hex("00A4040007A0000000031010"));
  const ResponseApdu wrong = send_raw(card, "00B2010C00");  // P3 = 00 means 256
  ASSERT_EQ(wrong.sw1(), 0x6C);
  const ResponseApdu record = send_raw(card, command(0x00, 0xB2, 0x01, 0x0C, {}, wrong.sw2()));
  ASSERT_EQ(record.sw, kSwOk);
  EXPECT_EQ(record.data.size(), wrong.sw2());
  EXPECT_EQ(record.data[0], 0x70);
  EXPECT_EQ(send_raw(card, "00B2010C").sw1(), 0x6C);  // no P3 at all
  EXPECT_EQ(send_raw(card, "0084000008").sw, kSwOk);   // exact Le
  EXPECT_EQ(send_raw(card, "80CA9F1700").sw, 0x6C04);
  EXPECT_EQ(send_raw(card, "80CA9F1704").data, hex("9F170103"));
}

TEST(VirtualCardT0, WarningWithDataComesBackThroughGetResponse) {
  auto profile = builtin_profile("visa_blocked");
  ASSERT_TRUE(profile);
  profile->protocol = Protocol::t0;
  auto pki = builtin_pki();
  auto card = VirtualCard::create(*profile, **pki, test::counting_random());
  ASSERT_TRUE(card);
  EXPECT_EQ(send_raw(*card, hex("00A4040007A0000000031010")).sw, 0x6283);
  const ResponseApdu probe = send_raw(*card, "00C0000000");
  ASSERT_EQ(probe.sw1(), 0x6C);
  const ResponseApdu fci = send_raw(*card, command(0x00, 0xC0, 0x00, 0x00, {}, probe.sw2()));
  EXPECT_EQ(fci.sw, kSwOk);
  EXPECT_EQ(objects(fci.data).at(0x84), hex("A0000000031010"));
}

TEST(VirtualCardT0, GetResponseIsNotAT1Command) {
  VirtualCard card = builtin_card("visa_online_pin");
  EXPECT_EQ(send_raw(card, "00C0000000").sw, 0x6D00);
}

}  // namespace
}  // namespace tender::icc::sim
