// Our client against our server, and our server against curl, on loopback.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"
#include "peer.hpp"

namespace tender::net::http {
namespace {

using namespace std::chrono_literals;
using testing::Child;
using testing::TempDir;

const tls::test_pki::LoopbackPki& pki() { return tls::test_pki::loopback_pki(); }

Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

class Loopback : public ::testing::Test {
 protected:
  void start_server(ServerHandler handler, std::chrono::milliseconds read_timeout = 30s,
                    std::size_t max_request = 1024 * 1024, std::size_t max_connections = 1024) {
    ServerOptions options;
    options.max_connections = max_connections;
    options.tls.cert_chain_pem = pki().server.cert_pem;
    options.tls.key_pem = SecretString(pki().server.key_pem.reveal());
    options.read_timeout = read_timeout;
    options.max_request_bytes = max_request;
    auto s = Server::create(io_, options, std::move(handler));
    ASSERT_TRUE(s) << s.error().describe();
    server_ = std::move(*s);
    ASSERT_NE(server_->port(), 0);
  }

  void start_client(std::size_t max_response = 1024 * 1024) {
    ClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_->port();
    options.server_name = "localhost";
    options.tls.ca_pem = pki().ca.cert_pem;
    options.max_response_bytes = max_response;
    auto c = Client::create(io_, options);
    ASSERT_TRUE(c) << c.error().describe();
    client_ = std::move(*c);
  }

  Result<Response> send(Request request, std::chrono::milliseconds deadline = 5s) {
    std::optional<Result<Response>> result;
    client_->async_send(std::move(request), deadline, [&](Result<Response> r) { result.emplace(std::move(r)); });
    EXPECT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    if (!result) return make_error(Errc::timeout, "test gave up");
    return std::move(*result);
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->stop();
    io_.restart();
    io_.run_for(20ms);
    server_.reset();
  }

  static Request get(std::string target) {
    Request r;
    r.target = std::move(target);
    return r;
  }

  boost::asio::io_context io_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

ServerHandler echo_path() {
  return [](Request request, ServerReply reply) {
    reply(ServerAction::respond(text(200, std::string(to_string(request.method)) + " " + request.target + " " +
                                              request.body)));
  };
}

TEST_F(Loopback, CurlSeesStatusAndBodyAsServed) {
  start_server([](Request request, ServerReply reply) {
    reply(ServerAction::respond(text(201, "served " + std::string(request.path()) + " " + request.body)));
  });
  TempDir dir;
  ASSERT_TRUE(tls::test_pki::write_certificate(dir / "ca.pem", pki().ca.cert_pem));
  Child curl({"curl", "-sS", "--max-time", "15", "--cacert", (dir / "ca.pem").string(), "-o",
              (dir / "body").string(), "-w", "%{http_code}", "--data-binary", "abc",
              "https://localhost:" + std::to_string(server_->port()) + "/hello?x=1"},
             dir / "out");
  ASSERT_TRUE(curl.started());
  std::optional<int> status;
  ASSERT_TRUE(testing::run_until(io_, [&] { return (status = curl.poll()).has_value(); }));
  EXPECT_EQ(*status, 0) << testing::slurp(dir / "out");
  EXPECT_EQ(testing::slurp(dir / "out"), "201");
  EXPECT_EQ(testing::slurp(dir / "body"), "served /hello abc");
}

// The server speaks TLS 1.2 with ECDHE and AEAD suites only: curl (OpenSSL) forced
// to a static-RSA CBC suite, or to TLS 1.3, cannot complete a handshake; an ECDHE
// AES-GCM suite can.
TEST_F(Loopback, OnlyEcdheAeadSuitesOfTls12AreAccepted) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::respond(text(200, "ok"))); });
  TempDir dir;
  ASSERT_TRUE(tls::test_pki::write_certificate(dir / "ca.pem", pki().ca.cert_pem));
  const auto curl_exit = [&](std::vector<std::string> tls_args) -> std::optional<int> {
    std::vector<std::string> argv{"curl", "-sS", "--max-time", "15", "--cacert", (dir / "ca.pem").string(), "-o",
                                  "/dev/null"};
    argv.insert(argv.end(), tls_args.begin(), tls_args.end());
    argv.push_back("https://localhost:" + std::to_string(server_->port()) + "/");
    Child curl(argv, dir / "out");
    if (!curl.started()) return std::nullopt;
    std::optional<int> status;
    if (!testing::run_until(io_, [&] { return (status = curl.poll()).has_value(); })) return std::nullopt;
    return status;
  };
  EXPECT_EQ(curl_exit({"--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"}), 0)
      << testing::slurp(dir / "out");
  const auto static_rsa_cbc = curl_exit({"--tls-max", "1.2", "--ciphers", "AES128-SHA256"});
  ASSERT_TRUE(static_rsa_cbc);
  EXPECT_NE(*static_rsa_cbc, 0) << "a non-ECDHE, non-AEAD suite was accepted";
  const auto tls13 = curl_exit({"--tlsv1.3"});
  ASSERT_TRUE(tls13);
  EXPECT_NE(*tls13, 0) << "TLS 1.3 was accepted; the server is TLS 1.2 only";
}

