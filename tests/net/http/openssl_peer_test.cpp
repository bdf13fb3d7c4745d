// The client against `openssl s_server -www` on loopback, with certificates from test_pki.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "net/http/client.hpp"
#include "net/tls/sim/test_pki.hpp"
#include "peer.hpp"

namespace tender::net::http {
namespace {

using namespace std::chrono_literals;
using testing::Child;
using testing::TempDir;

struct Pki {
  tls::test_pki::Issued ca;
  tls::test_pki::Issued good;
  tls::test_pki::Issued expired;
  tls::test_pki::Issued foreign;  // from another CA
};

const Pki& pki() {
  static const Pki p = [] {
    Pki out;
    out.ca = *tls::test_pki::make_ca("Peer Test CA");
    out.good = *tls::test_pki::make_server(out.ca, "localhost", {"localhost"}, {"127.0.0.1"});
    out.expired = *tls::test_pki::make_server(out.ca, "localhost", {"localhost"}, {"127.0.0.1"},
                                              {"20200101000000", "20210101000000"});
    auto other = *tls::test_pki::make_ca("Other CA");
    out.foreign = *tls::test_pki::make_server(other, "localhost", {"localhost"}, {"127.0.0.1"});
    return out;
  }();
  return p;
}

class OpensslPeer : public ::testing::Test {
 protected:
  // Starts s_server with `cert`; returns its port.
  std::uint16_t serve(const tls::test_pki::Issued& cert) {
    EXPECT_TRUE(tls::test_pki::write_certificate(dir_ / "cert.pem", cert.cert_pem));
    EXPECT_TRUE(tls::test_pki::write_private_key(dir_ / "key.pem", cert.key_pem));
    const auto port = testing::free_port();
    server_.emplace(std::vector<std::string>{"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                                             "-cert", (dir_ / "cert.pem").string(), "-key",
                                             (dir_ / "key.pem").string(), "-www", "-tls1_2"},
                    dir_ / "s_server.log");
    EXPECT_TRUE(server_->started());
    EXPECT_TRUE(testing::wait_for_port(port)) << testing::slurp(dir_ / "s_server.log");
    return port;
  }

  Result<Response> get(std::uint16_t port, std::string server_name, std::vector<tls::Sha256> pins = {}) {
    ClientOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.server_name = std::move(server_name);
    options.tls.ca_pem = pki().ca.cert_pem;
    options.tls.spki_pins = std::move(pins);
    auto client = Client::create(io_, options);
    if (!client) return std::move(client).error();
    std::optional<Result<Response>> result;
    Request request;
    request.target = "/";
    (*client)->async_send(request, 5s, [&](Result<Response> r) { result.emplace(std::move(r)); });
    EXPECT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    client->reset();
    io_.restart();
    io_.run_for(20ms);
    if (!result) return make_error(Errc::timeout, "test gave up");
    return std::move(*result);
  }

  boost::asio::io_context io_;
  TempDir dir_;
  std::optional<Child> server_;
};

TEST_F(OpensslPeer, GoodCertificateIsAcceptedAndAnswers) {
  auto port = serve(pki().good);
  auto r = get(port, "localhost");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->body.empty());
}

TEST_F(OpensslPeer, WrongHostNameIsRefused) {
  auto port = serve(pki().good);
  auto r = get(port, "wrong.example");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
  EXPECT_NE(r.error().message.find("Common Name"), std::string::npos) << r.error().message;
}

TEST_F(OpensslPeer, ExpiredCertificateIsRefused) {
  auto port = serve(pki().expired);
  auto r = get(port, "localhost");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
  EXPECT_NE(r.error().message.find("expired"), std::string::npos) << r.error().message;
}

TEST_F(OpensslPeer, CertificateFromAnotherCaIsRefused) {
  auto port = serve(pki().foreign);
  auto r = get(port, "localhost");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
  EXPECT_NE(r.error().message.find("not correctly signed"), std::string::npos) << r.error().message;
}

TEST_F(OpensslPeer, MatchingPinIsAccepted) {
  auto port = serve(pki().good);
  auto pin = tls::spki_sha256(pki().good.cert_pem);
  ASSERT_TRUE(pin);
  auto r = get(port, "localhost", {*pin});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
}

TEST_F(OpensslPeer, WrongPinIsRefused) {
  auto port = serve(pki().good);
  auto pin = tls::spki_sha256(pki().ca.cert_pem);  // the CA's key, not the server's
  ASSERT_TRUE(pin);
  auto r = get(port, "localhost", {*pin});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io_error);
  EXPECT_NE(r.error().message.find("does not match the pin"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace tender::net::http
