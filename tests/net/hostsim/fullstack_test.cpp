#include <gtest/gtest.h>

#include <set>

#include "common/log.hpp"
#include "fixtures.hpp"

namespace tender::net::hostsim {
namespace {

using namespace std::chrono_literals;
using namespace test;
using Json = nlohmann::json;

class FullStackTest : public ::testing::Test {
 protected:
  ManualClock clock{utc(2017, 10, 19, 20, 15, 19)};  // the document's example transaction date
  HostSimulator sim{HostSimConfig{}, clock};

  ServerAction call(http::Method m, std::string target, std::string body = {}) {
    auto r = request(m, std::move(target), std::move(body));
    r.set_header("Authorization", "api_tender_test");
    return sim.handle(r);
  }
  ServerAction post(std::string target, const Json& body) { return call(http::Method::post, std::move(target), body.dump()); }
  // A client's own idempotency key for each new request (as the FluidPay clients make one).
  std::string new_key() {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "7d3f6a54-8f3e-4c4e-9a55-%012d", ++keys_);
    return buffer;
  }
  Json card_txn(std::string_view type, std::int64_t amount, Json extra = Json::object()) {
    Json body = Json::parse(kFullStackCard);
    body["type"] = type;
    body["amount"] = amount;
    body["idempotency_key"] = new_key();
    body["payment_method"]["card"]["expiration_date"] = "12/30";
    body.update(extra);
    return body_of(post("/api/transaction", body))["data"];
  }
  Json search(const Json& criteria) { return body_of(post("/api/transaction/search", criteria)); }
  int keys_ = 0;
  Json by_id(const std::string& id) { return body_of(call(http::Method::get, "/api/transaction/" + id)); }
  void settle() { ASSERT_EQ(call(http::Method::post, "/api/terminal/1ucio551tlv85l7moe5s/settle").response.status, 200); }
};

TEST_F(FullStackTest, PrivateKeyRequiredAndCorrelationIdOnEveryResponse) {
  auto r = request(http::Method::get, "/api/terminals");
  const auto none = sim.handle(r);
  EXPECT_EQ(none.response.status, 401);
  EXPECT_EQ(body_of(none)["status"], "failed");
  EXPECT_TRUE(none.response.header("x-correlation-id").has_value());
  for (std::string_view wrong : {"pub_tender_test", "Bearer api_tender_test", "api_other"}) {
    r.set_header("Authorization", std::string(wrong));
    EXPECT_EQ(sim.handle(r).response.status, 401) << wrong;
  }
  const auto a = call(http::Method::get, "/api/terminals");
  // A resource the gateway does not have, under one of its roots (the simulator's origin also
  // serves ConnexPay under /api/v1/, so FullStack answers its own roots only).
  const auto b = call(http::Method::get, "/api/terminal/nothing");
  EXPECT_EQ(b.response.status, 404);
  ASSERT_TRUE(a.response.header("x-correlation-id") && b.response.header("x-correlation-id"));
  EXPECT_NE(*a.response.header("x-correlation-id"), *b.response.header("x-correlation-id"));
}

TEST_F(FullStackTest, DocumentCardExampleRunsAsItIs) {
  const auto a = call(http::Method::post, "/api/transaction", std::string(kFullStackCard));
  ASSERT_EQ(a.response.status, 200);
  const Json r = body_of(a);
  EXPECT_EQ(r["status"], "success");
  EXPECT_EQ(r["data"]["response_code"], 100);
  EXPECT_EQ(r["data"]["status"], "pending_settlement");
  EXPECT_EQ(r["data"]["amount"], 1112);
  const Json got = by_id(r["data"]["id"]);
  EXPECT_EQ(got["total_count"], 1);
  ASSERT_TRUE(got["data"].is_array());  // as the document's GET example
  const Json card = got["data"][0]["response_body"]["card"];
  EXPECT_EQ(card["masked_card"], "401200******5439");
  EXPECT_EQ(card["card_type"], "visa");
  EXPECT_EQ(card["expiration_date"], "12/20");
  EXPECT_EQ(got["data"][0]["order_id"], "someOrderID");
  EXPECT_EQ(got["data"][0]["po_number"], "somePONumber");
}

TEST_F(FullStackTest, DocumentTerminalExampleAndTerminalsList) {
  const Json terminals = body_of(call(http::Method::get, "/api/terminals"));
  EXPECT_EQ(terminals["total_count"], 1);
  EXPECT_EQ(terminals["data"][0]["id"], "1ucio551tlv85l7moe5s");
  const Json r = body_of(call(http::Method::post, "/api/transaction", fullstack_terminal_request()));
  EXPECT_EQ(r["data"]["response_code"], 100);
  EXPECT_EQ(r["data"]["payment_method"], "terminal");
  Json unknown = Json::parse(fullstack_terminal_request());
  unknown["payment_method"]["terminal"]["id"] = "nope";
  EXPECT_EQ(post("/api/transaction", unknown).response.status, 400);
}

TEST_F(FullStackTest, ExpiredCardIsDeclined) {
  clock.set(utc(2021, 1, 1));
  const Json r = body_of(call(http::Method::post, "/api/transaction", std::string(kFullStackCard)));
  EXPECT_EQ(r["data"]["response_code"], 223);  // fluidpay-go ResponseCodeExpiredCard
  EXPECT_EQ(r["data"]["status"], "declined");
  EXPECT_EQ(r["data"]["response"], "declined");
  EXPECT_EQ(r["data"]["response_body"]["card"]["response"], "declined");
  EXPECT_EQ(r["data"]["response_body"]["card"]["auth_code"], "");
}

// A swipe sends number and expiration_date beside its track: both are "required if
// payment_method.card is present" (L308-L309).
TEST_F(FullStackTest, SwipedClearTracks) {
  Json body = Json::parse(kFullStackCard);
  body["payment_method"]["card"] = {{"entry_type", "swiped"}, {"track_2", ";5413330056003511=2512101000000000?"},
                                    {"number", "5413330056003511"}, {"expiration_date", "12/25"}};
  const Json r = body_of(post("/api/transaction", body));
  EXPECT_EQ(r["data"]["response_code"], 100);
  EXPECT_EQ(r["data"]["response_body"]["card"]["last_four"], "3511");
  body["payment_method"]["card"] = {{"entry_type", "swiped"}, {"track_1", "%B4111111111111111^TEST/CARD^3012101?"},
                                    {"number", "4111111111111111"}, {"expiration_date", "12/30"}};
  EXPECT_EQ(body_of(post("/api/transaction", body))["data"]["response_code"], 100);
  body["payment_method"]["card"] = {{"entry_type", "swiped"}, {"track_2", ";5413330056003511=2512101000000000?"}};
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);  // number and expiration_date missing
  body["payment_method"]["card"] = {{"entry_type", "swiped"}, {"track_2", ";5413330056003511=2512101000000000?"},
                                    {"number", "4111111111111111"}, {"expiration_date", "12/25"}};
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);  // not the same card
  body["payment_method"]["card"] = {{"entry_type", "swiped"}, {"encrypted_track_2", "AB"}, {"ksn", "FFFF"}};
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);
  body["payment_method"]["card"] = {{"entry_type", "chip"}, {"number", "4111111111111111"}, {"expiration_date", "12/30"}};
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);
}

