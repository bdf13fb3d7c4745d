// The vpcd framing over a socketpair, and the bridge against a fake vpcd on loopback:
// no pcscd needed.
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "drivers/icc/pcsc/vpcd_bridge.hpp"
#include "test_card.hpp"
#include "tests/drivers/icc/pcsc/fake_vpcd.hpp"
#include "tests/test_hex.hpp"

namespace tender::icc::vpcd {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::hex;
using test::pcsc::TestCard;

IoLimits in(std::chrono::milliseconds t, int wake_fd = -1) { return {Clock::now() + t, wake_fd}; }

// Both ends of a connected stream socketpair, closed at the end of the test.
struct Pair {
  int a = -1, b = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    a = fds[0];
    b = fds[1];
  }
  ~Pair() {
    close_a();
    close_b();
  }
  void close_a() {
    if (a >= 0) ::close(a);
    a = -1;
  }
  void close_b() {
    if (b >= 0) ::close(b);
    b = -1;
  }
  void send_raw(const Bytes& bytes) const {
    ASSERT_EQ(::send(a, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
};

TEST(VpcdFraming, RoundTrip) {
  Pair p;
  ASSERT_TRUE(write_message(p.a, hex("00A4040007A0000000031010"), in(1s)));
  auto m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ(**m, hex("00A4040007A0000000031010"));
}

TEST(VpcdFraming, LengthIsTwoBytesBigEndian) {
  Pair p;
  Bytes payload(0x0102, 0xAB);
  ASSERT_TRUE(write_message(p.a, payload, in(1s)));
  Byte header[2] = {};
  ASSERT_EQ(::recv(p.b, header, 2, MSG_WAITALL), 2);
  EXPECT_EQ(header[0], 0x01);
  EXPECT_EQ(header[1], 0x02);
}

TEST(VpcdFraming, ControlMessageIsOneByte) {
  Pair p;
  p.send_raw(hex("000104"));
  auto m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_TRUE(m && m->has_value());
  EXPECT_EQ(**m, hex("04"));
}

TEST(VpcdFraming, AssemblesPartialReads) {
  Pair p;
  const Bytes frame = hex("0005 00B2010C00");
  std::jthread writer([&] {
    for (Byte b : frame) {
      ASSERT_EQ(::send(p.a, &b, 1, MSG_NOSIGNAL), 1);
      std::this_thread::sleep_for(5ms);
    }
  });
  auto m = read_message(p.b, kMaxShortCommand, in(2s));
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ(**m, hex("00B2010C00"));
}

TEST(VpcdFraming, ReadsBackToBackMessages) {
  Pair p;
  p.send_raw(hex("000101 000104 0002 9000"));
  for (const char* expected : {"01", "04", "9000"}) {
    auto m = read_message(p.b, kMaxShortCommand, in(1s));
    ASSERT_TRUE(m && m->has_value());
    EXPECT_EQ(**m, hex(expected));
  }
}

TEST(VpcdFraming, EmptyMessageIsEmpty) {
  Pair p;
  p.send_raw(hex("0000"));
  auto m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_TRUE(m && m->has_value());
  EXPECT_TRUE((*m)->empty());
}

TEST(VpcdFraming, OversizedLengthIsRefusedBeforeThePayload) {
  Pair p;
  p.send_raw(hex("0106"));  // 262 > 261, and no payload follows: must not wait for it
  const auto start = Clock::now();
  auto m = read_message(p.b, kMaxShortCommand, in(2s));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::out_of_range);
  EXPECT_LT(Clock::now() - start, 1s);
  p.send_raw(hex("FFFF"));
  m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::out_of_range);
}

TEST(VpcdFraming, LargestAllowedLengthIsRead) {
  Pair p;
  Bytes payload(kMaxShortCommand, 0x5A);
  ASSERT_TRUE(write_message(p.a, payload, in(1s)));
  auto m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_TRUE(m && m->has_value());
  EXPECT_EQ((*m)->size(), kMaxShortCommand);
}

TEST(VpcdFraming, PeerCloseBetweenMessagesIsNoMessage) {
  Pair p;
  p.close_a();
  auto m = read_message(p.b, kMaxShortCommand, in(1s));
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_FALSE(m->has_value());
}

TEST(VpcdFraming, PeerCloseInsideAMessageIsTruncated) {
  for (const char* sent : {"00", "0005", "0005 00A4"}) {  // inside the length, before and inside the payload
    Pair p;
    p.send_raw(hex(sent));
    p.close_a();
    auto m = read_message(p.b, kMaxShortCommand, in(1s));
    ASSERT_FALSE(m) << sent;
    EXPECT_EQ(m.error().code, Errc::truncated) << sent;
  }
}

TEST(VpcdFraming, SilenceTimesOutAtTheDeadline) {
  Pair p;
  const auto start = Clock::now();
  auto m = read_message(p.b, kMaxShortCommand, in(150ms));
  const auto took = Clock::now() - start;
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::timeout);
  EXPECT_GE(took, 140ms);
  EXPECT_LT(took, 1s);
}

