// mbedTLS as an asynchronous stream over a TCP socket, usable by Boost.Beast (it models
// AsyncReadStream and AsyncWriteStream). mbedTLS works on two memory buffers ("memory
// BIO"): its receive callback drains `input` (filled by async_read_some on the socket) and
// returns WANT_READ when empty; its send callback appends to `output`, which each
// operation flushes with async_write before completing or reading again.
//
// One operation at a time: a handshake, then reads and writes that do not overlap (HTTP/1.1
// request/response never needs both at once). Deadlines belong to the owner, who closes
// the socket (`next_layer()`) when one passes; pending operations then fail.
// Internal to net/: the rest of the code sees http::Transport and http::Server.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <mbedtls/ssl.h>

#include "net/tls/context.hpp"

namespace tender::net::tls {

using boost::system::error_code;
using tcp = boost::asio::ip::tcp;

// The error category of mbedTLS return codes (value = -code).
const boost::system::error_category& mbedtls_category() noexcept;

class Stream {
 public:
  using executor_type = tcp::socket::executor_type;
  using next_layer_type = tcp::socket;

  // `server_name` (client only): SNI and the name the certificate must carry.
  static Result<std::unique_ptr<Stream>> make(tcp::socket socket, std::shared_ptr<Context> context,
                                              std::string server_name = {});
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  tcp::socket& next_layer() noexcept { return socket_; }
  // After a client handshake: whether the saved session for this host was resumed.
  [[nodiscard]] bool resumed() const noexcept { return resumed_; }
  // After a failed client handshake: why the peer's certificate was refused ("" if it was not).
  [[nodiscard]] std::string verify_failure() const;

  enum class Kind { handshake, read, write, close_notify };

  template <class Token>
  auto async_handshake(Token&& token) {
    return async_op(Kind::handshake, nullptr, 0, std::forward<Token>(token));
  }
  template <class Token>
  auto async_shutdown(Token&& token) {
    return async_op(Kind::close_notify, nullptr, 0, std::forward<Token>(token));
  }
  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    auto b = first_buffer<boost::asio::mutable_buffer>(buffers);
    return async_op(Kind::read, b.data(), b.size(), std::forward<Token>(token));
  }
  // Gathers up to one TLS record's worth of the sequence, so that a message written as
  // many small buffers (Beast's header fields) leaves as few records.
  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    auto b = first_buffer<boost::asio::const_buffer>(buffers);
    if (b.size() < kRecordSize && boost::asio::buffer_size(buffers) > b.size()) {
      write_gather_.resize(kRecordSize);
      const auto n = boost::asio::buffer_copy(boost::asio::buffer(write_gather_), buffers);
      return async_op(Kind::write, write_gather_.data(), n, std::forward<Token>(token));
    }
    return async_op(Kind::write, const_cast<void*>(b.data()), b.size(), std::forward<Token>(token));
  }

  // One step of mbedTLS: what it returned (bytes, 0, or an MBEDTLS_ERR_*). Used by the op.
  int step(Kind kind, void* data, std::size_t size);
  // Turns a final step result into the operation's outcome.
  std::pair<error_code, std::size_t> outcome(Kind kind, int result, std::size_t size);

 private:
  Stream(tcp::socket socket, std::shared_ptr<Context> context, std::string server_name);

  template <class Buffer, class Sequence>
  static Buffer first_buffer(const Sequence& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
         ++it) {
      Buffer b(*it);
      if (b.size() > 0) return b;
    }
    return Buffer{};
  }

  struct Op {
    Stream& s;
    Kind kind;
    void* data;
    std::size_t size;
    int state = 0;  // 0 start, 1 after write, 2 after read, 3 complete
    int result = 0;

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
      switch (state) {
        case 0:
          if (kind != Kind::handshake && kind != Kind::close_notify && size == 0) {
            state = 3;
            result = 0;
            return boost::asio::post(s.get_executor(), std::move(self));
          }
          break;
        case 1:
          s.output_.clear();
          if (ec) return self.complete(ec, 0);
          if (result == MBEDTLS_ERR_SSL_WANT_READ) return read(self);
          if (result == MBEDTLS_ERR_SSL_WANT_WRITE) break;
          return finish(self);
        case 2:
          if (ec) return self.complete(ec, 0);
          s.input_.insert(s.input_.end(), s.chunk_.begin(), s.chunk_.begin() + static_cast<std::ptrdiff_t>(n));
          break;
        default:
          return finish(self);
      }
      bool first = state == 0;
      result = s.step(kind, data, size);
      if (!s.output_.empty()) {
        state = 1;
        return boost::asio::async_write(s.socket_, boost::asio::buffer(s.output_), std::move(self));
      }
      if (result == MBEDTLS_ERR_SSL_WANT_READ) return read(self);
      if (first) {  // never complete inside the initiating function
        state = 3;
        return boost::asio::post(s.get_executor(), std::move(self));
      }
      finish(self);
    }

    template <class Self>
    void read(Self& self) {
      state = 2;
      s.socket_.async_read_some(boost::asio::buffer(s.chunk_), std::move(self));
    }
    template <class Self>
    void finish(Self& self) {
      auto [ec, n] = s.outcome(kind, result, size);
      self.complete(ec, n);
    }
  };

  template <class Token>
  auto async_op(Kind kind, void* data, std::size_t size, Token&& token) {
    return boost::asio::async_compose<Token, void(error_code, std::size_t)>(Op{*this, kind, data, size},
                                                                             token, socket_);
  }

  struct Ssl;
  static int bio_send(void* self, const unsigned char* buf, std::size_t len);
  static int bio_recv(void* self, unsigned char* buf, std::size_t len);

  tcp::socket socket_;
  std::shared_ptr<Context> context_;
  std::string server_name_;
  std::unique_ptr<Ssl> ssl_;
  std::vector<std::uint8_t> input_;
  std::size_t input_pos_ = 0;
  std::vector<std::uint8_t> output_;
  static constexpr std::size_t kRecordSize = 16 * 1024;
  std::array<std::uint8_t, kRecordSize> chunk_{};
  std::vector<std::uint8_t> write_gather_;
  bool resumed_ = false;
};

}  // namespace tender::net::tls
