// vpcd's side of its socket, for tests with no pcscd: vpcd listens on loopback and the card
// (drivers/icc/pcsc's VpcdBridge, tender-vcard's slot) connects to it, then answers the
// messages vpcd sends (the framing of drivers/icc/pcsc/vpcd_bridge.hpp). Every wait is bounded.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "drivers/icc/pcsc/vpcd_bridge.hpp"

namespace tender::test {

class FakeVpcd {
 public:
  explicit FakeVpcd(std::uint16_t port = 0) {  // 0: any free port
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    EXPECT_EQ(::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 4), 0);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~FakeVpcd() {
    drop();
    ::close(listen_fd_);
  }
  FakeVpcd(const FakeVpcd&) = delete;
  FakeVpcd& operator=(const FakeVpcd&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }

  // Accepts the card's connection (dropping an earlier one).
  bool accept_card(std::chrono::milliseconds timeout) {
    drop();
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(timeout.count())) != 1) return false;
    client_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    return client_fd_ >= 0;
  }
  void drop() {
    if (client_fd_ >= 0) ::close(client_fd_);
    client_fd_ = -1;
  }
  void send(icc::vpcd::Control c) { send_bytes(Bytes{static_cast<Byte>(c)}); }
  void send_bytes(const Bytes& message) {
    EXPECT_TRUE(icc::vpcd::write_message(client_fd_, message, within(std::chrono::seconds(1))));
  }
  Bytes ask(const Bytes& message) {
    EXPECT_TRUE(icc::vpcd::write_message(client_fd_, message, within(std::chrono::seconds(1))));
    auto m = icc::vpcd::read_message(client_fd_, 0xFFFF, within(std::chrono::seconds(2)));
    if (!m || !m->has_value()) {
      ADD_FAILURE() << "no answer from the card";
      return {};
    }
    return **m;
  }
  Bytes atr() { return ask(Bytes{static_cast<Byte>(icc::vpcd::Control::get_atr)}); }
  // True when the card closed its end in time: EOF, or a reset when it closed with unread
  // bytes (as after an oversized message).
  bool sees_close(std::chrono::milliseconds timeout) {
    auto m = icc::vpcd::read_message(client_fd_, 0xFFFF, within(timeout));
    return m ? !m->has_value() : m.error().code == Errc::io_error;
  }

 private:
  static icc::vpcd::IoLimits within(std::chrono::milliseconds t) {
    return {std::chrono::steady_clock::now() + t, -1};
  }

  int listen_fd_ = -1;
  int client_fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace tender::test
