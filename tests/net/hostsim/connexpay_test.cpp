// ConnexPay served: the token, the document's own examples, the answers a terminal reads, and
// the scripted behaviours shared with the other hosts.
#include "connexpay_fixture.hpp"

namespace tender::net::hostsim {
namespace {

using namespace std::chrono_literals;
using namespace test;
using connexpay::Rule;
using Json = nlohmann::json;

TEST_F(ConnexPayTest, TokenIsAPasswordGrantLastingItsExpiresIn) {
  EXPECT_EQ(token_request("grant_type=password&username=tender-test&password=wrong").response.status, 400);
  EXPECT_EQ(body_of(token_request("grant_type=password&username=tender-test&password=wrong"))["error"], "invalid_grant");
  EXPECT_EQ(body_of(token_request("grant_type=client_credentials&username=tender-test&password=tender-test-secret"))["error"],
            "unsupported_grant_type");
  const auto a = token_request("grant_type=password&username=tender-test&password=tender-test-secret");
  ASSERT_EQ(a.response.status, 200);
  const Json t = body_of(a);
  EXPECT_EQ(t["token_type"], "bearer");
  EXPECT_EQ(t["expires_in"], 863999);
  bearer = t["access_token"];
  const auto batch = [&] { return call(http::Method::post, "/api/v1/Batches/close", Json{{"DeviceGuid", cx().device_guid}}.dump()); };
  EXPECT_EQ(batch().response.status, 200);
  clock.advance(863998s);
  EXPECT_EQ(batch().response.status, 200);
  clock.advance(1s);
  EXPECT_EQ(batch().response.status, 401);
  EXPECT_EQ(body_of(batch())["message"], "Authorization has been denied for this request.");
  bearer = "not-a-token";
  EXPECT_EQ(batch().response.status, 401);
  auto none = request(http::Method::post, "/api/v1/sales", keyed(10).dump());
  EXPECT_EQ(sim.handle(none).response.status, 401);
  EXPECT_TRUE(sim.ledger(Api::connexpay).select([](const Txn&) { return true; }).empty());
}

TEST_F(ConnexPayTest, PathsAreCaseInsensitive) {
  EXPECT_EQ(post("/api/v1/AuthOnlys", keyed(11)).response.status, 200);
  EXPECT_EQ(post("/API/V1/authonlys", keyed(12)).response.status, 200);
  EXPECT_EQ(post("/api/v1/Sales", keyed(13)).response.status, 200);
  EXPECT_EQ(post("/api/v1/nothing", keyed(14)).response.status, 404);
}

// H L864-L947 with the simulator's device guid (the document's device is its own).
TEST_F(ConnexPayTest, DocumentSaleExampleIsApprovedAsItIs) {
  Json body = Json::parse(kCxSale);
  body["DeviceGuid"] = cx().device_guid;
  const auto a = post("/api/v1/sales", body);
  ASSERT_EQ(a.response.status, 200);
  const Json s = body_of(a);
  EXPECT_EQ(s["status"], "Transaction - Approved");
  EXPECT_EQ(s["wasProcessed"], true);
  EXPECT_EQ(s["processorStatusCode"], "A0000");
  EXPECT_EQ(s["processorResponseMessage"], "Success");
  EXPECT_EQ(s["amount"], 1500);
  EXPECT_EQ(s["effectiveAmount"], 1500);
  EXPECT_EQ(s["batchStatus"], "Batch - Open");
  EXPECT_EQ(s["cardDataSource"], "INTERNET");
  EXPECT_EQ(s["sequenceNumber"], "849741");
  EXPECT_EQ(s["deviceGuid"], cx().device_guid);
  EXPECT_EQ(s["card"]["last4"], "0473");
  EXPECT_EQ(s["card"]["first6"], "471631");
  EXPECT_EQ(s["card"]["cardType"], "Visa");
  EXPECT_EQ(s["card"]["expirationDate"], "2019-12");
  const std::string token = s["card"]["cardNumber"];
  EXPECT_EQ(token.size(), 16U);
  EXPECT_TRUE(token.ends_with("0473"));
  EXPECT_EQ(token.find("471631"), std::string::npos);
  EXPECT_FALSE(s["authCode"].get<std::string>().empty());
  EXPECT_EQ(s["guid"].get<std::string>().size(), 36U);
  EXPECT_EQ(get("sales", s["guid"]), s);
  // The same card and amount again within the minute: D0008.
  body["SequenceNumber"] = "849742";
  EXPECT_EQ(body_of(post("/api/v1/sales", body))["processorStatusCode"], "D0008");
}

TEST_F(ConnexPayTest, CardPresentSalesSayHowTheCardWasRead) {
  EXPECT_EQ(ok_sale(swiped(20))["cardDataSource"], "SWIPE");
  const Json c = ok_sale(chip(21));
  EXPECT_EQ(c["cardDataSource"], "EMV");
  EXPECT_EQ(c["card"]["last4"], "0010");
  EXPECT_EQ(c["card"]["expirationDate"], "2030-12");
  EXPECT_EQ(ok_sale(fallback(22))["cardDataSource"], "FALLBACK_SWIPE");
  Json contactless = chip(23);
  contactless["CardDataSource"] = "EMV_CONTACTLESS";
  EXPECT_EQ(ok_sale(contactless)["cardDataSource"], "EMV_CONTACTLESS");
  Json nfc = swiped(24);
  nfc["CardDataSource"] = "NFC";
  nfc["Card"] = {{"Track1Data", kMastercardTrack1}, {"ExpirationDate", "3012"}};
  const Json n = ok_sale(nfc);
  EXPECT_EQ(n["cardDataSource"], "NFC");
  EXPECT_EQ(n["card"]["last4"], "3511");
  EXPECT_EQ(n["card"]["cardType"], "Mastercard");
  Json no_lcr = fallback(25);
  no_lcr["EmvFallbackCondition"] = "NO_CANDIDATE_LIST";
  no_lcr.erase("LastChipRead");
  EXPECT_EQ(ok_sale(no_lcr)["status"], "Transaction - Approved");
}

TEST_F(ConnexPayTest, IssuerDeclinesAre200WithADCode) {
  struct Case {
    Json body;
    const char* code;
    const char* text;
  };
  const Case cases[] = {
      {keyed(30.51), "D2026", "Do not honor"},
      {keyed(30.53), "D2012", "Insufficient Funds"},
      {keyed(30.00, kVisa, "1712"), "D2011", "Expired Card"},
      {keyed(30.00, "4111111111111112"), "D2024", "Check Digit Err"},
  };
  for (const Case& c : cases) {
    const Json d = ok_sale(c.body);
    EXPECT_EQ(d["status"], "Transaction - Declined");
    EXPECT_EQ(d["wasProcessed"], false);
    EXPECT_EQ(d["processorStatusCode"], c.code);
    EXPECT_EQ(d["processorResponseMessage"], c.text);
    EXPECT_EQ(d["effectiveAmount"], 0);
    EXPECT_FALSE(d.contains("authCode"));
  }
}

TEST_F(ConnexPayTest, PartialApprovalAnswersA0002WithTheApprovedAmount) {
  const Json p = ok_sale(keyed(40.52), "/api/v1/AuthOnlys");
  EXPECT_EQ(p["status"], "Transaction - Approved");
  EXPECT_EQ(p["processorStatusCode"], "A0002");
  EXPECT_EQ(p["processorResponseMessage"], "Partially Approved");
  EXPECT_EQ(p["amount"], 20.26);
  ASSERT_EQ(sim.handle([&] {
                auto r = request(http::Method::post, "/sim/behaviour", R"({"next":"partial:5.00"})");
                return r;
              }()).response.status,
            200);
  const Json q = ok_sale(keyed(41));
  EXPECT_EQ(q["processorStatusCode"], "A0002");
  EXPECT_EQ(q["amount"], 5);
}

TEST_F(ConnexPayTest, LostAnswersLeaveTheSaleApprovedForTheTimeoutReversal) {
  Json sale = keyed(50.54);
  const auto lost = post("/api/v1/sales", sale);
  EXPECT_EQ(lost.kind, ServerAction::Kind::no_answer);
  const auto sales = sim.ledger(Api::connexpay).select([](const Txn& t) { return t.type == TxnType::sale; });
  ASSERT_EQ(sales.size(), 1U);
  EXPECT_EQ(sales[0]->status, TxnStatus::captured);
  EXPECT_EQ(post("/api/v1/sales", keyed(50.55)).kind, ServerAction::Kind::close_connection);
  EXPECT_EQ(post("/api/v1/sales", keyed(50.56)).response.status, 500);
  EXPECT_EQ(post("/api/v1/sales", keyed(50.58)).kind, ServerAction::Kind::delay);
  const Json reversal{{"DeviceGuid", cx().device_guid}, {"SequenceNumber", sale["SequenceNumber"]}};
  const auto r = post("/api/v1/timeoutreversal", reversal);
  ASSERT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body, "\"Device Guid and Sequence Number combination found and voided.\"");
  EXPECT_EQ(sim.ledger(Api::connexpay).select([](const Txn& t) { return t.type == TxnType::sale; })[0]->status,
            TxnStatus::voided);
  // A repeated reversal hears the same ([SIM]: a terminal retries until it hears one).
  EXPECT_EQ(post("/api/v1/timeoutreversal", reversal).response.body, r.response.body);
}

TEST_F(ConnexPayTest, QueuedTransportBehavioursApplyToAnyAuthorizedRequest) {
  const Json s = ok_sale(keyed(55));
  const auto control = [&](std::string body) { return sim.handle(request(http::Method::post, "/sim/behaviour", std::move(body))); };
  ASSERT_EQ(control(R"({"next":"error_500"})").response.status, 200);
  // Neither a refused request (401) nor the token request takes it.
  auto anonymous = request(http::Method::get, "/api/v1/sales/" + s["guid"].get<std::string>());
  EXPECT_EQ(sim.handle(anonymous).response.status, 401);
  bearer.clear();
  const auto failed = call(http::Method::get, "/api/v1/sales/" + s["guid"].get<std::string>());
  EXPECT_EQ(failed.response.status, 500);
  EXPECT_EQ(body_of(failed)["message"], "An error has occurred.");
  ASSERT_EQ(control(R"({"next":"no_answer"})").response.status, 200);
  EXPECT_EQ(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", s["guid"]}}).kind, ServerAction::Kind::no_answer);
  EXPECT_EQ(get("sales", s["guid"])["effectiveAmount"], 0);  // processed: the answer was lost
  // A card outcome waits for a request that decides on a card.
  ASSERT_EQ(control(R"({"next":"decline"})").response.status, 200);
  EXPECT_EQ(close_batch(cx().device_guid)["status"], "PASS");
  EXPECT_EQ(ok_sale(keyed(56))["processorStatusCode"], "D2026");
}

// H L1582-L1585 with the simulator's device: the sale with SequenceNumber 849741 (H's sale).
TEST_F(ConnexPayTest, DocumentTimeoutReversalExampleVoidsTheSale) {
  Json sale = Json::parse(kCxSale);
  sale["DeviceGuid"] = cx().device_guid;
  const Json s = ok_sale(sale);
  Json reversal = Json::parse(kCxTimeoutReversal);
  reversal["DeviceGuid"] = cx().device_guid;
  const auto r = post("/api/v1/timeoutreversal", reversal);
  ASSERT_EQ(r.response.status, 200);
  EXPECT_EQ(body_of(r), "Device Guid and Sequence Number combination found and voided.");
  EXPECT_EQ(get("sales", s["guid"])["effectiveAmount"], 0);
  const Json voids = body_of(post("/api/v1/Search/Voids/false", {{"MerchantGuid", cx().merchant_guid}}));
  ASSERT_EQ(voids["count"], 1);
  EXPECT_EQ(voids["ret"][0]["saleGuid"], s["guid"]);
  EXPECT_EQ(voids["ret"][0]["voidReason"], "DEVICE_TIMEOUT");
}

TEST_F(ConnexPayTest, TimeoutReversalNotFound) {
  expect_refused(post("/api/v1/timeoutreversal", {{"DeviceGuid", cx().device_guid}, {"SequenceNumber", "nothing"}}),
                 Rule::reversal_not_found);
  expect_refused(post("/api/v1/timeoutreversal", {{"DeviceGuid", cx().device_guid}}), Rule::reversal_not_found);
  // A declined sale is found and not voided; a settled one is not voided either.
  Json declined = keyed(60.51);
  ok_sale(declined);
  expect_refused(post("/api/v1/timeoutreversal", {{"DeviceGuid", cx().device_guid}, {"SequenceNumber", declined["SequenceNumber"]}}),
                 Rule::void_sale_not_processed);
  Json settled = keyed(61);
  ok_sale(settled);
  close_batch(cx().device_guid);
  expect_refused(post("/api/v1/timeoutreversal", {{"DeviceGuid", cx().device_guid}, {"SequenceNumber", settled["SequenceNumber"]}}),
                 Rule::void_settled);
}

TEST_F(ConnexPayTest, OtherDevicesSalesAreNotReachableByTimeoutReversal) {
  const auto other = sim.connexpay_other_device_sale(7000, kVisa, "3012", "shared-sequence-1");
  ASSERT_TRUE(other) << other.error().message;
  // This terminal's own sale with the same SequenceNumber, another card and amount.
  Json mine = keyed(71, "5413330056003511");
  mine["SequenceNumber"] = "shared-sequence-1";
  const Json s = ok_sale(mine);
  const Json reversal{{"DeviceGuid", cx().device_guid}, {"SequenceNumber", "shared-sequence-1"}};
  EXPECT_EQ(post("/api/v1/timeoutreversal", reversal).response.status, 200);
  EXPECT_EQ(get("sales", s["guid"])["effectiveAmount"], 0);
  const Json theirs = get("sales", *other);
  EXPECT_EQ(theirs["effectiveAmount"], 70);
  EXPECT_EQ(theirs["deviceGuid"], cx().other_device_guid);
  // Only the other terminal's own combination finds it.
  const auto again = sim.connexpay_other_device_sale(7100, kVisa, "3012", "other-only");
  ASSERT_TRUE(again);
  expect_refused(post("/api/v1/timeoutreversal", {{"DeviceGuid", cx().device_guid}, {"SequenceNumber", "other-only"}}),
                 Rule::reversal_not_found);
  EXPECT_EQ(get("sales", *again)["status"], "Transaction - Approved");
}

TEST_F(ConnexPayTest, DuplicateCardAndAmountWithinAMinuteIsD0008) {
  const Json first = ok_sale(keyed(80));
  EXPECT_EQ(first["status"], "Transaction - Approved");
  clock.advance(59s);
  const Json second = ok_sale(keyed(80));  // a new SequenceNumber, the same card and amount
  EXPECT_EQ(second["status"], "Transaction - Declined");
  EXPECT_EQ(second["processorStatusCode"], "D0008");
  EXPECT_EQ(second["processorResponseMessage"], "Possible Duplicate Request");
  EXPECT_EQ(second["wasProcessed"], false);
  EXPECT_EQ(ok_sale(keyed(80.01))["status"], "Transaction - Approved");  // another amount
  // The other device of the merchant counts too.
  ASSERT_TRUE(sim.connexpay_other_device_sale(9000, kVisa, "3012", "other-1"));
  EXPECT_EQ(ok_sale(keyed(90))["processorStatusCode"], "D0008");
  clock.advance(61s);
  EXPECT_EQ(ok_sale(keyed(80))["status"], "Transaction - Approved");
}

TEST_F(ConnexPayTest, SameSequenceNumberWithinThirtyMinutesIsRefused) {
  Json sale = keyed(81);
  ok_sale(sale);
  Json again = keyed(82);
  again["SequenceNumber"] = sale["SequenceNumber"];
  clock.advance(29min);
  expect_refused(post("/api/v1/sales", again), Rule::duplicate_sequence_approved);
  Json declined = keyed(83.51);
  ok_sale(declined);
  Json retry = keyed(84);
  retry["SequenceNumber"] = declined["SequenceNumber"];
  expect_refused(post("/api/v1/sales", retry), Rule::duplicate_sequence_declined);
  // Another device may use the same number; after 30 minutes this one may again.
  EXPECT_TRUE(sim.connexpay_other_device_sale(8500, kVisa, "3012", sale["SequenceNumber"].get<std::string>()));
  clock.advance(1min);
  EXPECT_EQ(ok_sale(again)["status"], "Transaction - Approved");
}

// H L2165-L2169 (capture): a NEW sale, which later voids must target.
TEST_F(ConnexPayTest, CaptureCreatesANewSaleThatVoidsTarget) {
  const Json auth = ok_sale(keyed(100), "/api/v1/AuthOnlys");
  Json body = Json::parse(kCxCapture);
  body["DeviceGuid"] = cx().device_guid;
  body["AuthOnlyGuid"] = auth["guid"];
  const auto a = post("/api/v1/Captures", body);
  ASSERT_EQ(a.response.status, 200);
  const Json c = body_of(a);
  EXPECT_EQ(c["status"], "Transaction - Approved");
  EXPECT_EQ(c["newAmount"], 90);
  EXPECT_EQ(c["authOnlyGuid"], auth["guid"]);
  EXPECT_EQ(c["authOnly"]["guid"], auth["guid"]);
  const std::string sale = c["sale"]["guid"];
  EXPECT_EQ(c["relatedSale"]["guid"], sale);
  EXPECT_NE(sale, c["guid"]);
  EXPECT_NE(sale, auth["guid"]);
  EXPECT_EQ(c["sale"]["amount"], 90);
  EXPECT_EQ(get("captures", c["guid"]), c);
  EXPECT_EQ(get("sales", sale)["amount"], 90);
  expect_refused(post("/api/v1/Captures", body), Rule::capture_twice);
  Json void_auth{{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", auth["guid"]}, {"VoidReason", "POST_AUTH_USER_DECLINE"}};
  expect_refused(post("/api/v1/void", void_auth), Rule::void_auth_captured);
  Json void_sale{{"DeviceGuid", cx().device_guid}, {"SaleGuid", sale}, {"VoidReason", "POST_AUTH_USER_DECLINE"}};
  const auto v = post("/api/v1/void", void_sale);
  ASSERT_EQ(v.response.status, 201);
  EXPECT_EQ(body_of(v)["saleGuid"], sale);
  EXPECT_EQ(body_of(v)["sale"]["effectiveAmount"], 0);
  EXPECT_EQ(get("void", body_of(v)["guid"]), body_of(v));
  // The voided sale settles nothing.
  EXPECT_EQ(close_batch(cx().device_guid)["batchInfo"]["saleCount"], 0);
}

TEST_F(ConnexPayTest, CaptureRules) {
  Json body{{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", "0f1e2d3c-4b5a-4968-a7b6-c5d4e3f2a1b0"}};
  expect_refused(post("/api/v1/Captures", body), Rule::capture_no_match);
  const Json auth = ok_sale(keyed(110), "/api/v1/AuthOnlys");
  body["AuthOnlyGuid"] = auth["guid"];
  body["NewAmount"] = 110.01;
  expect_refused(post("/api/v1/Captures", body), Rule::capture_over_authorized);
  body["NewAmount"] = 0.49;
  expect_refused(post("/api/v1/Captures", body), Rule::amount_below_minimum);
  body["NewAmount"] = 0;
  expect_refused(post("/api/v1/Captures", body), Rule::capture_amount_not_positive);
  const Json declined = ok_sale(keyed(111.51), "/api/v1/AuthOnlys");
  body["AuthOnlyGuid"] = declined["guid"];
  body.erase("NewAmount");
  expect_refused(post("/api/v1/Captures", body), Rule::capture_no_match);
  // Without NewAmount the whole authorization; another device of the merchant may capture.
  body["AuthOnlyGuid"] = auth["guid"];
  body["DeviceGuid"] = cx().other_device_guid;
  EXPECT_EQ(body_of(post("/api/v1/Captures", body))["sale"]["amount"], 110);
  body["DeviceGuid"] = cx().foreign_device_guid;
  expect_refused(post("/api/v1/Captures", body), Rule::foreign_device);
}

// H L2652-L2656 with the simulator's device and sale.
TEST_F(ConnexPayTest, DocumentVoidExampleAndTheVoidRules) {
  const Json s = ok_sale(keyed(19.74));
  Json body = Json::parse(kCxVoid);
  body["DeviceGuid"] = cx().device_guid;
  body["SaleGuid"] = s["guid"];
  const auto a = post("/api/v1/void", body);
  ASSERT_EQ(a.response.status, 201);
  const Json v = body_of(a);
  EXPECT_EQ(v["status"], "Transaction - Approved");
  EXPECT_EQ(v["voidReason"], "DEVICE_TIMEOUT");
  EXPECT_EQ(v["processorStatusCode"], "A0000");
  EXPECT_EQ(v["saleGuid"], s["guid"]);
  EXPECT_EQ(v["sale"]["effectiveAmount"], 0);
  expect_refused(post("/api/v1/void", body), Rule::void_again);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}}), Rule::void_none);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", s["guid"]}, {"AuthOnlyGuid", s["guid"]}}),
                 Rule::void_many);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", s["guid"]}, {"SaleReferenceNumber", 1}}),
                 Rule::void_many);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", s["guid"]}}), Rule::void_not_found);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", "1d2c3b4a-5f6e-4d7c-8b9a-a1b2c3d4e5f6"}}),
                 Rule::void_not_found);
  const Json declined = ok_sale(keyed(20.51));
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", declined["guid"]}}),
                 Rule::void_sale_not_processed);
  const Json declined_auth = ok_sale(keyed(21.51), "/api/v1/AuthOnlys");
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", declined_auth["guid"]}}),
                 Rule::void_auth_not_processed);
  const Json settled = ok_sale(keyed(22));
  close_batch(cx().device_guid);
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", settled["guid"]}}), Rule::void_settled);
  EXPECT_EQ(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", settled["guid"]}, {"VoidReason", "BECAUSE"}})
                .response.status,
            400);
  const Json auth = ok_sale(keyed(23), "/api/v1/AuthOnlys");
  const auto va = post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", auth["guid"]}});
  ASSERT_EQ(va.response.status, 201);
  EXPECT_EQ(body_of(va)["authOnlyGuid"], auth["guid"]);
}

