#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "fake_transport.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/fullstack/fullstack_mapping.hpp"

namespace tender::net::fullstack {
namespace {

using host::EntryMode;
using host::Outcome;
using testing::FakeTransport;
using testing::fixture;
using testing::run;
using Json = nlohmann::json;

constexpr const char* kReference = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";

Json parse(const std::string& text) { return Json::parse(text, nullptr, false); }

host::AuthorizationRequest keyed_request() {
  host::AuthorizationRequest r;
  r.reference_id = kReference;
  r.amount = Money(1112, usd());
  r.entry_mode = EntryMode::keyed;
  r.card.pan = SecretString("4012000098765439");  // the document's own test card (L445)
  r.card.expiry_yymm = SecretString("2012");
  r.card.cvc = SecretString("999");
  return r;
}

std::string transaction(const std::string& extra) {
  return R"({"status":"success","msg":"success","data":{"id":"b7kgflt1tlv51er0fts0","amount":1112,"status":"pending_settlement")" +
         extra + "}}";
}

TEST(FullStackMapping, KeyedBodyUsesTheDocumentsFields) {
  auto body = transaction_body(keyed_request(), api::TransactionType::sale);
  ASSERT_TRUE(body) << body.error().describe();
  const auto json = parse(*body);
  EXPECT_EQ(json["idempotency_key"], kReference);
  EXPECT_EQ(json["type"], "sale");
  EXPECT_EQ(json["amount"], 1112);
  EXPECT_TRUE(json["amount"].is_number_integer());
  EXPECT_EQ(json["currency"], "USD");
  EXPECT_EQ(json["idempotency_time"], 300);  // the window we count with, sent
  EXPECT_EQ(json["order_id"], order_id_for(kReference));
  EXPECT_FALSE(json.contains("processor_id"));  // none configured: the gateway's default
  // payment_method.card exactly as the L422-L512 example's card variant.
  EXPECT_EQ(json["payment_method"], parse(R"({"card":{"entry_type":"keyed","number":"4012000098765439","expiration_date":"12/20","cvc":"999"}})"));
}

TEST(FullStackMapping, SwipedClearAndEncryptedTracks) {
  auto r = keyed_request();
  r.entry_mode = EntryMode::swiped;
  r.card = {};
  r.card.track2 = SecretString("4012000098765439=20121011000012345678");
  auto json = parse(*transaction_body(r, api::TransactionType::authorize));
  EXPECT_EQ(json["type"], "authorize");
  // number and expiration_date are "required if payment_method.card is present" (L308-L309).
  EXPECT_EQ(json["payment_method"]["card"],
            parse(R"({"entry_type":"swiped","number":"4012000098765439","expiration_date":"12/20","track_2":"4012000098765439=20121011000012345678"})"));
  r.card = {};
  r.card.track1 = SecretString("%B4012000098765439^DOE/JANE^2012101000000000?");
  json = parse(*transaction_body(r, api::TransactionType::sale));
  EXPECT_EQ(json["payment_method"]["card"]["number"], "4012000098765439");
  EXPECT_EQ(json["payment_method"]["card"]["expiration_date"], "12/20");
  r.card = {};
  r.card.track2 = SecretString("no card in here");
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::invalid_argument);

  r.card = {};
  r.card.encrypted_track1 = SecretBytes(Bytes{0xDE, 0xAD});
  r.card.encrypted_track2 = SecretBytes(Bytes{0xBE, 0xEF});
  r.card.track_ksn = Bytes{0xFF, 0xFF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xE0, 0x00, 0x01};
  r.entry_mode = EntryMode::fallback_swipe;
  r.tip = Money(200, usd());
  r.surcharge = Money(35, usd());
  json = parse(*transaction_body(r, api::TransactionType::sale));
  EXPECT_EQ(json["payment_method"]["card"],
            parse(R"({"entry_type":"swiped","encrypted_track_1":"DEAD","encrypted_track_2":"BEEF","ksn":"FFFF0123456789E00001"})"));
  EXPECT_EQ(json["tip_amount"], 200);
  r.card.track_ksn.clear();
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::invalid_argument);
}

