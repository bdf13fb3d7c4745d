// The Aurora simulator as a witness of the real host: it refuses what the vendor's schema
// refuses, answers in the vendor's shapes, ignores what the real list cannot filter on, and
// holds other clients' transactions beside the terminal's.
#include <gtest/gtest.h>

#include <set>

#include "aurora_fixture.hpp"
#include "net/hostsim/aurora_views.hpp"

namespace tender::net::hostsim {
namespace {

Json list(AuroraTest& t, const std::string& query = "pageSize=100") {
  return body_of(t.call(http::Method::get, "/pay-api/v1/transactions?" + query));
}

// The list has no referenceId filter (IOS L21705-21712): a client that asks for one gets the
// whole list, as from a server that ignores what it does not bind.
TEST_F(AuroraTest, TheListIgnoresAReferenceIdFilter) {
  Json body = Json::parse(kAuroraSale);
  body["expirationYear"] = 30;
  body["referenceId"] = "ref-a";
  post("/pay-api/v1/transactions/sale", body);
  body["referenceId"] = "ref-b";
  post("/pay-api/v1/transactions/sale", body);
  const Json r = list(*this, "referenceId=ref-a&status=Declined&dateFrom=2030-01-01");
  EXPECT_EQ(r["total"], 2);
  for (const auto& item : r["items"]) EXPECT_FALSE(item.contains("referenceId"));
}

TEST_F(AuroraTest, ListItemsAndDetailsHaveTheVendorsShapes) {
  const std::string id = pay("sale", "12.34")["transactionId"];
  const Json item = list(*this)["items"][0];
  // RAW E1's keys plus the schema's typeId/type (IOS L4811).
  for (const char* key : {"id", "paymentProcessorId", "date", "baseAmount", "totalAmount", "surchargeAmount",
                          "customerPan", "status", "statusId", "typeId", "type", "batchId", "source", "availableOperations"})
    EXPECT_TRUE(item.contains(key)) << key;
  EXPECT_EQ(item["id"], id);
  EXPECT_EQ(item["customerPan"], "************1111");
  EXPECT_EQ(item["date"], "2025-01-09T13:27:50.0000000Z");
  EXPECT_EQ(item["typeId"], 2);
  EXPECT_EQ(item["source"]["typeId"], 2);  // AND CreateMethodId API_TOKEN (sim: what a token call is)
  EXPECT_EQ(item["source"]["id"], aurora::client_uuid("tender-test"));
  const Json d = by_id(id);
  EXPECT_EQ(d["amount"]["totalAmount"].dump(), "12.34");  // IOS L4702: amounts under amount{}
  EXPECT_EQ(d["transactionTypeId"], 2);
  EXPECT_EQ(d["cardDataSourceId"], 1);
  EXPECT_EQ(d["cardDataSource"], "Internet");
  EXPECT_FALSE(d.contains("batchId"));  // not in the detail schema (IOS L4699)
  EXPECT_FALSE(d.contains("referenceId"));
}

TEST_F(AuroraTest, ListFiltersTheVendorNames) {
  const std::string mine = pay("sale", "1.00")["transactionId"];
  ForeignPayment portal;
  portal.total = 100;
  portal.last4 = "1111";
  portal.client = "merchant-portal";
  portal.create_method = 1;
  const std::string theirs = sim.aurora().record_foreign(portal).id;
  EXPECT_EQ(list(*this, "createMethodId=2")["items"][0]["id"], mine);
  EXPECT_EQ(list(*this, "createMethodId=1")["items"][0]["id"], theirs);
  EXPECT_EQ(list(*this, "createdById=" + aurora::client_uuid("merchant-portal"))["total"], 1);
  post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}});
  const Json settled = list(*this, "noBatch=false");
  std::string batch;
  for (const auto& item : settled["items"])
    if (item["id"] == mine) batch = item["batchId"];
  ASSERT_FALSE(batch.empty());
  EXPECT_EQ(list(*this, "batchId=" + batch)["total"], 1);
  EXPECT_EQ(list(*this, "noBatch=true")["items"][0]["id"], theirs);  // proc-1: not settled
}

