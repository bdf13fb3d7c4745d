#include "net/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <deque>
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

constexpr std::string_view kLog = "net.http.client";

// Whether a kept-alive connection is still usable: the server has neither closed it nor
// sent anything (HTTP/1.1 servers send nothing unasked; a TLS close_notify means closing).
bool still_open(tls::Stream& stream) {
  auto& socket = stream.next_layer();
  if (!socket.is_open()) return false;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Impl> {
  struct Pending {
    Request request;
    std::chrono::milliseconds deadline;
    ResponseHandler handler;
  };

  struct Exchange {
    explicit Exchange(asio::io_context& io) : timer(io) {}
    ResponseHandler handler;
    asio::steady_timer timer;
    detail::BeastRequest request;
    std::optional<tcp::socket> socket;
    std::shared_ptr<tls::Stream> stream;
    boost::beast::flat_buffer buffer;
    std::optional<detail::Parser<false>> parser;
    bool timed_out = false;
    bool done = false;
  };

  Impl(asio::io_context& context, ClientOptions opts, std::shared_ptr<tls::Context> tls_context)
      : io(context), options(std::move(opts)), tls(std::move(tls_context)), resolver(context) {}

  asio::io_context& io;
  ClientOptions options;
  std::shared_ptr<tls::Context> tls;
  tcp::resolver resolver;
  std::shared_ptr<tls::Stream> idle;  // the kept-alive connection between exchanges
  std::shared_ptr<Exchange> current;
  std::deque<Pending> queue;
  bool busy = false;
  bool stopped = false;
  ClientStats stats;

  void pump() {
    if (busy || queue.empty()) return;
    Pending next = std::move(queue.front());
    queue.pop_front();
    if (stopped) {
      next.handler(make_error(Errc::cancelled, "HTTP client closed"));
      return pump();
    }
    busy = true;
    start(std::move(next));
  }

  void start(Pending p) {
    auto ex = std::make_shared<Exchange>(io);
    current = ex;
    ex->handler = std::move(p.handler);
    p.request.set_header("Host", options.port == 443 ? options.server_name
                                                     : options.server_name + ":" + std::to_string(options.port));
    if (!p.request.header("User-Agent")) p.request.set_header("User-Agent", options.user_agent);
    auto beast_request = detail::to_beast(p.request);
    if (!beast_request) return finish(ex, std::move(beast_request).error());  // nothing was sent
    ex->request = std::move(*beast_request);
    ex->request.keep_alive(true);
    ex->timer.expires_after(p.deadline);
    ex->timer.async_wait([self = shared_from_this(), ex](error_code ec) {
      if (ec || ex->done) return;
      ex->timed_out = true;
      self->abort(*ex);
    });
    if (idle && still_open(*idle)) {
      ex->stream = std::move(idle);
      idle.reset();
      return write(ex);
    }
    idle.reset();
    resolver.async_resolve(options.host, std::to_string(options.port),
                           [self = shared_from_this(), ex](error_code ec, tcp::resolver::results_type results) {
                             if (ec || ex->done) return self->fail(ex, ec, "resolve");
                             self->connect(ex, results);
                           });
  }

  void abort(Exchange& ex) {
    error_code ignored;
    resolver.cancel();
    if (ex.socket) ex.socket->close(ignored);
    if (ex.stream) ex.stream->next_layer().close(ignored);
  }

  void connect(const std::shared_ptr<Exchange>& ex, const tcp::resolver::results_type& results) {
    ex->socket.emplace(io);
    asio::async_connect(*ex->socket, results, [self = shared_from_this(), ex](error_code ec, const tcp::endpoint&) {
      if (ec || ex->done) return self->fail(ex, ec, "connect");
      error_code ignored;
      ex->socket->set_option(tcp::no_delay(true), ignored);
      auto stream = tls::Stream::make(std::move(*ex->socket), self->tls, self->options.server_name);
      ex->socket.reset();
      if (!stream) return self->finish(ex, std::move(stream).error());
      ex->stream = std::move(*stream);
      ++self->stats.connections_opened;
      self->handshake(ex);
    });
  }

  void handshake(const std::shared_ptr<Exchange>& ex) {
    ex->stream->async_handshake([self = shared_from_this(), ex](error_code ec, std::size_t) {
      if (ec || ex->done) {
        auto why = ex->stream->verify_failure();
        return self->fail(ex, ec, why.empty() ? std::string("TLS handshake") : "TLS handshake (" + why + ")");
      }
      if (ex->stream->resumed()) ++self->stats.sessions_resumed;
      log::debug(kLog, "connected to ", self->options.server_name, ex->stream->resumed() ? " (resumed)" : "");
      self->write(ex);
    });
  }

  void write(const std::shared_ptr<Exchange>& ex) {
    ++stats.requests_sent;
    bhttp::async_write(*ex->stream, ex->request, [self = shared_from_this(), ex](error_code ec, std::size_t) {
      if (ec || ex->done) return self->fail(ex, ec, "write");
      self->read(ex);
    });
  }

  void read(const std::shared_ptr<Exchange>& ex) {
    ex->parser.emplace();
    detail::async_read_message(*ex->stream, ex->buffer, *ex->parser, limits(),
                               [self = shared_from_this(), ex](error_code ec) {
                                 if (ec || ex->done) return self->fail(ex, ec, "read");
                                 auto message = ex->parser->release();
                                 if (message.keep_alive() && ex->buffer.size() == 0 && !self->stopped)
                                   self->idle = ex->stream;
                                 self->finish(ex, detail::from_beast(message));
                               });
  }

  [[nodiscard]] detail::Limits limits() const {
    return {std::min(options.max_header_bytes, options.max_response_bytes), options.max_response_bytes};
  }

  void fail(const std::shared_ptr<Exchange>& ex, error_code ec, const std::string& stage) {
    if (ex->done) return;
    std::string what = std::string(stage);
    if (ex->timed_out) return finish(ex, make_error(Errc::timeout, "HTTP deadline passed during " + what));
    if (stopped) return finish(ex, make_error(Errc::cancelled, "HTTP client closed during " + what));
    // After the request was written: whatever the answer's fault, a typed transport error.
    if (stage == "read") return finish(ex, detail::read_error(ec, limits()));
    return finish(ex, make_error(Errc::io_error, "HTTP " + what + " failed: " + ec.message()));
  }

  void finish(const std::shared_ptr<Exchange>& ex, Result<Response> result) {
    if (ex->done) return;
    ex->done = true;
    ex->timer.cancel();
    if (!result) {
      log::warn(kLog, options.server_name, ": ", result.error().describe());
      error_code ignored;
      if (ex->stream) ex->stream->next_layer().close(ignored);
    }
    if (current == ex) current.reset();
    busy = false;
    auto handler = std::move(ex->handler);
    handler(std::move(result));
    pump();
  }
};

Client::Client(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() {
  impl_->stopped = true;
  close();
}

Result<std::unique_ptr<Client>> Client::create(asio::io_context& io, ClientOptions options) {
  if (options.host.empty()) return make_error(Errc::invalid_argument, "HTTP client needs a host");
  if (options.server_name.empty()) options.server_name = options.host;
  if (options.max_response_bytes == 0) return make_error(Errc::invalid_argument, "response limit must be positive");
  if (options.max_header_bytes == 0) return make_error(Errc::invalid_argument, "header limit must be positive");
  auto context = tls::Context::make_client(options.tls);
  if (!context) return std::move(context).error();
  auto impl = std::make_shared<Impl>(io, std::move(options), std::move(*context));
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

void Client::async_send(Request request, std::chrono::milliseconds deadline, ResponseHandler handler) {
  impl_->queue.push_back({std::move(request), deadline, std::move(handler)});
  asio::post(impl_->io, [impl = impl_] { impl->pump(); });
}

ClientStats Client::stats() const { return impl_->stats; }

void Client::close() {
  error_code ignored;
  if (impl_->idle) impl_->idle->next_layer().close(ignored);
  impl_->idle.reset();
  if (impl_->stopped && impl_->current) impl_->abort(*impl_->current);
}

}  // namespace tender::net::http
