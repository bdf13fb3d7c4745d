// The web front end's HTTP/1.1 server (plain HTTP: it listens on loopback only), on its own
// thread and io_context. It serves the page's static files (web_assets.hpp), streams the
// emulator's state to every open page as Server-Sent Events (GET /events) and hands the
// page's inputs (POST /input, a JSON body) to the emulator. No Beast or Asio types here.
//
// A request must name a loopback Host (a page elsewhere reaching 127.0.0.1 through a
// rebound DNS name is refused, 403) and stay under 8 KiB; POST /input must be
// application/json (a cross-site form cannot send that without a preflight, which is
// refused). Every read and write has a deadline; the number of connections is capped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace tender::app::emu {

struct WebServerOptions {
  std::string address = "127.0.0.1";  // numeric
  std::uint16_t port = 0;             // 0: a free one
  // The emulator's current state as a JSON text (called on the server's thread).
  std::function<std::string()> state;
  // One input from the page, its JSON body; an error becomes a 400 with its message
  // (called on the server's thread).
  std::function<Result<void>(std::string_view body)> input;
};

class WebServer {
 public:
  static Result<std::unique_ptr<WebServer>> start(WebServerOptions options);
  ~WebServer();  // stops the thread, closes every connection
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  // The state changed: every open page gets it (any thread; bursts coalesce).
  void publish();

  struct Impl;

 private:
  explicit WebServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace tender::app::emu
