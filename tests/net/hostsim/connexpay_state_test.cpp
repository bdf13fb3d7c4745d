// ConnexPay's state across a restart (SqliteStore), and the issuer's verifiers on its requests.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "connexpay_fixture.hpp"
#include "net/hostsim/sqlite_store.hpp"

namespace tender::net::hostsim {
namespace {

using namespace std::chrono_literals;
using namespace test;
using connexpay::Rule;
using Json = nlohmann::json;

TEST_F(ConnexPayTest, PinBlockAndKsnReachTheVerifier) {
  const auto with_pin = [&](double amount) {
    Json body = swiped(amount);
    body["Card"]["Pin"] = "0123456789ABCDEF";
    body["Card"]["Ksn"] = "FFFF9876543210E00001";
    body["TerminalData"]["CardholderAuthenticationMethod"] = "PIN";
    return body;
  };
  EXPECT_EQ(ok_sale(with_pin(25))["status"], "Transaction - Approved");
  EXPECT_EQ(pin.calls, 1);
  EXPECT_EQ(to_hex(pin.last_block), "0123456789ABCDEF");
  EXPECT_EQ(to_hex(pin.last_ksn), "FFFF9876543210E00001");
  pin.answer = false;
  const Json d = ok_sale(with_pin(26));
  EXPECT_EQ(d["status"], "Transaction - Declined");
  EXPECT_EQ(d["processorStatusCode"], "D2008");
  EXPECT_EQ(d["processorResponseMessage"], "Incorrect Pin");
}

TEST_F(ConnexPayTest, ChipIssuerAnswersInEmvTags) {
  const Json a = ok_sale(chip(27));
  EXPECT_EQ(a["status"], "Transaction - Approved");
  EXPECT_EQ(a["emvTags"], "8A023030");
  EXPECT_FALSE(ok_sale(keyed(27))["card"].contains("emvTags"));
  issuer.cryptogram_ok = false;
  const Json d = ok_sale(chip(28));
  EXPECT_EQ(d["status"], "Transaction - Declined");
  EXPECT_EQ(d["processorStatusCode"], "D2026");
  EXPECT_EQ(d["emvTags"], "8A023035");
}

class ConnexPayStateTest : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("hostsim-cx-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

// A harness around one simulator on a store: its own token, as a restarted client fetches.
struct Client {
  HostSimulator& sim;
  std::string bearer;
  ServerAction call(http::Method m, std::string target, std::string body = {}) {
    if (bearer.empty()) {
      auto r = request(http::Method::post, "/api/v1/token", "grant_type=password&username=tender-test&password=tender-test-secret");
      r.set_header("Content-Type", "application/x-www-form-urlencoded");
      bearer = body_of(sim.handle(r))["access_token"];
    }
    auto r = request(m, std::move(target), std::move(body));
    r.set_header("Authorization", "Bearer " + bearer);
    return sim.handle(r);
  }
  Json post(std::string target, const Json& body, int status) {
    const auto a = call(http::Method::post, std::move(target), body.dump());
    EXPECT_EQ(a.response.status, status) << a.response.body;
    return body_of(a);
  }
};

Json sale_body(const ConnexPayConfig& cx, double amount, std::string_view sequence) {
  return {{"DeviceGuid", cx.device_guid},
          {"Amount", amount},
          {"SequenceNumber", sequence},
          {"OrderNumber", std::string(sequence) + "-order"},
          {"CardDataSource", "MANUAL"},
          {"ConnexPayTransaction", {{"ExpectedPayments", 1}}},
          {"RiskData", Json::object()},
          {"Card", {{"CardNumber", kVisa}, {"ExpirationDate", "3012"}}}};
}

TEST_F(ConnexPayStateTest, StateSurvivesARestart) {
  ManualClock clock{utc(2018, 9, 10, 13, 36, 13)};
  const ConnexPayConfig cx;
  const std::string db = (dir / "hostsim.db").string();
  std::string settled, open, auth, capture, captured_sale, batch;
  {
    auto store = SqliteStore::open(db);
    ASSERT_TRUE(store) << store.error().message;
    HostSimulator sim(HostSimConfig{}, clock, store->get());
    ASSERT_TRUE(sim.restore());
    Client c{sim, {}};
    settled = c.post("/api/v1/sales", sale_body(cx, 10, "seq1"), 200)["guid"];
    Json a = sale_body(cx, 11, "seq2");
    a.erase("SequenceNumber");
    auth = c.post("/api/v1/AuthOnlys", a, 200)["guid"];
    const Json cap = c.post("/api/v1/Captures", {{"DeviceGuid", cx.device_guid}, {"AuthOnlyGuid", auth}}, 200);
    capture = cap["guid"];
    captured_sale = cap["sale"]["guid"];
    batch = c.post("/api/v1/Batches/close", {{"DeviceGuid", cx.device_guid}}, 200)["guid"];
    open = c.post("/api/v1/sales", sale_body(cx, 12, "seq3"), 200)["guid"];
  }
  auto store = SqliteStore::open(db);
  ASSERT_TRUE(store);
  HostSimulator sim(HostSimConfig{}, clock, store->get());
  ASSERT_TRUE(sim.restore());
  Client c{sim, {}};
  const Json s = body_of(c.call(http::Method::get, "/api/v1/sales/" + settled));
  EXPECT_EQ(s["batchStatus"], "Batch - Closed");
  EXPECT_EQ(s["batchGuid"], batch);
  EXPECT_EQ(s["sequenceNumber"], "seq1");
  EXPECT_EQ(s["orderNumber"], "seq1-order");
  const Json cap = body_of(c.call(http::Method::get, "/api/v1/Captures/" + capture));
  EXPECT_EQ(cap["sale"]["guid"], captured_sale);
  EXPECT_EQ(cap["authOnlyGuid"], auth);
  // The lifecycle continues: the capture still holds, the settled sale takes a return, the
  // open sale is found by its SequenceNumber and reversed, which a repeated number still is.
  EXPECT_EQ(c.post("/api/v1/Captures", {{"DeviceGuid", cx.device_guid}, {"AuthOnlyGuid", auth}}, 422)["message"],
            "There is an approved Capture for this AuthOnly already");
  EXPECT_EQ(c.post("/api/v1/returns", {{"DeviceGuid", cx.device_guid}, {"SaleGuid", settled}, {"Amount", 10}}, 200)["processorStatusCode"],
            "A0014");
  EXPECT_EQ(c.post("/api/v1/returns", {{"DeviceGuid", cx.device_guid}, {"SaleGuid", captured_sale}, {"Amount", 11.01}}, 422)["message"],
            "Original Amount exceeded");
  EXPECT_EQ(c.post("/api/v1/sales", sale_body(cx, 13, "seq3"), 422)["message"],
            "Error code D0001. Duplicate Request (Approved previously).");
  const auto r = c.call(http::Method::post, "/api/v1/timeoutreversal", Json{{"DeviceGuid", cx.device_guid}, {"SequenceNumber", "seq3"}}.dump());
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(body_of(c.call(http::Method::get, "/api/v1/sales/" + open))["effectiveAmount"], 0);
  // New guids do not collide with the restored ones.
  const std::string fresh = c.post("/api/v1/sales", sale_body(cx, 14, "seq4"), 200)["guid"];
  for (const std::string& old : {settled, open, auth, capture, captured_sale, batch}) EXPECT_NE(fresh, old);
}

// One store keeps every API's records, its ids unique across them: Aurora's and ConnexPay's
// GUIDs never meet, so neither overwrites the other's records.
TEST_F(ConnexPayStateTest, AuroraAndConnexPayShareAStore) {
  ManualClock clock{utc(2018, 9, 10, 13, 36, 13)};
  const ConnexPayConfig cx;
  const std::string db = (dir / "hostsim.db").string();
  std::string aurora_id, connexpay_id;
  {
    auto store = SqliteStore::open(db);
    ASSERT_TRUE(store);
    HostSimulator sim(HostSimConfig{}, clock, store->get());
    auto token = request(http::Method::post, "/oauth2/token",
                         "grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret");
    token.set_header("Content-Type", "application/x-www-form-urlencoded");
    const std::string aurora_bearer = body_of(sim.handle(token))["access_token"];
    auto sale = request(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSale));
    sale.set_header("Authorization", "Bearer " + aurora_bearer);
    const auto a = sim.handle(sale);
    ASSERT_EQ(a.response.status, 200);
    aurora_id = sim.ledger(Api::aurora).select([](const Txn&) { return true; }).at(0)->id;
    Client c{sim, {}};
    connexpay_id = c.post("/api/v1/sales", sale_body(cx, 10, "seq1"), 200)["guid"];
  }
  EXPECT_NE(aurora_id, connexpay_id);
  auto store = SqliteStore::open(db);
  ASSERT_TRUE(store);
  HostSimulator sim(HostSimConfig{}, clock, store->get());
  ASSERT_TRUE(sim.restore());
  EXPECT_NE(sim.ledger(Api::aurora).select([&](const Txn& t) { return t.id == aurora_id; }).size(), 0U);
  Client c{sim, {}};
  EXPECT_EQ(body_of(c.call(http::Method::get, "/api/v1/sales/" + connexpay_id))["amount"], 10);
}

}  // namespace
}  // namespace tender::net::hostsim
