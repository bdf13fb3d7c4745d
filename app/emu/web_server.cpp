#include "app/emu/web_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "app/emu/web_assets.hpp"
#include "common/log.hpp"
#include "net/http/beast_read.hpp"

namespace tender::app::emu {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::string_view kLog = "emu.web";
constexpr std::chrono::seconds kReadTimeout{30};   // waiting for (and reading) a request
constexpr std::chrono::seconds kWriteTimeout{10};  // one response, or one event to a page
constexpr std::size_t kMaxConnections = 32;        // a few pages and their fetches
constexpr net::http::detail::Limits kLimits{4 * 1024, 8 * 1024};

// The page may load only what this server serves: no CDN, no inline script.
constexpr std::string_view kSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The Host a page on this server sends: a loopback name, with or without the port. Anything
// else is a page elsewhere reaching loopback through a rebound DNS name.
// Beast 1.74's string_view is Boost's, not std's.
std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool loopback_host(std::string_view host) {
  std::string_view name = host;
  const auto bracket = host.rfind(']');
  const auto colon = host.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
    name = host.substr(0, colon);
  }
  return name == "127.0.0.1" || name == "localhost" || name == "[::1]";
}

}  // namespace

struct WebServer::Impl : std::enable_shared_from_this<Impl> {
  struct Connection : std::enable_shared_from_this<Connection> {
    Connection(std::weak_ptr<Impl> owner, std::uint64_t connection_id, tcp::socket s)
        : server(std::move(owner)), id(connection_id), socket(std::move(s)), timer(socket.get_executor()) {}

    std::weak_ptr<Impl> server;
    std::uint64_t id;
    tcp::socket socket;
    asio::steady_timer timer;
    boost::beast::flat_buffer buffer;
    std::optional<net::http::detail::Parser<true>> parser;
    bhttp::response<bhttp::string_body> response;
    bool keep_alive = true;
    bool closed = false;
    // A page's event stream: the event being written, and whether a newer state is waiting.
    bool streaming = false;
    bool writing = false;
    bool stale = false;
    std::string event;
    std::array<char, 512> drained{};

    // The deadline of what the connection does next; when it passes, the connection closes.
    void arm(std::chrono::steady_clock::duration after) {
      timer.expires_after(after);
      timer.async_wait([weak = weak_from_this()](error_code ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->close();
      });
    }

    void read_request() {
      if (closed) return;
      parser.emplace();
      arm(kReadTimeout);
      net::http::detail::async_read_message(socket, buffer, *parser, kLimits,
                                            [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    void on_request(error_code ec) {
      timer.cancel();
      if (closed) return;
      if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return refuse(431);
      if (ec == bhttp::error::body_limit) return refuse(413);
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
          ec == asio::error::operation_aborted) {
        return close();
      }
      // Bad HTTP gets its 400; anything else (a deadline closed the socket) just closes.
      if (ec && ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category()) return refuse(400);
      if (ec) return close();
      auto srv = server.lock();
      if (!srv) return close();
      const auto& request = parser->get();
      keep_alive = request.keep_alive();
      if (!loopback_host(view(request[bhttp::field::host]))) return answer(403, "text/plain", "not a loopback host\n");
      const std::string_view target = view(request.target());
      if (request.method() == bhttp::verb::get && target == "/events") return start_events();
      if (request.method() == bhttp::verb::post && target == "/input") {
        if (!view(request[bhttp::field::content_type]).starts_with("application/json")) {
          return answer(415, "text/plain", "application/json only\n");
        }
        auto taken = srv->options.input(request.body());
        if (!taken) return answer(400, "text/plain", taken.error().message + "\n");
        return answer(204, "", "");
      }
      if (request.method() == bhttp::verb::get) {
        const std::string_view path = target == "/" ? std::string_view("/index.html") : target;
        for (const auto& asset : web_assets()) {
          if (asset.path == path) return answer(200, asset.type, std::string(asset.body));
        }
        return answer(404, "text/plain", "not found\n");
      }
      return answer(405, "text/plain", "method not allowed\n");
    }

    void refuse(int status) {
      keep_alive = false;
      answer(status, "text/plain", "refused\n");
    }

    void answer(int status, std::string_view type, std::string body) {
      response = {};
      response.version(11);
      response.result(static_cast<unsigned>(status));
      if (!type.empty()) response.set(bhttp::field::content_type, boost::beast::string_view(type.data(), type.size()));
      response.set(bhttp::field::cache_control, "no-store");
      response.set("Content-Security-Policy", boost::beast::string_view(kSecurityPolicy.data(), kSecurityPolicy.size()));
      response.set("X-Content-Type-Options", "nosniff");
      response.set("Referrer-Policy", "no-referrer");
      response.body() = std::move(body);
      response.keep_alive(keep_alive);
      response.prepare_payload();
      arm(kWriteTimeout);
      bhttp::async_write(socket, response, [self = shared_from_this()](error_code ec, std::size_t) {
        self->timer.cancel();
        if (ec || !self->keep_alive) return self->close();
        self->read_request();
      });
    }

    // GET /events: the header, then one event per state; the connection is the page's until
    // it goes (a read sees its end).
    void start_events() {
      streaming = true;
      writing = true;
      event =
          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
          "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
          "retry: 1000\n\n";
      arm(kWriteTimeout);
      asio::async_write(socket, asio::buffer(event), [self = shared_from_this()](error_code ec, std::size_t) {
        self->on_event_written(ec);
      });
      stale = true;  // the current state follows the header
      watch_for_end();
    }

    void watch_for_end() {
      socket.async_read_some(asio::buffer(drained), [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec) return self->close();
        self->watch_for_end();  // a page sends nothing on this connection: dropped
      });
    }

    void send(const std::string& state) {
      if (closed || !streaming) return;
      if (writing) {
        stale = true;
        return;
      }
      writing = true;
      stale = false;
      event = "data: " + state + "\n\n";  // JSON without newlines (dump()): one data line
      arm(kWriteTimeout);
      asio::async_write(socket, asio::buffer(event), [self = shared_from_this()](error_code ec, std::size_t) {
        self->on_event_written(ec);
      });
    }

    void on_event_written(error_code ec) {
      timer.cancel();
      writing = false;
      if (ec) return close();
      if (stale) {
        if (auto srv = server.lock()) send(srv->options.state());
      }
    }

    void close() {
      if (closed) return;
      closed = true;
      error_code ignored;
      timer.cancel();
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      if (auto srv = server.lock()) srv->connections.erase(id);
    }
  };

