// What the terminal itself sent to its host and what came back, card data masked: the
// certification runner's host.log (and its expect_host_request checks) against a configured
// host, whose memory the emulator cannot read — and which, being one server for the whole
// run, remembers every scenario's requests, not only this one's.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <vector>

#include "app/emu/emu_host.hpp"
#include "net/http/transport.hpp"

namespace tender::app::emu {

// One scenario's exchanges, in the order they were sent. Used on the terminal's thread only.
class HostLog {
 public:
  // Records the request (masked) and returns its place for answered().
  std::size_t sent(const net::http::Request& request);
  // The status and masked body of the answer, or the transport's error.
  void answered(std::size_t at, const Result<net::http::Response>& response);
  // The terminal went off (a power cut, the end of the scenario): what is still unanswered
  // says so, since the answer, if any, will never be seen.
  void power_off();
  // The exchanges still held: every one since the last take_finished(), in order.
  [[nodiscard]] const std::deque<HostRequest>& entries() const noexcept { return entries_; }
  // Hands over the leading exchanges that have ended (answered, failed or cut off) and
  // forgets them, so a long run streams its log to host.log instead of holding it; one still
  // waiting for its answer keeps itself and those after it, so the order is kept.
  [[nodiscard]] std::vector<HostRequest> take_finished();

 private:
  std::deque<HostRequest> entries_;
  std::size_t taken_ = 0;  // how many were handed over: sent()'s places count from the start
};

// A Transport that logs every exchange of the one it wraps into a HostLog. The log must
// outlive the transport's pending exchanges (a power cut drops them, unrun).
class LoggingTransport final : public net::http::Transport {
 public:
  LoggingTransport(net::http::Transport& inner, HostLog& log) : inner_(inner), log_(log) {}
  void async_send(net::http::Request request, std::chrono::milliseconds deadline, net::http::ResponseHandler handler) override;

 private:
  net::http::Transport& inner_;
  HostLog& log_;
};

}  // namespace tender::app::emu
