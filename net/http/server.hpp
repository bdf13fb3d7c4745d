// An HTTPS/1.1 server on 127.0.0.1 over the mbedTLS stream, for the host simulator and the
// tests: keep-alive, bounded request size, a per-connection read deadline so idle
// connections close, a cap on open connections (one over it is closed at once), and an
// accept loop that pauses instead of spinning when the process runs out of descriptors. Each request goes to the handler, which answers through `reply` with
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
  // Open connections at most; one accepted beyond it is closed at once (counted, see stats).
  std::size_t max_connections = 1024;
  // When accept fails for want of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM),
  // the next try waits this long: the pending connections stay in the listen backlog until
  // a connection closes, instead of the loop retrying at once and spinning a core. A few
  // descriptors are held in reserve and given back to the process while it waits.
  std::chrono::milliseconds accept_backoff{100};
};

struct ServerStats {
  std::size_t connections_accepted = 0;
  std::size_t requests = 0;
  std::size_t connections_open = 0;
  std::size_t peak_connections = 0;     // the most open at once
  std::size_t connections_refused = 0;  // closed at once: over max_connections
  std::size_t accept_pauses = 0;        // accept_backoff waits (out of descriptors or memory)
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
