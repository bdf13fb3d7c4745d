// Loopback peers that speak TLS correctly and HTTP badly, for the hostile-input suites:
// a server that answers any request with scripted raw bytes (in chunks, with pauses, so
// a header can be split anywhere), and a client that sends scripted raw bytes to a
// server and collects whatever comes back. Both run on the test's io_context; every
// wait is bounded by the caller's run_until.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/tls/stream.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::net::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// What the raw server sends once it has read a request header: `chunks` one after the
// other, each its own TLS record, `gap` apart; then it closes or stays silent.
struct RawAnswer {
  std::vector<std::string> chunks;
  std::chrono::milliseconds gap{0};
  bool close_after = true;
};

// Splits `text` into pieces of the given sizes, cycling through them.
inline std::vector<std::string> split_every(const std::string& text, const std::vector<std::size_t>& sizes) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t i = 0; at < text.size(); ++i) {
    const std::size_t n = std::min(sizes[i % sizes.size()], text.size() - at);
    out.push_back(text.substr(at, n));
    at += n;
  }
  return out;
}

// `text` with bytes outside printable ASCII as \xNN, for failure messages.
inline std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

// Both peers keep their state in a shared_ptr that every pending operation holds, so an
// operation that completes after the peer object is gone (aborted) touches nothing freed.
class RawTlsServer {
 public:
  RawTlsServer(asio::io_context& io, RawAnswer answer) : state_(std::make_shared<State>(io, std::move(answer))) {
    const auto& pki = tls::test_pki::loopback_pki();
    state_->context = *tls::Context::make_server({pki.server.cert_pem, SecretString(pki.server.key_pem.reveal())});
    accept(state_);
  }
  ~RawTlsServer() {
    error_code ignored;
    state_->stopped = true;
    state_->acceptor.close(ignored);
    for (auto& c : state_->connections) {
      c->timer.cancel();
      c->stream->next_layer().close(ignored);
    }
  }
  RawTlsServer(const RawTlsServer&) = delete;
  RawTlsServer& operator=(const RawTlsServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return state_->acceptor.local_endpoint().port(); }
  [[nodiscard]] std::size_t requests_read() const { return state_->requests_read; }

 private:
  struct Connection {
    explicit Connection(asio::io_context& io) : timer(io) {}
    std::unique_ptr<tls::Stream> stream;
    asio::steady_timer timer;
    std::string received;
    std::array<char, 4096> chunk{};
    std::size_t next = 0;
  };
  struct State {
    State(asio::io_context& io_context, RawAnswer a)
        : io(io_context), acceptor(io_context, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)), answer(std::move(a)) {}
    asio::io_context& io;
    tcp::acceptor acceptor;
    RawAnswer answer;
    std::shared_ptr<tls::Context> context;
    std::vector<std::shared_ptr<Connection>> connections;
    std::size_t requests_read = 0;
    bool stopped = false;
  };
  using StatePtr = std::shared_ptr<State>;
  using ConnectionPtr = std::shared_ptr<Connection>;

  static void accept(const StatePtr& s) {
    s->acceptor.async_accept([s](error_code ec, tcp::socket socket) {
      if (ec || s->stopped) return;
      auto c = std::make_shared<Connection>(s->io);
      c->stream = std::move(*tls::Stream::make(std::move(socket), s->context));
      s->connections.push_back(c);
      c->stream->async_handshake([s, c](error_code hs, std::size_t) {
        if (!hs && !s->stopped) read(s, c);
      });
      accept(s);
    });
  }

  static void read(const StatePtr& s, const ConnectionPtr& c) {
    c->stream->async_read_some(asio::buffer(c->chunk), [s, c](error_code ec, std::size_t n) {
      if (ec || s->stopped) return;
      c->received.append(c->chunk.data(), n);
      if (c->received.find("\r\n\r\n") == std::string::npos) return read(s, c);
      ++s->requests_read;
      write(s, c);
    });
  }

  static void write(const StatePtr& s, const ConnectionPtr& c) {
    if (s->stopped) return;
    if (c->next == s->answer.chunks.size()) {
      error_code ignored;
      if (s->answer.close_after) c->stream->next_layer().close(ignored);
      return;
    }
    const std::string& piece = s->answer.chunks[c->next++];
    asio::async_write(*c->stream, asio::buffer(piece), [s, c](error_code ec, std::size_t) {
      if (ec) return;
      if (s->answer.gap.count() == 0) return write(s, c);
      c->timer.expires_after(s->answer.gap);
      c->timer.async_wait([s, c](error_code waited) {
        if (!waited) write(s, c);
      });
    });
  }

  StatePtr state_;
};

// A TLS client that sends `chunks` to 127.0.0.1:port and reads until the server closes
// (or the test stops waiting); done() says when it has.
class RawTlsClient {
 public:
  RawTlsClient(asio::io_context& io, std::uint16_t port, std::vector<std::string> chunks)
      : state_(std::make_shared<State>()) {
    state_->chunks = std::move(chunks);
    const auto& pki = tls::test_pki::loopback_pki();
    auto context = *tls::Context::make_client({pki.ca.cert_pem, {}, {}});
    tcp::socket socket(io);
    error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port), ec);
    if (ec) {
      state_->done = true;
      return;
    }
    state_->stream = std::move(*tls::Stream::make(std::move(socket), context, "localhost"));
    state_->stream->async_handshake([s = state_](error_code hs, std::size_t) {
      if (hs) {
        s->done = true;
        return;
      }
      write(s);
    });
  }
  ~RawTlsClient() {
    error_code ignored;
    if (state_->stream) state_->stream->next_layer().close(ignored);
  }
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  [[nodiscard]] bool done() const { return state_->done; }
  [[nodiscard]] const std::string& received() const { return state_->received; }

 private:
  struct State {
    std::unique_ptr<tls::Stream> stream;
    std::vector<std::string> chunks;
    std::size_t next = 0;
    std::array<char, 4096> chunk{};
    std::string received;
    bool done = false;
  };
  using StatePtr = std::shared_ptr<State>;

  static void write(const StatePtr& s) {
    if (s->next == s->chunks.size()) return read(s);
    asio::async_write(*s->stream, asio::buffer(s->chunks[s->next++]), [s](error_code ec, std::size_t) {
      if (ec) return read(s);  // the server may close before taking it all; see what it said
      write(s);
    });
  }
  static void read(const StatePtr& s) {
    s->stream->async_read_some(asio::buffer(s->chunk), [s](error_code ec, std::size_t n) {
      s->received.append(s->chunk.data(), n);
      if (ec) {
        s->done = true;
        return;
      }
      read(s);
    });
  }

  StatePtr state_;
};

}  // namespace tender::net::testing
