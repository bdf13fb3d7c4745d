// The terminal's config file: a full valid file, then one broken field at a time, each
// rejected with the error kind and the field's path in the message.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/config/settings.hpp"
#include "app/sim/test_device_key.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::app {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

Json valid_aurora() {
  return Json::parse(R"({
    "terminal_id": "TENDER01",
    "merchant": {"name": "TENDER TEST STORE", "address": ["1 TEST STREET", "SPRINGFIELD"], "merchant_id": "MID0001"},
    "currency": "USD",
    "state_dir": "/var/lib/tender",
    "device_key": "test",
    "host": {"kind": "aurora", "url": "https://127.0.0.1:8443", "ca_file": "/etc/tender/ca.pem",
             "server_name": "localhost", "timeout_ms": 20000,
             "aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret",
                        "payment_processor_id": "proc-1"}},
    "engine": {"surcharge": true, "surcharge_state": "TX", "partial": "reverse", "offline_swipe_limit": "50.00", "offline_queue_cap": 25,
               "prompt_timeout_ms": 45000, "host_timeout_ms": 25000, "receipt_width": 42}
  })");
}

Json valid_fullstack() {
  Json j = valid_aurora();
  j["host"].erase("aurora");
  j["host"]["kind"] = "fullstack";
  j["host"]["fullstack"] = {{"api_key", "api_tender_test"}, {"terminal_id", "1ucio551tlv85l7moe5s"}};
  return j;
}

// GUIDs in the document's form (H L665); the merchant's is another one.
constexpr const char* kDeviceGuid = "80fa8f43-701e-441a-959b-1b597b22a0d5";
constexpr const char* kMerchantGuid = "4aa19b68-910e-4e27-b62d-260235935fcd";

Json valid_connexpay() {
  Json j = valid_aurora();
  j["host"].erase("aurora");
  j["host"]["kind"] = "connexpay";
  j["host"]["connexpay"] = {{"username", "tender-test"}, {"password", "tender-test-secret"},
                            {"device_guid", kDeviceGuid}, {"merchant_guid", kMerchantGuid}};
  return j;
}

Result<TerminalSettings> parse(const Json& j) { return parse_settings(j.dump()); }

// The document with one change; expects an error of `code` whose message starts with `path`.
void expect_error(const Json& doc, Errc code, const std::string& path) {
  auto r = parse(doc);
  ASSERT_FALSE(r) << "accepted a config with a bad " << path;
  EXPECT_EQ(r.error().code, code) << r.error().describe();
  EXPECT_TRUE(r.error().message.starts_with(path + ":")) << r.error().describe();
}

Json with(Json doc, const std::function<void(Json&)>& change) {
  change(doc);
  return doc;
}

TEST(Config, FullAuroraFile) {
  auto r = parse(valid_aurora());
  ASSERT_TRUE(r) << r.error().describe();
  const TerminalSettings& s = *r;
  EXPECT_EQ(s.engine.terminal_id, "TENDER01");
  EXPECT_EQ(s.engine.merchant.name, "TENDER TEST STORE");
  ASSERT_EQ(s.engine.merchant.address.size(), 2u);
  EXPECT_EQ(s.engine.merchant.address[1], "SPRINGFIELD");
  EXPECT_EQ(s.engine.merchant.merchant_id, "MID0001");
  EXPECT_EQ(s.engine.merchant.terminal_id, "TENDER01");
  EXPECT_EQ(s.engine.currency, usd());
  EXPECT_TRUE(s.engine.surcharge);
  EXPECT_EQ(s.engine.surcharge_state, "TX");
  EXPECT_EQ(s.engine.surcharge_country, "US");  // the default
  EXPECT_EQ(s.engine.partial, PartialPolicy::reverse);
  EXPECT_EQ(s.engine.offline_swipe_limit, 5000);
  EXPECT_EQ(s.engine.prompt_timeout, 45000ms);
  EXPECT_EQ(s.engine.host_timeout, 25000ms);
  EXPECT_EQ(s.engine.receipt_width, 42);
  EXPECT_EQ(s.journal.offline_queue_cap, 25u);
  EXPECT_EQ(s.state_dir, "/var/lib/tender");
  EXPECT_EQ(s.journal_file(), "/var/lib/tender/journal.db");
  EXPECT_EQ(s.host.kind, HostKind::aurora);
  EXPECT_EQ(s.host.api, (HttpsEndpoint{"127.0.0.1", 8443}));
  EXPECT_EQ(s.host.ca_file, "/etc/tender/ca.pem");
  EXPECT_EQ(s.host.server_name, "localhost");
  EXPECT_EQ(s.host.timeout, 20000ms);
  ASSERT_TRUE(s.host.aurora);
  EXPECT_FALSE(s.host.fullstack);
  EXPECT_EQ(s.host.aurora->client_id, "tender-test");
  EXPECT_EQ(s.host.aurora->client_secret.reveal(), "tender-test-secret");
  EXPECT_EQ(s.host.aurora->payment_processor_id, "proc-1");
  EXPECT_EQ(s.host.aurora->oauth, s.host.api);  // oauth_url defaults to url
  EXPECT_TRUE(s.test_device_key);
  EXPECT_EQ(s.device_key, DeviceKey{});  // the product holds no test key: the tools fill it in
}

