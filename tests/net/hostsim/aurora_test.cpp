#include <gtest/gtest.h>

#include "aurora_fixture.hpp"

namespace tender::net::hostsim {
namespace {

TEST_F(AuroraTest, TokenEndpointChecksClientCredentials) {
  auto r = request(http::Method::post, "/oauth2/token", "grant_type=client_credentials&client_id=tender-test&client_secret=x");
  EXPECT_EQ(sim.handle(r).response.status, 401);
  r.body = "grant_type=password&client_id=tender-test&client_secret=tender-test-secret";
  EXPECT_EQ(sim.handle(r).response.status, 400);
  r.body = std::string(kForm);
  const Json t = body_of(sim.handle(r));
  EXPECT_EQ(t["token_type"], "Bearer");
  EXPECT_EQ(t["expires_in"], 3600);
}

TEST_F(AuroraTest, MissingWrongOrExpiredTokenIs401) {
  auto r = request(http::Method::get, "/pay-api/v1/transactions");
  EXPECT_EQ(sim.handle(r).response.status, 401);
  r.set_header("Authorization", "Bearer not-a-token");
  EXPECT_EQ(sim.handle(r).response.status, 401);
  r.set_header("Authorization", "Bearer " + token);
  EXPECT_EQ(sim.handle(r).response.status, 200);
  clock.advance(3600s);
  const auto expired = sim.handle(r);
  EXPECT_EQ(expired.response.status, 401);
  EXPECT_EQ(body_of(expired)["statusCode"], 401);
}

TEST_F(AuroraTest, DocumentSaleExampleRunsAsItIs) {
  // The example's card (12/24) had expired by the document's own date (2025-01-09; ambiguity
  // 13): run it on a day it was valid. ExpiredCardIsDeclined covers the document's date.
  clock.set(utc(2024, 12, 9, 13, 27, 50));
  const auto a = call(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSale));
  ASSERT_EQ(a.kind, ServerAction::Kind::respond);
  ASSERT_EQ(a.response.status, 200);
  const Json r = body_of(a);
  EXPECT_EQ(r["type"], "Sale");
  EXPECT_EQ(r["typeId"], 2);
  EXPECT_EQ(r["status"], "Captured");
  EXPECT_EQ(r["statusId"], 2);
  EXPECT_EQ(r["details"]["code"], "Approve");
  EXPECT_EQ(r["details"]["hostResponseCode"], "00");
  EXPECT_EQ(r["details"]["maskedPan"], "************1111");
  // E4's rates apply: 123.45 - 3 % (3.70) = 119.75, + 4 % surcharge (4.79) + tip 1.00.
  EXPECT_EQ(r["processedAmount"].dump(), "125.54");
  EXPECT_EQ(r["transactionDateTime"], "2024-12-09T13:27:50.0000000Z");
  const Json d = by_id(r["transactionId"]);
  EXPECT_EQ(d["amount"]["totalAmount"].dump(), "125.54");
  EXPECT_EQ(d["amount"]["percentageOffAmount"].dump(), "3.7");
  EXPECT_EQ(d["amount"]["surchargeAmount"].dump(), "4.79");
  EXPECT_EQ(d["amount"]["tipAmount"], 1);
  EXPECT_EQ(d["totalAmount"].dump(), "125.54");  // RAW S9 repeats it at the top
}

TEST_F(AuroraTest, DocumentSwipeWithPinExampleRunsAsItIs) {
  const Json r = body_of(call(http::Method::post, "/pay-api/v1/transactions/auth", std::string(kAuroraSwipePin)));
  EXPECT_EQ(r["status"], "Authorized");
  EXPECT_EQ(r["details"]["maskedPan"], "************3511");
  EXPECT_EQ(r["processedAmount"].dump(), "10.1");
  EXPECT_EQ(pin.calls, 1);
  EXPECT_EQ(pin.last_block, (Bytes{0x11, 0x11}));
  EXPECT_EQ(pin.last_ksn, (Bytes{0x22, 0x22, 0x22, 0x22, 0x22}));
  // referenceId is kept, never shown: no vendor response carries it (IOS).
  EXPECT_FALSE(by_id(r["transactionId"]).contains("referenceId"));
}

TEST_F(AuroraTest, PinVerifierFalseDeclinesForIncorrectPin) {
  pin.answer = false;
  const Json r = body_of(call(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSwipePin)));
  EXPECT_EQ(r["status"], "Declined");
  EXPECT_EQ(r["details"]["hostResponseCode"], "55");
  EXPECT_EQ(r["details"]["code"], "Decline");
  EXPECT_EQ(r["processedAmount"], 0);
}

