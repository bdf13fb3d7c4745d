// PcscReader through a real pcscd with vsmartcard's vpcd, a VpcdBridge serving the
// test card (pcsc_fixture.hpp). And the PC/SC error table, which needs no pcscd.
#include <gtest/gtest.h>

#include <cstdint>

#include <chrono>
#include <thread>

#include "drivers/icc/apdu.hpp"
#include "drivers/icc/pcsc/pcsc_reader.hpp"
#include "pcsc_fixture.hpp"
#include "test_card.hpp"
#include "tests/test_hex.hpp"

namespace tender::icc::pcsc {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::hex;
using test::pcsc::FixtureOptions;
using test::pcsc::TestCard;

// ---- The error table (values from pcsclite.h, the same as Windows' winerror.h) ----

TEST(PcscError, MapsTheCodesCallersBranchOn) {
  struct Case {
    std::uint32_t code;  // pcsclite.h casts these to LONG, a long: 32 bits on armhf, so negative there
    Errc errc;
    const char* name;
  };
  const Case cases[] = {
      {0x8010000AL, Errc::timeout, "SCARD_E_TIMEOUT"},
      {0x80100002L, Errc::cancelled, "SCARD_E_CANCELLED"},
      {0x8010000CL, Errc::not_found, "SCARD_E_NO_SMARTCARD"},
      {0x8010002EL, Errc::not_found, "SCARD_E_NO_READERS_AVAILABLE"},
      {0x80100009L, Errc::not_found, "SCARD_E_UNKNOWN_READER"},
      {0x80100069L, Errc::io_error, "SCARD_W_REMOVED_CARD"},
      {0x80100068L, Errc::io_error, "SCARD_W_RESET_CARD"},
      {0x8010001DL, Errc::io_error, "SCARD_E_NO_SERVICE"},
      {0x8010000BL, Errc::io_error, "SCARD_E_SHARING_VIOLATION"},
      {0x8010000FL, Errc::unsupported, "SCARD_E_PROTO_MISMATCH"},
      {0x80100008L, Errc::malformed, "SCARD_E_INSUFFICIENT_BUFFER"},
  };
  for (const auto& c : cases) {
    const Error e = pcsc_error(static_cast<long>(c.code), "do a thing");
    EXPECT_EQ(e.code, c.errc) << c.name;
    EXPECT_NE(e.message.find("do a thing: "), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(c.name), std::string::npos) << e.message;
  }
}

TEST(PcscError, UnknownCodeKeepsItsNumber) {
  const Error e = pcsc_error(static_cast<long>(std::uint32_t{0x801000FF}), "transmit");
  EXPECT_EQ(e.code, Errc::io_error);
  EXPECT_EQ(e.message, "transmit: PC/SC error 0x801000FF");
}

// ---- Through pcscd + vpcd ----

Result<Presence> wait_until(PcscReader& reader, Presence wanted, std::chrono::milliseconds timeout) {
  auto now = reader.presence();
  if (!now || *now == wanted) return now;
  return reader.wait_for_change(*now, timeout);
}

TEST(Pcsc, ListsTheVpcdReaders) {
  TestCard card;
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card);
  auto readers = list_readers();
  ASSERT_TRUE(readers) << readers.error().describe();
  bool slot0 = false, slot1 = false;
  for (const auto& r : *readers) {
    slot0 = slot0 || test::pcsc::is_vpcd_reader(r, 0);
    slot1 = slot1 || test::pcsc::is_vpcd_reader(r, 1);
  }
  EXPECT_TRUE(slot0 && slot1) << "vpcd configures two slots (ports 35963, 35964)";
  EXPECT_TRUE(test::pcsc::is_vpcd_reader(pcsc->reader().name(), 0)) << pcsc->reader().name();
}

TEST(Pcsc, OpensByNameOrTheFirstReader) {
  TestCard card;
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card);
  auto named = PcscReader::open(pcsc->reader().name());
  ASSERT_TRUE(named) << named.error().describe();
  EXPECT_EQ((*named)->name(), pcsc->reader().name());
  auto first = PcscReader::open();
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_FALSE((*first)->name().empty());
  auto missing = PcscReader::open("No Such Reader 00 00");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST(Pcsc, InsertionIsSeenWithinTheDeadline) {
  TestCard card;
  FixtureOptions o;
  o.inserted = false;
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card, o);
  auto& reader = pcsc->reader();
  auto before = reader.presence();
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_EQ(*before, Presence::absent);
  auto nothing = reader.power_on();
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, Errc::not_found) << nothing.error().message;

  pcsc->bridge().insert();
  const auto start = Clock::now();
  auto changed = reader.wait_for_change(Presence::absent, 5s);
  ASSERT_TRUE(changed) << changed.error().describe();
  EXPECT_EQ(*changed, Presence::present);
  // pcscd polls vpcd every 400 ms.
  EXPECT_LT(Clock::now() - start, 2s);
}