TEST(FullStackMapping, TerminalPaymentMethodAndRefusals) {
  auto r = keyed_request();
  r.entry_mode = EntryMode::chip;
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::unsupported);
  r.host_terminal_id = "1ucio551tlv85l7moe5s";
  const auto json = parse(*transaction_body(r, api::TransactionType::sale));
  EXPECT_EQ(json["payment_method"],
            parse(R"({"terminal":{"id":"1ucio551tlv85l7moe5s","print_receipt":"no","signature_required":false}})"));
  r = keyed_request();
  r.pin = host::PinData{};
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::unsupported);
  r = keyed_request();
  r.reference_id = "123456";
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::invalid_argument);
}

TEST(FullStackMapping, GetTransactionExample) {
  auto result = parse_transaction_response(fixture("fullstack_get_transaction.json"), usd());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->outcome, Outcome::approved);
  EXPECT_EQ(result->host_reference, "b7kgflt1tlv51er0fts0");
  EXPECT_EQ(result->auth_code, "TAS731");
  EXPECT_EQ(result->response_code, "00");
  EXPECT_EQ(result->response_message, "APPROVAL TAS731");
  EXPECT_EQ(result->approved_amount, Money(1112, usd()));
}

TEST(FullStackMapping, EveryResponseCodeRange) {
  const std::vector<std::pair<int, Outcome>> cases{
      {0, Outcome::unknown},   {99, Outcome::unknown},   {100, Outcome::approved}, {110, Outcome::partially_approved},
      {150, Outcome::approved}, {200, Outcome::declined}, {251, Outcome::declined}, {299, Outcome::declined},
      {300, Outcome::declined}, {399, Outcome::declined}, {400, Outcome::error},    {499, Outcome::error},
      {500, Outcome::unknown}, {-1, Outcome::unknown},
      // Not final: the engine recovers (fullstack_api.hpp, kResponseCodes).
      {301, Outcome::unknown}, {302, Outcome::declined}, {421, Outcome::unknown}, {430, Outcome::unknown},
      {420, Outcome::error}, {431, Outcome::error}};
  for (const auto& [code, outcome] : cases) {
    auto r = parse_transaction_response(transaction(",\"response_code\":" + std::to_string(code)), usd());
    ASSERT_TRUE(r) << code;
    EXPECT_EQ(r->outcome, outcome) << code;
    EXPECT_EQ(r->response_code, std::to_string(code));
  }
  auto partial = parse_transaction_response(transaction(",\"response_code\":110,\"amount_authorized\":500"), usd());
  EXPECT_EQ(partial->approved_amount, Money(500, usd()));
  // A numeric string is read as the number; anything else is malformed.
  EXPECT_EQ(parse_transaction_response(transaction(",\"response_code\":\"100\""), usd())->outcome, Outcome::approved);
  EXPECT_EQ(parse_transaction_response(transaction(",\"response_code\":\"10x\""), usd()).error().code, Errc::malformed);
}

TEST(FullStackMapping, StatusWithoutResponseCode) {
  const auto status = [](const char* s) {
    return parse_transaction_response(std::string(R"({"status":"success","data":{"id":"x","status":")") + s + "\"}}", usd())->outcome;
  };
  EXPECT_EQ(status("settled"), Outcome::approved);
  EXPECT_EQ(status("declined"), Outcome::declined);
  EXPECT_EQ(status("voided"), Outcome::declined);
  EXPECT_EQ(status("whatever"), Outcome::unknown);
}

// Found by the integration tests: the simulator keeps a voided sale's response_code 100.
TEST(FullStackMapping, VoidedStatusWinsOverTheApprovalCode) {
  const auto outcome = [](const char* s) {
    return parse_transaction_response(
               std::string(R"({"status":"success","data":{"id":"x","response_code":100,"status":")") + s + "\"}}", usd())
        ->outcome;
  };
  EXPECT_EQ(outcome("voided"), Outcome::declined);
  EXPECT_EQ(outcome("reversed"), Outcome::declined);
  EXPECT_EQ(outcome("pending_settlement"), Outcome::approved);
  EXPECT_EQ(outcome("settled"), Outcome::approved);
}

