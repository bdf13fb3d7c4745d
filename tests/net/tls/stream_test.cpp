// The mbedTLS stream on both sides of a loopback connection, without HTTP.
#include "net/tls/stream.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <optional>

#include "net/tls/sim/test_pki.hpp"

namespace tender::net::tls {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Pair {
  asio::io_context io;
  std::unique_ptr<Stream> client;
  std::unique_ptr<Stream> server;
  std::optional<error_code> client_hs;
  std::optional<error_code> server_hs;
};

const test_pki::Issued& ca() {
  static const auto issued = *test_pki::make_ca("Stream CA");
  return issued;
}
const test_pki::Issued& leaf() {
  static const auto issued = *test_pki::make_server(ca(), "localhost", {"localhost"}, {"127.0.0.1"});
  return issued;
}

void run(asio::io_context& io, const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(10ms);
  }
}

// Connects a client and a server stream over loopback and runs both handshakes.
void connect(Pair& p, const std::shared_ptr<Context>& client_ctx, const std::shared_ptr<Context>& server_ctx,
             const std::string& name = "localhost") {
  tcp::acceptor acceptor(p.io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  tcp::socket a(p.io);
  tcp::socket b(p.io);
  a.connect(acceptor.local_endpoint());
  acceptor.accept(b);
  p.client = std::move(*Stream::make(std::move(a), client_ctx, name));
  p.server = std::move(*Stream::make(std::move(b), server_ctx));
  p.client->async_handshake([&](error_code ec, std::size_t) { p.client_hs = ec; });
  p.server->async_handshake([&](error_code ec, std::size_t) { p.server_hs = ec; });
  run(p.io, [&] { return p.client_hs && p.server_hs; });
}

std::shared_ptr<Context> client_context(std::vector<Sha256> pins = {}) {
  return *Context::make_client({ca().cert_pem, {}, std::move(pins)});
}
std::shared_ptr<Context> server_context() {
  return *Context::make_server({leaf().cert_pem, SecretString(leaf().key_pem.reveal())});
}

TEST(TlsStream, CarriesDataBothWaysAcrossManyRecords) {
  Pair p;
  connect(p, client_context(), server_context());
  ASSERT_TRUE(p.client_hs && !*p.client_hs) << p.client_hs->message();
  ASSERT_TRUE(p.server_hs && !*p.server_hs);
  std::string sent(100'000, '\0');
  for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>('a' + i % 26);
  std::string received(sent.size(), '\0');
  std::optional<error_code> wrote, read;
  asio::async_write(*p.client, asio::buffer(sent), [&](error_code ec, std::size_t) { wrote = ec; });
  asio::async_read(*p.server, asio::buffer(received), [&](error_code ec, std::size_t) { read = ec; });
  run(p.io, [&] { return wrote && read; });
  ASSERT_TRUE(wrote && read);
  EXPECT_FALSE(*wrote);
  EXPECT_FALSE(*read);
  EXPECT_EQ(received, sent);

  // close_notify from the server is end of stream for the client.
  std::optional<error_code> shut, eof;
  std::array<char, 16> buf{};
  p.server->async_shutdown([&](error_code ec, std::size_t) { shut = ec; });
  p.client->async_read_some(asio::buffer(buf), [&](error_code ec, std::size_t) { eof = ec; });
  run(p.io, [&] { return shut && eof; });
  ASSERT_TRUE(shut && eof);
  EXPECT_FALSE(*shut);
  EXPECT_EQ(*eof, asio::error::eof);
}

TEST(TlsStream, ClientResumesItsSessionOnTheNextConnection) {
  auto cctx = client_context();
  auto sctx = server_context();
  Pair first;
  connect(first, cctx, sctx);
  ASSERT_TRUE(first.client_hs && !*first.client_hs);
  EXPECT_FALSE(first.client->resumed());
  Pair second;
  connect(second, cctx, sctx);
  ASSERT_TRUE(second.client_hs && !*second.client_hs);
  EXPECT_TRUE(second.client->resumed());
}

TEST(TlsStream, WrongNameAndWrongPinFailTheHandshake) {
  Pair wrong_name;
  connect(wrong_name, client_context(), server_context(), "other.example");
  ASSERT_TRUE(wrong_name.client_hs);
  EXPECT_TRUE(*wrong_name.client_hs);
  EXPECT_NE(wrong_name.client->verify_failure().find("CN"), std::string::npos);

  Pair wrong_pin;
  connect(wrong_pin, client_context({Sha256{}}), server_context());
  ASSERT_TRUE(wrong_pin.client_hs);
  EXPECT_TRUE(*wrong_pin.client_hs);
  EXPECT_NE(wrong_pin.client->verify_failure().find("pin"), std::string::npos);

  Pair right_pin;
  connect(right_pin, client_context({*spki_sha256(leaf().cert_pem)}), server_context());
  ASSERT_TRUE(right_pin.client_hs);
  EXPECT_FALSE(*right_pin.client_hs);
}

TEST(TlsStream, PeerThatIsNotTlsFailsTheHandshake) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  tcp::socket a(io);
  tcp::socket b(io);
  a.connect(acceptor.local_endpoint());
  acceptor.accept(b);
  auto client = std::move(*Stream::make(std::move(a), client_context(), "localhost"));
  std::string junk = "HTTP/1.1 400 Bad Request\r\n\r\n";
  asio::write(b, asio::buffer(junk));
  std::optional<error_code> hs;
  client->async_handshake([&](error_code ec, std::size_t) { hs = ec; });
  run(io, [&] { return hs.has_value(); });
  ASSERT_TRUE(hs);
  EXPECT_TRUE(*hs);
}

}  // namespace
}  // namespace tender::net::tls