TEST(Config, FullStackFileAndDefaults) {
  Json j = valid_fullstack();
  j.erase("engine");
  j["host"].erase("timeout_ms");
  j["host"].erase("server_name");
  j["merchant"].erase("address");
  auto r = parse(j);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.kind, HostKind::fullstack);
  ASSERT_TRUE(r->host.fullstack);
  EXPECT_EQ(r->host.fullstack->api_key.reveal(), "api_tender_test");
  EXPECT_EQ(r->host.fullstack->terminal_id, "1ucio551tlv85l7moe5s");
  EXPECT_TRUE(r->host.fullstack->processor_id.empty());  // the merchant's default processor
  EXPECT_EQ(r->host.timeout, 30000ms);
  EXPECT_TRUE(r->host.server_name.empty());
  EXPECT_TRUE(r->engine.merchant.address.empty());
  const EngineConfig defaults;
  EXPECT_EQ(r->engine.partial, defaults.partial);
  EXPECT_EQ(r->engine.host_timeout, defaults.host_timeout);
  EXPECT_EQ(r->engine.offline_swipe_limit, 0);
  EXPECT_EQ(r->journal.offline_queue_cap, JournalOptions{}.offline_queue_cap);
}

// processor_id is sent on every FullStack transaction when configured (L288).
TEST(Config, FullStackProcessorId) {
  Json j = valid_fullstack();
  j["host"]["fullstack"]["processor_id"] = "d37kgq2cuni9almp7tmg";
  auto r = parse(j);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.fullstack->processor_id, "d37kgq2cuni9almp7tmg");
  expect_error(with(valid_fullstack(), [](Json& j2) { j2["host"]["fullstack"]["processor_id"] = 7; }), Errc::malformed,
               "host.fullstack.processor_id");
  expect_error(with(valid_fullstack(), [](Json& j2) { j2["host"]["fullstack"]["processor_id"] = ""; }), Errc::out_of_range,
               "host.fullstack.processor_id");
  expect_error(with(valid_fullstack(), [](Json& j2) { j2["host"]["fullstack"]["processor_id"] = "has space"; }),
               Errc::malformed, "host.fullstack.processor_id");
}

TEST(Config, ConnexPayBlock) {
  auto r = parse(valid_connexpay());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.kind, HostKind::connexpay);
  ASSERT_TRUE(r->host.connexpay);
  EXPECT_EQ(r->host.connexpay->username, "tender-test");
  EXPECT_EQ(r->host.connexpay->password.reveal(), "tender-test-secret");
  EXPECT_EQ(r->host.connexpay->device_guid, kDeviceGuid);
  EXPECT_EQ(r->host.connexpay->merchant_guid, kMerchantGuid);
  EXPECT_FALSE(r->host.aurora);
  EXPECT_FALSE(r->host.fullstack);
  for (const std::string key : {"connexpay", "connexpay.username", "connexpay.password", "connexpay.device_guid",
                                "connexpay.merchant_guid"}) {
    Json j = valid_connexpay();
    if (key == "connexpay") {
      j["host"].erase("connexpay");
    } else {
      j["host"]["connexpay"].erase(key.substr(10));
    }
    SCOPED_TRACE(key);
    expect_error(j, Errc::invalid_argument, "host." + key);
  }
  // A device id that is not a GUID is refused here, not by the host at the counter.
  for (const char* bad : {"80fa8f43701e441a959b1b597b22a0d5", "80fa8f43-701e-441a-959b-1b597b22a0dz",
                          "80fa8f43-701e-441a-959b-1b597b22a0d5-"}) {
    SCOPED_TRACE(bad);
    expect_error(with(valid_connexpay(), [&](Json& j) { j["host"]["connexpay"]["device_guid"] = bad; }), Errc::malformed,
                 "host.connexpay.device_guid");
  }
  expect_error(with(valid_connexpay(), [](Json& j) { j["host"]["connexpay"]["merchant_guid"] = "merchant"; }),
               Errc::malformed, "host.connexpay.merchant_guid");
  expect_error(with(valid_connexpay(), [](Json& j) { j["host"]["connexpay"]["token"] = "x"; }), Errc::invalid_argument,
               "host.connexpay.token");
  expect_error(with(valid_connexpay(), [](Json& j) { j["host"]["connexpay"]["password_env"] = "X"; }),
               Errc::invalid_argument, "host.connexpay.password");
}