TEST_F(ConnexPayTest, ChipVoidNeedsItsReason_F9915) {
  const Json s = ok_sale(chip(30));
  Json body{{"DeviceGuid", cx().device_guid}, {"SaleGuid", s["guid"]}};
  expect_refused(post("/api/v1/void", body), Rule::void_reason_chip);
  body["VoidReason"] = "POST_AUTH_CHIP_DECLINE";
  EXPECT_EQ(post("/api/v1/void", body).response.status, 201);
  // A captured chip AuthOnly's sale too.
  Json contactless = chip(31);
  contactless["CardDataSource"] = "EMV_CONTACTLESS";
  const Json auth = ok_sale(contactless, "/api/v1/AuthOnlys");
  const Json c = body_of(post("/api/v1/Captures", {{"DeviceGuid", cx().device_guid}, {"AuthOnlyGuid", auth["guid"]}}));
  expect_refused(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", c["sale"]["guid"]}}), Rule::void_reason_chip);
}

// H L3117-L3121 with the simulator's device and sale: after settlement only.
TEST_F(ConnexPayTest, DocumentReturnExampleAfterSettlement) {
  const Json s = ok_sale(keyed(19.74));
  Json body = Json::parse(kCxReturn);
  body["DeviceGuid"] = cx().device_guid;
  body["SaleGuid"] = s["guid"];
  const auto early = post("/api/v1/returns", body);
  ASSERT_EQ(early.response.status, 422);
  EXPECT_EQ(body_of(early)["message"], "Sale has not been settled");  // C2's check, verbatim
  const Json batch = close_batch(cx().device_guid);
  EXPECT_EQ(get("sales", s["guid"])["batchStatus"], "Batch - Closed");
  EXPECT_EQ(get("sales", s["guid"])["batchGuid"], batch["guid"]);
  const auto a = post("/api/v1/returns", body);
  ASSERT_EQ(a.response.status, 200);
  const Json r = body_of(a);
  EXPECT_EQ(r["status"], "Transaction - Approved");
  EXPECT_EQ(r["processorStatusCode"], "A0014");
  EXPECT_EQ(r["amount"], 19.74);
  EXPECT_EQ(r["saleGuid"], s["guid"]);
  EXPECT_EQ(r["sale"]["effectiveAmount"], 0);
  EXPECT_EQ(get("returns", r["guid"]), r);
  body["Amount"] = 0.50;
  expect_refused(post("/api/v1/returns", body), Rule::return_exceeded);
  // Voiding the return (before its own settlement) gives the amount back to the sale.
  ASSERT_EQ(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"ReturnGuid", r["guid"]}}).response.status, 201);
  EXPECT_EQ(get("sales", s["guid"])["effectiveAmount"], 19.74);
  EXPECT_EQ(post("/api/v1/returns", body).response.status, 200);
}