TEST(FullStackMapping, VerificationTakesAmountZero) {
  auto r = keyed_request();
  r.amount = Money(0, usd());
  EXPECT_TRUE(transaction_body(r, api::TransactionType::verification));
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::invalid_argument);
}

TEST(FullStackMapping, CaptureAnswerReportsTheCapturedAmount) {
  const std::string body =
      R"({"status":"success","data":{"id":"x","response_code":100,"status":"pending_settlement","amount":2000,)"
      R"("amount_authorized":2000,"amount_captured":1500}})";
  EXPECT_EQ(parse_follow_on_response(body, usd(), "x", true)->approved_amount, Money(1500, usd()));
  EXPECT_EQ(parse_follow_on_response(body, usd(), "x", false)->approved_amount, Money(2000, usd()));
}

TEST(FullStackMapping, MalformedAndMissingFields) {
  EXPECT_EQ(parse_transaction_response("{", usd()).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_response(R"({"msg":"x"})", usd()).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_response(R"({"status":"success","data":null})", usd()).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_response(R"({"status":"success","data":{"status":"settled"}})", usd()).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_response(transaction(",\"amount_authorized\":12.5"), usd()).error().code, Errc::malformed);
  EXPECT_EQ(parse_terminals(R"({"status":"success","data":{}})").error().code, Errc::malformed);
}

TEST(FullStackMapping, TerminalsVoidAndFeesExamples) {
  auto terminals = parse_terminals(fixture("fullstack_terminals.json"));
  ASSERT_TRUE(terminals);
  ASSERT_EQ(terminals->size(), 1U);
  EXPECT_EQ((*terminals)[0].id, "1ucio551tlv85l7moe5s");
  EXPECT_EQ((*terminals)[0].model, "z11");
  EXPECT_EQ((*terminals)[0].status, "active");
  EXPECT_TRUE((*terminals)[0].auto_settle);
  auto voided = parse_follow_on_response(fixture("fullstack_void_response.json"), usd(), "b7kgflt1tlv51er0fts0");
  ASSERT_TRUE(voided);
  EXPECT_EQ(voided->outcome, Outcome::approved);
  EXPECT_EQ(voided->host_reference, "b7kgflt1tlv51er0fts0");
  auto fees = parse_fees(fixture("fullstack_fees_response.json"), Money(1000, usd()));
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->card.surcharge, Money(350, usd()));
  EXPECT_EQ(fees->card.total, Money(1350, usd()));
  EXPECT_EQ(failure_message(fixture("fullstack_error.json")), "bad request error: invalid Postal Code");
}

struct FullStackFixture : ::testing::Test {
  FakeTransport transport;
  FullStackAdapter adapter{transport, FullStackConfig{SecretString("api_test_key"), "1ucio551tlv85l7moe5s", "", usd(), std::chrono::milliseconds(7000)}};
  testing::CapturingSink sink;
  std::vector<http::Header> correlation{{"X-Correlation-Id", "corr-42"}};
};

TEST_F(FullStackFixture, AuthorizationHeaderAndCorrelationIdLogged) {
  transport.answer(200, fixture("fullstack_get_transaction.json"), correlation);
  auto r = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::approved);
  const auto& request = transport.requests.at(0);
  EXPECT_EQ(request.method, http::Method::post);
  EXPECT_EQ(request.target, "/api/transaction");
  EXPECT_EQ(request.header("Authorization"), "api_test_key");
  EXPECT_EQ(request.header("Content-Type"), "application/json");
  EXPECT_EQ(transport.deadlines.at(0), std::chrono::milliseconds(7000));
  const auto logs = sink.all();
  EXPECT_NE(logs.find("x-correlation-id=corr-42"), std::string::npos) << logs;
  for (const char* secret : {"4012000098765439", "api_test_key", "999"}) EXPECT_EQ(logs.find(secret), std::string::npos) << secret;
}