TEST(VpcdFraming, StalledPayloadTimesOut) {
  Pair p;
  p.send_raw(hex("0005 00"));
  auto m = read_message(p.b, kMaxShortCommand, in(100ms));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::timeout);
}

TEST(VpcdFraming, WakeDescriptorCancelsTheWait) {
  Pair p;
  const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ASSERT_GE(wake, 0);
  std::jthread waker([wake] {
    std::this_thread::sleep_for(50ms);
    const std::uint64_t one = 1;
    EXPECT_EQ(::write(wake, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  });
  const auto start = Clock::now();
  auto m = read_message(p.b, kMaxShortCommand, in(5s, wake));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Errc::cancelled);
  EXPECT_LT(Clock::now() - start, 2s);
  waker.join();
  ::close(wake);
}

TEST(VpcdFraming, WriteToAClosedPeerIsAnErrorNotASignal) {
  Pair p;
  p.close_b();
  auto w = write_message(p.a, hex("9000"), in(1s));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, Errc::io_error);
}

TEST(VpcdFraming, PayloadOverSixteenBitsIsRefused) {
  Pair p;
  Bytes payload(0x10000, 0x00);
  auto w = write_message(p.a, payload, in(1s));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, Errc::invalid_argument);
}

// ---- The bridge against a fake vpcd (a listening socket on 127.0.0.1) ----

using test::FakeVpcd;

// A fake vpcd, a test card, and the bridge between them.
class BridgeTest : public ::testing::Test {
 protected:
  // Starts the bridge; when inserted, also accepts its connection.
  void start(bool inserted = true) {
    BridgeOptions o;
    o.port = vpcd.port();
    o.retry_interval = 20ms;
    o.inserted = inserted;
    auto started = VpcdBridge::start(card, o);
    ASSERT_TRUE(started) << started.error().describe();
    bridge = std::move(*started);
    if (inserted) {
      ASSERT_TRUE(vpcd.accept_card(2s));
    }
  }

