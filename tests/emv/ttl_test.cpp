// The T=0 exchanges of EMV 4.4 Book 1 Annex A (A1 to A7), in the terminal's words:
// each test lists the C-TPDUs the TTL must send and what the card answers.
#include "emv/ttl.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

// A reader that expects exactly the listed exchanges, in order.
class ExchangeReader final : public icc::CardReader {
 public:
  void expect(std::string_view command, std::string_view response) {
    exchanges_.push_back({hex(command), hex(response)});
  }
  // Answers every command with `response`, forever.
  void always(std::string_view response) { always_ = hex(response); }

  [[nodiscard]] std::string name() const override { return "exchange reader"; }
  Result<icc::Presence> presence() override { return icc::Presence::present; }
  Result<icc::Presence> wait_for_change(icc::Presence, std::chrono::milliseconds) override {
    return make_error(Errc::timeout, "no change");
  }
  Result<Bytes> power_on() override { return hex("3B00"); }
  Result<void> power_off() override { return ok(); }
  Result<Bytes> transmit(ByteView command) override {
    ++transmitted;
    if (always_) return *always_;
    if (exchanges_.empty()) return make_error(Errc::io_error, "card mute");
    auto [expected, response] = exchanges_.front();
    exchanges_.pop_front();
    EXPECT_EQ(to_hex(command), to_hex(expected));
    return response;
  }
  [[nodiscard]] bool done() const { return exchanges_.empty(); }
  int transmitted = 0;

 private:
  std::deque<std::pair<Bytes, Bytes>> exchanges_;
  std::optional<Bytes> always_;
};

icc::CommandApdu select_pse() {
  return icc::CommandApdu{0x00, 0xA4, 0x04, 0x00, hex("315041592E5359532E4444463031"), 256};
}
icc::CommandApdu read_record_1_1() { return icc::CommandApdu{0x00, 0xB2, 0x01, 0x0C, {}, 256}; }

constexpr std::string_view kRecord = "701A61184F07A0000000031010500A5649534120444542495487 0101";
constexpr std::string_view kPseFci =
    "6F24840E315041592E5359532E4444463031A5128801015F2D08656E65736672646"
    "59F110101";

TEST(Ttl, Case1) {  // A1
  ExchangeReader reader;
  reader.expect("12345678", "9000");
  auto r = transceive(reader, icc::CommandApdu{0x12, 0x34, 0x56, 0x78, {}, std::nullopt});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->sw, 0x9000);
  EXPECT_TRUE(r->data.empty());
}

TEST(Ttl, Case2WrongLengthThenData) {  // A2: 6Cxx, resend with Le = xx
  ExchangeReader reader;
  reader.expect("00B2010C00", "6C1C");
  reader.expect("00B2010C1C", std::string(kRecord) + "9000");
  auto r = transceive(reader, read_record_1_1());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_hex(r->data), to_hex(hex(kRecord)));
  EXPECT_EQ(r->sw, 0x9000);
  EXPECT_TRUE(reader.done());
}

TEST(Ttl, Case2ErrorLate) {  // A2: error after the resend
  ExchangeReader reader;
  reader.expect("00B2010C00", "6C1C");
  reader.expect("00B2010C1C", "6581");
  auto r = transceive(reader, read_record_1_1());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->sw, 0x6581);
  EXPECT_TRUE(r->data.empty());
}

TEST(Ttl, Case3) {  // A3
  ExchangeReader reader;
  reader.expect("0082000004DEADBEEF", "9000");
  auto r = transceive(reader, icc::CommandApdu{0x00, 0x82, 0x00, 0x00, hex("DEADBEEF"), std::nullopt});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->sw, 0x9000);
}

TEST(Ttl, Case4UnderT0SendsWithoutLeAndFetchesTheData) {  // A4
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E4444463031", "6126");
  reader.expect("00C0000026", std::string(kPseFci) + "9000");
  auto r = transceive(reader, select_pse());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_hex(r->data), to_hex(hex(kPseFci)));
  EXPECT_EQ(r->sw, 0x9000);
}

TEST(Ttl, Case4ErrorEarlyAndLate) {  // A4
  ExchangeReader early;
  early.expect("00A404000E315041592E5359532E4444463031", "6A82");
  EXPECT_EQ(transceive(early, select_pse())->sw, 0x6A82);
  ExchangeReader late;
  late.expect("00A404000E315041592E5359532E4444463031", "6126");
  late.expect("00C0000026", "6581");
  auto r = transceive(late, select_pse());
  EXPECT_EQ(r->sw, 0x6581);
  EXPECT_TRUE(r->data.empty());
}

TEST(Ttl, Case4UnderT1KeepsLe) {
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E444446303100", std::string(kPseFci) + "9000");
  TtlOptions options;
  options.protocol = TransmissionProtocol::t1;
  auto r = transceive(reader, select_pse(), options);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->data.size(), hex(kPseFci).size());
}

