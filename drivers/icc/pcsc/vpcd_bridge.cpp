#include "drivers/icc/pcsc/vpcd_bridge.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "common/log.hpp"
#include "drivers/icc/apdu.hpp"

namespace tender::icc::vpcd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kLog = "vpcd";
constexpr std::size_t kMaxFrame = 0xFFFF;  // the length field is 16 bits

std::string errno_text(int err) { return std::strerror(err); }

// Milliseconds poll() may wait before `deadline`; -1 (no limit) for time_point::max().
int poll_timeout(Clock::time_point deadline) {
  if (deadline == Clock::time_point::max()) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left, 0, INT_MAX));
}

// Waits until `fd` is ready for `events`, the deadline passes, or the wake fd fires.
Result<void> wait_for(int fd, short events, const IoLimits& limits) {
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {limits.wake_fd, POLLIN, 0}};
    const nfds_t count = limits.wake_fd >= 0 ? 2 : 1;
    const int n = ::poll(fds, count, poll_timeout(limits.deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io_error, "poll failed: " + errno_text(errno));
    }
    if (fds[0].revents != 0) return ok();  // ready, hung up or in error: the call says which
    if (count == 2 && (fds[1].revents & POLLIN) != 0)
      return make_error(Errc::cancelled, "wait on the vpcd connection interrupted");
    if (n == 0 || Clock::now() >= limits.deadline)
      return make_error(Errc::timeout, "vpcd connection: deadline passed");
  }
}

// Reads until `out` is full or the peer closes; returns how many bytes came.
Result<std::size_t> read_full(int fd, std::span<Byte> out, const IoLimits& limits) {
  std::size_t got = 0;
  while (got < out.size()) {
    if (auto ready = wait_for(fd, POLLIN, limits); !ready) return std::move(ready).error();
    // vpcd sends a message's length and payload in two writes without TCP_NODELAY,
    // so the payload waits for our ACK: acknowledge at once (quick ACK resets itself,
    // hence before every read) instead of after the ~40 ms delayed-ACK timer.
    const int one = 1;
    (void)::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    const ssize_t n = ::recv(fd, out.data() + got, out.size() - got, MSG_DONTWAIT);
    if (n == 0) break;  // orderly close
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return make_error(Errc::io_error, "vpcd connection: receive failed: " + errno_text(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// A numeric address for `host`, or nothing.
struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

std::optional<Address> parse_address(const std::string& host, std::uint16_t port) {
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length = sizeof(sockaddr_in);
    return a;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

// A connected, non-blocking socket, or the reason there is none.
Result<int> connect_to(const Address& address, const IoLimits& limits) {
  const int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(Errc::io_error, "socket failed: " + errno_text(errno));
  const int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small request/response
  auto fail = [fd](Error e) -> Result<int> {
    ::close(fd);
    return e;
  };
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) return fd;
  if (errno != EINPROGRESS)
    return fail(make_error(Errc::io_error, "connect to vpcd failed: " + errno_text(errno)));
  if (auto ready = wait_for(fd, POLLOUT, limits); !ready) return fail(std::move(ready).error());
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) return fail(make_error(Errc::io_error, "connect to vpcd failed: " + errno_text(err)));
  return fd;
}

IoLimits within(std::chrono::milliseconds timeout, int wake_fd) { return {Clock::now() + timeout, wake_fd}; }

}  // namespace

Result<std::optional<Bytes>> read_message(int fd, std::size_t max_length, const IoLimits& limits) {
  Byte header[2] = {};
  auto got = read_full(fd, header, limits);
  if (!got) return std::move(got).error();
  if (*got == 0) return std::optional<Bytes>{};  // closed between messages
  if (*got < sizeof header) return make_error(Errc::truncated, "vpcd closed the connection inside a length field");
  const std::size_t length = static_cast<std::size_t>(load_be(header));
  if (length > max_length)
    return make_error(Errc::out_of_range, "vpcd message of " + std::to_string(length) +
                                              " bytes exceeds the limit of " + std::to_string(max_length));
  Bytes payload(length);
  got = read_full(fd, payload, limits);
  if (!got) return std::move(got).error();
  if (*got < length)
    return make_error(Errc::truncated, "vpcd closed the connection after " + std::to_string(*got) + " of " +
                                           std::to_string(length) + " message bytes");
  return std::optional<Bytes>{std::move(payload)};
}

Result<void> write_message(int fd, ByteView payload, const IoLimits& limits) {
  if (payload.size() > kMaxFrame)
    return make_error(Errc::invalid_argument, "vpcd message over 65535 bytes");
  Bytes frame(2 + payload.size());
  store_be(payload.size(), std::span<Byte>(frame).first(2));
  std::copy(payload.begin(), payload.end(), frame.begin() + 2);
  std::size_t sent = 0;
  while (sent < frame.size()) {
    if (auto ready = wait_for(fd, POLLOUT, limits); !ready) return ready;
    const ssize_t n = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return make_error(Errc::io_error, "vpcd connection: send failed: " + errno_text(errno));
    }
    sent += static_cast<std::size_t>(n);
  }
  return ok();
}

// ---- VpcdBridge ----

Result<std::unique_ptr<VpcdBridge>> VpcdBridge::start(Card& card, BridgeOptions options) {
  if (!parse_address(options.host, options.port))
    return make_error(Errc::invalid_argument, "vpcd host must be a numeric IPv4 or IPv6 address");
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) return make_error(Errc::io_error, "eventfd failed: " + errno_text(errno));
  std::unique_ptr<VpcdBridge> bridge(new VpcdBridge(card, std::move(options), wake_fd));
  bridge->thread_ = std::jthread([raw = bridge.get()](std::stop_token stop) { raw->run(std::move(stop)); });
  return bridge;
}