TEST_F(Loopback, KeepAliveReusesOneConnection) {
  start_server(echo_path());
  start_client();
  auto a = send(get("/a"));
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->body, "GET /a ");
  Request post;
  post.method = Method::post;
  post.target = "/b";
  post.body = "{}";
  auto b = send(post);
  ASSERT_TRUE(b) << b.error().describe();
  EXPECT_EQ(b->body, "POST /b {}");
  EXPECT_EQ(server_->stats().connections_accepted, 1U);
  EXPECT_EQ(client_->stats().connections_opened, 1U);
  EXPECT_EQ(server_->stats().requests, 2U);
}

TEST_F(Loopback, RequestsSentTogetherAreAnsweredInOrderOnOneConnection) {
  start_server(echo_path());
  start_client();
  std::vector<std::string> bodies;
  for (const char* target : {"/first", "/second", "/third"}) {
    client_->async_send(get(target), 5s, [&](Result<Response> r) {
      bodies.push_back(r ? r->body : r.error().describe());
    });
  }
  ASSERT_TRUE(testing::run_until(io_, [&] { return bodies.size() == 3; }));
  EXPECT_EQ(bodies, (std::vector<std::string>{"GET /first ", "GET /second ", "GET /third "}));
  EXPECT_EQ(server_->stats().connections_accepted, 1U);
}

TEST_F(Loopback, SecondConnectionResumesTheSession) {
  start_server(echo_path());
  start_client();
  ASSERT_TRUE(send(get("/1")));
  EXPECT_EQ(client_->stats().sessions_resumed, 0U);
  client_->close();
  ASSERT_TRUE(send(get("/2")));
  EXPECT_EQ(server_->stats().connections_accepted, 2U);
  EXPECT_EQ(client_->stats().sessions_resumed, 1U);
}

TEST_F(Loopback, ReconnectsWhenTheServerClosedTheIdleConnection) {
  // The server's read timeout also bounds the first TLS handshake, which takes well over
  // 100 ms under ASan on a loaded machine: 1 s, and the idle wait beyond it.
  start_server(echo_path(), 1s);
  start_client();
  ASSERT_TRUE(send(get("/1")));
  bool waited = false;
  testing::run_until(io_, [&] { return waited; }, 1600ms);
  auto r = send(get("/2"));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(server_->stats().connections_accepted, 2U);
}

TEST_F(Loopback, NoAnswerTimesOutAtTheDeadline) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::no_answer()); });
  start_client();
  const auto begin = std::chrono::steady_clock::now();
  auto r = send(get("/"), 300ms);
  const auto took = std::chrono::steady_clock::now() - begin;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
}

TEST_F(Loopback, ClosedConnectionIsAnIoError) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::close_connection()); });
  start_client();
  auto r = send(get("/"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
}

TEST_F(Loopback, OversizedResponseIsOutOfRange) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::respond(text(200, std::string(8192, 'x')))); });
  start_client(4096);
  auto r = send(get("/"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::out_of_range);
}

TEST_F(Loopback, DelayShorterThanTheDeadlineSucceeds) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::delay(100ms, text(200, "late"))); });
  start_client();
  auto r = send(get("/"), 3s);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "late");
}

TEST_F(Loopback, DelayLongerThanTheDeadlineTimesOut) {
  start_server([](Request, ServerReply reply) { reply(ServerAction::delay(2s, text(200, "too late"))); });
  start_client();
  auto r = send(get("/"), 200ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
}

TEST_F(Loopback, OversizedRequestIsRefusedWith413) {
  start_server(echo_path(), 30s, 1024);
  start_client();
  Request big;
  big.method = Method::post;
  big.target = "/";
  big.body = std::string(4096, 'y');
  auto r = send(big);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 413);
}

TEST_F(Loopback, RefusedConnectionIsAnIoError) {
  start_server(echo_path());
  start_client();
  server_->stop();
  auto r = send(get("/"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
}

TEST_F(Loopback, ConnectionOverTheCapIsClosedAtOnceAndCounted) {
  start_server(echo_path(), 30s, 1024 * 1024, /*max_connections=*/1);
  start_client();
  // An idle peer takes the only place (it never starts its handshake).
  boost::asio::ip::tcp::socket idle(io_);
  idle.connect({boost::asio::ip::make_address_v4("127.0.0.1"), server_->port()});
  ASSERT_TRUE(testing::run_until(io_, [&] { return server_->stats().connections_open == 1; }));
  auto refused = send(get("/over"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::io_error);
  EXPECT_GE(server_->stats().connections_refused, 1U);
  EXPECT_EQ(server_->stats().peak_connections, 1U);
  // The place frees up when the idle peer goes: the next request is served.
  idle.close();
  ASSERT_TRUE(testing::run_until(io_, [&] { return server_->stats().connections_open == 0; }));
  auto served = send(get("/after"));
  ASSERT_TRUE(served) << served.error().describe();
  EXPECT_EQ(served->status, 200);
  EXPECT_EQ(server_->stats().connections_accepted, 2U);
}

}  // namespace
}  // namespace tender::net::http