TEST(Config, OauthUrlAndDefaultPort) {
  Json j = valid_aurora();
  j["host"]["url"] = "https://api.example.test/";
  j["host"]["aurora"]["oauth_url"] = "https://auth.example.test:9443";
  auto r = parse(j);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.api, (HttpsEndpoint{"api.example.test", 443}));
  EXPECT_EQ(r->host.aurora->oauth, (HttpsEndpoint{"auth.example.test", 9443}));
}

TEST(Config, EachRequiredFieldMissing) {
  const std::vector<std::vector<std::string>> required = {
      {"terminal_id"}, {"merchant"}, {"merchant", "name"}, {"merchant", "merchant_id"}, {"currency"},
      {"state_dir"}, {"device_key"}, {"host"}, {"host", "kind"}, {"host", "url"}, {"host", "ca_file"},
      {"host", "aurora"}, {"host", "aurora", "client_id"}, {"host", "aurora", "client_secret"},
      {"host", "aurora", "payment_processor_id"},
  };
  for (const auto& path : required) {
    Json j = valid_aurora();
    Json* parent = &j;
    std::string dotted;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) parent = &(*parent)[path[i]];
    for (const auto& p : path) dotted += (dotted.empty() ? "" : ".") + p;
    parent->erase(path.back());
    SCOPED_TRACE(dotted);
    expect_error(j, Errc::invalid_argument, dotted);
  }
  for (const std::string key : {"fullstack", "fullstack.api_key", "fullstack.terminal_id"}) {
    Json j = valid_fullstack();
    if (key == "fullstack") {
      j["host"].erase("fullstack");
    } else {
      j["host"]["fullstack"].erase(key.substr(10));
    }
    SCOPED_TRACE(key);
    expect_error(j, Errc::invalid_argument, "host." + key);
  }
}

TEST(Config, WrongTypes) {
  expect_error(with(valid_aurora(), [](Json& j) { j["terminal_id"] = 7; }), Errc::malformed, "terminal_id");
  expect_error(with(valid_aurora(), [](Json& j) { j["merchant"] = "shop"; }), Errc::malformed, "merchant");
  expect_error(with(valid_aurora(), [](Json& j) { j["merchant"]["address"] = "1 TEST STREET"; }), Errc::malformed,
               "merchant.address");
  expect_error(with(valid_aurora(), [](Json& j) { j["merchant"]["address"][1] = 5; }), Errc::malformed,
               "merchant.address[1]");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["timeout_ms"] = "30000"; }), Errc::malformed,
               "host.timeout_ms");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["timeout_ms"] = 2.5; }), Errc::malformed,
               "host.timeout_ms");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["surcharge"] = "yes"; }), Errc::malformed,
               "engine.surcharge");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["surcharge_state"] = "Texas"; }), Errc::malformed,
               "engine.surcharge_state");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["surcharge_country"] = "us"; }), Errc::malformed,
               "engine.surcharge_country");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["offline_swipe_limit"] = 50; }), Errc::malformed,
               "engine.offline_swipe_limit");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["aurora"]["client_secret"] = 1234; }), Errc::malformed,
               "host.aurora.client_secret");
  auto not_an_object = parse_settings("[1, 2]");
  ASSERT_FALSE(not_an_object);
  EXPECT_EQ(not_an_object.error().code, Errc::malformed);
  auto not_json = parse_settings(R"({"terminal_id": "T1",)");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, Errc::malformed);
  EXPECT_NE(not_json.error().message.find("byte"), std::string::npos);
}

TEST(Config, BadValues) {
  expect_error(with(valid_aurora(), [](Json& j) { j["currency"] = "XYZ"; }), Errc::out_of_range, "currency");
  expect_error(with(valid_aurora(), [](Json& j) { j["terminal_id"] = ""; }), Errc::out_of_range, "terminal_id");
  expect_error(with(valid_aurora(), [](Json& j) { j["terminal_id"] = "TENDER 01"; }), Errc::malformed, "terminal_id");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["kind"] = "payx1"; }), Errc::out_of_range, "host.kind");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["timeout_ms"] = 0; }), Errc::out_of_range,
               "host.timeout_ms");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["partial"] = "maybe"; }), Errc::out_of_range,
               "engine.partial");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["offline_queue_cap"] = -1; }), Errc::out_of_range,
               "engine.offline_queue_cap");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["receipt_width"] = 500; }), Errc::out_of_range,
               "engine.receipt_width");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["host_timeout_ms"] = 20000; }),
               Errc::invalid_argument, "engine.host_timeout_ms");
  // Both forms of one credential, and the other host's block, contradict the file.
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["aurora"]["client_secret_env"] = "X"; }),
               Errc::invalid_argument, "host.aurora.client_secret");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["fullstack"] = valid_fullstack()["host"]["fullstack"]; }),
               Errc::invalid_argument, "host.fullstack");
}