TEST(Ttl, Case2With6CThen61) {  // A5
  const Bytes record = hex(kRecord);
  ExchangeReader reader;
  reader.expect("00B2010C00", "6C1C");
  reader.expect("00B2010C1C", "611C");
  reader.expect("00C000001C", to_hex(ByteView{record}.first(14)) + "610E");
  reader.expect("00C000000E", to_hex(ByteView{record}.subspan(14)) + "9000");
  auto r = transceive(reader, read_record_1_1());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_hex(r->data), to_hex(record));
  EXPECT_EQ(r->sw, 0x9000);
}

TEST(Ttl, Case4ChainedGetResponse) {  // A6
  const Bytes fci = hex(kPseFci);
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E4444463031", "6126");
  reader.expect("00C0000026", to_hex(ByteView{fci}.first(16)) + "6116");
  reader.expect("00C0000016", to_hex(ByteView{fci}.subspan(16)) + "9000");
  auto r = transceive(reader, select_pse());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_hex(r->data), to_hex(fci));
}

TEST(Ttl, Case4WarningKeepsTheWarning) {  // A7, Book 1 9.3.1.3
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E4444463031", "6286");
  reader.expect("00C0000000", "6C26");
  reader.expect("00C0000026", std::string(kPseFci) + "9000");
  auto r = transceive(reader, select_pse());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(to_hex(r->data), to_hex(hex(kPseFci)));
  EXPECT_EQ(r->sw, 0x6286);
}

TEST(Ttl, Case4WarningWithoutData) {
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E4444463031", "6283");
  reader.expect("00C0000000", "6A86");
  auto r = transceive(reader, select_pse());
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->data.empty());
  EXPECT_EQ(r->sw, 0x6283);
}

TEST(Ttl, EndlessGetResponseIsBounded) {
  ExchangeReader reader;
  reader.always("6110");
  auto r = transceive(reader, select_pse());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::exhausted);
  EXPECT_EQ(reader.transmitted, 16);
}

TEST(Ttl, Endless6CIsBounded) {
  ExchangeReader reader;
  reader.always("6C10");
  auto r = transceive(reader, read_record_1_1());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::exhausted);
}

TEST(Ttl, OverlongChainIsMalformed) {
  ExchangeReader reader;
  reader.always(std::string(2 * 255, 'A') + "6100");
  TtlOptions options;
  options.max_exchanges = 100;
  auto r = transceive(reader, read_record_1_1(), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(Ttl, ProcedureBytesOutsideCases2And4AreReturned) {
  // 61xx to a case 3 command is not a request for GET RESPONSE: the TAL sees it.
  ExchangeReader reader;
  reader.expect("0082000004DEADBEEF", "6110");
  auto r = transceive(reader, icc::CommandApdu{0x00, 0x82, 0x00, 0x00, hex("DEADBEEF"), std::nullopt});
  EXPECT_EQ(r->sw, 0x6110);
}

TEST(Ttl, MuteCardAndShortResponse) {
  ExchangeReader mute;
  auto r = transceive(mute, read_record_1_1());
  EXPECT_EQ(r.error().code, Errc::io_error);
  ExchangeReader short_response;
  short_response.expect("00B2010C00", "90");
  EXPECT_EQ(transceive(short_response, read_record_1_1()).error().code, Errc::truncated);
}

TEST(Ttl, TranscriptSeesEveryExchange) {
  ExchangeReader reader;
  reader.expect("00A404000E315041592E5359532E4444463031", "6126");
  reader.expect("00C0000026", std::string(kPseFci) + "9000");
  std::vector<std::pair<std::string, std::string>> seen;
  TtlOptions options;
  options.transcript = [&](ByteView c, ByteView r) { seen.emplace_back(to_hex(c), to_hex(r)); };
  Ttl ttl(reader, options);
  ASSERT_TRUE(ttl.transceive(select_pse()).has_value());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].first, "00A404000E315041592E5359532E4444463031");
  EXPECT_EQ(seen[0].second, "6126");
  EXPECT_EQ(seen[1].first, "00C0000026");
}

TEST(Ttl, ProtocolFromAtr) {
  EXPECT_EQ(protocol_from_atr(hex("3B00")), TransmissionProtocol::t0);
  EXPECT_EQ(protocol_from_atr(hex("3B6000 00")), TransmissionProtocol::t0);
  EXPECT_EQ(protocol_from_atr(hex("3B8001 01")), TransmissionProtocol::t1);
  EXPECT_EQ(protocol_from_atr(hex("3BE00000 8131 FE45")), TransmissionProtocol::t1);  // TB1 TC1 TD1=81
  EXPECT_EQ(protocol_from_atr(hex("3BF0")), TransmissionProtocol::t0);  // TD1 promised, absent
  EXPECT_EQ(protocol_from_atr(hex("3B")), TransmissionProtocol::t0);
  EXPECT_EQ(protocol_from_atr({}), TransmissionProtocol::t0);
}

}  // namespace
}  // namespace tender::emv