TEST_F(FullStackTest, CaptureUpToTheAuthorizedAmount) {
  const std::string id = card_txn("authorize", 5000)["id"];
  EXPECT_EQ(by_id(id)["data"][0]["status"], "authorized");
  const auto over = post("/api/transaction/" + id + "/capture", {{"amount", 5001}});
  EXPECT_EQ(over.response.status, 400);
  EXPECT_EQ(body_of(over)["status"], "failed");
  const Json ok = body_of(post("/api/transaction/" + id + "/capture", {{"amount", 4000}}));
  EXPECT_EQ(ok["data"]["status"], "pending_settlement");
  EXPECT_EQ(ok["data"]["amount_captured"], 4000);
  EXPECT_EQ(call(http::Method::post, "/api/transaction/" + id + "/capture").response.status, 400);  // twice
  const std::string sale = card_txn("sale", 100)["id"];
  EXPECT_EQ(call(http::Method::post, "/api/transaction/" + sale + "/capture").response.status, 400);
}

TEST_F(FullStackTest, VoidOnlyBeforeSettlement) {
  const std::string id = card_txn("sale", 700)["id"];
  const auto v = call(http::Method::post, "/api/transaction/" + id + "/void");
  EXPECT_EQ(v.response.body, R"({"data":null,"msg":"success","status":"success"})");
  EXPECT_EQ(by_id(id)["data"][0]["status"], "voided");
  const std::string later = card_txn("sale", 800)["id"];
  settle();
  EXPECT_EQ(call(http::Method::post, "/api/transaction/" + later + "/void").response.status, 400);
}

