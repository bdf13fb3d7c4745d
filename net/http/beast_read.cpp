#include "net/http/beast_read.hpp"

#include <string>

namespace tender::net::http::detail {

namespace bhttp = boost::beast::http;

Error read_error(error_code ec, const Limits& limits) {
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
    return make_error(Errc::out_of_range, "HTTP header larger than " + std::to_string(limits.header) + " bytes");
  if (ec == bhttp::error::body_limit)
    return make_error(Errc::out_of_range, "HTTP message larger than " + std::to_string(limits.total) + " bytes");
  const bool http_error = ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
  if (http_error && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
    return make_error(Errc::malformed, "HTTP read: " + ec.message());
  return make_error(Errc::io_error, "HTTP read failed: " + ec.message());
}

template void async_read_message<tls::Stream, true>(tls::Stream&, boost::beast::flat_buffer&, Parser<true>&,
                                                    const Limits&, ReadHandler);
template void async_read_message<tls::Stream, false>(tls::Stream&, boost::beast::flat_buffer&, Parser<false>&,
                                                     const Limits&, ReadHandler);

}  // namespace tender::net::http::detail