  FakeVpcd vpcd;
  TestCard card;
  std::unique_ptr<VpcdBridge> bridge;  // last: stopped first
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 2s) {
  const auto deadline = Clock::now() + timeout;
  while (!pred()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(VpcdBridge, RefusesANonNumericHost) {
  TestCard card;
  BridgeOptions o;
  o.host = "localhost";
  auto b = VpcdBridge::start(card, o);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, Errc::invalid_argument);
}

TEST_F(BridgeTest, ServesPowerAtrAndCommands) {
  ASSERT_NO_FATAL_FAILURE(start());
  vpcd.send(Control::power_on);
  EXPECT_EQ(vpcd.ask(Bytes{static_cast<Byte>(Control::get_atr)}), test::pcsc::kAtrT0);
  EXPECT_EQ(vpcd.ask(hex("00A4040007A0000000031010 00")), hex("6F1184 07A0000000031010 A506 5004 54455354 9000"));
  EXPECT_EQ(vpcd.ask(hex("80A8000002830000")), hex("6108"));
  EXPECT_EQ(vpcd.ask(hex("00C0000008")), hex("8006 1C00 08010100 9000"));
  EXPECT_EQ(vpcd.ask(hex("00CA9F1700")), hex("6D00"));
  vpcd.send(Control::reset);
  vpcd.send(Control::power_off);
  EXPECT_EQ(vpcd.ask(Bytes{static_cast<Byte>(Control::get_atr)}), test::pcsc::kAtrT0);  // orders the checks below
  const BridgeStats s = bridge->stats();
  EXPECT_EQ(s.connections, 1u);
  EXPECT_EQ(s.power_on, 1u);
  EXPECT_EQ(s.reset, 1u);
  EXPECT_EQ(s.power_off, 1u);
  EXPECT_EQ(s.get_atr, 2u);
  EXPECT_EQ(s.commands, 4u);
  EXPECT_EQ(card.resets(), 2);  // power on and reset
  EXPECT_TRUE(bridge->connected());
}

TEST_F(BridgeTest, ReconnectsAfterVpcdClosesTheConnection) {
  ASSERT_NO_FATAL_FAILURE(start());
  vpcd.drop();  // what vpcd does when pcscd ejects the card or restarts
  ASSERT_TRUE(vpcd.accept_card(2s));
  EXPECT_EQ(vpcd.ask(Bytes{0x04}), test::pcsc::kAtrT0);
  EXPECT_EQ(bridge->stats().connections, 2u);
}

TEST_F(BridgeTest, RemoveDisconnectsAndInsertReconnects) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_TRUE(eventually([&] { return bridge->connected(); }));
  bridge->remove();
  EXPECT_TRUE(vpcd.sees_close(2s));
  EXPECT_TRUE(eventually([&] { return !bridge->connected(); }));
  vpcd.drop();
  EXPECT_FALSE(vpcd.accept_card(200ms));  // removed: no new connection
  bridge->insert();
  ASSERT_TRUE(vpcd.accept_card(2s));
  EXPECT_EQ(vpcd.ask(Bytes{0x04}), test::pcsc::kAtrT0);
}

TEST_F(BridgeTest, StartsRemovedWhenAsked) {
  ASSERT_NO_FATAL_FAILURE(start(false));
  EXPECT_FALSE(vpcd.accept_card(200ms));
  bridge->insert();
  EXPECT_TRUE(vpcd.accept_card(2s));
}

TEST_F(BridgeTest, OversizedMessageDropsTheConnection) {
  ASSERT_NO_FATAL_FAILURE(start());
  vpcd.send_bytes(Bytes(kMaxShortCommand + 1, 0x00));
  EXPECT_TRUE(vpcd.sees_close(2s));
}

TEST(VpcdBridge, KeepsRetryingUntilVpcdListens) {
  std::uint16_t port = 0;
  {
    FakeVpcd probe;  // find a free port, then free it
    port = probe.port();
  }
  TestCard card;
  BridgeOptions o;
  o.port = port;
  o.retry_interval = 20ms;
  auto bridge = VpcdBridge::start(card, o);
  ASSERT_TRUE(bridge);
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE((*bridge)->connected());
  EXPECT_EQ((*bridge)->stats().connections, 0u);
  FakeVpcd late(port);  // pcscd comes up
  EXPECT_TRUE(late.accept_card(2s));
  EXPECT_TRUE(eventually([&] { return (*bridge)->connected(); }));
  (*bridge)->stop();  // before `late` goes
}

TEST_F(BridgeTest, StopsPromptlyWhileConnected) {
  ASSERT_NO_FATAL_FAILURE(start());
  const auto start = Clock::now();
  bridge->stop();
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_TRUE(vpcd.sees_close(1s));
  bridge->stop();  // idempotent
}

}  // namespace
}  // namespace tender::icc::vpcd