TEST_F(FullStackTest, RefundOnlyAfterSettlementAndUpToTheSettledAmount) {
  const std::string id = card_txn("sale", 1000)["id"];
  EXPECT_EQ(post("/api/transaction/" + id + "/refund", {{"amount", 100}}).response.status, 400);
  settle();
  EXPECT_EQ(by_id(id)["data"][0]["status"], "settled");
  EXPECT_EQ(post("/api/transaction/" + id + "/refund", {{"amount", 1001}}).response.status, 400);
  const Json first = body_of(post("/api/transaction/" + id + "/refund", {{"amount", 400}}));
  EXPECT_EQ(first["data"]["type"], "refund");
  EXPECT_EQ(first["data"]["amount"], 400);
  EXPECT_EQ(post("/api/transaction/" + id + "/refund", {{"amount", 601}}).response.status, 400);
  EXPECT_EQ(body_of(call(http::Method::post, "/api/transaction/" + id + "/refund"))["data"]["amount"], 600);
  EXPECT_EQ(by_id(id)["data"][0]["status"], "refunded");
  EXPECT_EQ(by_id(id)["data"][0]["amount_refunded"], 1000);
}

TEST_F(FullStackTest, IdempotencyKeyReplaysTheFirstResult) {
  const Json key = {{"idempotency_key", "7d3f6a54-8f3e-4c4e-9a55-0c1d2e3f4a5b"}};
  Json body = Json::parse(kFullStackCard);
  body.update(key);
  body["amount"] = 1154;  // the first answer is lost (no_answer)...
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  const auto first = post("/api/transaction", body);
  EXPECT_EQ(first.kind, ServerAction::Kind::no_answer);
  const auto replay = post("/api/transaction", body);  // ...the replay gets it, without a second charge
  EXPECT_EQ(replay.kind, ServerAction::Kind::respond);
  EXPECT_EQ(replay.response.status, first.response.status);
  EXPECT_EQ(replay.response.body, first.response.body);
  body["amount"] = 9999;
  EXPECT_EQ(post("/api/transaction", body).response.body, first.response.body);
  EXPECT_EQ(body_of(post("/api/transaction/search", Json::object()))["total_count"], 1);
  clock.advance(5min);
  EXPECT_NE(post("/api/transaction", body).response.body, first.response.body);  // window over
}

TEST_F(FullStackTest, SearchPagesAndFilters) {
  for (std::int64_t i = 1; i <= 5; ++i) card_txn(i % 2 == 0 ? "authorize" : "sale", i * 100);
  const Json page = body_of(post("/api/transaction/search", {{"limit", 2}, {"offset", 2}}));
  EXPECT_EQ(page["total_count"], 5);
  ASSERT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["data"][0]["amount"], 300);
  const Json sales = body_of(post("/api/transaction/search", {{"type", {{"operator", "="}, {"value", "sale"}}}}));
  EXPECT_EQ(sales["total_count"], 3);
  const Json big = body_of(post("/api/transaction/search", {{"amount", {{"operator", ">"}, {"value", 250}}}}));
  EXPECT_EQ(big["total_count"], 3);
  EXPECT_EQ(post("/api/transaction/search", {{"limit", 101}}).response.status, 400);
  EXPECT_EQ(post("/api/transaction/search", {{"amount", {{"operator", "~"}, {"value", 1}}}}).response.status, 400);
}

