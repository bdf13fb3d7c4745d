#include "drivers/icc/apdu.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include "drivers/icc/sim/sim_reader.hpp"

namespace tender::icc {
namespace {

using tender::test::hex;

TEST(Apdu, EncodesTheFourCases) {
  // Case 1: VERIFY-like header only.
  EXPECT_EQ(to_hex(*CommandApdu{0x00, 0x20, 0x00, 0x80, {}, std::nullopt}.encode()), "00200080");
  // Case 2: GET DATA 9F17, Le 00 (= 256).
  const CommandApdu get_data{0x80, 0xCA, 0x9F, 0x17, {}, 256};
  EXPECT_EQ(get_data.apdu_case(), ApduCase::two);
  EXPECT_EQ(to_hex(*get_data.encode()), "80CA9F1700");
  // Case 3: EXTERNAL AUTHENTICATE with 10 bytes.
  const CommandApdu ext{0x00, 0x82, 0x00, 0x00, hex("11223344556677883030"), std::nullopt};
  EXPECT_EQ(ext.apdu_case(), ApduCase::three);
  EXPECT_EQ(to_hex(*ext.encode()), "008200000A11223344556677883030");
  // Case 4: SELECT 1PAY.SYS.DDF01 with Le 00 (EMV Book 1 11.3.2 example).
  const CommandApdu select{0x00, 0xA4, 0x04, 0x00, Bytes{'1', 'P', 'A', 'Y', '.', 'S', 'Y', 'S', '.', 'D', 'D', 'F', '0', '1'}, 256};
  EXPECT_EQ(select.apdu_case(), ApduCase::four);
  EXPECT_EQ(to_hex(*select.encode()), "00A404000E315041592E5359532E444446303100");
}

TEST(Apdu, RejectsWhatShortApdusCannotCarry) {
  EXPECT_EQ(CommandApdu({0, 0, 0, 0, Bytes(256), std::nullopt}).encode().error().code, Errc::invalid_argument);
  EXPECT_EQ(CommandApdu({0, 0, 0, 0, {}, 257}).encode().error().code, Errc::invalid_argument);
}

TEST(Apdu, ParseCommandRoundTripsEveryCase) {
  for (const char* h : {"00200080", "80CA9F1700", "80CA9F1705", "008200000A11223344556677883030",
                        "00A404000E315041592E5359532E444446303100", "00B2010C00"}) {
    auto c = parse_command(hex(h));
    ASSERT_TRUE(c) << h;
    EXPECT_EQ(to_hex(*c->encode()), h);
  }
}

TEST(Apdu, ParseCommandRejectsInconsistentLengths) {
  EXPECT_EQ(parse_command(hex("002000")).error().code, Errc::truncated);
  EXPECT_EQ(parse_command(hex("0082000005112233")).error().code, Errc::malformed);   // Lc 5, 3 bytes
  EXPECT_EQ(parse_command(hex("00820000001122")).error().code, Errc::malformed);     // extended form
  EXPECT_EQ(parse_command(hex("00820000021122334455")).error().code, Errc::malformed);
}

TEST(Apdu, ParsesResponses) {
  auto r = parse_response(hex("6F0A8408A0000000031010009000"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(to_hex(r->data), "6F0A8408A000000003101000");
  auto warn = parse_response(hex("63C2"));
  ASSERT_TRUE(warn);
  EXPECT_EQ(warn->sw1(), 0x63);
  EXPECT_EQ(warn->sw2(), 0xC2);
  EXPECT_TRUE(warn->data.empty());
  EXPECT_EQ(sw_to_hex(warn->sw), "63C2");
  EXPECT_EQ(to_hex(warn->encode()), "63C2");
  EXPECT_EQ(parse_response(hex("90")).error().code, Errc::truncated);
}

class EchoCard final : public Card {
 public:
  [[nodiscard]] Bytes atr() const override { return hex("3B6500002063CB6600"); }
  void reset() override { ++resets; }
  Bytes process(ByteView command) override {
    Bytes out(command.begin(), command.end());
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
  }
  int resets = 0;
};

TEST(SimReader, PowersTheCardAndPassesCommands) {
  SimReader reader;
  EchoCard card;
  EXPECT_EQ(*reader.presence(), Presence::absent);
  EXPECT_EQ(reader.power_on().error().code, Errc::not_found);
  EXPECT_EQ(reader.wait_for_change(Presence::absent, std::chrono::milliseconds(10)).error().code, Errc::timeout);

  reader.insert(&card);
  EXPECT_EQ(*reader.wait_for_change(Presence::absent, std::chrono::milliseconds(10)), Presence::present);
  EXPECT_EQ(reader.transmit(hex("00A40400")).error().code, Errc::io_error);  // not powered
  EXPECT_EQ(to_hex(*reader.power_on()), "3B6500002063CB6600");
  EXPECT_EQ(card.resets, 1);
  EXPECT_EQ(to_hex(*reader.transmit(hex("00A40400"))), "00A404009000");

  reader.remove();
  EXPECT_EQ(reader.transmit(hex("00A40400")).error().code, Errc::io_error);
  EXPECT_EQ(*reader.presence(), Presence::absent);
}

}  // namespace
}  // namespace tender::icc