  explicit Impl(WebServerOptions opts) : options(std::move(opts)), acceptor(io) {}

  WebServerOptions options;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::uint16_t port = 0;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 0;
  bool stopped = false;
  std::atomic<bool> publishing{false};
  std::thread thread;

  void accept() {
    acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket socket) {
      if (self->stopped || ec == asio::error::operation_aborted) return;
      if (!ec) {
        if (self->connections.size() >= kMaxConnections) {
          error_code ignored;
          socket.close(ignored);
        } else {
          auto id = ++self->next_id;
          auto connection = std::make_shared<Connection>(self, id, std::move(socket));
          self->connections.emplace(id, connection);
          connection->read_request();
        }
      }
      self->accept();
    });
  }

  void broadcast() {
    publishing = false;
    if (stopped) return;
    const std::string state = options.state();
    auto all = connections;  // a failed write closes (erases) its connection
    for (auto& [id, c] : all) c->send(state);
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    error_code ignored;
    acceptor.close(ignored);
    auto all = connections;
    for (auto& [id, c] : all) c->close();
    connections.clear();
  }
};

WebServer::WebServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebServer::~WebServer() {
  // Closing everything ends every pending operation, so run() returns once they have.
  asio::post(impl_->io, [impl = impl_] { impl->stop(); });
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<WebServer>> WebServer::start(WebServerOptions options) {
  if (!options.state || !options.input) return make_error(Errc::invalid_argument, "the web server needs state and input");
  auto impl = std::make_shared<Impl>(std::move(options));
  error_code ec;
  const auto address = asio::ip::make_address(impl->options.address, ec);
  if (ec || !address.is_loopback()) {
    return make_error(Errc::invalid_argument, "not a loopback address: " + impl->options.address);
  }
  const tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(Errc::io_error, "cannot listen on " + impl->options.address + ":" +
                                          std::to_string(impl->options.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint(ec).port();
  if (ec) return make_error(Errc::io_error, "cannot read the listening port: " + ec.message());
  impl->accept();
  impl->thread = std::thread([raw = impl.get()] {
    try {
      raw->io.run();
    } catch (const std::exception& e) {
      // Never through here: no handler throws (the request reader catches the parser's).
      log::error(kLog, "the web server stopped: ", e.what());
    }
  });
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

std::uint16_t WebServer::port() const noexcept { return impl_->port; }

void WebServer::publish() {
  if (impl_->publishing.exchange(true)) return;  // a broadcast is on its way: it takes the newest state
  asio::post(impl_->io, [weak = std::weak_ptr<Impl>(impl_)] {
    if (auto impl = weak.lock()) impl->broadcast();
  });
}

}  // namespace tender::app::emu