TEST_F(FullStackFixture, TimeoutIsUnknownAndReplayReusesTheIdempotencyKey) {
  transport.fail(Errc::timeout);
  auto first = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->outcome, Outcome::unknown);
  transport.answer(200, transaction(",\"response_code\":100"), correlation);
  auto replay = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->outcome, Outcome::approved);
  ASSERT_EQ(transport.requests.size(), 2U);
  EXPECT_EQ(parse(transport.requests[0].body)["idempotency_key"], kReference);
  EXPECT_EQ(transport.requests[0].body, transport.requests[1].body);
  transport.fail(Errc::io_error);
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); })->outcome, Outcome::unknown);
  transport.answer(502, "");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); })->outcome, Outcome::unknown);
  transport.answer(400, fixture("fullstack_error.json"));
  auto refused = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  EXPECT_EQ(refused->outcome, Outcome::error);
  EXPECT_EQ(refused->response_message, "bad request error: invalid Postal Code");
}

TEST_F(FullStackFixture, FollowOnsTerminalsSettleAndFees) {
  transport.answer(200, fixture("fullstack_void_response.json"), correlation);
  auto voided = run<host::HostResult>([&](auto h) { adapter.void_({kReference, "b7kgflt1tlv51er0fts0"}, h); });
  ASSERT_TRUE(voided);
  EXPECT_EQ(voided->outcome, Outcome::approved);
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/b7kgflt1tlv51er0fts0/void");
  transport.answer(200, R"({"status":"success","msg":"success","data":null})");
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { adapter.capture({kReference, "b7kgflt1tlv51er0fts0", Money(1000, usd())}, h); }));
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/b7kgflt1tlv51er0fts0/capture");
  EXPECT_EQ(transport.requests.back().body, R"({"amount":1000})");
  transport.answer(200, R"({"status":"success","msg":"success","data":null})");
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { adapter.refund({kReference, "b7kgflt1tlv51er0fts0", std::nullopt}, h); }));
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/b7kgflt1tlv51er0fts0/refund");
  EXPECT_EQ(transport.requests.back().body, "{}");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.void_({kReference, "../x"}, h); }).error().code, Errc::invalid_argument);
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.tip_adjust({kReference, "b7", Money(1, usd())}, h); }).error().code,
            Errc::unsupported);

  transport.answer(200, fixture("fullstack_terminals.json"), correlation);
  auto terminals = run<std::vector<Terminal>>([&](auto h) { adapter.list_terminals(h); });
  ASSERT_TRUE(terminals);
  EXPECT_EQ(transport.requests.back().target, "/api/terminals");
  EXPECT_EQ(transport.requests.back().method, http::Method::get);
  transport.answer(200, "", correlation);
  auto settled = run<host::SettleResult>([&](auto h) { adapter.settle({}, h); });
  ASSERT_TRUE(settled);
  EXPECT_TRUE(settled->accepted);
  EXPECT_EQ(transport.requests.back().target, "/api/terminal/1ucio551tlv85l7moe5s/settle");
  transport.answer(200, fixture("fullstack_fees_response.json"));
  auto fees = run<host::CalculateAmountResult>([&](auto h) { adapter.calculate_amount({Money(1000, usd()), std::nullopt, "517246700", "IL", "US"}, h); });
  ASSERT_TRUE(fees);
  EXPECT_EQ(transport.requests.back().target, "/api/lookup/fees");
  EXPECT_EQ(parse(transport.requests.back().body),
            parse(R"({"type":"integrations","state":"IL","bin":"517246700","payment_method":"card","base_amount":1000})"));

  transport.answer(200, fixture("fullstack_get_transaction.json"));
  auto found = run<host::HostResult>([&](auto h) { adapter.lookup({kReference, "b7kgflt1tlv51er0fts0"}, h); });
  ASSERT_TRUE(found);
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/b7kgflt1tlv51er0fts0");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.lookup({kReference, ""}, h); }).error().code, Errc::unsupported);
  // Every response's correlation id is logged, whatever the operation.
  EXPECT_GE(std::count_if(sink.lines.begin(), sink.lines.end(),
                          [](const std::string& l) { return l.find("x-correlation-id=corr-42") != std::string::npos; }),
            3);
}

}  // namespace
}  // namespace tender::net::fullstack

