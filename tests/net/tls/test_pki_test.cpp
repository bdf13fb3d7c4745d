#include "net/tls/sim/test_pki.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "net/tls/context.hpp"

namespace tender::net::tls {
namespace {

TEST(TestPki, CaAndServerCertificatesParseAndPin) {
  auto ca = test_pki::make_ca("Unit CA");
  ASSERT_TRUE(ca) << ca.error().describe();
  auto server = test_pki::make_server(*ca, "localhost", {"localhost"}, {"127.0.0.1"});
  ASSERT_TRUE(server) << server.error().describe();
  EXPECT_NE(server->cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  auto pin = spki_sha256(server->cert_pem);
  ASSERT_TRUE(pin);
  auto pin_ca = spki_sha256(ca->cert_pem);
  ASSERT_TRUE(pin_ca);
  EXPECT_NE(*pin, *pin_ca);
  // A server context accepts the pair, a client context the CA.
  auto srv = Context::make_server({server->cert_pem, SecretString(server->key_pem.reveal())});
  EXPECT_TRUE(srv) << srv.error().describe();
  auto cli = Context::make_client({ca->cert_pem, {}, {}});
  EXPECT_TRUE(cli) << cli.error().describe();
}

TEST(TestPki, RejectsBadInput) {
  EXPECT_FALSE(spki_sha256("not a certificate"));
  auto ca = test_pki::make_ca("Unit CA");
  ASSERT_TRUE(ca);
  EXPECT_FALSE(test_pki::make_server(*ca, "x", {"x"}, {"not-an-ip"}));
  EXPECT_FALSE(test_pki::make_ca("Bad", {"2024", "2025"}));
  EXPECT_FALSE(Context::make_client({}));
  EXPECT_FALSE(Context::make_server({"garbage", SecretString("garbage")}));
}

TEST(TestPki, StateDirWritesKeysPrivateAndIsReused) {
  auto dir = std::filesystem::temp_directory_path() / ("tender-pki-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto files = test_pki::ensure_state_dir(dir);
  ASSERT_TRUE(files) << files.error().describe();
  struct stat st {};
  ASSERT_EQ(::stat(files->server_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat((dir / "ca-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto first = test_pki::read_file(files->ca_cert);
  ASSERT_TRUE(first);
  auto again = test_pki::ensure_state_dir(dir);
  ASSERT_TRUE(again);
  EXPECT_EQ(*test_pki::read_file(again->ca_cert), *first);
  auto config = test_pki::server_config(*again);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_TRUE(Context::make_server(*config));
  auto client = Context::make_client({{}, files->ca_cert.string(), {}});
  EXPECT_TRUE(client) << client.error().describe();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tender::net::tls