TEST_F(AuroraTest, ExpiredCardIsDeclined) {
  clock.set(utc(2025, 1, 1));
  EXPECT_EQ(body_of(call(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSale)))["status"], "Declined");
  // 12/24 is valid through 2024-12-31 only.
  clock.set(utc(2024, 12, 31, 23, 59, 59));
  SetUp();
  EXPECT_EQ(body_of(call(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSale)))["status"], "Captured");
  clock.set(utc(2025, 1, 1));
  SetUp();
  const Json r = body_of(call(http::Method::post, "/pay-api/v1/transactions/sale", std::string(kAuroraSale)));
  EXPECT_EQ(r["details"]["hostResponseCode"], "54");
  EXPECT_EQ(r["details"]["hostResponseMessage"], "EXPIRED CARD");
}

TEST_F(AuroraTest, CaptureUpToTheAuthorizedAmount) {
  const std::string id = pay("auth", "100.00")["transactionId"];
  const auto over = post("/pay-api/v1/transactions/capture", {{"amount", 100.01}, {"transactionId", id}});
  EXPECT_EQ(over.response.status, 400);
  const Json ok = body_of(post("/pay-api/v1/transactions/capture", {{"amount", 80.5}, {"transactionId", id}}));
  EXPECT_EQ(ok["type"], "Capture");
  EXPECT_EQ(ok["status"], "Captured");
  EXPECT_EQ(by_id(id)["baseAmount"].dump(), "80.5");
  EXPECT_EQ(post("/pay-api/v1/transactions/capture", {{"transactionId", id}}).response.status, 400);  // twice
}

TEST_F(AuroraTest, VoidOnlyBeforeSettlement) {
  const std::string voided = pay("sale", "20.00")["transactionId"];
  const Json v = body_of(post("/pay-api/v1/transactions/void", {{"transactionId", voided}}));
  EXPECT_EQ(v["type"], "Void");
  EXPECT_EQ(v["status"], "Voided");
  const std::string settled = pay("sale", "21.00")["transactionId"];
  EXPECT_EQ(post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}}).response.status, 200);
  const auto late = post("/pay-api/v1/transactions/void", {{"transactionId", settled}});
  EXPECT_EQ(late.response.status, 400);
  EXPECT_EQ(body_of(late)["errorCode"], "TransactionSettled");  // sim's code; the record says Settled
  EXPECT_EQ(by_id(settled)["status"], "Settled");
  EXPECT_EQ(by_id(settled)["availableOperations"][0]["type"], "Refund");
}

TEST_F(AuroraTest, ReturnOnlyAfterSettlementAndUpToTheSettledAmount) {
  const std::string id = pay("sale", "50.00")["transactionId"];
  const auto ret = [&](Json amount) {
    return post("/pay-api/v1/transactions/return", {{"transactionId", id}, {"cardDataSource", 1}, {"amount", amount}});
  };
  EXPECT_EQ(ret(10).response.status, 400);
  post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}});
  EXPECT_EQ(ret(50.01).response.status, 400);
  const Json first = body_of(ret(20));
  EXPECT_EQ(first["type"], "Refund");  // IOS TransactionTypeDto 5
  EXPECT_EQ(first["typeId"], 5);
  EXPECT_NE(first["transactionId"], id);
  EXPECT_FALSE(first.contains("processedAmount"));  // the generic result (IOS L9639)
  EXPECT_EQ(by_id(first["transactionId"])["amount"]["totalAmount"], 20);
  EXPECT_EQ(ret(30.01).response.status, 400);
  // The document's return body (E7) has cardDataSource 0: no such value (CardDataSourceDto is
  // 1..7, and the field is required): refused as the host would.
  Json e7 = {{"track1", nullptr}, {"track2", nullptr}, {"emvTags", nullptr}, {"emvPaymentAppVersion", nullptr},
             {"cardDataSource", 0}, {"pin", nullptr}, {"pinKsn", nullptr}, {"transactionId", id}, {"amount", nullptr}};
  const auto zero = post("/pay-api/v1/transactions/return", e7);
  EXPECT_EQ(zero.response.status, 400);
  EXPECT_TRUE(body_of(zero)["errors"].contains("CardDataSource"));
  e7["cardDataSource"] = nullptr;
  EXPECT_EQ(post("/pay-api/v1/transactions/return", e7).response.status, 400);
  e7["cardDataSource"] = 1;  // amount null: the rest
  const Json rest = body_of(post("/pay-api/v1/transactions/return", e7));
  EXPECT_EQ(by_id(rest["transactionId"])["amount"]["totalAmount"], 30);
  EXPECT_EQ(by_id(id)["status"], "Refunded");
  EXPECT_EQ(post("/pay-api/v1/transactions/return", e7).response.status, 400);
}