namespace tender::net::fullstack {
namespace {

TEST_F(FullStackFixture, TransactionAndSettlementBatchSearch) {
  transport.answer(200, R"({"status":"success","msg":"success","data":[{"id":"a1","status":"settled","amount":500},{"id":"a2","status":"declined","amount":700}],"total_count":2})",
                   correlation);
  auto found = run<std::vector<host::HostResult>>(
      [&](auto h) { adapter.search_transactions({"settled", "2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z", 50, 0}, h); });
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2U);
  EXPECT_EQ((*found)[0].outcome, Outcome::approved);
  EXPECT_EQ((*found)[1].outcome, Outcome::declined);
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/search");
  EXPECT_EQ(parse(transport.requests.back().body),
            parse(R"({"status":{"operator":"=","value":"settled"},"created_at":{"start_date":"2026-11-01T00:00:00Z","end_date":"2026-11-21T00:00:00Z"},"limit":50,"offset":0})"));

  transport.answer(200, R"({"status":"success","msg":"success","data":[{"id":"batch-1"}],"total_count":1})", correlation);
  auto batches = run<std::vector<SettlementBatch>>([&](auto h) { adapter.search_settlement_batches({"2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", 10, 0}, h); });
  ASSERT_TRUE(batches);
  ASSERT_EQ(batches->size(), 1U);
  EXPECT_EQ((*batches)[0].id, "batch-1");
  EXPECT_EQ(transport.requests.back().target, "/api/settlement/batch/search");
  EXPECT_EQ(parse(transport.requests.back().body)["batch_date"]["start_date"], "2026-11-20T00:00:00Z");
  transport.answer(500, "");
  EXPECT_EQ(run<std::vector<SettlementBatch>>([&](auto h) { adapter.search_settlement_batches({}, h); }).error().code, Errc::io_error);
  transport.answer(200, R"({"status":"success","data":{}})");
  EXPECT_EQ(run<std::vector<SettlementBatch>>([&](auto h) { adapter.search_settlement_batches({}, h); }).error().code, Errc::malformed);
}

}  // namespace
}  // namespace tender::net::fullstack

namespace tender::net::fullstack {
namespace {

TEST(FullStackMapping, CalculateAmountsExample) {
  auto result = parse_calculated_amounts(fixture("fullstack_calculate_amounts_response.json"), Money(1000, usd()));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->card.total, Money(1530, usd()));
  EXPECT_EQ(result->card.surcharge, Money(350, usd()));
  EXPECT_EQ(result->card.tip, Money(0, usd()));
  auto body = calculate_amounts_body({Money(1000, usd()), std::nullopt, "", "", ""}, "<processor id>");
  ASSERT_TRUE(body);
  // The request of L672-L679, field for field.
  EXPECT_EQ(parse(*body), parse(R"({"processor_id":"<processor id>","amount":1000,"subtotal":1000,"currency":"USD","payment_method":"card","transaction_type":"sale"})"));
  EXPECT_EQ(calculate_amounts_body({Money(1000, usd()), std::nullopt, "", "", ""}, "").error().code, Errc::invalid_argument);
}

TEST(FullStackAdapterConfig, ProcessorSelectsCalculateAmounts) {
  FakeTransport transport;
  FullStackAdapter adapter{transport, FullStackConfig{SecretString("api_k"), "t1", "proc-9", usd(), std::chrono::milliseconds(1000)}};
  transport.answer(200, fixture("fullstack_calculate_amounts_response.json"));
  auto result = run<host::CalculateAmountResult>([&](auto h) { adapter.calculate_amount({Money(1000, usd()), Money(100, usd()), "", "", ""}, h); });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->card.total, Money(1530, usd()));
  EXPECT_EQ(transport.requests.back().target, "/api/calculate/amounts");
  EXPECT_EQ(parse(transport.requests.back().body)["tip_amount"], parse(R"({"type":"flat","value":100,"include":true})"));
}

}  // namespace
}  // namespace tender::net::fullstack