TEST_F(AuroraTest, RequiredFieldsAndEnumsAreRefusedInTheVendorsErrorShape) {
  const std::string auth = pay("auth", "20.00")["transactionId"];
  const auto refused = [&](std::string_view path, const Json& body, std::string_view field) {
    const auto a = post(path, body);
    EXPECT_EQ(a.response.status, 400) << path << " " << field;
    const Json e = body_of(a);
    // IOS AspNet_Swagger_Examples_ValidationExceptionExample, every key.
    for (const char* key : {"details", "statusCode", "source", "exceptionType", "correlationId", "entityId", "errorCode", "errors"})
      EXPECT_TRUE(e.contains(key)) << key;
    EXPECT_TRUE(e["errors"].contains(std::string(field))) << e.dump();
    EXPECT_EQ(a.response.header("x-arise-trace-correlationid"), e["correlationId"].get<std::string>());
    EXPECT_TRUE(a.response.header("Date"));
  };
  // Capture: amount required (IOS L1473).
  refused("/pay-api/v1/transactions/capture", {{"transactionId", auth}}, "Amount");
  refused("/pay-api/v1/transactions/capture", {{"transactionId", auth}, {"amount", nullptr}}, "Amount");
  Json sale = Json::parse(kAuroraSale);
  sale["expirationYear"] = 30;
  for (const auto& [key, value, field] : std::vector<std::tuple<std::string, Json, std::string>>{
           {"cardDataSource", nullptr, "CardDataSource"},
           {"cardDataSource", 0, "CardDataSource"},
           {"cardDataSource", 8, "CardDataSource"},
           {"cardDataSource", "4", "CardDataSource"},
           {"currencyId", 2, "CurrencyId"},
           {"emvFallbackCondition", 2, "EmvFallbackCondition"},
           {"emvFallbackLastChipRead", 4, "EmvFallbackLastChipRead"},
           {"surchargeRate", 100.5, "SurchargeRate"},
           {"surchargeRate", 3.12345, "SurchargeRate"},
           {"debit", "yes", "Debit"}}) {
    Json body = sale;
    body[key] = value;
    refused("/pay-api/v1/transactions/sale", body, field);
  }
  // A well-formed capture of the authorization answers with the transaction's status.
  const Json ok = body_of(post("/pay-api/v1/transactions/capture", {{"transactionId", auth}, {"amount", 20}}));
  EXPECT_EQ(ok["status"], "Captured");
  EXPECT_EQ(ok["typeId"], 3);
}

TEST_F(AuroraTest, PartialAuthorizationAndPendingStatuses) {
  const Json partial = pay("auth", "10.52");  // magic cents: half approved
  EXPECT_EQ(partial["status"], "PartiallyAuthorized");
  EXPECT_EQ(partial["statusId"], 7);
  const std::string id = partial["transactionId"];
  EXPECT_EQ(by_id(id)["status"], "PartiallyAuthorized");
  EXPECT_EQ(body_of(post("/pay-api/v1/transactions/capture", {{"transactionId", id}, {"amount", 5.26}}))["status"], "Captured");

  sim.script_next({Behaviour::pending, 0, 0ms}, 1);
  const Json pending = pay("sale", "30.00");
  EXPECT_EQ(pending["status"], "Pending");
  EXPECT_EQ(pending["statusId"], 90);
  EXPECT_TRUE(pending["details"].is_null());
  EXPECT_EQ(by_id(pending["transactionId"])["status"], "Captured");  // decided right after (sim)
}

TEST_F(AuroraTest, ReturnWithoutReferenceTakesTheDocumentsS6Body) {
  // RAW S6 (E8) is ReturnWORefRequestDto key for key (IOS L7919).
  const auto a = call(http::Method::post, "/pay-api/v1/transactions/return/no-reference", std::string(kAuroraSwipePin));
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  const Json r = body_of(a);
  EXPECT_EQ(r["typeId"], 7);
  EXPECT_EQ(r["type"], "RefundWORef");
  EXPECT_EQ(r["processedAmount"].dump(), "10.1");  // AuthorizationResponseDto
  for (const char* required : {"debit", "currencyId", "cardDataSource", "paymentProcessorId"}) {
    Json body = Json::parse(kAuroraSwipePin);
    body.erase(required);
    EXPECT_EQ(call(http::Method::post, "/pay-api/v1/transactions/return/no-reference", body.dump()).response.status, 400)
        << required;
  }
}