VpcdBridge::VpcdBridge(Card& card, BridgeOptions options, int wake_fd)
    : card_(card), options_(std::move(options)), wake_fd_(wake_fd), inserted_(options_.inserted) {}

VpcdBridge::~VpcdBridge() {
  stop();
  ::close(wake_fd_);
}

void VpcdBridge::insert() {
  {
    std::lock_guard lock(mutex_);
    if (inserted_) return;
    inserted_ = true;
  }
  wake();
}

void VpcdBridge::remove() {
  {
    std::lock_guard lock(mutex_);
    if (!inserted_) return;
    inserted_ = false;
  }
  wake();
}

void VpcdBridge::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  wake();
  thread_.join();
}

bool VpcdBridge::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

BridgeStats VpcdBridge::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void VpcdBridge::wake() const noexcept {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);  // a full counter is still readable: enough
}

void VpcdBridge::drain_wake() const noexcept {
  std::uint64_t value = 0;
  (void)!::read(wake_fd_, &value, sizeof value);
}

bool VpcdBridge::want_connection(const std::stop_token& stop) const {
  std::lock_guard lock(mutex_);
  return inserted_ && !stop.stop_requested();
}

void VpcdBridge::run(std::stop_token stop) {
  const Address address = *parse_address(options_.host, options_.port);  // checked in start()
  bool refusal_logged = false;
  while (!stop.stop_requested()) {
    if (!want_connection(stop)) {
      (void)wait_for(wake_fd_, POLLIN, {Clock::time_point::max(), -1});  // until insert or stop
      drain_wake();
      continue;
    }
    auto fd = connect_to(address, within(options_.io_timeout, wake_fd_));
    if (!fd) {
      if (fd.error().code != Errc::cancelled) {
        if (!refusal_logged)
          log::info(kLog, fd.error().message, "; retrying every ", options_.retry_interval.count(), " ms");
        refusal_logged = true;
        (void)wait_for(wake_fd_, POLLIN, within(options_.retry_interval, -1));
      }
      drain_wake();
      continue;
    }
    refusal_logged = false;
    {
      std::lock_guard lock(mutex_);
      connected_ = true;
      ++stats_.connections;
    }
    log::info(kLog, "connected to vpcd on port ", options_.port, ": card inserted");
    serve(*fd, stop);
    ::close(*fd);
    {
      std::lock_guard lock(mutex_);
      connected_ = false;
    }
    log::info(kLog, "disconnected from vpcd on port ", options_.port, ": card removed");
  }
}

void VpcdBridge::serve(int fd, const std::stop_token& stop) {
  for (;;) {
    // Idle until vpcd speaks; only insert/remove/stop end this wait (pcscd polls every ~400 ms).
    if (auto ready = wait_for(fd, POLLIN, {Clock::time_point::max(), wake_fd_}); !ready) {
      if (ready.error().code != Errc::cancelled) {
        log::warn(kLog, ready.error().message);
        return;
      }
      drain_wake();
      if (!want_connection(stop)) return;
      continue;
    }
    auto message = read_message(fd, kMaxShortCommand, within(options_.io_timeout, wake_fd_));
    if (!message) {
      if (message.error().code == Errc::cancelled && !want_connection(stop)) return;  // removed or stopping
      log::warn(kLog, "dropping the connection: ", message.error().describe());
      return;
    }
    if (!*message) {
      log::info(kLog, "vpcd closed the connection");
      return;
    }
    const auto answer = handle(**message);
    if (!answer) continue;
    // Once vpcd asked, answer in full (bounded by io_timeout) even if a stop is pending.
    if (auto sent = write_message(fd, *answer, within(options_.io_timeout, -1)); !sent) {
      log::warn(kLog, "dropping the connection: ", sent.error().describe());
      return;
    }
  }
}

std::optional<Bytes> VpcdBridge::handle(ByteView message) {
  if (message.size() == 1) {
    const auto control = static_cast<Control>(message[0]);
    switch (control) {
      case Control::power_off:
      case Control::power_on:
      case Control::reset:
      case Control::get_atr:
        break;
      default:
        log::warn(kLog, "unknown vpcd control message ", static_cast<int>(message[0]), " ignored");
        return std::nullopt;
    }
    {
      std::lock_guard lock(mutex_);
      ++(control == Control::power_off  ? stats_.power_off
         : control == Control::power_on ? stats_.power_on
         : control == Control::reset    ? stats_.reset
                                        : stats_.get_atr);
    }
    if (control == Control::power_on || control == Control::reset) card_.reset();  // volatile state is lost
    if (control != Control::get_atr) return std::nullopt;
    Bytes atr = card_.atr();
    // An empty answer tells vpcd the card is gone; over 33 bytes pcscd refuses it.
    if ((atr.empty() || atr.size() > 33) && !atr_reported_) {
      log::error(kLog, "card ATR of ", atr.size(), " bytes is not valid");
      atr_reported_ = true;  // pcscd asks every 400 ms: say it once
    }
    return atr;
  }
  if (message.empty()) {
    log::warn(kLog, "empty vpcd message ignored");
    return std::nullopt;
  }
  Bytes response = card_.process(message);
  if (response.size() < 2 || response.size() > kMaxFrame) {
    log::error(kLog, "card answered ", response.size(), " bytes; sending SW 6F00 instead");
    response = {0x6F, 0x00};
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.commands;
  }
  // Lengths and SW only: the data may hold a PAN.
  log::debug(kLog, "C-APDU ", message.size(), " bytes -> R-APDU ", response.size(), " bytes SW ",
             sw_to_hex(static_cast<StatusWord>(load_be(ByteView(response).last(2)))));
  return response;
}

}  // namespace tender::icc::vpcd
