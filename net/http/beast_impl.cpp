// The one translation unit that compiles Boost.Beast (BOOST_BEAST_SEPARATE_COMPILATION):
// the parts the terminal uses, core and HTTP/1.1, from the list in <boost/beast/src.hpp>.
// Not its test streams (a mock network in a product binary), WebSocket or zlib: nothing
// here uses them, and a static library keeps a translation unit whole, so every program
// linking net/http carried them. Whoever needs one adds its .ipp files here.
// As src.hpp does: BOOST_BEAST_SOURCE makes the .ipp files instantiate basic_parser.
#define BOOST_BEAST_SOURCE
#include <boost/beast/core/detail/config.hpp>
#if defined(BOOST_BEAST_HEADER_ONLY)
#error "Beast is compiled here: BOOST_BEAST_HEADER_ONLY must not be defined"
#endif

#include <boost/beast/core/detail/base64.ipp>
#include <boost/beast/core/detail/impl/temporary_buffer.ipp>
#include <boost/beast/core/impl/error.ipp>
#include <boost/beast/core/impl/file_posix.ipp>
#include <boost/beast/core/impl/file_stdio.ipp>
#include <boost/beast/core/impl/file_win32.ipp>
#include <boost/beast/core/impl/flat_static_buffer.ipp>
#include <boost/beast/core/impl/saved_handler.ipp>
#include <boost/beast/core/impl/static_buffer.ipp>
#include <boost/beast/core/impl/string.ipp>
#include <boost/beast/http/detail/basic_parser.ipp>
#include <boost/beast/http/detail/rfc7230.ipp>
#include <boost/beast/http/impl/basic_parser.ipp>
#include <boost/beast/http/impl/error.ipp>
#include <boost/beast/http/impl/field.ipp>
#include <boost/beast/http/impl/fields.ipp>
#include <boost/beast/http/impl/rfc7230.ipp>
#include <boost/beast/http/impl/status.ipp>
#include <boost/beast/http/impl/verb.ipp>
