// The emulator's host: the host simulator behind the HTTPS server on 127.0.0.1, on its own
// io_context and thread, so a power cut of the terminal (its io_context, engine and journal
// go away) leaves the host and what it recorded untouched, as in the field. The thread is
// joined on destruction. Every request is logged with card data masked (host.log).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/money.hpp"
#include "common/result.hpp"
#include "net/host/host_kind.hpp"
#include "net/hostsim/behaviour.hpp"

namespace tender::app::emu {

struct HostRequest {
  std::string method;
  std::string path;
  nlohmann::json body;  // masked; null when not JSON
  // What came back, when the terminal's side logged the exchange (a configured host,
  // host_log.hpp): the status and the masked body, or the transport's error. Neither: the
  // host's side logged it, or the power went before the answer.
  std::optional<int> status;
  nlohmann::json response;  // masked; null when none or not JSON
  std::optional<std::string> error;
};

class EmuHost {
 public:
  static Result<std::unique_ptr<EmuHost>> start();
  ~EmuHost();
  EmuHost(const EmuHost&) = delete;
  EmuHost& operator=(const EmuHost&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] std::string ca_pem() const;

  // The next `count` requests get `script` (POST /sim/behaviour's queue).
  void script(const net::hostsim::Script& script, int count);
  // Drops whatever scripts are still queued (each scenario starts with none).
  void clear_scripts();
  // Down: connections are refused (the listener is closed); up: listening again on the same port.
  Result<void> set_reachable(bool reachable);

  // The world's clock, which the host and the terminal share: a scenario moves it forward
  // (advance_clock) to let a window pass, e.g. FullStack's idempotency window. Never back.
  void advance_clock(std::chrono::seconds by);
  [[nodiscard]] std::int64_t unix_now() const;
  // Another terminal of the same merchant makes a keyed sale of `amount` at the `kind` host
  // with the scenarios' stripe card (4111111111111111, 12/30): a stranger's identical
  // transaction. Errc::unsupported for a host whose simulator has no such stranger (Aurora's
  // is the `+twin` behaviour).
  Result<void> other_terminal_sale(net::host::HostKind kind, const Money& amount);

  [[nodiscard]] std::vector<HostRequest> requests() const;
  // What was recorded since the last take, which the host then forgets: a long run's
  // report streams it to host.log instead of the host holding every body to the end.
  [[nodiscard]] std::vector<HostRequest> take_requests();
  void clear_requests();

  struct Impl;

 private:
  explicit EmuHost(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The body of a request (or a response) with every card field masked (PAN 6+4, tracks, PIN
// block, chip tags, security code) and the credentials a response may carry (tokens).
nlohmann::json mask_host_body(const nlohmann::json& body);

}  // namespace tender::app::emu