TEST(Config, UnknownAndRepeatedKeys) {
  expect_error(with(valid_aurora(), [](Json& j) { j["termnal_id"] = "T"; }), Errc::invalid_argument, "termnal_id");
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["offline_queue_capacity"] = 5; }),
               Errc::invalid_argument, "engine.offline_queue_capacity");
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["aurora"]["clientid"] = "x"; }), Errc::invalid_argument,
               "host.aurora.clientid");
  // A misspelt required key reads as unknown, the more useful of the two errors.
  Json j = valid_aurora();
  j["host"].erase("url");
  j["host"]["URL"] = "https://127.0.0.1";
  expect_error(j, Errc::invalid_argument, "host.URL");

  std::string text = valid_aurora().dump();
  text.insert(text.size() - 1, R"(,"currency":"EUR")");
  auto repeated = parse_settings(text);
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code, Errc::invalid_argument);
  EXPECT_TRUE(repeated.error().message.starts_with("currency:")) << repeated.error().describe();
}

TEST(Config, BadUrls) {
  struct Case {
    const char* url;
    Errc code;
  };
  for (const Case& c : {Case{"http://127.0.0.1:8443", Errc::malformed}, Case{"https://", Errc::malformed},
                        Case{"https://:8443", Errc::malformed}, Case{"https://host:", Errc::malformed},
                        Case{"https://host:abc", Errc::malformed}, Case{"https://host:0", Errc::out_of_range},
                        Case{"https://host:65536", Errc::out_of_range}, Case{"https://host:8443/api", Errc::malformed},
                        Case{"https://host?x=1", Errc::malformed}, Case{"https://user@host", Errc::malformed},
                        Case{"https://bad_host", Errc::malformed}, Case{"127.0.0.1:8443", Errc::malformed}}) {
    SCOPED_TRACE(c.url);
    expect_error(with(valid_aurora(), [&](Json& j) { j["host"]["url"] = c.url; }), c.code, "host.url");
  }
  expect_error(with(valid_aurora(), [](Json& j) { j["host"]["aurora"]["oauth_url"] = "http://auth"; }),
               Errc::malformed, "host.aurora.oauth_url");
  auto v6 = parse_https_url("https://[::1]:8443");
  ASSERT_TRUE(v6) << v6.error().describe();
  EXPECT_EQ(*v6, (HttpsEndpoint{"::1", 8443}));
}

TEST(Config, BadMoney) {
  for (const char* text : {"fifty", "50.001", "5e1", " 50", ""}) {
    SCOPED_TRACE(text);
    expect_error(with(valid_aurora(), [&](Json& j) { j["engine"]["offline_swipe_limit"] = text; }), Errc::malformed,
                 "engine.offline_swipe_limit");
  }
  expect_error(with(valid_aurora(), [](Json& j) { j["engine"]["offline_swipe_limit"] = "-1.00"; }),
               Errc::out_of_range, "engine.offline_swipe_limit");
  // Money follows the configured currency: JPY has no minor unit.
  Json jpy = with(valid_aurora(), [](Json& j) {
    j["currency"] = "JPY";
    j["engine"]["offline_swipe_limit"] = "5000";
  });
  auto r = parse(jpy);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->engine.offline_swipe_limit, 5000);
  EXPECT_EQ(r->host.currency, *currency_by_alpha("JPY"));
  expect_error(with(jpy, [](Json& j) { j["engine"]["offline_swipe_limit"] = "50.00"; }), Errc::malformed,
               "engine.offline_swipe_limit");
}

TEST(Config, TestDeviceKeyIsA0ToBF) {
  const DeviceKey key = test_device_key();
  const ByteView bytes = key.reveal();
  ASSERT_EQ(bytes.size(), 32u);
  for (std::size_t i = 0; i < bytes.size(); ++i) EXPECT_EQ(bytes[i], static_cast<Byte>(0xA0 + i));
}

TEST(Config, DeviceKeyFromEnvironment) {
  const std::string hex = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f";
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_KEY", hex.c_str(), 1), 0);
  auto r = parse(with(valid_aurora(), [](Json& j) { j["device_key"] = "env:TENDER_CONFIG_TEST_KEY"; }));
  ASSERT_TRUE(r) << r.error().describe();
  const ByteView bytes = r->device_key.reveal();
  for (std::size_t i = 0; i < bytes.size(); ++i) EXPECT_EQ(bytes[i], static_cast<Byte>(i));

  const Json from_env = with(valid_aurora(), [](Json& j) { j["device_key"] = "env:TENDER_CONFIG_TEST_KEY"; });
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_KEY", hex.substr(2).c_str(), 1), 0);
  expect_error(from_env, Errc::out_of_range, "device_key");
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_KEY", (hex + "00").c_str(), 1), 0);
  expect_error(from_env, Errc::out_of_range, "device_key");
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_KEY", ("G" + hex.substr(1)).c_str(), 1), 0);
  expect_error(from_env, Errc::malformed, "device_key");
  ASSERT_EQ(::unsetenv("TENDER_CONFIG_TEST_KEY"), 0);
  expect_error(from_env, Errc::not_found, "device_key");
  // Never a key literal in the file, and the message does not echo it.
  auto literal = parse(with(valid_aurora(), [&](Json& j) { j["device_key"] = hex; }));
  ASSERT_FALSE(literal);
  EXPECT_EQ(literal.error().code, Errc::malformed);
  EXPECT_EQ(literal.error().message.find(hex), std::string::npos);
  expect_error(with(valid_aurora(), [](Json& j) { j["device_key"] = "env:1BAD"; }), Errc::malformed, "device_key");
}