TEST_F(FullStackTest, SettleMovesTheBatchAndBatchesAreSearchable) {
  card_txn("sale", 1000);
  card_txn("sale", 250);
  const std::string auth = card_txn("authorize", 900)["id"];
  const Json s = body_of(call(http::Method::post, "/api/terminal/1ucio551tlv85l7moe5s/settle"));
  EXPECT_EQ(s["data"]["transaction_count"], 2);
  EXPECT_EQ(s["data"]["net_amount"], 1250);
  EXPECT_EQ(by_id(auth)["data"][0]["status"], "authorized");
  EXPECT_EQ(body_of(post("/api/transaction/search", {{"status", {{"operator", "="}, {"value", "settled"}}}}))["total_count"], 2);
  const Json batches = body_of(post("/api/settlement/batch/search",
                                    {{"settlement_batch_id", {{"operator", "="}, {"value", s["data"]["id"]}}}}));
  EXPECT_EQ(batches["total_count"], 1);
  const Json none = body_of(post("/api/settlement/batch/search",
                                 {{"batch_date", {{"start_date", "2018-01-01T00:00:00Z"}, {"end_date", "2019-01-01T00:00:00Z"}}}}));
  EXPECT_EQ(none["total_count"], 0);
  EXPECT_EQ(call(http::Method::post, "/api/terminal/unknown/settle").response.status, 404);
}

TEST_F(FullStackTest, ResponseCodesAndScriptedBehaviour) {
  EXPECT_EQ(card_txn("sale", 1151)["response_code"], 201);  // do not honor
  const Json partial = card_txn("sale", 1152, {{"allow_partial_payment", true}});
  EXPECT_EQ(partial["response_code"], 110);
  EXPECT_EQ(partial["amount_authorized"], 576);
  EXPECT_EQ(card_txn("sale", 1152)["response_code"], 201);  // partial not allowed: declined
  EXPECT_EQ(card_txn("sale", 1153)["response_code"], 202);  // insufficient funds
  Json body = Json::parse(kFullStackCard);
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  auto run = [&](std::int64_t amount) {
    body["amount"] = amount;
    return post("/api/transaction", body);
  };
  EXPECT_EQ(run(1154).kind, ServerAction::Kind::no_answer);
  EXPECT_EQ(run(1155).kind, ServerAction::Kind::close_connection);
  const auto e500 = run(1156);
  EXPECT_EQ(e500.response.status, 500);
  EXPECT_TRUE(e500.response.header("x-correlation-id").has_value());
  const auto bad = run(1157);
  EXPECT_TRUE(body_of(bad).is_discarded());
  EXPECT_TRUE(bad.response.header("x-correlation-id").has_value());
  const auto slow = run(1158);
  EXPECT_EQ(slow.kind, ServerAction::Kind::delay);
  EXPECT_EQ(slow.after, 2000ms);
  body["payment_method"]["card"]["number"] = "4111111111111112";  // Luhn fails: gateway decline
  EXPECT_EQ(body_of(run(100))["data"]["response_code"], 300);
}