TEST_F(AuroraTest, SettleCodeAndTheBatchList) {
  pay("sale", "10.00");
  pay("sale", "5.00");
  const Json s = body_of(post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}}));
  EXPECT_TRUE(s["code"].is_number_integer());
  EXPECT_EQ(s["code"], 0);  // ResponseCodeDto 0 Approve
  const Json batches = body_of(call(http::Method::get, "/pay-api/v1/settlements/batches?page=1&pageSize=10"));
  EXPECT_EQ(batches["total"], 1);
  const Json b = batches["items"][0];
  EXPECT_EQ(b["transactionCount"], 2);
  EXPECT_EQ(b["salesAmount"], 15);
  EXPECT_EQ(b["netAmount"], 15);
  EXPECT_EQ(b["statusId"], 2);
  EXPECT_EQ(b["paymentProcessorId"], "p-1");
  // 1-based here (IOS: "Page number (1-based)").
  EXPECT_EQ(call(http::Method::get, "/pay-api/v1/settlements/batches?page=0").response.status, 400);
  EXPECT_EQ(body_of(call(http::Method::get, "/pay-api/v1/settlements/batches?paymentProcessorIds=p-2"))["total"], 0);
  EXPECT_EQ(body_of(call(http::Method::get, "/pay-api/v1/settlements/batches?dateFrom=2025-01-10"))["total"], 0);
  EXPECT_EQ(body_of(call(http::Method::get, "/pay-api/v1/settlements/batches?dateTo=2025-01-09"))["total"], 1);
}

TEST_F(AuroraTest, TheSurchargeRateIsApplied) {
  Json body = Json::parse(kAuroraSale);
  body["expirationYear"] = 30;
  body["amount"] = 10;
  body["tipAmount"] = nullptr;
  body["percentageOffRate"] = nullptr;
  body["surchargeRate"] = 3.5;
  const Json r = body_of(post("/pay-api/v1/transactions/sale", body));
  EXPECT_EQ(r["processedAmount"].dump(), "10.35");
  const Json item = list(*this)["items"][0];
  EXPECT_EQ(item["surchargeAmount"].dump(), "0.35");
  EXPECT_EQ(item["totalAmount"].dump(), "10.35");
  EXPECT_EQ(item["baseAmount"], 10);
}

// Other clients of the same account (a second terminal, the portal) make transactions too;
// the "+twin" behaviour makes one that matches the terminal's own in type, amount and card.
TEST_F(AuroraTest, StrangersTransactionsSitBesideTheTerminals) {
  sim.script_next(*parse_behaviour("approve+twin"), 1);
  const std::string mine = pay("sale", "42.00")["transactionId"];
  const Json items = list(*this)["items"];
  ASSERT_EQ(items.size(), 2U);
  std::set<std::string> sources;
  for (const auto& item : items) {
    EXPECT_EQ(item["totalAmount"], 42);
    EXPECT_EQ(item["customerPan"], "************1111");
    EXPECT_EQ(item["typeId"], 2);
    sources.insert(item["source"]["name"].get<std::string>());
  }
  EXPECT_EQ(sources, (std::set<std::string>{"tender-test", "another-terminal"}));
  ForeignPayment earlier;
  earlier.total = 4200;
  earlier.last4 = "1111";
  earlier.at = utc(2025, 1, 8);
  const std::string old = sim.aurora().record_foreign(earlier).id;
  const Json all = list(*this)["items"];
  EXPECT_EQ(all.back()["id"], old);  // newest first: the day-old one last
  EXPECT_EQ(all.back()["date"], "2025-01-08T00:00:00.0000000Z");
  EXPECT_FALSE(parse_behaviour("no_answer+twin+twin"));
  EXPECT_TRUE(parse_behaviour("no_answer+twin")->twin);
}

}  // namespace
}  // namespace tender::net::hostsim