TEST_F(ConnexPayTest, ReturnRules) {
  const Json s = ok_sale(keyed(50));
  Json body{{"DeviceGuid", cx().device_guid}, {"SaleGuid", s["guid"]}, {"Amount", 10}};
  expect_refused(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"Amount", 10}}), Rule::return_no_sale);
  body["Amount"] = 0;
  expect_refused(post("/api/v1/returns", body), Rule::return_not_positive);
  body["Amount"] = 0.49;
  expect_refused(post("/api/v1/returns", body), Rule::amount_below_minimum);
  body["Amount"] = 30;
  expect_refused(post("/api/v1/returns", body), Rule::return_not_settled);
  close_batch(cx().device_guid);
  EXPECT_EQ(post("/api/v1/returns", body).response.status, 200);
  expect_refused(post("/api/v1/returns", body), Rule::return_exceeded);  // 30 + 30 > 50
  body["Amount"] = 20;
  EXPECT_EQ(post("/api/v1/returns", body).response.status, 200);  // exactly the rest
  const Json voided = ok_sale(keyed(51));
  ASSERT_EQ(post("/api/v1/void", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", voided["guid"]}}).response.status, 201);
  expect_refused(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", voided["guid"]}, {"Amount", 1}}),
                 Rule::return_voided);
  const Json declined = ok_sale(keyed(52.51));
  expect_refused(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", declined["guid"]}, {"Amount", 1}}),
                 Rule::return_not_allowed);
  expect_refused(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", "9a8b7c6d-5e4f-4a3b-8c2d-e1f0a9b8c7d6"}, {"Amount", 1}}),
                 Rule::return_sale_unknown);
  const Json old = ok_sale(keyed(53));
  close_batch(cx().device_guid);
  clock.advance(std::chrono::hours{24 * 180});
  bearer.clear();  // the token lasts ten days
  EXPECT_EQ(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", old["guid"]}, {"Amount", 1}}).response.status, 200);
  clock.advance(1s);
  expect_refused(post("/api/v1/returns", {{"DeviceGuid", cx().device_guid}, {"SaleGuid", old["guid"]}, {"Amount", 1}}),
                 Rule::return_too_old);
}

// H L4004-L4006 with the simulator's device: this device's batch, H's body.
TEST_F(ConnexPayTest, DocumentBatchCloseExampleSettlesThisDevice) {
  ok_sale(keyed(100));
  ok_sale(keyed(37.65));
  ok_sale(keyed(5.51));  // declined: not in the batch
  const Json auth = ok_sale(keyed(60), "/api/v1/AuthOnlys");  // not captured: stays open
  ASSERT_TRUE(sim.connexpay_other_device_sale(4200, kVisa, "3012", "other-batch"));
  Json body = Json::parse(kCxBatchClose);
  body["DeviceGuid"] = cx().device_guid;
  const auto a = post("/api/v1/Batches/close", body);
  ASSERT_EQ(a.response.status, 200);
  const Json b = body_of(a);
  EXPECT_EQ(b["deviceGuid"], cx().device_guid);
  EXPECT_EQ(b["status"], "PASS");
  EXPECT_EQ(b["responseCode"], "A0000");
  EXPECT_EQ(b["responseMessage"], "Success");
  EXPECT_EQ(b["batchInfo"]["siccode"], "5999");
  EXPECT_EQ(b["batchInfo"]["saleCount"], 2);
  EXPECT_EQ(b["batchInfo"]["saleAmount"], 137.65);
  EXPECT_EQ(b["batchInfo"]["returnCount"], 0);
  EXPECT_EQ(b["batchInfo"]["returnAmount"], 0);
  EXPECT_EQ(get("AuthOnlys", auth["guid"])["batchStatus"], "Batch - Open");
  // The other terminal's batch is its own.
  EXPECT_EQ(close_batch(cx().other_device_guid)["batchInfo"]["saleAmount"], 42);
  EXPECT_EQ(close_batch(cx().device_guid)["batchInfo"]["saleCount"], 0);  // an empty batch closes too
}

TEST_F(ConnexPayTest, VerifyIsKeyedAndMovesNoMoney) {
  const auto a = post("/api/v1/Verify", {{"DeviceGuid", cx().device_guid}, {"Card", {{"CardNumber", kVisa}, {"ExpirationDate", "3012"}}}});
  ASSERT_EQ(a.response.status, 201);
  EXPECT_EQ(body_of(a)["status"], "Transaction - Approved");
  EXPECT_EQ(body_of(a)["card"]["last4"], "1111");
  EXPECT_EQ(close_batch(cx().device_guid)["batchInfo"]["saleCount"], 0);
}

TEST_F(ConnexPayTest, GetByGuidFindsOnlyItsKind) {
  const Json s = ok_sale(keyed(12));
  EXPECT_EQ(get("sales", s["guid"])["guid"], s["guid"]);
  const auto wrong = call(http::Method::get, "/api/v1/AuthOnlys/" + s["guid"].get<std::string>());
  expect_refused(wrong, Rule::not_found);
  expect_refused(call(http::Method::get, "/api/v1/sales/00000000-0000-4000-8000-00000000000a"), Rule::not_found);
}

TEST_F(ConnexPayTest, SearchByMerchantWithItsFilters) {
  const Json a = keyed(10);
  const Json s1 = ok_sale(a);
  clock.advance(2min);
  const Json s2 = ok_sale(keyed(20));
  ASSERT_TRUE(sim.connexpay_other_device_sale(1000, "5413330056003511", "3012", "other-search"));
  const Json declined = ok_sale(keyed(30.51));
  const auto search = [&](const Json& body, std::string path = "/api/v1/Search/Sales/false") {
    return post(std::move(path), body);
  };
  const Json all = body_of(search({{"MerchantGuid", cx().merchant_guid}}));
  EXPECT_EQ(all["count"], 4);  // both devices of the merchant
  const Json mine = body_of(search({{"MerchantGuid", cx().merchant_guid}, {"OrderNumber", a["OrderNumber"]}}));
  ASSERT_EQ(mine["count"], 1);
  EXPECT_EQ(mine["ret"][0]["guid"], s1["guid"]);
  EXPECT_EQ(body_of(search({{"MerchantGuid", cx().merchant_guid}, {"AmountFrom", 10}, {"AmountTo", 20}}))["count"], 3);
  EXPECT_EQ(body_of(search({{"MerchantGuid", cx().merchant_guid}, {"Status", "Transaction - Declined"}}))["ret"][0]["guid"],
            declined["guid"]);
  EXPECT_EQ(body_of(search({{"MerchantGuid", cx().merchant_guid}, {"TimeStampFrom", s2["timeStamp"]}}))["count"], 3);
  EXPECT_EQ(body_of(search({{"MerchantGuid", cx().merchant_guid}, {"TimeStampTo", "2018-09-10"}}))["count"], 4);
  EXPECT_EQ(body_of(search({{"MerchantGuid", cx().merchant_guid}, {"TimeStampTo", "2018-09-09"}}, "/api/v1/Search/Sales/False"))
                .value("message", ""),
            "NoResultFound204");
  const Json page = body_of(search({{"MerchantGuid", cx().merchant_guid}}, "/api/v1/Search/Sales/false/2/3"));
  EXPECT_EQ(page["count"], 4);
  EXPECT_EQ(page["ret"].size(), 1U);
  expect_refused(search({{"MerchantGuid", cx().merchant_guid}, {"OrderNumber", "none"}}), Rule::no_result);
  expect_refused(search({{"MerchantGuid", "0a1b2c3d-4e5f-4a6b-8c7d-e8f9a0b1c2d3"}}), Rule::merchant_unknown);
  const auto missing = search(Json::object());
  EXPECT_EQ(missing.response.status, 400);
  EXPECT_TRUE(body_of(missing)["modelState"].contains("MerchantGuid"));
  const Json auths = body_of(search({{"MerchantGuid", cx().merchant_guid}}, "/api/v1/Search/AuthOnlys/false"));
  EXPECT_EQ(auths.value("message", ""), "NoResultFound204");
}

TEST_F(ConnexPayTest, MalformedBodiesAre400WithModelState) {
  const auto a = call(http::Method::post, "/api/v1/sales", "{not json");
  EXPECT_EQ(a.response.status, 400);
  EXPECT_EQ(body_of(a)["message"], "The request is invalid.");
  Json wrong = keyed(10);
  wrong["Amount"] = "ten";
  EXPECT_TRUE(body_of(post("/api/v1/sales", wrong))["modelState"].contains("Amount"));
  wrong = keyed(10);
  wrong["Amount"] = 10.001;
  EXPECT_EQ(post("/api/v1/sales", wrong).response.status, 400);
  wrong = fallback(10);
  wrong["LastChipRead"] = "MAYBE";
  EXPECT_TRUE(body_of(post("/api/v1/sales", wrong))["modelState"].contains("LastChipRead"));
  // V1's required objects of a sale, and its text limits.
  for (const char* required : {"ConnexPayTransaction", "RiskData"}) {
    Json without = keyed(10);
    without.erase(required);
    const auto r = post("/api/v1/sales", without);
    EXPECT_EQ(r.response.status, 400);
    EXPECT_TRUE(body_of(r)["modelState"].contains(required)) << required;
  }
  Json no_payments = keyed(10);
  no_payments["ConnexPayTransaction"] = Json::object();
  EXPECT_EQ(post("/api/v1/sales", no_payments).response.status, 400);
  Json long_order = keyed(10);
  long_order["OrderNumber"] = std::string(51, 'a');
  EXPECT_TRUE(body_of(post("/api/v1/sales", long_order))["modelState"].contains("OrderNumber"));
  Json odd_sequence = keyed(10);
  odd_sequence["SequenceNumber"] = "seq 1";
  EXPECT_TRUE(body_of(post("/api/v1/sales", odd_sequence))["modelState"].contains("SequenceNumber"));
  Json auth_only = keyed(10);  // an AuthOnly as H's example: no ConnexPayTransaction, no RiskData
  auth_only.erase("ConnexPayTransaction");
  auth_only.erase("RiskData");
  EXPECT_EQ(post("/api/v1/AuthOnlys", auth_only).response.status, 200);
  // Json.NET binds a decimal string (H's C# sample sends Amount = "1500").
  Json text = keyed(10);
  text["Amount"] = "15.25";
  EXPECT_EQ(ok_sale(text)["amount"], 15.25);
}

}  // namespace
}  // namespace tender::net::hostsim