// "file:PATH" and "credential:NAME": a key file only its owner can read, relative paths from
// the config's directory, and systemd's credentials directory.
class DeviceKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tender-config-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    ::unsetenv("CREDENTIALS_DIRECTORY");
  }
  void write_key(const std::filesystem::path& file, const std::string& text, std::filesystem::perms mode) {
    std::ofstream(file, std::ios::binary) << text;
    std::filesystem::permissions(file, mode);
  }
  Result<TerminalSettings> parse_with(const std::string& spec) {
    return parse_settings(with(valid_aurora(), [&](Json& j) { j["device_key"] = spec; }).dump(), dir_);
  }
  std::filesystem::path dir_;
  static constexpr std::string_view kHex = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f";
  static constexpr auto kOwnerOnly = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
};

TEST_F(DeviceKeyFile, AnOwnerOnlyFileGivesTheKey) {
  write_key(dir_ / "device.key", std::string(kHex) + "\n", kOwnerOnly);
  for (const std::string& spec : {std::string("file:device.key"), "file:" + (dir_ / "device.key").string()}) {
    auto r = parse_with(spec);
    ASSERT_TRUE(r) << spec << ": " << r.error().describe();
    const ByteView bytes = r->device_key.reveal();
    for (std::size_t i = 0; i < bytes.size(); ++i) EXPECT_EQ(bytes[i], static_cast<Byte>(i));
    EXPECT_FALSE(r->test_device_key);
  }
}

TEST_F(DeviceKeyFile, LooseShortMissingOrOddFilesAreRefusedWithoutQuotingThem) {
  using std::filesystem::perms;
  write_key(dir_ / "group.key", std::string(kHex), kOwnerOnly | perms::group_read);
  write_key(dir_ / "world.key", std::string(kHex), kOwnerOnly | perms::others_read);
  write_key(dir_ / "short.key", std::string(kHex.substr(2)), kOwnerOnly);
  write_key(dir_ / "nothex.key", "G" + std::string(kHex.substr(1)), kOwnerOnly);
  write_key(dir_ / "huge.key", std::string(4096, 'A'), kOwnerOnly);
  std::filesystem::create_directories(dir_ / "a-directory");
  const struct {
    std::string spec;
    Errc code;
  } cases[] = {
      {"file:group.key", Errc::unsupported},   {"file:world.key", Errc::unsupported},
      {"file:short.key", Errc::out_of_range},  {"file:nothex.key", Errc::malformed},
      {"file:huge.key", Errc::out_of_range},   {"file:absent.key", Errc::not_found},
      {"file:a-directory", Errc::malformed},   {"file:", Errc::malformed},
      {"credential:device-key", Errc::not_found}, {"credential:../device.key", Errc::malformed},
      {"keyfile:device.key", Errc::malformed},
  };
  for (const auto& c : cases) {
    auto r = parse_with(c.spec);
    ASSERT_FALSE(r) << c.spec;
    EXPECT_EQ(r.error().code, c.code) << c.spec << ": " << r.error().describe();
    EXPECT_TRUE(r.error().message.starts_with("device_key:")) << r.error().describe();
    EXPECT_EQ(r.error().message.find(std::string(kHex.substr(2, 20))), std::string::npos) << r.error().describe();
  }
}

TEST_F(DeviceKeyFile, ASystemdCredentialGivesTheKey) {
  std::filesystem::create_directories(dir_ / "credentials");
  write_key(dir_ / "credentials" / "tender-device-key", std::string(kHex), std::filesystem::perms::owner_read);
  ASSERT_EQ(::setenv("CREDENTIALS_DIRECTORY", (dir_ / "credentials").c_str(), 1), 0);
  auto r = parse_with("credential:tender-device-key");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->device_key.reveal()[31], Byte{0x1F});
  auto missing = parse_with("credential:other");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

// The installed sample explains its fields in comments; comments are not values.
TEST(Config, CommentsAreAllowed) {
  const std::string text = "// the terminal\n" + valid_aurora().dump(2);
  std::string commented = text;
  const auto at = commented.find("\"currency\"");
  commented.insert(at, "/* ISO 4217 */ ");
  auto r = parse_settings(commented);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->engine.currency.alpha, std::string_view{"USD"});
}

