// The HTTPS client and server against peers that speak TLS correctly and HTTP badly:
// oversized headers and bodies, broken status lines, messages split at odd places. Each
// must end in a typed error delivered once (client) or a refused request (server), never
// an exception out of io_context::run (which aborts tender and tender-hostsim).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <functional>

#include "hostile_peer.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"
#include "peer.hpp"

namespace tender::net::http {
namespace {

using namespace std::chrono_literals;
using testing::RawAnswer;
using testing::RawTlsClient;
using testing::RawTlsServer;
using testing::split_every;

constexpr std::size_t kKiB = 1024;

std::string big_header(std::size_t size) { return "X-Big: " + std::string(size, 'a') + "\r\n"; }

std::string response_with(const std::string& extra_headers, const std::string& body = "ok") {
  return "HTTP/1.1 200 OK\r\n" + extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class HostilePeer : public ::testing::Test {
 protected:
  ClientOptions client_options(std::uint16_t port) {
    ClientOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.server_name = "localhost";
    options.tls.ca_pem = tls::test_pki::loopback_pki().ca.cert_pem;
    return options;  // max_response_bytes: the default 1 MiB
  }

  // One GET through a fresh client; checks the handler ran exactly once, also after the
  // peer and the client have had time to do anything more.
  Result<Response> exchange(RawAnswer answer, const std::function<void(ClientOptions&)>& tweak = {}) {
    RawTlsServer peer(io_, std::move(answer));
    auto options = client_options(peer.port());
    if (tweak) tweak(options);
    auto client = Client::create(io_, options);
    EXPECT_TRUE(client);
    if (!client) return std::move(client).error();
    int calls = 0;
    std::optional<Result<Response>> result;
    Request request;
    request.target = "/api/transaction";
    (*client)->async_send(request, 10s, [&](Result<Response> r) {
      ++calls;
      result.emplace(std::move(r));
    });
    EXPECT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    testing::run_until(io_, [] { return false; }, 100ms);
    EXPECT_EQ(calls, 1);
    client->reset();
    io_.restart();
    io_.run_for(20ms);
    if (!result) return make_error(Errc::cancelled, "no answer");
    return std::move(*result);
  }

  static void expect_error(const Result<Response>& r, Errc code) {
    ASSERT_FALSE(r) << "accepted: HTTP " << r->status;
    EXPECT_EQ(r.error().code, code) << r.error().describe();
  }

  boost::asio::io_context io_;
};

TEST_F(HostilePeer, SingleHeaderOf64KiBIsOutOfRange) {
  expect_error(exchange({{response_with(big_header(64 * kKiB))}}), Errc::out_of_range);
}

TEST_F(HostilePeer, SingleHeaderOf100KiBIsOutOfRange) {
  expect_error(exchange({{response_with(big_header(100 * kKiB))}}), Errc::out_of_range);
}

// Beast keeps a field's length in 16 bits and throws std::length_error beyond: with the
// header limit raised past that, the client still turns it into a typed error.
TEST_F(HostilePeer, FieldBeyondBeastsOwnLimitIsOutOfRangeEvenWithAHighHeaderLimit) {
  expect_error(exchange({{response_with(big_header(70 * kKiB))}},
                        [](ClientOptions& o) { o.max_header_bytes = 512 * kKiB; }),
               Errc::out_of_range);
}

TEST_F(HostilePeer, ManyHeadersTogetherAboveTheHeaderLimitAreOutOfRange) {
  std::string headers;
  for (int i = 0; i < 2000; ++i) headers += "X-H" + std::to_string(i) + ": " + std::string(30, 'v') + "\r\n";
  expect_error(exchange({{response_with(headers)}}), Errc::out_of_range);
}

TEST_F(HostilePeer, DeclaredBodyOf2MiBIsOutOfRange) {
  const std::string body(2 * kKiB * kKiB, 'b');
  expect_error(exchange({split_every(response_with("", body), {16 * kKiB})}), Errc::out_of_range);
}

TEST_F(HostilePeer, ChunkedBodyOf2MiBIsOutOfRange) {
  std::string message = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 32; ++i) message += "10000\r\n" + std::string(64 * kKiB, 'c') + "\r\n";
  message += "0\r\n\r\n";
  expect_error(exchange({split_every(message, {16 * kKiB})}), Errc::out_of_range);
}

TEST_F(HostilePeer, BodyUntilCloseOf2MiBIsOutOfRange) {
  const std::string message = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(2 * kKiB * kKiB, 'e');
  expect_error(exchange({split_every(message, {16 * kKiB})}), Errc::out_of_range);
}

TEST_F(HostilePeer, MalformedStatusLinesAreMalformed) {
  for (const char* line : {"HTTP/1.1 2000 OK\r\n", "HTTX/1.1 200 OK\r\n", "HTTP/1.1 abc OK\r\n", "HTTP/9 200 OK\r\n",
                           "\x16\x03\x01\x02\x00\r\n", "HTTP/1.1 200 OK\rContent-Length: 2\r\n"}) {
    SCOPED_TRACE(testing::printable(line));
    expect_error(exchange({{std::string(line) + "Content-Length: 2\r\n\r\nok"}}), Errc::malformed);
  }
}

TEST_F(HostilePeer, BadContentLengthIsMalformed) {
  for (const char* header : {"Content-Length: 12abc\r\n", "Content-Length: 99999999999999999999999\r\n",
                             "Content-Length: 1\r\nContent-Length: 2\r\n"}) {
    SCOPED_TRACE(header);
    expect_error(exchange({{"HTTP/1.1 200 OK\r\n" + std::string(header) + "\r\nok"}}), Errc::malformed);
  }
}

TEST_F(HostilePeer, AnswerCutInTheHeaderIsAnIoError) {
  expect_error(exchange({{"HTTP/1.1 200 OK\r\nContent-Le"}}), Errc::io_error);
  expect_error(exchange({{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"}}), Errc::io_error);
}

// TCP and TLS may cut a message anywhere: inside CRLF, a name, the length's digits.
TEST_F(HostilePeer, HeadersSplitAtOddPlacesAreStillRead) {
  const std::string message = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Correlation-Id: 7\r\n"
                              "Content-Length: 11\r\n\r\n{\"ok\":true}";
  for (const auto& sizes : std::vector<std::vector<std::size_t>>{{1}, {2, 3}, {7, 1, 13}, {16, 17}, {message.size() - 1}}) {
    auto r = exchange({split_every(message, sizes), 2ms});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, "{\"ok\":true}");
    EXPECT_EQ(r->header("x-correlation-id"), "7");
  }
}

TEST_F(HostilePeer, HugeHeaderSplitAtOddPlacesIsOutOfRange) {
  expect_error(exchange({split_every(response_with(big_header(64 * kKiB)), {1, 999, 4093, 7}), 0ms}),
               Errc::out_of_range);
}

// A request the client cannot put on the wire is refused before anything is sent.
TEST_F(HostilePeer, RequestHeaderBeastCannotCarryIsRefusedBeforeSending) {
  RawTlsServer peer(io_, {{response_with("")}});
  auto client = Client::create(io_, client_options(peer.port()));
  ASSERT_TRUE(client);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"Authorization", "Bearer " + std::string(70 * kKiB, 't')},
           {"X-Injected", "a\r\nX-Other: b"},
           {"Bad Name", "v"},
           {"", "v"}}) {
    Request request;
    request.target = "/";
    request.set_header(name, value);
    std::optional<Result<Response>> result;
    (*client)->async_send(request, 5s, [&](Result<Response> r) { result.emplace(std::move(r)); });
    ASSERT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().code, Errc::invalid_argument) << result->error().describe();
  }
  EXPECT_EQ(peer.requests_read(), 0U);
}

// An answer that cannot be read after the request went out is a transport error, which
// the host contract makes Outcome::unknown: the engine then recovers the transaction.
TEST_F(HostilePeer, UnreadableAnswerToASaleIsOutcomeUnknown) {
  RawTlsServer peer(io_, {{response_with(big_header(64 * kKiB))}});
  auto client = Client::create(io_, client_options(peer.port()));
  ASSERT_TRUE(client);
  fullstack::FullStackConfig config;
  config.api_key = SecretString("api_tender_test");
  config.terminal_id = "1ucio551tlv85l7moe5s";
  config.deadline = 5s;
  fullstack::FullStackAdapter adapter(**client, config);
  host::AuthorizationRequest sale;
  sale.reference_id = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";
  sale.amount = Money(1112, usd());
  sale.entry_mode = host::EntryMode::keyed;
  sale.card.pan = SecretString("4012000098765439");
  sale.card.expiry_yymm = SecretString("2912");
  std::optional<Result<host::HostResult>> result;
  adapter.sale(sale, [&](Result<host::HostResult> r) { result.emplace(std::move(r)); });
  ASSERT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
  ASSERT_TRUE(*result) << result->error().describe();
  EXPECT_EQ((*result)->outcome, host::Outcome::unknown);
  EXPECT_EQ((*result)->response_code, "out_of_range");
  EXPECT_EQ(peer.requests_read(), 1U);
}

// --- the server -------------------------------------------------------------------------

class HostileClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    const auto& pki = tls::test_pki::loopback_pki();
    options.tls.cert_chain_pem = pki.server.cert_pem;
    options.tls.key_pem = SecretString(pki.server.key_pem.reveal());
    options.read_timeout = 5s;
    auto s = Server::create(io_, options, [](Request request, ServerReply reply) {
      Response r;
      r.body = "served " + request.target;
      reply(ServerAction::respond(std::move(r)));
    });
    ASSERT_TRUE(s) << s.error().describe();
    server_ = std::move(*s);
  }

  // What the server answers to `chunks`, read until it closes.
  std::string send_raw(std::vector<std::string> chunks) {
    RawTlsClient raw(io_, server_->port(), std::move(chunks));
    EXPECT_TRUE(testing::run_until(io_, [&] { return raw.done(); }, 10s));
    return raw.received();
  }

  // A well-behaved client still gets served afterwards.
  void expect_still_serving() {
    ClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_->port();
    options.server_name = "localhost";
    options.tls.ca_pem = tls::test_pki::loopback_pki().ca.cert_pem;
    auto client = Client::create(io_, options);
    ASSERT_TRUE(client);
    Request request;
    request.target = "/next";
    std::optional<Result<Response>> result;
    (*client)->async_send(request, 5s, [&](Result<Response> r) { result.emplace(std::move(r)); });
    ASSERT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    ASSERT_TRUE(*result) << result->error().describe();
    EXPECT_EQ((*result)->body, "served /next");
  }

  void TearDown() override {
    server_->stop();
    io_.restart();
    io_.run_for(20ms);
  }

  boost::asio::io_context io_;
  std::unique_ptr<Server> server_;
};

