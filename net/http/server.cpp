#include "net/http/server.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <vector>
#include <cerrno>
#include <map>
#include <optional>

#include "common/log.hpp"
#include "net/http/beast_message.hpp"
#include "net/http/beast_read.hpp"
#include "net/tls/stream.hpp"

namespace tender::net::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr std::string_view kLog = "net.http.server";
// Descriptors held back from connections (see pause_accepting).
constexpr std::size_t kReserveDescriptors = 4;
// How long a refused request's remaining bytes are read and dropped before closing.
constexpr std::chrono::milliseconds kLinger{2000};

// Whether a read error is the peer's bad HTTP (as opposed to the connection ending).
bool is_bad_http(error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

Response refusal(int status) {
  Response r;
  r.status = status;
  return r;
}
}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  struct Connection : std::enable_shared_from_this<Connection> {
    Connection(std::weak_ptr<Impl> owner, std::uint64_t connection_id, std::shared_ptr<tls::Stream> s,
               asio::io_context& io)
        : server(std::move(owner)), id(connection_id), stream(std::move(s)), timer(io) {}

    std::weak_ptr<Impl> server;
    std::uint64_t id;
    std::shared_ptr<tls::Stream> stream;
    asio::steady_timer timer;
    boost::beast::flat_buffer buffer;
    std::optional<detail::Parser<true>> parser;
    detail::BeastResponse response;
    std::array<char, 2048> drained{};
    bool keep_alive = true;
    bool linger_after_write = false;
    bool closed = false;

    std::shared_ptr<Impl> owner() const { return server.lock(); }

    // The deadline of whatever the connection does next; when it passes, it closes.
    void arm(std::chrono::milliseconds after) {
      timer.expires_after(after);
      timer.async_wait([weak = weak_from_this()](error_code ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->close();
      });
    }

    void start() {
      auto srv = owner();
      if (!srv) return close();
      arm(srv->options.read_timeout);
      stream->async_handshake([self = shared_from_this()](error_code ec, std::size_t) {
        if (ec) {
          log::debug(kLog, "TLS handshake failed: ", ec.message());
          return self->close();
        }
        self->read_request();
      });
    }

    void read_request() {
      auto srv = owner();
      if (!srv || closed) return close();
      parser.emplace();
      const auto limit = srv->options.max_request_bytes;
      arm(srv->options.read_timeout);
      detail::async_read_message(*stream, buffer, *parser, {std::min(srv->options.max_header_bytes, limit), limit},
                                 [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    // Answers `status` to a request that is not read to its end, then closes.
    void refuse(int status, error_code why) {
      log::debug(kLog, "refused a request (", status, "): ", why.message());
      keep_alive = false;
      linger_after_write = true;
      write(refusal(status));
    }

    void on_request(error_code ec) {
      timer.cancel();
      if (closed) return;
      if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return refuse(431, ec);
      if (ec == bhttp::error::body_limit) return refuse(413, ec);
      if (is_bad_http(ec)) return refuse(400, ec);
      if (ec) return close();
      auto srv = owner();
      if (!srv) return close();
      const auto& message = parser->get();
      keep_alive = message.keep_alive();
      auto request = detail::from_beast(message);
      if (!request) {
        Response bad;
        bad.status = 405;
        keep_alive = false;
        return write(bad);
      }
      ++srv->stats.requests;
      auto answered = std::make_shared<bool>(false);
      ServerReply reply = [weak = weak_from_this(), answered, exec = stream->get_executor()](ServerAction action) {
        if (*answered) return;
        *answered = true;
        asio::post(exec, [weak, action = std::move(action)]() mutable {
          if (auto self = weak.lock()) self->act(std::move(action));
        });
      };
      srv->handler(std::move(*request), std::move(reply));
    }

    void act(ServerAction action) {
      if (closed) return;
      switch (action.kind) {
        case ServerAction::Kind::respond:
          return write(action.response);
        case ServerAction::Kind::close_connection:
          return close();
        case ServerAction::Kind::no_answer:
          // Open and silent until the client gives up, or for read_timeout at most.
          if (auto srv = owner()) arm(srv->options.read_timeout);
          return;
        case ServerAction::Kind::delay:
          timer.expires_after(action.after);
          timer.async_wait([self = shared_from_this(), r = std::move(action.response)](error_code ec) {
            if (!ec && !self->closed) self->write(r);
          });
          return;
      }
    }

    void write(const Response& r) {
      auto srv = owner();
      if (!srv) return close();
      auto beast = detail::to_beast(r);
      if (!beast) {
        log::warn(kLog, "the handler's answer cannot be sent (", beast.error().describe(), "): 500 instead");
        keep_alive = false;
        beast = detail::to_beast(refusal(500));
      }
      response = std::move(*beast);
      response.keep_alive(keep_alive);
      arm(srv->options.write_timeout);
      bhttp::async_write(*stream, response, [self = shared_from_this()](error_code ec, std::size_t) {
        self->timer.cancel();
        if (!ec && self->linger_after_write) return self->linger();
        if (ec || !self->keep_alive) return self->close();
        self->read_request();
      });
    }

    // Closing with unread request bytes makes the kernel send RST, which can destroy the
    // refusal before the client reads it. So: stop sending, drop what still arrives for
    // a moment (bounded by kLinger), then close.
    void linger() {
      error_code ignored;
      stream->next_layer().shutdown(tcp::socket::shutdown_send, ignored);
      arm(kLinger);
      drain();
    }

    void drain() {
      stream->next_layer().async_read_some(asio::buffer(drained), [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec || self->closed) return self->close();
        self->drain();
      });
    }

    void close() {
      if (closed) return;
      closed = true;
      error_code ignored;
      timer.cancel();
      stream->next_layer().shutdown(tcp::socket::shutdown_both, ignored);
      stream->next_layer().close(ignored);
      if (auto srv = owner()) srv->connections.erase(id);
    }
  };

  Impl(asio::io_context& context, ServerOptions opts, ServerHandler h, std::shared_ptr<tls::Context> tls_context)
      : io(context),
        options(std::move(opts)),
        handler(std::move(h)),
        tls(std::move(tls_context)),
        acceptor(context),
        accept_timer(context) {}
  ~Impl() { release_reserve(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  asio::io_context& io;
  ServerOptions options;
  ServerHandler handler;
  std::shared_ptr<tls::Context> tls;
  tcp::acceptor acceptor;
  asio::steady_timer accept_timer;  // the pause after an accept that ran out of descriptors
  bool paused = false;
  std::size_t pauses_in_streak = 0;
  std::vector<int> reserve;  // descriptors on /dev/null, given back while accepting pauses
  std::uint16_t port = 0;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 0;
  bool stopped = false;
  ServerStats stats;

  void accept() {
    acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket socket) {
      if (self->stopped || ec == asio::error::operation_aborted) return;
      if (ec) {
        if (out_of_resources(ec)) return self->pause_accepting(ec);
        // accept(2): errors already pending on the new connection (reset, protocol) are
        // that connection's; the next one is taken at once.
        log::debug(kLog, "accept: ", ec.message());
        return self->accept();
      }
      if (self->paused) {
        self->paused = false;
        log::info(kLog, "accepting again after ", self->pauses_in_streak, " pause(s)");
      }
      self->admit(std::move(socket));
      self->accept();
    });
  }

  // Out of descriptors (or kernel memory): accept fails at once for as long as that lasts,
  // so retrying at once spins a core. Wait instead; the connections waiting meanwhile stay in
  // the listen backlog and are taken when a descriptor frees up. (Accepting them only to close
  // them would refuse them; the connection cap already sheds load.) While paused, the reserve
  // descriptors are given back, so the process still has a few for its own needs (SQLite's
  // rollback journal at a commit, a log file); they are taken again before the next try.
  void pause_accepting(error_code why) {
    ++stats.accept_pauses;
    if (!paused) {
      paused = true;
      pauses_in_streak = 0;
      log::warn(kLog, "accept: ", why.message(), "; pausing ", options.accept_backoff.count(),
                " ms at a time until it succeeds");
    }
    ++pauses_in_streak;
    release_reserve();
    accept_timer.expires_after(options.accept_backoff);
    accept_timer.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->stopped) return;
      self->take_reserve();
      self->accept();
    });
  }

  void take_reserve() {
    while (reserve.size() < kReserveDescriptors) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return;  // still out: the accept that follows pauses again
      reserve.push_back(fd);
    }
  }

  void release_reserve() {
    for (const int fd : reserve) ::close(fd);
    reserve.clear();
  }

  static bool out_of_resources(error_code ec) {
    return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
           ec == error_code(ENFILE, boost::system::system_category());
  }

  void admit(tcp::socket socket) {
    error_code ignored;
    if (connections.size() >= options.max_connections) {
      // Over the cap: closed before the handshake, so it costs neither TLS nor a timer.
      if (stats.connections_refused++ == 0) {
        log::warn(kLog, "connection cap (", options.max_connections, ") reached: closing new connections");
      }
      socket.close(ignored);
      return;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    auto stream = tls::Stream::make(std::move(socket), tls);
    if (!stream) {
      log::warn(kLog, stream.error().describe());
      return;
    }
    ++stats.connections_accepted;
    auto id = ++next_id;
    auto connection = std::make_shared<Connection>(weak_from_this(), id, std::move(*stream), io);
    connections.emplace(id, connection);
    stats.peak_connections = std::max(stats.peak_connections, connections.size());
    connection->start();
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    error_code ignored;
    accept_timer.cancel();
    release_reserve();
    acceptor.close(ignored);
    auto all = connections;
    for (auto& [id, c] : all) c->close();
    connections.clear();
  }
};

Server::Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(asio::io_context& io, ServerOptions options, ServerHandler handler) {
  if (!handler) return make_error(Errc::invalid_argument, "HTTP server needs a handler");
  auto context = tls::Context::make_server(options.tls);
  if (!context) return std::move(context).error();
  const auto port = options.port;
  auto impl = std::make_shared<Impl>(io, std::move(options), std::move(handler), std::move(*context));
  error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(Errc::io_error, "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  const auto local = impl->acceptor.local_endpoint(ec);
  if (ec) return make_error(Errc::io_error, "cannot read the listening port: " + ec.message());
  impl->port = local.port();
  impl->take_reserve();
  impl->accept();
  log::info(kLog, "listening on 127.0.0.1:", impl->port);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const noexcept { return impl_->port; }
ServerStats Server::stats() const {
  ServerStats s = impl_->stats;
  s.connections_open = impl_->connections.size();
  return s;
}
void Server::stop() { impl_->stop(); }

}  // namespace tender::net::http