// The readers of the journal need its place only: no key, no credential.
TEST(Config, TheJournalFileNeedsNoSecret) {
  const auto dir = std::filesystem::temp_directory_path() / ("tender-config-journal-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Json j = valid_aurora();
  j["device_key"] = "env:TENDER_CONFIG_TEST_UNSET_KEY";
  j["state_dir"] = "state";
  j["host"]["aurora"].erase("client_secret");
  j["host"]["aurora"]["client_secret_env"] = "TENDER_CONFIG_TEST_UNSET_SECRET";
  std::ofstream(dir / "terminal.json") << "// a comment\n" << j.dump();
  ::unsetenv("TENDER_CONFIG_TEST_UNSET_KEY");
  EXPECT_FALSE(load_settings(dir / "terminal.json"));
  auto file = load_journal_file(dir / "terminal.json");
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_EQ(*file, dir / "state" / "journal.db");
  std::ofstream(dir / "nostate.json") << R"({"terminal_id": "T"})";
  auto none = load_journal_file(dir / "nostate.json");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("state_dir: missing"), std::string::npos) << none.error().describe();
  std::filesystem::remove_all(dir);
}

TEST(Config, CredentialsFromEnvironment) {
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_SECRET", "from-the-environment", 1), 0);
  Json j = valid_aurora();
  j["host"]["aurora"].erase("client_secret");
  j["host"]["aurora"]["client_secret_env"] = "TENDER_CONFIG_TEST_SECRET";
  auto r = parse(j);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.aurora->client_secret.reveal(), "from-the-environment");

  Json f = valid_fullstack();
  f["host"]["fullstack"].erase("api_key");
  f["host"]["fullstack"]["api_key_env"] = "TENDER_CONFIG_TEST_SECRET";
  auto fr = parse(f);
  ASSERT_TRUE(fr) << fr.error().describe();
  EXPECT_EQ(fr->host.fullstack->api_key.reveal(), "from-the-environment");

  ASSERT_EQ(::unsetenv("TENDER_CONFIG_TEST_SECRET"), 0);
  expect_error(j, Errc::not_found, "host.aurora.client_secret_env");
}

// ---------------------------------------------------------------- the devices block

Json with_devices(const Json& devices) {
  Json j = valid_aurora();
  j["devices"] = devices;
  return j;
}

TEST(ConfigDevices, AbsentBlockMeansNoDevices) {
  auto r = parse(valid_aurora());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(r->devices.chip_reader);
  EXPECT_FALSE(r->devices.msr);
  EXPECT_EQ(r->devices.pin_pad.kind, PinPadKind::none);
  EXPECT_EQ(r->devices.printer.kind, PrinterKind::none);
  EXPECT_EQ(r->devices.display.kind, DisplayKind::curses);
  EXPECT_EQ(r->devices.display.size, ui::DisplaySize::lines4x20);
}

TEST(ConfigDevices, FullBlock) {
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_IPEK", "6AC292FAA1315B4D858AB3A3D7D5933A", 1), 0);
  auto r = parse(with_devices(Json::parse(R"({
    "card_reader": {"pcsc": "Identiv uTrust 2700 R [CCID Interface] 00 00"},
    "msr": {"evdev": "/dev/input/by-id/usb-MagTek-event-kbd", "inter_char_timeout_ms": 80},
    "pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E00001", "initial_key_env": "TENDER_CONFIG_TEST_IPEK"},
    "printer": {"tcp": "192.168.1.50:9101"},
    "display": {"kind": "lines", "size": "320x240"}
  })")));
  ASSERT_TRUE(r) << r.error().describe();
  const DeviceSettings& d = r->devices;
  ASSERT_TRUE(d.chip_reader);
  EXPECT_EQ(d.chip_reader->pcsc_reader, "Identiv uTrust 2700 R [CCID Interface] 00 00");
  ASSERT_TRUE(d.msr);
  EXPECT_EQ(d.msr->evdev, "/dev/input/by-id/usb-MagTek-event-kbd");
  EXPECT_EQ(d.msr->inter_char_timeout, 80ms);
  EXPECT_EQ(d.pin_pad.kind, PinPadKind::soft);
  EXPECT_EQ(to_hex(d.pin_pad.initial_ksn), "FFFF9876543210E00001");
  EXPECT_EQ(to_hex(d.pin_pad.initial_key.reveal()), "6AC292FAA1315B4D858AB3A3D7D5933A");
  EXPECT_EQ(d.printer.kind, PrinterKind::tcp);
  EXPECT_EQ(d.printer.tcp_host, "192.168.1.50");
  EXPECT_EQ(d.printer.tcp_port, 9101);
  EXPECT_EQ(d.display.kind, DisplayKind::lines);
  EXPECT_EQ(d.display.size, ui::DisplaySize::qvga);
}