TEST_F(AuroraTest, TipAdjustmentOnlyBeforeSettlement) {
  const std::string id = pay("sale", "40.00")["transactionId"];
  const Json t = body_of(post("/pay-api/v1/transactions/tip-adjustment", {{"transactionId", id}, {"tipAmount", 10}}));
  EXPECT_EQ(t["type"], "TipAdjustment");
  EXPECT_EQ(by_id(id)["totalAmount"], 50);
  post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}});
  EXPECT_EQ(post("/pay-api/v1/transactions/tip-adjustment", {{"transactionId", id}, {"tipAmount", 5}}).response.status, 400);
  // Settled with the tip: a return can take back 50.00.
  EXPECT_EQ(post("/pay-api/v1/transactions/return", {{"transactionId", id}, {"cardDataSource", 1}, {"amount", 50}})
                .response.status,
            200);
}

TEST_F(AuroraTest, SettleMovesTheOpenBatchOfThatProcessor) {
  const std::string mine = pay("sale", "1.00", "p-1")["transactionId"];
  const std::string other = pay("sale", "2.00", "p-2")["transactionId"];
  const std::string auth_only = pay("auth", "3.00", "p-1")["transactionId"];
  const Json s = body_of(call(http::Method::post, "/pay-api/v1/transactions/settle",
                              R"({"paymentProcessorId": "p-1"})"));
  EXPECT_EQ(s["code"], 0);
  EXPECT_EQ(by_id(mine)["status"], "Settled");
  EXPECT_EQ(by_id(mine)["statusId"], 6);
  const Json settled = body_of(call(http::Method::get, "/pay-api/v1/transactions?noBatch=false&pageSize=100"));
  for (const auto& item : settled["items"])
    EXPECT_EQ(item["batchId"].is_null(), item["id"] != mine) << item["id"];  // the list shows the batch
  EXPECT_EQ(by_id(other)["status"], "Captured");
  EXPECT_EQ(by_id(auth_only)["status"], "Authorized");
  EXPECT_EQ(body_of(call(http::Method::get, "/pay-api/v1/transactions?noBatch=true"))["total"], 2);
  // The document's settle body (E9): an unknown processor is created on first use.
  EXPECT_EQ(body_of(call(http::Method::post, "/pay-api/v1/transactions/settle", std::string(kAuroraSettle)))["code"], 0);
}

TEST_F(AuroraTest, ListPagesFromZeroNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    pay("sale", std::to_string(i + 1));
    clock.advance(1s);
  }
  // page is zero-based (IOS TransactionFilters.page "First page is 0").
  const Json page1 = body_of(call(http::Method::get, "/pay-api/v1/transactions?page=1&pageSize=2"));
  EXPECT_EQ(page1["total"], 5);
  ASSERT_EQ(page1["items"].size(), 2u);
  EXPECT_EQ(page1["items"][0]["baseAmount"], 3);  // sim: newest first unless asc=true
  const Json last = body_of(call(http::Method::get, "/pay-api/v1/transactions?page=2&pageSize=2"));
  EXPECT_EQ(last["items"].size(), 1u);
  const Json asc = body_of(call(http::Method::get, "/pay-api/v1/transactions?asc=true&orderBy=date&pageSize=1"));
  EXPECT_EQ(asc["items"][0]["baseAmount"], 1);
  const Json desc = body_of(call(http::Method::get, "/pay-api/v1/transactions?asc=false&orderBy=Date&page=0&pageSize=1"));
  EXPECT_EQ(desc["items"][0]["baseAmount"], 5);
  for (std::string_view bad : {"pageSize=0", "pageSize=101", "page=-1", "page=x", "asc=yes", "noBatch=1", "orderBy=amount",
                               "createMethodId=0", "batchId=not-a-uuid", "createdById=42"}) {
    const auto r = call(http::Method::get, "/pay-api/v1/transactions?" + std::string(bad));
    EXPECT_EQ(r.response.status, 400) << bad;
    EXPECT_EQ(body_of(r)["statusCode"], 400) << bad;
  }
}