TEST_F(FullStackTest, ControlEndpointAppliesToTheNextRequests) {
  auto control = request(http::Method::post, "/sim/behaviour", R"({"next": "insufficient_funds", "count": 1})");
  EXPECT_EQ(sim.handle(control).response.status, 200);
  EXPECT_EQ(card_txn("sale", 100)["response_code"], 202);
  EXPECT_EQ(card_txn("sale", 100)["response_code"], 100);
  control.body = R"({"next": "close", "count": 2})";
  sim.handle(control);
  EXPECT_EQ(sim.handle(request(http::Method::get, "/api/terminals")).response.status, 401);  // consumes nothing
  EXPECT_EQ(call(http::Method::get, "/api/terminals").kind, ServerAction::Kind::close_connection);
  EXPECT_EQ(call(http::Method::get, "/api/terminals").kind, ServerAction::Kind::close_connection);
  EXPECT_EQ(call(http::Method::get, "/api/terminals").kind, ServerAction::Kind::respond);
  control.body = R"({"next": "approve", "count": 0})";
  EXPECT_EQ(body_of(sim.handle(control))["pending"], 0);
}

TEST_F(FullStackTest, BadRequestsAndUnknownIds) {
  const auto malformed = call(http::Method::post, "/api/transaction", "{\"type\": ");
  EXPECT_EQ(malformed.response.status, 400);
  EXPECT_EQ(body_of(malformed)["status"], "failed");
  EXPECT_TRUE(body_of(malformed)["msg"].is_string());
  for (std::string_view body : {"[]", "{}", R"({"type":"sale"})", R"({"type":"sale","amount":-5})",
                                R"({"type":"sale","amount":1.5})", R"({"type":"sale","amount":100,"payment_method":{}})",
                                R"({"type":"sale","amount":100,"payment_method":{"card":{"number":5}}})",
                                R"({"type":"sale","amount":100,"payment_method":{"card":{},"terminal":{}}})",
                                R"({"type":"sale","amount":100,"currency":"EUR"})",
                                R"({"type":"sale","amount":100,"idempotency_key":7})"})
    EXPECT_EQ(call(http::Method::post, "/api/transaction", std::string(body)).response.status, 400) << body;
  EXPECT_EQ(call(http::Method::get, "/api/transaction/b7kgflt1tlv51er0fts0").response.status, 404);
  EXPECT_EQ(call(http::Method::post, "/api/transaction/b7kgflt1tlv51er0fts0/void").response.status, 404);
  EXPECT_EQ(call(http::Method::post, "/api/transaction/b7kgflt1tlv51er0fts0/refund").response.status, 404);
  EXPECT_EQ(call(http::Method::post, "/api/transaction/b7kgflt1tlv51er0fts0/capture").response.status, 404);
}

TEST_F(FullStackTest, VerificationAndCredit) {
  Json body = Json::parse(kFullStackCard);
  body["type"] = "verification";
  body.erase("amount");
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  const Json v = body_of(post("/api/transaction", body))["data"];
  EXPECT_EQ(v["response_code"], 100);
  EXPECT_EQ(v["amount_authorized"], 0);
  EXPECT_EQ(call(http::Method::post, "/api/transaction/" + v["id"].get<std::string>() + "/capture").response.status, 400);
  const Json credit = card_txn("credit", 300);
  EXPECT_EQ(credit["status"], "pending_settlement");
  settle();
  EXPECT_EQ(by_id(credit["id"])["data"][0]["status"], "settled");
  EXPECT_EQ(call(http::Method::post, "/api/transaction/" + credit["id"].get<std::string>() + "/refund").response.status, 400);
}