// A T=0 test card in vpcd slot 0, seen by pcscd, and a PcscReader on that slot.
class PcscCardIn : public ::testing::Test {
 protected:
  void SetUp() override {
    TENDER_PCSC_FIXTURE_OR_SKIP(started, card);
    pcsc = std::move(started);
    ASSERT_TRUE(pcsc->wait_for_card(5s));
  }
  PcscReader& reader() { return pcsc->reader(); }

  TestCard card;
  std::unique_ptr<test::pcsc::PcscFixture> pcsc;
};

TEST_F(PcscCardIn, PowerOnIsAColdResetAndReturnsTheAtr) {
  auto& reader = this->reader();
  const auto before = pcsc->bridge().stats();
  auto atr = reader.power_on();
  ASSERT_TRUE(atr) << atr.error().describe();
  EXPECT_EQ(*atr, test::pcsc::kAtrT0);
  ASSERT_TRUE(reader.active_protocol());
  EXPECT_EQ(*reader.active_protocol(), Protocol::t0);
  const auto after = pcsc->bridge().stats();
  EXPECT_GE(after.power_off, before.power_off + 1) << "SCARD_UNPOWER_CARD powers the card down";
  EXPECT_GE(after.power_on, before.power_on + 1) << "and up again";

  // A second power_on cold-resets again: the selected application is forgotten.
  auto select = reader.transmit(hex("00A4040007A0000000031010 00"));
  ASSERT_TRUE(select);
  ASSERT_TRUE(reader.power_on());
  auto gpo = reader.transmit(hex("80A8000002830000"));
  ASSERT_TRUE(gpo);
  EXPECT_EQ(*gpo, hex("6985")) << "the card was reset: nothing selected";
  EXPECT_TRUE(reader.power_off());
  EXPECT_FALSE(reader.active_protocol());
  EXPECT_TRUE(reader.power_off()) << "power off twice is fine";
}

TEST_F(PcscCardIn, TransmitUnderT0HandsUpProcedureBytes) {
  auto& reader = this->reader();
  ASSERT_TRUE(reader.power_on());

  auto fci = reader.transmit(hex("00A4040007A0000000031010 00"));
  ASSERT_TRUE(fci) << fci.error().describe();
  EXPECT_EQ(*fci, hex("6F11 8407A0000000031010 A506 5004 54455354 9000"));

  // Case 4 under T=0: pcsc-lite does not fetch the data itself; 61xx comes up as it is.
  const Bytes gpo_command = hex("80A8000002830000");
  auto gpo = reader.transmit(gpo_command);
  ASSERT_TRUE(gpo);
  EXPECT_EQ(*gpo, hex("6108"));
  EXPECT_EQ(card.seen().back(), gpo_command) << "the command reaches the card unchanged, Le included";

  // 6Cxx (wrong Le) comes up as it is too; the caller repeats with Le = xx.
  const struct {
    const char* command;
    const char* response;
  } exchanges[] = {
      {"00C0000000", "6C08"},                          // GET RESPONSE, wrong Le
      {"00C0000008", "8006 1C00 08010100 9000"},       // GET RESPONSE, Le = 08
      {"00B2010C00", "6C0A"},                          // READ RECORD, wrong Le
      {"00B2010C0A", "7008 5F2005 544553542F 9000"},   // READ RECORD, Le = 0A
      {"00CA9F1700", "6D00"},                          // INS not supported
  };
  for (const auto& x : exchanges) {
    auto response = reader.transmit(hex(x.command));
    ASSERT_TRUE(response) << x.command << ": " << response.error().describe();
    EXPECT_EQ(*response, hex(x.response)) << x.command;
  }
}

TEST(Pcsc, T1CardIsDrivenWithT1) {
  TestCard card(test::pcsc::kAtrT1);
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card);
  auto& reader = pcsc->reader();
  ASSERT_TRUE(pcsc->wait_for_card(5s));
  auto atr = reader.power_on();
  ASSERT_TRUE(atr) << atr.error().describe();
  EXPECT_EQ(*atr, test::pcsc::kAtrT1);
  ASSERT_TRUE(reader.active_protocol());
  EXPECT_EQ(*reader.active_protocol(), Protocol::t1);
  auto fci = reader.transmit(hex("00A4040007A0000000031010 00"));
  ASSERT_TRUE(fci) << fci.error().describe();
  EXPECT_EQ(fci->size(), test::pcsc::kFci.size() + 2);
}

TEST_F(PcscCardIn, TransmitChecksItsInput) {
  auto& reader = this->reader();
  auto unpowered = reader.transmit(hex("00A4040000"));
  ASSERT_FALSE(unpowered);
  EXPECT_EQ(unpowered.error().code, Errc::io_error);
  ASSERT_TRUE(reader.power_on());
  auto short_one = reader.transmit(hex("00A404"));
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, Errc::invalid_argument);
  auto long_one = reader.transmit(Bytes(262, 0x00));
  ASSERT_FALSE(long_one);
  EXPECT_EQ(long_one.error().code, Errc::invalid_argument);
  Bytes longest = hex("00A40400FF");
  longest.resize(4 + 1 + 255 + 1, 0x00);
  auto ok_one = reader.transmit(longest);
  ASSERT_TRUE(ok_one) << ok_one.error().describe();
  EXPECT_EQ(*ok_one, hex("6A82"));
}

