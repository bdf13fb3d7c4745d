// The host simulator as an http::Transport inside the process: the adapter's request goes
// to HostSimulator::handle() without sockets or TLS, and the simulator's ServerAction is
// carried out with the same meaning a client sees over HTTPS (close -> io_error, no answer
// -> timeout at the caller's deadline, delay -> the answer later or the deadline first).
// The engine's table tests and the emulator's fast mode use it; the HTTPS path has its
// own tests (net_integration) and the benchmark runs over real loopback TLS.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "net/hostsim/host_simulator.hpp"
#include "net/http/transport.hpp"

namespace boost::asio {
class io_context;
}

namespace tender::net::hostsim {

class LocalTransport final : public http::Transport {
 public:
  // `io` and `sim` must outlive the transport.
  LocalTransport(boost::asio::io_context& io, HostSimulator& sim);
  ~LocalTransport() override;
  LocalTransport(const LocalTransport&) = delete;
  LocalTransport& operator=(const LocalTransport&) = delete;

  void async_send(http::Request request, std::chrono::milliseconds deadline, http::ResponseHandler handler) override;

  // The host is down: requests fail with io_error and never reach the simulator (what a
  // refused connection looks like to the adapter).
  void set_unreachable(bool unreachable) noexcept { unreachable_ = unreachable; }
  // The next `count` requests reach the simulator (it acts on them) and their answers are
  // lost on the way back: what a dropped connection after sending looks like.
  void lose_answers(int count) noexcept { lose_ = count; }
  [[nodiscard]] bool unreachable() const noexcept { return unreachable_; }
  [[nodiscard]] std::size_t requests_delivered() const noexcept { return delivered_; }
  // Sees every request the simulator receives, in order (tests check order and count).
  void observe(std::function<void(const http::Request&)> observer) { observer_ = std::move(observer); }

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  HostSimulator& sim_;
  bool unreachable_ = false;
  int lose_ = 0;
  std::function<void(const http::Request&)> observer_;
  std::size_t delivered_ = 0;
};

}  // namespace tender::net::hostsim
