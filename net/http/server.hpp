// An HTTPS/1.1 server on 127.0.0.1 over the mbedTLS stream, for the host simulator and the
// tests: keep-alive, bounded request size, a per-connection read deadline so idle
// connections close. Each request goes to the handler, which answers through `reply` with
// a ServerAction, now or later (on the same io_context). No Beast or Asio types here.
// A request it cannot take gets 400 (not HTTP), 413 (body too large) or 431 (header too
// large) and the connection closes; a handler's answer it cannot write becomes a 500.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/result.hpp"
#include "net/http/message.hpp"
#include "net/http/server_action.hpp"
#include "net/tls/context.hpp"

namespace boost::asio {
class io_context;
}

namespace tender::net::http {


using ServerReply = std::function<void(ServerAction)>;
using ServerHandler = std::function<void(Request, ServerReply)>;

struct ServerOptions {
  std::uint16_t port = 0;  // 0: pick a free one (see Server::port())
  tls::ServerConfig tls;
  std::size_t max_request_bytes = 1024 * 1024;       // header + body; beyond it: 413, and the connection closes
  std::size_t max_header_bytes = 32 * 1024;          // request line + fields; beyond it: 431 (see ClientOptions)
  std::chrono::milliseconds read_timeout{30'000};    // handshake, and waiting for/reading a request
  std::chrono::milliseconds write_timeout{10'000};
};

struct ServerStats {
  std::size_t connections_accepted = 0;
  std::size_t requests = 0;
};

class Server {
 public:
  // Binds 127.0.0.1:port and starts accepting.
  static Result<std::unique_ptr<Server>> create(boost::asio::io_context& io, ServerOptions options,
                                                ServerHandler handler);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] ServerStats stats() const;
  // Stops accepting and closes every connection.
  void stop();

  struct Impl;

 private:
  explicit Server(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace tender::net::http