TEST_F(FullStackTest, FeeLookupAndAmountCalculation) {
  const Json fees = body_of(post("/api/lookup/fees", Json::parse(R"({
"type": "integrations",
"type_id":"",
"state": "IL",
"bin": "517246700",
"payment_method": "card",
"base_amount": 1000
})")));
  EXPECT_EQ(fees["data"]["requested_amount"], 1000);
  EXPECT_EQ(fees["data"]["surcharge"], 0);
  EXPECT_EQ(post("/api/lookup/fees", {{"type", "integrations"}, {"payment_method", "card"}}).response.status, 400);
  const Json calc = body_of(post("/api/calculate/amounts",
                                 {{"processor_id", "p"}, {"subtotal", 1000}, {"amount", 1000}, {"currency", "USD"},
                                  {"payment_method", "card"}, {"transaction_type", "sale"},
                                  {"tax_amount", {{"type", "percentage"}, {"value", 18000}, {"include", true}}},
                                  {"service_fee", {{"type", "flat"}, {"value", 350}, {"include", true}}},
                                  {"tip_amount", {{"type", "flat"}, {"value", 200}}}}));
  EXPECT_EQ(calc["data"]["tax_amount"], 180);
  EXPECT_EQ(calc["data"]["total"], 1530);  // the document's own numbers (1000 + 180 + 350)
  EXPECT_EQ(post("/api/calculate/amounts", {{"subtotal", 1}}).response.status, 400);
}

// The answer of POST /api/transaction in the FluidPay family's shape (research §1): data an
// object, response the verdict string, response_code an integer, the processor's details in
// response_body.card, the idempotency key and its window echoed.
TEST_F(FullStackTest, AnswersInTheFamilysShape) {
  const Json d = card_txn("sale", 1000, {{"order_id", "ord123"}});
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d["response"], "approved");
  ASSERT_TRUE(d["response_code"].is_number_integer());
  EXPECT_EQ(d["response_code"], 100);
  EXPECT_EQ(d["idempotency_key"], "7d3f6a54-8f3e-4c4e-9a55-000000000001");
  EXPECT_EQ(d["idempotency_time"], 300);
  EXPECT_EQ(d["order_id"], "ord123");
  EXPECT_EQ(d["amount_authorized"], 1000);
  EXPECT_FALSE(d.contains("response_text"));  // the simulator's own old field is gone
  const Json card = d["response_body"]["card"];
  const std::string auth = card["auth_code"];
  EXPECT_EQ(auth.size(), 6u);
  EXPECT_EQ(card["response_code"], 100);
  EXPECT_EQ(card["processor_response_code"], "00");
  EXPECT_EQ(card["processor_response_text"], "APPROVAL " + auth + " ");
  EXPECT_EQ(card["first_six"], "401200");
  EXPECT_EQ(card["last_four"], "5439");
  EXPECT_EQ(by_id(d["id"])["data"][0], d);  // GET: the same object, in an array (L836)
}

// idempotency_time (FluidPay docs) sets the key's window; after it the same key and body
// are a new transaction (a second charge), as the documents imply.
TEST_F(FullStackTest, IdempotencyTimeSetsTheWindow) {
  Json body = Json::parse(kFullStackCard);
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  body["idempotency_key"] = new_key();
  body["idempotency_time"] = 60;
  const Json first = body_of(post("/api/transaction", body))["data"];
  EXPECT_EQ(first["idempotency_time"], 60);
  clock.advance(59s);
  EXPECT_EQ(body_of(post("/api/transaction", body))["data"]["id"], first["id"]);
  clock.advance(1s);
  const Json again = body_of(post("/api/transaction", body))["data"];
  EXPECT_NE(again["id"], first["id"]);
  EXPECT_EQ(again["response_code"], 100);
  body["idempotency_time"] = 0;
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);
  body["idempotency_time"] = 300;
  body["idempotency_key"] = "not-a-uuid";
  EXPECT_EQ(post("/api/transaction", body).response.status, 400);
}

// [SIM] Without a key, the same card and amount again within the merchant's window is a
// gateway decline 301; with keys, two requests are two transactions.
TEST_F(FullStackTest, KeylessRepeatIsADuplicate) {
  Json body = Json::parse(kFullStackCard);
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  EXPECT_EQ(body_of(post("/api/transaction", body))["data"]["response_code"], 100);
  const Json dup = body_of(post("/api/transaction", body))["data"];
  EXPECT_EQ(dup["response_code"], 301);
  EXPECT_EQ(dup["response"], "declined");
  EXPECT_EQ(dup["status"], "declined");
  EXPECT_EQ(dup["response_body"]["card"]["processor_response_text"], "Gateway Decline - Duplicate Transaction ");
  EXPECT_EQ(card_txn("sale", 1112)["response_code"], 100);  // keyed: not a duplicate
  clock.advance(5min);
  EXPECT_EQ(body_of(post("/api/transaction", body))["data"]["response_code"], 100);
}

