// A virtual ICC for vsmartcard's vpcd: puts any icc::Card behind a real PC/SC reader.
//
// vpcd is a pcsc-lite reader driver (libifdvpcd.so, configured in /etc/reader.conf.d/vpcd)
// that listens on TCP, one port per slot (35963 for "Virtual PCD 00 00", 35964 for
// "Virtual PCD 00 01"). The virtual card connects to it; while connected and answering,
// pcscd reports a card in the reader. Every message either way is a 2-byte big-endian
// length and then the payload. From vpcd:
//   length 1, 0x00  power off            (no answer)
//   length 1, 0x01  power on             (no answer)
//   length 1, 0x02  reset                (no answer)
//   length 1, 0x04  get ATR              (answer: the ATR)
//   longer          a command APDU       (answer: the response APDU with SW1 SW2)
// pcscd polls the slot about every 400 ms with "get ATR"; an answer of length 0, or a
// closed connection, is a removed card. So the bridge models the card's insertion by
// connecting and its removal by disconnecting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/icc/card.hpp"

namespace tender::icc::vpcd {

inline constexpr std::uint16_t kDefaultPort = 35963;  // slot 0; slot n listens on kDefaultPort + n

// The one-byte control messages vpcd sends.
enum class Control : Byte { power_off = 0x00, power_on = 0x01, reset = 0x02, get_atr = 0x04 };

// EMV (Book 1 9.4) uses short APDUs only: CLA INS P1 P2 Lc 255 bytes Le.
inline constexpr std::size_t kMaxShortCommand = 4 + 1 + 255 + 1;

// ---- Framing, exposed for the tests (any connected stream socket works) ----

// A wait on a socket ends at `deadline` (Errc::timeout) or, earlier, when `wake_fd`
// (if not -1) is readable while the socket is not ready (Errc::cancelled).
// time_point::max() waits without a deadline (the bridge's idle wait, ended by its wake fd).
struct IoLimits {
  std::chrono::steady_clock::time_point deadline;
  int wake_fd = -1;
};

// One message. std::nullopt when the peer closed the connection cleanly before the
// message began; Errc::truncated when it closed in the middle of one;
// Errc::out_of_range when the length field exceeds `max_length` (nothing of the
// payload is read: the stream cannot be trusted after that).
Result<std::optional<Bytes>> read_message(int fd, std::size_t max_length, const IoLimits& limits);

// Errc::invalid_argument for a payload over 65535 bytes; Errc::io_error when the peer
// is gone.
Result<void> write_message(int fd, ByteView payload, const IoLimits& limits);

// ---- The bridge ----

struct BridgeOptions {
  std::string host = "127.0.0.1";  // numeric IPv4 or IPv6 only: no name lookup
  std::uint16_t port = kDefaultPort;
  bool inserted = true;  // connect as soon as the bridge starts
  // Between connection attempts while vpcd is not listening (pcscd not started yet).
  std::chrono::milliseconds retry_interval{100};
  // For the rest of a message once it began, for an answer to be written, for a connect.
  std::chrono::milliseconds io_timeout{2000};
};

// What vpcd asked of the card so far (the tests check the power sequence with it).
struct BridgeStats {
  std::uint64_t connections = 0;  // TCP connections made to vpcd
  std::uint64_t power_on = 0;
  std::uint64_t power_off = 0;
  std::uint64_t reset = 0;
  std::uint64_t get_atr = 0;
  std::uint64_t commands = 0;  // command APDUs answered
};

// Runs one thread that connects to vpcd and serves the card. The card is used from
// that thread only; it must outlive the bridge and must not be used elsewhere while
// the bridge runs. Stopping (or destroying) the bridge closes the socket and joins.
class VpcdBridge {
 public:
  // Errc::invalid_argument for a host that is not a numeric address; io_error when
  // the thread's wake-up descriptor cannot be made.
  static Result<std::unique_ptr<VpcdBridge>> start(Card& card, BridgeOptions options = {});

  ~VpcdBridge();
  VpcdBridge(const VpcdBridge&) = delete;
  VpcdBridge& operator=(const VpcdBridge&) = delete;

  // Card inserted: connect (and reconnect after vpcd closes, until removed).
  void insert();
  // Card removed: close the connection; pcscd notices at its next poll.
  void remove();
  // Idempotent; joins the thread. No call reaches the card after it returns.
  void stop();

  [[nodiscard]] bool connected() const;
  [[nodiscard]] BridgeStats stats() const;

 private:
  VpcdBridge(Card& card, BridgeOptions options, int wake_fd);

  void run(std::stop_token stop);
  void serve(int fd, const std::stop_token& stop);
  // The answer to one message from vpcd, if it expects one.
  std::optional<Bytes> handle(ByteView message);
  void wake() const noexcept;
  void drain_wake() const noexcept;
  [[nodiscard]] bool want_connection(const std::stop_token& stop) const;

  Card& card_;
  const BridgeOptions options_;
  const int wake_fd_;  // eventfd: insert/remove/stop make it readable
  bool atr_reported_ = false;  // bridge thread only

  mutable std::mutex mutex_;
  bool inserted_;
  bool connected_ = false;
  BridgeStats stats_;

  std::jthread thread_;  // last: stopped and joined before the members above go
};

}  // namespace tender::icc::vpcd