TEST(ConfigDevices, DefaultsWithinTheBlock) {
  auto r = parse(with_devices(Json::parse(R"({
    "card_reader": {"pcsc": ""},
    "msr": {"evdev": "/dev/input/event3"},
    "printer": {"tcp": "printer.local"},
    "display": {"kind": "curses"}
  })")));
  ASSERT_TRUE(r) << r.error().describe();
  const DeviceSettings& d = r->devices;
  ASSERT_TRUE(d.chip_reader);
  EXPECT_TRUE(d.chip_reader->pcsc_reader.empty());  // the first reader
  EXPECT_EQ(d.msr->inter_char_timeout, 100ms);
  EXPECT_EQ(d.printer.tcp_host, "printer.local");
  EXPECT_EQ(d.printer.tcp_port, 9100);
  EXPECT_EQ(d.display.size, ui::DisplaySize::lines4x20);
}

TEST(ConfigDevices, PrinterNone) {
  auto r = parse(with_devices({{"printer", {{"none", true}}}}));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->devices.printer.kind, PrinterKind::none);
}

TEST(ConfigDevices, BadBlocks) {
  const auto dev = [](const char* text) { return with_devices(Json::parse(text)); };
  expect_error(dev(R"("usb")"), Errc::malformed, "devices");
  expect_error(dev(R"({"scanner": {}})"), Errc::invalid_argument, "devices.scanner");
  expect_error(dev(R"({"card_reader": {}})"), Errc::invalid_argument, "devices.card_reader.pcsc");
  expect_error(dev(R"({"card_reader": {"pcsc": 1}})"), Errc::malformed, "devices.card_reader.pcsc");
  expect_error(dev(R"({"card_reader": {"pcsc": "a\nb"}})"), Errc::malformed, "devices.card_reader.pcsc");
  expect_error(dev(R"({"card_reader": {"pcsc": "", "ccid": 0}})"), Errc::invalid_argument, "devices.card_reader.ccid");
  expect_error(dev(R"({"msr": {"inter_char_timeout_ms": 100}})"), Errc::invalid_argument, "devices.msr.evdev");
  expect_error(dev(R"({"msr": {"evdev": ""}})"), Errc::out_of_range, "devices.msr.evdev");
  expect_error(dev(R"({"msr": {"evdev": "/dev/input/event0", "inter_char_timeout_ms": 0}})"), Errc::out_of_range,
               "devices.msr.inter_char_timeout_ms");
  expect_error(dev(R"({"msr": {"evdev": "/dev/input/event0", "inter_char_timeout_ms": "100"}})"), Errc::malformed,
               "devices.msr.inter_char_timeout_ms");
  expect_error(dev(R"({"pin_pad": {}})"), Errc::invalid_argument, "devices.pin_pad.kind");
  expect_error(dev(R"({"pin_pad": {"kind": "hsm"}})"), Errc::out_of_range, "devices.pin_pad.kind");
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E0000"}})"), Errc::malformed,
               "devices.pin_pad.ksn");
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E0000G"}})"), Errc::malformed,
               "devices.pin_pad.ksn");
  expect_error(dev(R"({"pin_pad": {"kind": "none", "ksn": "FFFF9876543210E00000"}})"), Errc::invalid_argument,
               "devices.pin_pad.ksn");
  // The soft PED has no default key set: the KSN and its initial key are the injector's.
  expect_error(dev(R"({"pin_pad": {"kind": "soft"}})"), Errc::invalid_argument, "devices.pin_pad.ksn");
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E00000"}})"), Errc::invalid_argument,
               "devices.pin_pad.initial_key_env");
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_IPEK", "6AC292FAA1315B4D858AB3A3D7D5933", 1), 0);
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E00000", "initial_key_env": "TENDER_CONFIG_TEST_IPEK"}})"),
               Errc::malformed, "devices.pin_pad.initial_key_env");
  ASSERT_EQ(::setenv("TENDER_CONFIG_TEST_IPEK", "6AC292FAA1315B4D858AB3A3D7D5933G", 1), 0);
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E00000", "initial_key_env": "TENDER_CONFIG_TEST_IPEK"}})"),
               Errc::malformed, "devices.pin_pad.initial_key_env");
  ASSERT_EQ(::unsetenv("TENDER_CONFIG_TEST_IPEK"), 0);
  expect_error(dev(R"({"pin_pad": {"kind": "soft", "ksn": "FFFF9876543210E00000", "initial_key_env": "TENDER_CONFIG_TEST_IPEK"}})"),
               Errc::not_found, "devices.pin_pad.initial_key_env");
  expect_error(dev(R"({"printer": {}})"), Errc::invalid_argument, "devices.printer");
  expect_error(dev(R"({"printer": {"file": "/dev/usb/lp0", "tcp": "10.0.0.1"}})"), Errc::invalid_argument,
               "devices.printer");
  expect_error(dev(R"({"printer": {"none": false}})"), Errc::out_of_range, "devices.printer.none");
  expect_error(dev(R"({"printer": {"none": "yes"}})"), Errc::malformed, "devices.printer.none");
  expect_error(dev(R"({"printer": {"serial": "/dev/ttyS0"}})"), Errc::invalid_argument, "devices.printer.serial");
  expect_error(dev(R"({"printer": {"tcp": "10.0.0.1:0"}})"), Errc::out_of_range, "devices.printer.tcp");
  expect_error(dev(R"({"printer": {"tcp": "10.0.0.1:70000"}})"), Errc::out_of_range, "devices.printer.tcp");
  expect_error(dev(R"({"printer": {"tcp": "10.0.0.1:"}})"), Errc::malformed, "devices.printer.tcp");
  expect_error(dev(R"({"printer": {"tcp": "tcp://10.0.0.1"}})"), Errc::malformed, "devices.printer.tcp");
  expect_error(dev(R"({"printer": {"tcp": ""}})"), Errc::malformed, "devices.printer.tcp");
  expect_error(dev(R"({"display": {"size": "4x20"}})"), Errc::invalid_argument, "devices.display.kind");
  expect_error(dev(R"({"display": {"kind": "web"}})"), Errc::out_of_range, "devices.display.kind");
  expect_error(dev(R"({"display": {"kind": "lines", "size": "2x16"}})"), Errc::out_of_range, "devices.display.size");
  expect_error(dev(R"({"display": {"kind": "lines", "size": 420}})"), Errc::malformed, "devices.display.size");
  // A repeated key inside the block is caught like anywhere else.
  auto repeated = parse_settings(R"({"devices": {"msr": {"evdev": "a", "evdev": "b"}}})");
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code, Errc::invalid_argument);
  EXPECT_TRUE(repeated.error().message.starts_with("devices.msr.evdev:")) << repeated.error().describe();
}

