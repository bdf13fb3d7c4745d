// Fuzz target: net/http's message reader (net/http/beast_read.hpp), the very code the
// HTTPS client runs on a host's answer and the server on a request, on an in-memory
// stream that hands the bytes over in reads of a size the input chooses.
//
// Input: [0] mode
//          bit 0     a request (the server's side) instead of a response (the client's)
//          bits 3-1  bytes per read: 0 all at once, else 1, 2, 3, 7, 16, 64, 4096
//          bit 4     small limits (header 256, total 1024) instead of the defaults
//          bit 5     then a second message from what is left (keep-alive, pipelining)
//        then the bytes on the wire, then the end of the stream.
// Checked beyond "no crash, no leak, no UB": the handler runs exactly once per read; a
// message read whole keeps its body within the limit; what was read converts to
// http::Request/Response and back to Beast without throwing; a failure maps to one of
// the client's transport errors (malformed, out_of_range, io_error).
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "net/http/beast_message.hpp"
#include "net/http/beast_read.hpp"

namespace {

namespace asio = boost::asio;
namespace detail = tender::net::http::detail;
using boost::system::error_code;

// An AsyncReadStream over a byte string: each read gets at most `chunk` bytes, then eof.
class MemoryStream {
 public:
  using executor_type = asio::io_context::executor_type;
  MemoryStream(asio::io_context& io, std::string_view bytes, std::size_t chunk)
      : io_(io), bytes_(bytes), chunk_(chunk) {}
  executor_type get_executor() { return io_.get_executor(); }

  template <class Handler>
  void async_read_some(asio::mutable_buffer buffer, Handler&& handler) {
    const std::size_t n = std::min({buffer.size(), chunk_, bytes_.size() - at_});
    std::memcpy(buffer.data(), bytes_.data() + at_, n);
    at_ += n;
    const error_code ec = n == 0 && buffer.size() > 0 ? error_code(asio::error::eof) : error_code{};
    asio::post(io_, [handler = std::forward<Handler>(handler), ec, n]() mutable { handler(ec, n); });
  }

 private:
  asio::io_context& io_;
  std::string_view bytes_;
  std::size_t chunk_;
  std::size_t at_ = 0;
};

template <bool IsRequest>
void read_messages(std::string_view wire, std::size_t chunk, const detail::Limits& limits, int messages) {
  asio::io_context io;
  MemoryStream stream(io, wire, chunk);
  boost::beast::flat_buffer buffer;
  for (int m = 0; m < messages; ++m) {
    detail::Parser<IsRequest> parser;
    int calls = 0;
    error_code result;
    detail::async_read_message(stream, buffer, parser, limits, [&](error_code ec) {
      ++calls;
      result = ec;
    });
    io.restart();
    io.run();
    if (calls != 1) std::abort();
    if (result) {
      const auto code = detail::read_error(result, limits).code;
      if (code != tender::Errc::malformed && code != tender::Errc::out_of_range && code != tender::Errc::io_error)
        std::abort();
      return;
    }
    auto message = parser.release();
    if (message.body().size() > limits.total) std::abort();
    if constexpr (IsRequest) {
      if (auto request = detail::from_beast(message)) (void)detail::to_beast(*request);
    } else {
      (void)detail::to_beast(detail::from_beast(message));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::size_t kChunks[] = {std::numeric_limits<std::size_t>::max(), 1, 2, 3, 7, 16, 64, 4096};
  const std::uint8_t mode = data[0];
  const std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t chunk = kChunks[(mode >> 1) & 7];
  const detail::Limits limits = (mode & 0x10) != 0 ? detail::Limits{256, 1024}
                                                   : detail::Limits{detail::kDefaultHeaderLimit, 1024 * 1024};
  const int messages = (mode & 0x20) != 0 ? 2 : 1;
  if ((mode & 1) != 0) {
    read_messages<true>(wire, chunk, limits, messages);
  } else {
    read_messages<false>(wire, chunk, limits, messages);
  }
  return 0;
}