TEST_F(FullStackTest, VoidOfASettledTransactionIsRefusedNamingItsStatus) {
  const std::string id = card_txn("sale", 700)["id"];
  settle();
  const auto v = call(http::Method::post, "/api/transaction/" + id + "/void");
  EXPECT_EQ(v.response.status, 400);
  EXPECT_EQ(body_of(v)["status"], "failed");
  EXPECT_NE(body_of(v)["msg"].get<std::string>().find("status"), std::string::npos);
  EXPECT_EQ(by_id(id)["data"][0]["status"], "settled");
}

// The search criteria a client needs to find its own transaction: order_id (and po_number),
// amount, type and a created_at range (L934-L957).
TEST_F(FullStackTest, SearchByOrderIdAmountAndCreatedAt) {
  card_txn("sale", 2500, {{"order_id", "mine00000000001"}, {"po_number", "po1"}});
  clock.advance(1h);
  card_txn("sale", 2500, {{"order_id", "theirs000000001"}});
  const Json mine = search({{"order_id", {{"operator", "="}, {"value", "mine00000000001"}}},
                            {"amount", {{"operator", "="}, {"value", 2500}}},
                            {"type", {{"operator", "="}, {"value", "sale"}}}});
  ASSERT_EQ(mine["total_count"], 1);
  EXPECT_EQ(mine["data"][0]["order_id"], "mine00000000001");
  EXPECT_EQ(search({{"po_number", {{"operator", "="}, {"value", "po1"}}}})["total_count"], 1);
  EXPECT_EQ(search({{"processor_id", {{"operator", "="}, {"value", "tsimproc000000000001"}}}})["total_count"], 2);
  const Json first_hour = search({{"created_at", {{"start_date", "2017-10-19T20:00:00Z"}, {"end_date", "2017-10-19T20:59:59Z"}}}});
  ASSERT_EQ(first_hour["total_count"], 1);
  EXPECT_EQ(first_hour["data"][0]["order_id"], "mine00000000001");
  EXPECT_EQ(search({{"billing_address", {{"first_name", {{"operator", "="}, {"value", "John"}}}}}})["total_count"], 0);
  EXPECT_EQ(post("/api/transaction/search", {{"created_at", {{"start_date", "2017-10-19"}}}}).response.status, 400);
}

// What the documents require, refused when missing: processor_id when the merchant has no
// default processor (L264-L266), a known processor, order_id within 15 alphanumerics (L276).
TEST_F(FullStackTest, RequiredFieldsAreRefused) {
  HostSimConfig config;
  config.fullstack.processors = {"procA", "procB"};
  config.fullstack.default_processor = "";
  HostSimulator several(config, clock);
  Json body = Json::parse(kFullStackCard);
  body["payment_method"]["card"]["expiration_date"] = "12/30";
  auto send = [&](const Json& b) {
    auto r = request(http::Method::post, "/api/transaction", b.dump());
    r.set_header("Authorization", "api_tender_test");
    return several.handle(r);
  };
  const auto none = send(body);
  EXPECT_EQ(none.response.status, 400);
  EXPECT_NE(body_of(none)["msg"].get<std::string>().find("processor_id"), std::string::npos);
  body["processor_id"] = "procC";
  EXPECT_EQ(send(body).response.status, 400);
  body["processor_id"] = "procB";
  const Json ok = body_of(send(body));
  EXPECT_EQ(ok["data"]["processor_id"], "procB");
  body["order_id"] = "0123456789abcdef";  // 16
  EXPECT_EQ(send(body).response.status, 400);
  body["order_id"] = "order-1";
  EXPECT_EQ(send(body).response.status, 400);
}

