// Internal to net/http: reading one HTTP message with Beast's parser, fed by our own loop
// instead of http::async_read. Beast's parser throws on some hostile input (basic_fields
// keeps a field's length in 16 bits and throws std::length_error beyond it); inside
// http::async_read that exception would leave through io_context::run and abort the
// process. Here every parser call sits in a try block, so any such input ends as an
// error code given to the handler, exactly once.
//
// Templates over the stream so that the fuzz target (tests/fuzz/http_message_fuzz.cpp)
// runs this very code on an in-memory stream; compiled once for tls::Stream in
// beast_read.cpp.
#pragma once

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>

#include "common/result.hpp"
#include "net/tls/stream.hpp"

namespace tender::net::http::detail {

using boost::system::error_code;

// Far above any header a payment host or our clients send, and below the 64 KiB at
// which Beast can no longer store one field (so the parser's own limit fires first).
inline constexpr std::size_t kDefaultHeaderLimit = 32 * 1024;
// What one read asks the stream for (Beast's own choice in http::async_read).
inline constexpr std::size_t kReadChunk = 64 * 1024;

template <bool IsRequest>
using Parser = boost::beast::http::parser<IsRequest, boost::beast::http::string_body>;

struct Limits {
  std::size_t header;  // start line + fields
  std::size_t total;   // header + body
};

// Applies `limits` to a fresh parser and its connection buffer: header_limit and
// body_limit on the parser, and a maximum on the buffer, which only ever holds an
// unfinished header plus one read (the parser takes the body out as it goes).
template <bool IsRequest>
void apply_limits(Parser<IsRequest>& parser, boost::beast::flat_buffer& buffer, const Limits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.header, UINT32_MAX)));
  parser.body_limit(limits.total);
  buffer.max_size(std::max(buffer.size(), limits.header + kReadChunk));
}

enum class ReadPart { header, message };
using ReadHandler = std::function<void(error_code)>;

// What a failed response read means to the client (transport.hpp): header_limit,
// buffer_overflow and body_limit are Errc::out_of_range; other Beast parse errors
// Errc::malformed; a message cut short or any stream error Errc::io_error.
Error read_error(error_code ec, const Limits& limits);

template <class Stream, bool IsRequest>
class ReadOp : public std::enable_shared_from_this<ReadOp<Stream, IsRequest>> {
 public:
  ReadOp(Stream& stream, boost::beast::flat_buffer& buffer, Parser<IsRequest>& parser, ReadPart part,
         ReadHandler handler)
      : stream_(stream), buffer_(buffer), parser_(parser), part_(part), handler_(std::move(handler)) {}

  void start() {
    parser_.eager(part_ == ReadPart::message);
    step();
    initiating_ = false;
  }

 private:
  [[nodiscard]] bool finished() const {
    return part_ == ReadPart::header ? parser_.is_header_done() : parser_.is_done();
  }

  // Feeds the parser what the buffer holds, then reads more or completes.
  void step() {
    namespace bhttp = boost::beast::http;
    for (;;) {
      if (finished()) return complete({});
      if (buffer_.size() == 0) return read_more();
      error_code ec;
      std::size_t used = 0;
      try {
        used = parser_.put(buffer_.data(), ec);
      } catch (const std::length_error&) {
        return complete(bhttp::error::header_limit);
      } catch (const std::logic_error&) {  // std::bad_alloc is not input: not caught
        return complete(bhttp::error::bad_value);
      }
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) return read_more();
      if (ec) return complete(ec);
      if (used == 0 && !finished()) return read_more();  // never spin on a parser that takes nothing
    }
  }

  void read_more() {
    // The buffer's maximum bounds an unfinished header: once it is full, the header is
    // too large whatever the parser's own limit says.
    const std::size_t room = buffer_.max_size() - buffer_.size();
    const std::size_t size = std::min(kReadChunk, room);
    if (size == 0) return complete(boost::beast::http::error::buffer_overflow);
    auto space = buffer_.prepare(size);  // size <= room: cannot throw
    stream_.async_read_some(space, [self = this->shared_from_this()](error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec == boost::asio::error::eof) {
      // Everything that arrived before the end has been fed to the parser already.
      if (!parser_.got_some()) return complete(boost::beast::http::error::end_of_stream);
      // A message without a length ends with the connection; anything else is cut short.
      error_code eof;
      try {
        parser_.put_eof(eof);
      } catch (const std::logic_error&) {
        return complete(boost::beast::http::error::bad_value);
      }
      if (eof) return complete(eof);
      return complete(finished() ? error_code{} : error_code(boost::beast::http::error::partial_message));
    }
    if (ec) return complete(ec);
    step();
  }

  void complete(error_code ec) {
    if (done_) return;
    done_ = true;
    auto handler = std::move(handler_);
    if (initiating_) {  // never complete inside the initiating call: the caller may not expect it
      boost::asio::post(stream_.get_executor(), [handler = std::move(handler), ec] { handler(ec); });
      return;
    }
    handler(ec);
  }

  Stream& stream_;
  boost::beast::flat_buffer& buffer_;
  Parser<IsRequest>& parser_;
  ReadPart part_;
  ReadHandler handler_;
  bool initiating_ = true;
  bool done_ = false;
};

// Reads the header (ReadPart::header) or the rest of the message into `parser`. The
// handler gets: {} when done; a Beast http error for bad HTTP, including header_limit,
// body_limit and buffer_overflow; http::error::end_of_stream when the peer closed before
// sending anything; a stream error otherwise. An exception from the parser becomes
// header_limit (std::length_error: a field too large to store) or bad_value (any other
// std::logic_error). `stream`, `buffer` and `parser` must outlive the operation.
template <class Stream, bool IsRequest>
void async_read_part(Stream& stream, boost::beast::flat_buffer& buffer, Parser<IsRequest>& parser, ReadPart part,
                     ReadHandler handler) {
  std::make_shared<ReadOp<Stream, IsRequest>>(stream, buffer, parser, part, std::move(handler))->start();
}

// One whole message under `limits` (applied here to the fresh `parser`): the header
// first, so that a declared Content-Length above limits.total is refused (body_limit)
// before any of the body is read, then the rest.
template <class Stream, bool IsRequest>
void async_read_message(Stream& stream, boost::beast::flat_buffer& buffer, Parser<IsRequest>& parser,
                        const Limits& limits, ReadHandler handler) {
  apply_limits(parser, buffer, limits);
  async_read_part(stream, buffer, parser, ReadPart::header,
                  [&stream, &buffer, &parser, total = limits.total, handler = std::move(handler)](error_code ec) mutable {
                    if (ec) return handler(ec);
                    const auto declared = parser.content_length();
                    if (declared && *declared > total) return handler(boost::beast::http::error::body_limit);
                    async_read_part(stream, buffer, parser, ReadPart::message,
                                    [&parser, total, handler = std::move(handler)](error_code read_ec) {
                                      // Beast 1.74 can miss a length above body_limit when the
                                      // header and the body arrive in one read: checked again.
                                      if (!read_ec && parser.get().body().size() > total)
                                        return handler(boost::beast::http::error::body_limit);
                                      handler(read_ec);
                                    });
                  });
}

extern template void async_read_message<tls::Stream, true>(tls::Stream&, boost::beast::flat_buffer&, Parser<true>&,
                                                           const Limits&, ReadHandler);
extern template void async_read_message<tls::Stream, false>(tls::Stream&, boost::beast::flat_buffer&,
                                                            Parser<false>&, const Limits&, ReadHandler);

}  // namespace tender::net::http::detail