TEST_F(PcscCardIn, ExclusiveConnectionKeepsOthersOut) {
  ASSERT_TRUE(pcsc->reader().power_on());
  auto other = PcscReader::open(pcsc->reader().name());
  ASSERT_TRUE(other);
  auto refused = (*other)->power_on();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::io_error);
  EXPECT_NE(refused.error().message.find("SCARD_E_SHARING_VIOLATION"), std::string::npos) << refused.error().message;
}

TEST_F(PcscCardIn, RemovalEndsTheSessionAndReinsertionStartsAnother) {
  auto& reader = this->reader();
  ASSERT_TRUE(reader.power_on());

  pcsc->bridge().remove();
  const auto start = Clock::now();
  auto gone = reader.wait_for_change(Presence::present, 5s);
  ASSERT_TRUE(gone) << gone.error().describe();
  EXPECT_EQ(*gone, Presence::absent);
  EXPECT_LT(Clock::now() - start, 2s);

  auto after = reader.transmit(hex("00A4040007A0000000031010 00"));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Errc::io_error) << after.error().message;
  EXPECT_FALSE(reader.active_protocol()) << "the handle is dropped with the card";
  EXPECT_TRUE(reader.power_off());

  pcsc->bridge().insert();
  auto back = wait_until(reader, Presence::present, 5s);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(*back, Presence::present);
  auto atr = reader.power_on();
  ASSERT_TRUE(atr) << atr.error().describe();
  EXPECT_EQ(*atr, test::pcsc::kAtrT0);
}

TEST_F(PcscCardIn, PowerOnAfterAnUnnoticedRemovalFindsTheNextCard) {
  auto& reader = this->reader();
  ASSERT_TRUE(reader.power_on());
  // The card leaves while the session is open; nothing is sent to it meanwhile.
  pcsc->bridge().remove();
  ASSERT_TRUE(wait_until(reader, Presence::absent, 5s));
  auto none = reader.power_on();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::not_found) << none.error().message;
  pcsc->bridge().insert();
  ASSERT_TRUE(wait_until(reader, Presence::present, 5s));
  auto atr = reader.power_on();
  ASSERT_TRUE(atr) << atr.error().describe();
  // Again, with a card back in before power_on: the stale session gives way to a new one.
  pcsc->bridge().remove();
  ASSERT_TRUE(wait_until(reader, Presence::absent, 5s));
  pcsc->bridge().insert();
  ASSERT_TRUE(wait_until(reader, Presence::present, 5s));
  atr = reader.power_on();
  ASSERT_TRUE(atr) << atr.error().describe();
  EXPECT_EQ(*atr, test::pcsc::kAtrT0);
}

TEST_F(PcscCardIn, WaitsTimeOutAtTheirDeadline) {
  auto& reader = this->reader();
  for (auto timeout : {0ms, 300ms}) {
    const auto start = Clock::now();
    auto r = reader.wait_for_change(Presence::present, timeout);
    const auto took = Clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::timeout) << r.error().message;
    EXPECT_GE(took, timeout);
    EXPECT_LT(took, timeout + 700ms);
  }
  // The other way round: no card, waiting for one.
  pcsc->bridge().remove();
  ASSERT_TRUE(wait_until(reader, Presence::absent, 5s));
  const auto start = Clock::now();
  auto r = reader.wait_for_change(Presence::absent, 300ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST_F(PcscCardIn, CancelFromAnotherThreadEndsAWait) {
  auto& reader = this->reader();
  std::jthread canceller([&reader] {
    std::this_thread::sleep_for(200ms);
    reader.cancel();
  });
  const auto start = Clock::now();
  auto r = reader.wait_for_change(Presence::present, 10s);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::cancelled) << r.error().message;
  EXPECT_LT(took, 2s);
  canceller.join();
  // A later wait is not affected by the earlier cancel.
  auto later = reader.wait_for_change(Presence::present, 100ms);
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code, Errc::timeout);
}

TEST(Pcsc, NoServiceIsAClearError) {
  TestCard card;
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card);
  if (!pcsc->started_pcscd()) GTEST_SKIP() << "a system pcscd is running; it is left alone";
  pcsc.reset();  // stops the pcscd this test started
  auto turn = test::pcsc::PcscdLock::acquire(60s);  // no other test's pcscd meanwhile
  ASSERT_TRUE(turn) << turn.error().describe();
  auto readers = list_readers();
  ASSERT_FALSE(readers);
  EXPECT_EQ(readers.error().code, Errc::io_error);
  EXPECT_NE(readers.error().message.find("pcscd"), std::string::npos) << readers.error().message;
  auto reader = PcscReader::open();
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::io_error);
}

}  // namespace
}  // namespace tender::icc::pcsc