// A scripted gateway code (behaviour "code:N"): the answer and the record carry it.
TEST_F(FullStackTest, ScriptedGatewayCodes) {
  for (int code : {301, 421, 430}) {
    sim.script_next(Script{Behaviour::gateway_code, 0, 0ms, code}, 1);
    const Json d = card_txn("sale", 1000 + code);
    EXPECT_EQ(d["response_code"], code);
    EXPECT_EQ(d["response"], "declined");
    EXPECT_EQ(d["status"], "declined");
    EXPECT_EQ(by_id(d["id"])["data"][0]["response_code"], code);
  }
  EXPECT_EQ(parse_behaviour("code:421")->code, 421);
  EXPECT_FALSE(parse_behaviour("code:1000"));
  EXPECT_FALSE(parse_behaviour("code:"));
}

// Another client's sale: the same card and amount as ours, found by amount, never by our order_id.
TEST_F(FullStackTest, OtherClientsSaleIsItsOwn) {
  auto id = sim.fullstack_other_client_sale(2200, "4111111111111111", "12/30");
  ASSERT_TRUE(id) << id.error().describe();
  const Json card = {{"card", {{"entry_type", "keyed"}, {"number", "4111111111111111"}, {"expiration_date", "12/30"}}}};
  card_txn("sale", 2200, {{"order_id", "mine1"}, {"payment_method", card}});
  EXPECT_EQ(search({{"amount", {{"operator", "="}, {"value", 2200}}}})["total_count"], 2);
  const Json mine = search({{"order_id", {{"operator", "="}, {"value", "mine1"}}}});
  ASSERT_EQ(mine["total_count"], 1);
  EXPECT_NE(mine["data"][0]["id"], *id);
  EXPECT_NE(by_id(*id)["data"][0]["idempotency_key"], mine["data"][0]["idempotency_key"]);
}

}  // namespace
}  // namespace tender::net::hostsim

namespace tender::net::hostsim {
namespace {

// The index behind idempotency_key: a key lives until its window ends, a key reused after
// its window starts a new one, and the stale expiry of the old window does not end the new.
TEST(IdempotencyIndex, KeysLiveForTheirWindowOnly) {
  using namespace std::chrono_literals;
  const auto t0 = utc(2026, 1, 5, 12);
  IdempotencyIndex index;
  http::Response first;
  first.body = "first";
  for (int i = 0; i < 20000; ++i) index.remember("k" + std::to_string(i), first, t0 + 300s);
  index.remember("late", first, t0 + 600s);
  index.expire(t0 + 299s);
  EXPECT_EQ(index.size(), 20001u);
  ASSERT_NE(index.find("k7"), nullptr);
  EXPECT_EQ(index.find("k7")->body, "first");
  index.expire(t0 + 300s);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.find("k7"), nullptr);
  http::Response second;
  second.body = "second";
  index.remember("k7", second, t0 + 900s);  // the same key, a new window
  index.expire(t0 + 601s);                  // "late" ends; k7's old expiry is long gone
  EXPECT_EQ(index.size(), 1u);
  ASSERT_NE(index.find("k7"), nullptr);
  EXPECT_EQ(index.find("k7")->body, "second");
}

}  // namespace
}  // namespace tender::net::hostsim

namespace tender::net::hostsim {
namespace {

// Ids in the document's shape (20 lowercase base32 characters) that a terminal keeps: its log
// scrubber masks any run of 12 digits, and the terminal drops an id that does not survive it
// (net/host/host_answer.cpp). The old counter ids ("tsim0000000000000001") never did.
TEST(FullStackIds, LookLikeTheDocumentsAndSurviveTheScrubber) {
  std::set<std::string> seen;
  for (std::uint64_t n = 1; n <= 5000; ++n) {
    const std::string id = fullstack_id(n);
    ASSERT_EQ(id.size(), 20u);
    for (char c : id) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'v')) << id;
    EXPECT_EQ(log::scrub(id), id);
    const std::string correlation = correlation_uuid(n);
    EXPECT_EQ(correlation.size(), 36u);
    EXPECT_EQ(log::scrub(correlation), correlation);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 5000u);
}

}  // namespace
}  // namespace tender::net::hostsim