// ---- Defect 5: where the host puts things, and what its codes mean.
namespace tender::net::fullstack {
namespace {

TEST(FullStackMapping, AuthCodeFromResponseBodyCard) {
  auto r = parse_transaction_response(fixture("fullstack_sale_response_family.json"), usd());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(r->auth_code, "TAS512");
  EXPECT_EQ(r->response_code, "100");
  EXPECT_EQ(r->response_message, "APPROVAL TAS512");
  EXPECT_EQ(r->approved_amount, Money(1112, usd()));
  // The terminal variant keeps its details under response_body.terminal (L1025).
  auto terminal = parse_transaction_response(
      transaction(R"(,"response":"approved","response_code":100,"response_body":{"terminal":{"auth_code":"VTLMC1","processor_response_text":"APPROVAL VTLMC1"}})"),
      usd());
  ASSERT_TRUE(terminal);
  EXPECT_EQ(terminal->auth_code, "VTLMC1");
}

TEST(FullStackMapping, VerdictStringAndItsContradictions) {
  const auto outcome = [](const std::string& extra) { return parse_transaction_response(transaction(extra), usd())->outcome; };
  EXPECT_EQ(outcome(R"(,"response":"declined")"), Outcome::declined);
  EXPECT_EQ(outcome(R"(,"response":"approved")"), Outcome::approved);
  EXPECT_EQ(outcome(R"(,"response":"declined","response_code":202)"), Outcome::declined);
  EXPECT_EQ(outcome(R"(,"response":"declined","response_code":100)"), Outcome::unknown);
  EXPECT_EQ(outcome(R"(,"response":"approved","response_code":201)"), Outcome::unknown);
}

TEST(FullStackMapping, CodesThatAreNotFinalSayWhy) {
  for (const auto& [code, text] : std::vector<std::pair<int, std::string>>{
           {301, "Gateway Decline - Duplicate Transaction"}, {421, "Communication error with processor"},
           {430, "Duplicate transaction at processor"}}) {
    auto r = parse_transaction_response(transaction(",\"response\":\"declined\",\"response_code\":" + std::to_string(code)), usd());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, Outcome::unknown) << code;
    EXPECT_EQ(r->response_code, std::to_string(code));
    EXPECT_EQ(r->response_message, text);
    EXPECT_FALSE(r->approved_amount);
  }
}

TEST(FullStackMapping, OrderIdCarriesTheReference) {
  const std::string a = order_id_for(kReference);
  EXPECT_EQ(a.size(), 15u);
  EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }));
  EXPECT_EQ(order_id_for(kReference), a);  // the same reference, the same order_id
  EXPECT_NE(order_id_for("0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e91"), a);  // differs in the last digit only...
  EXPECT_NE(order_id_for("1b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90"), a);  // ...or the first
  EXPECT_EQ(order_id_for("not a uuid"), "");
}

// Defect 6: the surcharge is inside `amount`, the total the receipt prints, and nowhere else
// (payment_adjustment is added by the gateway: the surcharge would be charged twice).
TEST(FullStackMapping, SurchargeOnlyInsideTheAmount) {
  auto r = keyed_request();
  r.amount = Money(1035, usd());  // 10.00 + 0.35 surcharge
  r.surcharge = Money(35, usd());
  const auto json = parse(*transaction_body(r, api::TransactionType::sale));
  EXPECT_EQ(json["amount"], 1035);
  EXPECT_FALSE(json.contains("payment_adjustment"));
  EXPECT_FALSE(json.contains("surcharge"));
  EXPECT_FALSE(json.contains("base_amount"));
  r.tip = Money(2000, usd());
  EXPECT_EQ(transaction_body(r, api::TransactionType::sale).error().code, Errc::invalid_argument);  // tip beyond the amount
}