TEST_F(AuroraTest, BadRequestsGetTheErrorBody) {
  const auto malformed = call(http::Method::post, "/pay-api/v1/transactions/sale", "{\"amount\": 1.00,");
  EXPECT_EQ(malformed.response.status, 400);
  EXPECT_EQ(body_of(malformed)["statusCode"], 400);
  const auto missing = post("/pay-api/v1/transactions/void", Json::object());
  EXPECT_EQ(missing.response.status, 400);
  EXPECT_EQ(body_of(missing)["details"], "Transaction Id is required");
  const auto unknown = post("/pay-api/v1/transactions/void", {{"transactionId", "38cdda7f-23b8-444a-afce-96a65b7c4ae6"}});
  EXPECT_EQ(unknown.response.status, 404);
  EXPECT_EQ(body_of(unknown)["errorCode"], "NotFound");
  EXPECT_EQ(call(http::Method::get, "/pay-api/v1/transactions/nope").response.status, 404);
  const Json too_fine = body_of(post("/pay-api/v1/transactions/sale", {{"amount", 1.005}, {"paymentProcessorId", "p"}, {"cardDataSource", 7}}));
  EXPECT_EQ(too_fine["statusCode"], 400);
  EXPECT_TRUE(too_fine["errors"].contains("Amount"));
}

TEST_F(AuroraTest, MalformedInputNeverThrows) {
  for (std::string_view body : {"[]", "null", "\"x\"", "{\"amount\": \"12\"}", "{\"paymentProcessorId\": 5}",
                                "{\"paymentProcessorId\": \"p\", \"amount\": 1, \"track1\": 7}",
                                "{\"paymentProcessorId\": \"p\", \"amount\": 1, \"track2\": \"4111=\"}",
                                "{\"paymentProcessorId\": \"p\", \"amount\": 1, \"emvTags\": [1]}",
                                "{\"paymentProcessorId\": \"p\", \"amount\": 1, \"emvTags\": \"5A01\"}",
                                "{\"paymentProcessorId\": \"p\", \"amount\": 1e400}",
                                "{\"transactionId\": [\"a\"]}", "\xff\xfe"}) {
    for (std::string_view path : {"/pay-api/v1/transactions/sale", "/pay-api/v1/transactions/capture",
                                  "/pay-api/v1/transactions/settle", "/pay-api/v1/transactions/tip-adjustment"})
    {
      const auto status = call(http::Method::post, std::string(path), std::string(body)).response.status;
      // settle needs only paymentProcessorId, so some of these bodies are fine there
      EXPECT_TRUE(status == 400 || (status == 200 && path.ends_with("settle"))) << body << " " << path;
    }
  }
  Json odd = Json::parse(kAuroraSale);
  odd["referenceId"] = "\xc3\x28";  // invalid UTF-8 echoed back: replaced, never thrown
  odd["expirationYear"] = 30;
  EXPECT_EQ(call(http::Method::post, "/pay-api/v1/transactions/sale", odd.dump(-1, ' ', false, Json::error_handler_t::ignore)).response.status, 200);
}

TEST_F(AuroraTest, ScriptedBehaviourByAmount) {
  EXPECT_EQ(pay("sale", "1.51")["details"]["hostResponseCode"], "05");
  const Json partial = pay("auth", "10.52");
  EXPECT_EQ(partial["details"]["hostResponseCode"], "10");
  EXPECT_EQ(partial["processedAmount"].dump(), "5.26");
  EXPECT_EQ(pay("sale", "1.53")["details"]["hostResponseDefinition"], "Insufficient funds");

  Json body = Json::parse(kAuroraSale);
  body["expirationYear"] = 30;
  auto run = [&](std::string_view amount) {
    body["amount"] = Json::parse(amount);
    return post("/pay-api/v1/transactions/sale", body);
  };
  EXPECT_EQ(run("1.54").kind, ServerAction::Kind::no_answer);
  EXPECT_EQ(run("1.55").kind, ServerAction::Kind::close_connection);
  const auto e500 = run("1.56");
  EXPECT_EQ(e500.response.status, 500);
  const auto bad = run("1.57");
  EXPECT_EQ(bad.response.status, 200);
  EXPECT_TRUE(body_of(bad).is_discarded());
  const auto slow = run("1.58");
  EXPECT_EQ(slow.kind, ServerAction::Kind::delay);
  EXPECT_EQ(slow.after, 2000ms);
  EXPECT_EQ(body_of(slow)["status"], "Captured");
  // no_answer, close and malformed were processed (the answer was lost); 500 was not.
  EXPECT_EQ(body_of(call(http::Method::get, "/pay-api/v1/transactions?noBatch=true"))["total"], 7);
}