// Files: relative paths follow the file, a missing file is not_found, errors name the file.
class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tender-config-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigFile, RelativePathsFollowTheFile) {
  Json j = valid_aurora();
  j["state_dir"] = "state";
  j["host"]["ca_file"] = "certs/ca.pem";
  auto r = load_settings(write("terminal.json", j.dump()));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->state_dir, dir_ / "state");
  EXPECT_EQ(r->host.ca_file, dir_ / "certs/ca.pem");
}

TEST_F(ConfigFile, DevicePathsFollowTheFile) {
  Json j = valid_aurora();
  j["devices"] = {{"msr", {{"evdev", "swipes.fifo"}}},
                  {"printer", {{"file", "out/receipts.bin"}}},
                  {"pin_pad", {{"kind", "none"}}}};
  auto r = load_settings(write("terminal.json", j.dump()));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->devices.msr->evdev, dir_ / "swipes.fifo");
  EXPECT_EQ(r->devices.printer.kind, PrinterKind::file);
  EXPECT_EQ(r->devices.printer.file, dir_ / "out/receipts.bin");
  EXPECT_EQ(r->devices.pin_pad.kind, PinPadKind::none);
}

TEST_F(ConfigFile, MissingAndBrokenFiles) {
  auto missing = load_settings(dir_ / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  auto broken = load_settings(write("broken.json", "{"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, Errc::malformed);
  EXPECT_TRUE(broken.error().message.starts_with("broken.json: ")) << broken.error().describe();
}

TEST_F(ConfigFile, ConnectHostNeedsAReadableCa) {
  boost::asio::io_context io;
  auto settings = parse(valid_aurora());
  ASSERT_TRUE(settings) << settings.error().describe();
  HostSettings host = settings->host;
  host.ca_file = dir_ / "absent.pem";
  auto absent = connect_host(io, host);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, Errc::io_error);
  host.ca_file = write("not-a-ca.pem", "hello");
  auto not_pem = connect_host(io, host);
  ASSERT_FALSE(not_pem);
  EXPECT_EQ(not_pem.error().code, Errc::malformed);
}

TEST_F(ConfigFile, ConnectHostBuildsTheConfiguredAdapter) {
  boost::asio::io_context io;
  const auto ca = write("ca.pem", net::tls::test_pki::loopback_pki().ca.cert_pem);
  Json a = valid_aurora();
  a["host"]["ca_file"] = ca.string();
  a["host"]["aurora"]["oauth_url"] = "https://127.0.0.1:9443";  // a second client
  auto aurora = parse(a);
  ASSERT_TRUE(aurora) << aurora.error().describe();
  auto ac = connect_host(io, aurora->host);
  ASSERT_TRUE(ac) << ac.error().describe();
  EXPECT_FALSE(ac->adapter().capabilities().verify);  // the Aurora adapter

  Json f = valid_fullstack();
  f["host"]["ca_file"] = ca.string();
  auto fullstack = parse(f);
  ASSERT_TRUE(fullstack) << fullstack.error().describe();
  auto fc = connect_host(io, fullstack->host);
  ASSERT_TRUE(fc) << fc.error().describe();
  EXPECT_FALSE(fc->adapter().capabilities().chip);  // the FullStack adapter
}

}  // namespace
}  // namespace tender::app