TEST(FullStackMapping, CalculateAmountsWithABinAsksForTheCardsSurcharge) {
  auto body = calculate_amounts_body({Money(1000, usd()), std::nullopt, "411111", "TX", "US"}, "proc-9");
  ASSERT_TRUE(body);
  const auto json = parse(*body);
  EXPECT_EQ(json["cc_bin"], "411111");
  EXPECT_EQ(json["country"], "US");
  EXPECT_EQ(json["state"], "TX");
  const auto without = parse(*calculate_amounts_body({Money(1000, usd()), std::nullopt, "", "TX", "US"}, "proc-9"));
  EXPECT_FALSE(without.contains("cc_bin"));
  EXPECT_FALSE(without.contains("country"));
  // The breakdown adds up: what the total holds beside surcharge and tip is the base.
  auto amounts = parse_calculated_amounts(fixture("fullstack_calculate_amounts_response.json"), Money(1000, usd()));
  ASSERT_TRUE(amounts);
  EXPECT_EQ(amounts->card.base.minor_units() + amounts->card.surcharge.minor_units() + amounts->card.tip.minor_units(),
            amounts->card.total.minor_units());
}

TEST_F(FullStackFixture, ProcessorIdIsSentWhenConfigured) {
  FullStackAdapter with{transport, FullStackConfig{SecretString("k"), "t", "proc-9", usd(), std::chrono::milliseconds(1000)}};
  transport.answer(200, fixture("fullstack_sale_response_family.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { with.sale(keyed_request(), h); }));
  EXPECT_EQ(parse(transport.requests.back().body)["processor_id"], "proc-9");
}

TEST_F(FullStackFixture, TraceIdAndRefusalsInEveryShape) {
  transport.answer(200, fixture("fullstack_sale_response_family.json"), correlation);
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); })->trace_id, "corr-42");
  transport.answer(400, fixture("fullstack_error.json"), correlation);
  auto refused = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  EXPECT_EQ(refused->outcome, Outcome::error);
  EXPECT_EQ(refused->response_message, "bad request error: invalid Postal Code");
  EXPECT_EQ(refused->trace_id, "corr-42");
  // A "failed" envelope is a refusal even with HTTP 200 ([GO] errors.go).
  transport.answer(200, R"({"status":"failed","msg":"invalid processor"})", correlation);
  auto failed = run<host::HostResult>([&](auto h) { adapter.sale(keyed_request(), h); });
  EXPECT_EQ(failed->outcome, Outcome::error);
  EXPECT_EQ(failed->response_message, "invalid processor");
}

// A void the host refuses because the transaction settled comes back as
// Refusal::already_settled (the engine refunds instead); the transaction's own record says so.
TEST_F(FullStackFixture, VoidOfASettledTransactionIsAlreadySettled) {
  const std::string settled = R"({"status":"success","msg":"","data":[{"id":"b7kgflt1tlv51er0fts0","status":"settled","response":"approved","response_code":100,"amount":1112}],"total_count":1})";
  transport.answer(400, R"({"status":"failed","msg":"transaction already settled"})", correlation);
  transport.answer(200, settled);
  auto v = run<host::HostResult>([&](auto h) { adapter.void_({kReference, "b7kgflt1tlv51er0fts0"}, h); });
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::error);
  EXPECT_EQ(v->refusal, host::Refusal::already_settled);
  EXPECT_EQ(transport.requests.back().method, http::Method::get);
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/b7kgflt1tlv51er0fts0");
  // Refused for another reason: no refusal the engine must act on.
  transport.answer(400, R"({"status":"failed","msg":"nope"})");
  transport.answer(200, R"({"status":"success","data":[{"id":"b7kgflt1tlv51er0fts0","status":"voided","response_code":100}]})");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.void_({kReference, "b7kgflt1tlv51er0fts0"}, h); })->refusal,
            host::Refusal::none);
}

}  // namespace
}  // namespace tender::net::fullstack