TEST_F(AuroraTest, ControlEndpointScriptsTheNextRequests) {
  auto control = request(http::Method::post, "/sim/behaviour", R"({"next": "partial:5.00", "count": 2})");
  EXPECT_EQ(sim.handle(control).response.status, 200);
  EXPECT_EQ(pay("auth", "20.00")["processedAmount"], 5);
  EXPECT_EQ(pay("auth", "20.00")["processedAmount"], 5);
  EXPECT_EQ(pay("auth", "20.00")["processedAmount"], 20);
  control.body = R"({"next": "decline"})";
  sim.handle(control);
  EXPECT_EQ(call(http::Method::get, "/pay-api/v1/transactions").response.status, 200);  // not a payment: untouched
  EXPECT_EQ(pay("sale", "20.00")["status"], "Declined");
  control.body = R"({"next": "delay:150", "count": 1})";
  sim.handle(control);
  const auto delayed = call(http::Method::get, "/pay-api/v1/transactions");
  EXPECT_EQ(delayed.kind, ServerAction::Kind::delay);
  EXPECT_EQ(delayed.after, 150ms);
  control.body = R"({"next": "error_500"})";
  sim.handle(control);
  EXPECT_EQ(post("/pay-api/v1/transactions/settle", {{"paymentProcessorId", "p-1"}}).response.status, 500);
  control.body = R"({"next": "explode"})";
  EXPECT_EQ(sim.handle(control).response.status, 400);
  control.body = "{";
  EXPECT_EQ(sim.handle(control).response.status, 400);
}

// The real answer has no issuer EMV data (IOS L1177, RAW E3): the simulator sends none unless
// its own option asks for it (AuroraConfig::issuer_emv_data).
TEST_F(AuroraTest, ChipIssuerTagsOnlyAsTheSimulatorsOption) {
  Json body = Json::parse(kAuroraSale);
  body["accountNumber"] = nullptr;
  body["cardDataSource"] = 4;
  // 5A PAN, 5F24 expiry 301231, 5F34 PSN 01, 9F26 cryptogram.
  body["emvTags"] = Json::array({"5A084761739001010010", "5F24033012315F340101", "9F26081122334455667788"});
  Json r = body_of(post("/pay-api/v1/transactions/sale", body));
  EXPECT_EQ(r["status"], "Captured");
  EXPECT_FALSE(r.contains("emvTags"));
  // The detail keeps the request's chip data (IOS EmvTagsIsvDto): its cryptogram among them.
  EXPECT_EQ(by_id(r["transactionId"])["emvTags"]["ac"], "1122334455667788");
  EXPECT_EQ(chip.last_psn, (Bytes{0x01}));
  EXPECT_TRUE(chip.last_approve);
  chip.cryptogram_ok = false;
  EXPECT_EQ(body_of(post("/pay-api/v1/transactions/sale", body))["status"], "Declined");

  HostSimConfig with_tags;
  with_tags.aurora.issuer_emv_data = true;
  HostSimulator tagging{with_tags, clock, nullptr, &pin, &chip};
  auto t = request(http::Method::post, "/oauth2/token", std::string(kForm));
  const std::string tok = body_of(tagging.handle(t))["access_token"];
  auto sale = request(http::Method::post, "/pay-api/v1/transactions/sale", body.dump());
  sale.set_header("Authorization", "Bearer " + tok);
  EXPECT_EQ(body_of(tagging.handle(sale))["emvTags"], "8A023035");
  chip.cryptogram_ok = true;
  r = body_of(tagging.handle(sale));
  EXPECT_EQ(r["status"], "Captured");
  EXPECT_EQ(r["emvTags"], "8A023030");
}

TEST_F(AuroraTest, CalculateAmount) {
  const Json r = body_of(call(http::Method::get,
                              "/pay-api/v1/transactions/calculate-amount?amount=100.00&tipAmount=5&percentageOffRate=3&surchargeRate=4"));
  EXPECT_EQ(r["cash"]["totalAmount"], 102);          // 100 - 3 + 5
  EXPECT_EQ(r["creditCard"]["surchargeAmount"].dump(), "3.88");  // 4 % of 97.00
  EXPECT_EQ(r["creditCard"]["totalAmount"].dump(), "105.88");
  EXPECT_EQ(r["debitCard"]["surchargeAmount"], 0);
  EXPECT_EQ(call(http::Method::get, "/pay-api/v1/transactions/calculate-amount").response.status, 400);
}

}  // namespace
}  // namespace tender::net::hostsim