TEST_F(HostileClient, RequestWithA64KiBHeaderIsRefusedAndTheServerGoesOn) {
  const auto answer = send_raw({"GET / HTTP/1.1\r\nHost: localhost\r\n" + big_header(64 * kKiB) + "\r\n"});
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431 ")) << testing::printable(answer.substr(0, 40));
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_EQ(server_->stats().requests, 0U);
  expect_still_serving();
}

TEST_F(HostileClient, RequestWithA100KiBHeaderInOddPiecesIsRefused) {
  const auto request = "POST / HTTP/1.1\r\nHost: localhost\r\n" + big_header(100 * kKiB) + "Content-Length: 0\r\n\r\n";
  const auto answer = send_raw(split_every(request, {3, 4093, 1}));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431 ")) << testing::printable(answer.substr(0, 40));
  expect_still_serving();
}

TEST_F(HostileClient, MalformedRequestLineGets400) {
  for (const char* line : {"GET\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n",
                           "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    SCOPED_TRACE(testing::printable(line));
    const auto answer = send_raw({line});
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << testing::printable(answer.substr(0, 40));
  }
  expect_still_serving();
}

TEST_F(HostileClient, BodyAboveTheLimitGets413) {
  const auto answer = send_raw({"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2097152\r\n\r\n"});
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413 ")) << testing::printable(answer.substr(0, 40));
  expect_still_serving();
}

TEST_F(HostileClient, RequestSplitAtOddPlacesIsServed) {
  const std::string request = "GET /split HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  const auto answer = send_raw(split_every(request, {1, 2, 5}));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 ")) << testing::printable(answer.substr(0, 40));
  EXPECT_TRUE(answer.ends_with("served /split"));
}

// A handler answer Beast cannot write (a status beyond 999, a body on 204) is a 500, not a throw.
TEST(ServerAnswers, ResponsesBeastCannotWriteBecome500) {
  boost::asio::io_context io;
  ServerOptions options;
  const auto& pki = tls::test_pki::loopback_pki();
  options.tls.cert_chain_pem = pki.server.cert_pem;
  options.tls.key_pem = SecretString(pki.server.key_pem.reveal());
  auto server = Server::create(io, options, [](Request request, ServerReply reply) {
    Response r;
    r.status = request.target == "/big-status" ? 1000 : 204;
    r.body = "not allowed here";
    reply(ServerAction::respond(std::move(r)));
  });
  ASSERT_TRUE(server);
  for (const char* target : {"/big-status", "/no-content"}) {
    RawTlsClient raw(io, (*server)->port(),
                     {"GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"});
    ASSERT_TRUE(testing::run_until(io, [&] { return raw.done(); }, 10s));
    EXPECT_TRUE(raw.received().starts_with("HTTP/1.1 500 ")) << testing::printable(raw.received().substr(0, 40));
  }
  (*server)->stop();
}

}  // namespace
}  // namespace tender::net::http
