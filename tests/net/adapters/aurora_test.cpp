#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_transport.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/aurora/aurora_mapping.hpp"

namespace tender::net::aurora {
namespace {

using host::EntryMode;
using host::Outcome;
using testing::FakeTransport;
using testing::fixture;
using testing::run;
using Ordered = nlohmann::ordered_json;

constexpr const char* kReference = "6f1c2a9e-3b7d-4e21-9c55-0a8b7e6d5f43";
const std::string kToken = R"({"access_token":"tok-1","token_type":"Bearer","expires_in":3600})";

host::AuthorizationRequest swipe_request() {
  host::AuthorizationRequest r;
  r.reference_id = kReference;
  r.amount = Money(1010, usd());
  r.entry_mode = EntryMode::swiped;
  r.card.track1 = SecretString("B5413330056003511^CUST IMP MC 351/^2512101000000000");  // raw S6 test track
  return r;
}

Ordered ordered(const std::string& text) { return Ordered::parse(text, nullptr, false); }

// Same keys in the same order, and every value of the same JSON type where both are non-null.
void expect_same_shape(const Ordered& built, const Ordered& doc) {
  ASSERT_TRUE(built.is_object());
  ASSERT_TRUE(doc.is_object());
  std::vector<std::string> built_keys, doc_keys;
  for (const auto& [k, v] : built.items()) built_keys.push_back(k);
  for (const auto& [k, v] : doc.items()) doc_keys.push_back(k);
  EXPECT_EQ(built_keys, doc_keys);
  for (const auto& [k, v] : built.items()) {
    if (!doc.contains(k) || v.is_null() || doc[k].is_null()) continue;
    const bool both_numbers = v.is_number() && doc[k].is_number();
    EXPECT_TRUE(both_numbers || v.type() == doc[k].type()) << k;
  }
}

TEST(AuroraMapping, SaleBodyHasTheDocumentsFieldsInOrder) {
  auto r = swipe_request();
  r.tip = Money(100, usd());
  r.amount = Money(12445, usd());
  auto body = authorization_body(r, AuthKind::sale, "fe520286-0125-4cc4-bd3c-f50333e679e5");
  ASSERT_TRUE(body) << body.error().describe();
  expect_same_shape(ordered(*body), ordered(fixture("aurora_sale_request.json")));
  // Exact decimals written from minor units: base 123.45 + tip 1.00 (S3's own numbers).
  EXPECT_NE(body->find("\"amount\":123.45,"), std::string::npos);
  EXPECT_NE(body->find("\"tipAmount\":1.00,"), std::string::npos);
  const auto json = ordered(*body);
  EXPECT_EQ(json["cardDataSource"], 2);
  EXPECT_EQ(json["track1"], "B5413330056003511^CUST IMP MC 351/^2512101000000000");
  EXPECT_EQ(json["referenceId"], kReference);
  EXPECT_TRUE(json["debit"].is_null());
  EXPECT_EQ(json["currencyId"], 1);
}

TEST(AuroraMapping, AuthBodyHasNoDebitLikeS2) {
  auto body = authorization_body(swipe_request(), AuthKind::auth, "350bd2e9-1a74-4f3f-9575-e3b6ddc947f3");
  ASSERT_TRUE(body);
  expect_same_shape(ordered(*body), ordered(fixture("aurora_auth_request.json")));
  EXPECT_FALSE(ordered(*body).contains("debit"));
}

TEST(AuroraMapping, SwipeWithPinCarriesEncryptedBlockAndKsn) {
  auto r = swipe_request();
  r.pin = host::PinData{SecretBytes(Bytes{0x12, 0x34, 0xAB, 0xCD, 0, 1, 2, 3}), Bytes{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0, 1}};
  auto json = ordered(*authorization_body(r, AuthKind::sale, "d53252fb-7086-452e-a12c-f413ea56141f"));
  const auto doc = ordered(fixture("aurora_swipe_pin_request.json"));
  for (const char* k : {"pin", "pinKsn", "track1", "referenceId"}) EXPECT_EQ(json[k].type(), doc[k].type()) << k;
  EXPECT_EQ(json["pin"], "1234ABCD00010203");
  EXPECT_EQ(json["pinKsn"], "FFFF9876543210E00001");
  EXPECT_EQ(json["debit"], true);
  EXPECT_EQ(json["amount"], doc["amount"]);  // 10.1 in the document, 10.10 from 1010 cents
}

TEST(AuroraMapping, KeyedChipFallbackAndContactless) {
  host::AuthorizationRequest keyed;
  keyed.reference_id = kReference;
  keyed.amount = Money(12345, usd());
  keyed.entry_mode = EntryMode::keyed;
  keyed.card.pan = SecretString("4111111111111111");
  keyed.card.expiry_yymm = SecretString("2412");
  keyed.card.cvc = SecretString("123");
  auto json = ordered(*authorization_body(keyed, AuthKind::sale, "p"));
  EXPECT_EQ(json["accountNumber"], "4111111111111111");
  EXPECT_EQ(json["expirationMonth"], 12);
  EXPECT_EQ(json["expirationYear"], 24);
  EXPECT_EQ(json["cardDataSource"], 7);

  host::AuthorizationRequest chip = keyed;
  chip.card = {};
  chip.entry_mode = EntryMode::chip;
  chip.emv = host::EmvData{Bytes{0x9F, 0x26, 0x02, 0xAA, 0xBB, 0x82, 0x02, 0x39, 0x00, 0x5F, 0x34, 0x01, 0x01}, {}, {}};
  json = ordered(*authorization_body(chip, AuthKind::auth, "p"));
  EXPECT_EQ(json["cardDataSource"], 4);
  EXPECT_EQ(json["emvTags"], Ordered::array({"9F2602AABB", "82023900", "5F340101"}));
  EXPECT_TRUE(json["accountNumber"].is_null());
  chip.entry_mode = EntryMode::contactless;
  EXPECT_EQ(ordered(*authorization_body(chip, AuthKind::auth, "p"))["cardDataSource"], 5);
  chip.emv->tags = {0x9F, 0x26, 0x05, 0x01};
  EXPECT_EQ(authorization_body(chip, AuthKind::auth, "p").error().code, Errc::malformed);

  auto fallback = swipe_request();
  fallback.entry_mode = EntryMode::fallback_swipe;
  EXPECT_EQ(authorization_body(fallback, AuthKind::sale, "p").error().code, Errc::invalid_argument);
  fallback.emv = host::EmvData{{}, host::FallbackCondition::no_candidate_list, host::LastChipRead::failed};
  json = ordered(*authorization_body(fallback, AuthKind::sale, "p"));
  EXPECT_EQ(json["cardDataSource"], 6);
  EXPECT_EQ(json["emvFallbackCondition"], 1);
  EXPECT_EQ(json["emvFallbackLastChipRead"], 1);
}

TEST(AuroraMapping, RefusesWhatItCannotSendExactly) {
  auto r = swipe_request();
  r.amount = Money(1000, *currency_by_alpha("EUR"));
  EXPECT_EQ(authorization_body(r, AuthKind::sale, "p").error().code, Errc::unsupported);
  r = swipe_request();
  r.card.track1 = {};
  EXPECT_EQ(authorization_body(r, AuthKind::sale, "p").error().code, Errc::invalid_argument);
  r = swipe_request();
  r.tip = Money(5000, usd());
  EXPECT_EQ(authorization_body(r, AuthKind::sale, "p").error().code, Errc::invalid_argument);
}

TEST(AuroraMapping, FollowOnBodiesMatchTheDocuments) {
  host::CaptureRequest capture{kReference, "4028d8cb-df52-4f3a-a32e-9b17f6a328a7", Money(12345, usd())};
  EXPECT_EQ(ordered(*capture_body(capture, *capture.amount)),
            ordered(R"({"amount":123.45,"transactionId":"4028d8cb-df52-4f3a-a32e-9b17f6a328a7"})"));
  for (const auto& [minor, text] : std::vector<std::pair<std::int64_t, std::string>>{
           {10, "0.10"}, {1999, "19.99"}, {123456789, "1234567.89"}, {100, "1.00"}}) {
    EXPECT_EQ(capture_body(capture, Money(minor, usd()))->find("\"amount\":" + text + ","), 1U) << text;
  }
  EXPECT_EQ(capture_body(capture, Money(0, usd())).error().code, Errc::invalid_argument);
  host::VoidRequest v{kReference, "38cdda7f-23b8-444a-afce-96a65b7c4ae6"};
  EXPECT_EQ(ordered(*void_body(v)), ordered(fixture("aurora_void_request.json")));
  host::TipAdjustRequest tip{kReference, "91c2dc81-b5ba-4431-8dc1-06c8a86f2143", Money(1000, usd())};
  EXPECT_EQ(*tip_adjust_body(tip), R"({"transactionId":"91c2dc81-b5ba-4431-8dc1-06c8a86f2143","tipAmount":10.00})");
  host::RefundRequest ret{kReference, "c5e25ebd-cd56-4fb4-a113-3fc2815a726f", std::nullopt};
  const auto json = ordered(*return_body(ret));
  std::vector<std::string> keys;
  for (const auto& [k, val] : json.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"track1", "track2", "emvTags", "emvPaymentAppVersion", "cardDataSource", "pin",
                                            "pinKsn", "transactionId", "amount"}));
  // Defect 4: cardDataSource is required (IOS ReturnRequestDto): 1 Internet, never null.
  EXPECT_EQ(json["cardDataSource"], 1);
  EXPECT_EQ(void_body({kReference, ""}).error().code, Errc::invalid_argument);
}

// The documents show no issuer response data; a host that sends emvTags back (the simulator,
// as a hex string; or an array, as Appendix A's SDK types them) gets them to the card, and
// unreadable ones are ignored rather than failing a decided transaction.
TEST(AuroraMapping, IssuerResponseTagsWhenTheHostSendsThem) {
  auto body = nlohmann::json::parse(fixture("aurora_sale_response.json"));
  body["emvTags"] = "8A023030910A0102030405060708090A";
  auto r = parse_transaction_result(body.dump(), usd(), host::Operation::sale);
  ASSERT_TRUE(r);
  EXPECT_EQ(to_hex(r->issuer_response_tlv), "8A023030910A0102030405060708090A");
  body["emvTags"] = nlohmann::json::array({"8A023030", "910A0102030405060708090A"});
  r = parse_transaction_result(body.dump(), usd(), host::Operation::sale);
  ASSERT_TRUE(r);
  EXPECT_EQ(to_hex(r->issuer_response_tlv), "8A023030910A0102030405060708090A");
  body["emvTags"] = "not hex";
  r = parse_transaction_result(body.dump(), usd(), host::Operation::sale);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->issuer_response_tlv.empty());
  EXPECT_EQ(r->outcome, Outcome::approved);
}

TEST(AuroraMapping, ResponsesFromTheDocuments) {
  auto sale = parse_transaction_result(fixture("aurora_sale_response.json"), usd(), host::Operation::sale);
  ASSERT_TRUE(sale) << sale.error().describe();
  EXPECT_EQ(sale->outcome, Outcome::approved);
  EXPECT_EQ(sale->auth_code, "VTLMC1");
  EXPECT_EQ(sale->response_code, "00");
  EXPECT_EQ(sale->response_message, "APPROVAL");
  EXPECT_EQ(sale->host_reference, "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(sale->approved_amount, Money(1000, usd()));
  EXPECT_TRUE(sale->issuer_response_tlv.empty());
  EXPECT_EQ(parse_transaction_result(fixture("aurora_swipe_pin_response.json"), usd(), host::Operation::sale)->outcome,
            Outcome::approved);
  // The generic result's placeholders ("string") are no known status or code: unknown, so recover.
  auto generic = parse_transaction_result(fixture("aurora_void_response.json"), usd(), host::Operation::void_);
  ASSERT_TRUE(generic);
  EXPECT_EQ(generic->outcome, Outcome::unknown);
  EXPECT_EQ(generic->host_reference, "75906707-8c31-479c-b354-aa805c4cefbc");

  auto detail = parse_transaction_detail(fixture("aurora_transaction_detail.json"), usd());
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->outcome, Outcome::approved);
  EXPECT_EQ(detail->auth_code, "A0000");
  EXPECT_EQ(detail->approved_amount, Money(10000, usd()));
  auto record = parse_detail(fixture("aurora_transaction_detail.json"), usd());
  ASSERT_TRUE(record);
  EXPECT_EQ(record->last4, "4512");
  EXPECT_EQ(record->type_id, 1);
  EXPECT_EQ(record->capturable, Money(9785, usd()));  // availableOperations Capture 97.85
  EXPECT_TRUE(record->voidable);
  EXPECT_EQ(record->date_unix, parse_utc_seconds("2025-01-08T13:27:50Z"));

  auto page = parse_list(fixture("aurora_list_response.json"), usd());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 16U);
  EXPECT_EQ(page->total, 16);
  const Record& first = page->items.front();
  EXPECT_EQ(first.id, "c7c37acc-7e3d-460a-a2cf-d2b91244f0bb");
  EXPECT_EQ(first.total, Money(110, usd()));
  EXPECT_EQ(first.last4, "4512");
  EXPECT_EQ(first.status, "Captured");
  EXPECT_FALSE(first.type_id);  // RAW's items show no typeId (the schema has one)
  EXPECT_EQ(first.processor_id, "6396c8e4-838c-4aa8-b213-45ec8cd266e6");
  EXPECT_EQ(parse_list(R"({"total":0})", usd()).error().code, Errc::malformed);

  auto settle = parse_settle_result(fixture("aurora_settle_response.json"));
  ASSERT_TRUE(settle);
  EXPECT_TRUE(settle->accepted);
  // ResponseCodeDto 1 Decline, 2 Error (IOS): not settled.
  EXPECT_FALSE(parse_settle_result(R"({"code":1,"message":"m"})")->accepted);
  EXPECT_FALSE(parse_settle_result(R"({"code":2,"message":"m"})")->accepted);
  EXPECT_FALSE(parse_settle_result(R"({"code":7,"message":"m"})")->accepted);
}

// Defect 4: the outcome came from hostResponseCode alone, so any approval code but 00/10/85
// read as a decline while the card was charged. Now `status` decides, with details.code.
TEST(AuroraMapping, OutcomeFromStatusAndDetailsCodeOneTable) {
  const auto result = [](std::string_view status, std::string_view code, std::string_view host_code,
                         host::Operation op = host::Operation::sale) {
    std::string body = R"({"transactionId":"t","processedAmount":5.25)";
    if (!status.empty()) body += R"(,"status":")" + std::string(status) + "\"";
    body += R"(,"details":{"hostResponseCode":")" + std::string(host_code) + R"(","code":)" +
            (code.empty() ? std::string("null") : "\"" + std::string(code) + "\"") + R"(,"authCode":null}})";
    return parse_transaction_result(body, usd(), op);
  };
  EXPECT_EQ(result("Authorized", "Approve", "11")->outcome, Outcome::approved);  // an approval code of its own
  EXPECT_EQ(result("Captured", "Approve", "00")->outcome, Outcome::approved);
  EXPECT_EQ(result("Settled", "", "")->outcome, Outcome::approved);
  EXPECT_EQ(result("Verified", "", "")->outcome, Outcome::approved);
  EXPECT_EQ(result("PartiallyAuthorized", "Approve", "10")->outcome, Outcome::partially_approved);
  EXPECT_EQ(result("PartiallyAuthorized", "Approve", "10")->approved_amount, Money(525, usd()));
  EXPECT_EQ(result("Declined", "Decline", "00")->outcome, Outcome::declined);  // "00" decides nothing
  EXPECT_FALSE(result("Declined", "Decline", "05")->approved_amount);
  EXPECT_EQ(result("Failed", "Error", "")->outcome, Outcome::error);
  EXPECT_EQ(result("Pending", "", "")->outcome, Outcome::unknown);
  EXPECT_EQ(result("Pending", "Approve", "00")->outcome, Outcome::unknown);
  EXPECT_EQ(result("", "Approve", "")->outcome, Outcome::approved);  // no status: details.code
  EXPECT_EQ(result("", "Decline", "")->outcome, Outcome::declined);
  EXPECT_EQ(result("Authorized", "Decline", "05")->outcome, Outcome::unknown);  // they disagree: recover
  EXPECT_EQ(result("InProgress", "", "")->outcome, Outcome::unknown);
  // A void answers with the transaction's status: Voided is the void done.
  EXPECT_EQ(result("Voided", "Approve", "00", host::Operation::void_)->outcome, Outcome::approved);
  EXPECT_EQ(result("Captured", "Decline", "", host::Operation::void_)->outcome, Outcome::declined);
  EXPECT_EQ(result("Voided", "", "", host::Operation::sale)->outcome, Outcome::declined);
  // By id only when the name is missing (IOS transactionStatus ids).
  EXPECT_EQ(parse_transaction_result(R"({"transactionId":"t","statusId":91})", usd(), host::Operation::sale)->outcome,
            Outcome::declined);
}

TEST(AuroraMapping, MalformedAndMissingFieldsAreTypedErrors) {
  const auto op = host::Operation::sale;
  EXPECT_EQ(parse_transaction_result("{not json", usd(), op).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_result("[]", usd(), op).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_result(R"({"transactionId":"t"})", usd(), op)->outcome, Outcome::unknown);
  EXPECT_EQ(parse_transaction_result(R"({"details":{"hostResponseCode":"00"}})", usd(), op).error().code, Errc::malformed);
  EXPECT_EQ(parse_transaction_result(R"({"transactionId":"t","details":{"hostResponseCode":0}})", usd(), op).error().code,
            Errc::malformed);
  EXPECT_EQ(parse_transaction_result(R"({"transactionId":"t","status":"Captured","processedAmount":10.001})", usd(), op)
                .error()
                .code,
            Errc::out_of_range);
  EXPECT_EQ(parse_settle_result(R"({"code":"0"})").error().code, Errc::malformed);
}

TEST(AuroraMapping, ErrorBodiesAndCorrelationIds) {
  host::HostResult r;
  r.response_code = "400";
  read_error_body(R"({"details":"Amount is required","statusCode":400,"errorCode":"ValidationFailed","correlationId":"c-1"})", r);
  EXPECT_EQ(r.response_message, "Amount is required (ValidationFailed)");
  read_error_body(R"({"Details":"Transaction not found","StatusCode":404})", r);  // AND reads PascalCase
  EXPECT_EQ(r.response_message, "Transaction not found");
  read_error_body("<html>", r);
  EXPECT_EQ(r.response_message, "HTTP 400");
  http::Response response;
  response.body = R"({"CorrelationId":"body-id"})";
  EXPECT_EQ(correlation_id(response), "body-id");
  response.set_header("x-correlation-id", "second");
  EXPECT_EQ(correlation_id(response), "second");
  response.set_header("x-arise-trace-correlationid", "first");
  EXPECT_EQ(correlation_id(response), "first");
}

TEST(AuroraMapping, DatesOfTheDocuments) {
  EXPECT_EQ(parse_utc_seconds("2025-01-09T13:27:49.6993001Z"), 1736429269);
  EXPECT_EQ(parse_utc_seconds("2019-08-24T14:15:22Z"), 1566656122);
  EXPECT_EQ(parse_utc_seconds("2019-08-24T16:15:22+02:00"), 1566656122);
  EXPECT_EQ(parse_utc_seconds("2019-08-24T14:15:22"), 1566656122);
  for (std::string_view bad : {"", "2019-08-24", "2019-13-24T14:15:22Z", "2019-02-30T14:15:22Z", "2019-08-24T14:15:22Zx"})
    EXPECT_FALSE(parse_utc_seconds(bad)) << bad;
}

// Defect 6: the surcharge the receipt prints travels as the rate that yields it exactly
// (IOS: surchargeRate, "the percent of transaction amount to be added"); never dropped.
TEST(AuroraMapping, SurchargeTravelsAsItsExactRate) {
  auto r = swipe_request();
  r.amount = Money(1035, usd());
  r.surcharge = Money(35, usd());
  auto json = ordered(*authorization_body(r, AuthKind::sale, "p"));
  EXPECT_EQ(json["amount"], 10.0);
  EXPECT_EQ(json["surchargeRate"], 3.5);
  EXPECT_NE(authorization_body(r, AuthKind::sale, "p")->find("\"surchargeRate\":3.5,"), std::string::npos);
  const auto rate = [](std::int64_t base, std::int64_t surcharge) {
    auto m = surcharge_rate(Money(base, usd()), Money(surcharge, usd()));
    return m ? m->format() : "refused";
  };
  EXPECT_EQ(rate(1000, 40), "4");
  EXPECT_EQ(rate(1999, 80), "4.0021");   // 1999 * 4.0021 % = 80.002: 80 however the host rounds
  EXPECT_EQ(rate(333, 10), "3.0031");    // 333 * 3.0031 % = 10.0003: rounds to 10 half up, half even or down
  EXPECT_EQ(rate(1000, 0), "0");
  EXPECT_EQ(rate(1000, 2000), "refused");
  r.surcharge = Money(1035, usd());  // the whole amount: no base left
  EXPECT_EQ(authorization_body(r, AuthKind::sale, "p").error().code, Errc::invalid_argument);
  r.surcharge = std::nullopt;
  // No surcharge is an explicit 0, never null (the merchant's default surcharge).
  EXPECT_EQ(ordered(*authorization_body(r, AuthKind::sale, "p"))["surchargeRate"], 0);
}

TEST(AuroraMapping, CalculateAmountKeepsTheDebitCardBreakdown) {
  auto doc = nlohmann::json::parse(fixture("aurora_calculate_response.json"));
  doc["creditCard"]["baseAmount"] = 10;
  doc["creditCard"]["surchargeAmount"] = 0.4;
  doc["creditCard"]["totalAmount"] = 10.4;
  doc["debitCard"]["baseAmount"] = 10;
  doc["debitCard"]["totalAmount"] = 10;
  auto calc = parse_calculate_result(doc.dump(), usd());
  ASSERT_TRUE(calc) << calc.error().describe();
  EXPECT_EQ(calc->credit.total, Money(1040, usd()));
  EXPECT_EQ(calc->credit.surcharge, Money(40, usd()));
  ASSERT_TRUE(calc->debit);
  EXPECT_EQ(calc->debit->total, Money(1000, usd()));
  ASSERT_TRUE(calc->cash);
  doc["debitCard"]["totalAmount"] = "ten";
  EXPECT_FALSE(parse_calculate_result(doc.dump(), usd()));
}

struct AuroraFixture : ::testing::Test {
  FakeTransport api;
  FakeTransport oauth;
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  AuroraAdapter adapter{api, oauth, AuroraConfig{"client 1", SecretString("s&cret"), "proc-1", usd(), std::chrono::milliseconds(5000), std::chrono::seconds(60)},
                        [this] { return now; }};
  Result<host::HostResult> sale() {
    return run<host::HostResult>([&](auto h) { adapter.sale(swipe_request(), h); });
  }
};

TEST_F(AuroraFixture, TokenIsFetchedOnceAndCachedUntilExpiry) {
  oauth.answer(200, kToken);
  api.answer(200, fixture("aurora_sale_response.json"));
  api.answer(200, fixture("aurora_sale_response.json"));
  ASSERT_EQ(sale()->outcome, Outcome::approved);
  ASSERT_EQ(oauth.requests.size(), 1U);
  const auto& token_request = oauth.requests[0];
  EXPECT_EQ(token_request.target, "/oauth2/token");
  EXPECT_EQ(token_request.method, http::Method::post);
  EXPECT_EQ(token_request.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token_request.body, "grant_type=client_credentials&client_id=client+1&client_secret=s%26cret");
  EXPECT_EQ(api.requests[0].target, "/pay-api/v1/transactions/sale");
  EXPECT_EQ(api.requests[0].header("Authorization"), "Bearer tok-1");
  now += std::chrono::seconds(3000);
  ASSERT_EQ(sale()->outcome, Outcome::approved);
  EXPECT_EQ(oauth.requests.size(), 1U);  // still cached
  now += std::chrono::seconds(550);      // inside the 60 s margin
  oauth.answer(200, R"({"access_token":"tok-2","expires_in":3600})");
  api.answer(200, fixture("aurora_sale_response.json"));
  ASSERT_EQ(sale()->outcome, Outcome::approved);
  EXPECT_EQ(oauth.requests.size(), 2U);
  EXPECT_EQ(api.requests.back().header("Authorization"), "Bearer tok-2");
}

// Found by aurora_fuzz: expires_in 2^63-1 overflowed the expiry arithmetic (UB), and
// 2^64-1 became -1 s (a token never cached). Both are taken as a day.
TEST_F(AuroraFixture, AbsurdTokenLifetimeIsTakenAsADay) {
  for (const char* lifetime : {"9223372036854775807", "18446744073709551615"}) {
    SCOPED_TRACE(lifetime);
    const auto fetched = oauth.requests.size();
    oauth.answer(200, std::string(R"({"access_token":"tok-1","expires_in":)") + lifetime + "}");
    api.answer(200, fixture("aurora_sale_response.json"));
    ASSERT_EQ(sale()->outcome, Outcome::approved);
    now += std::chrono::hours(23);
    api.answer(200, fixture("aurora_sale_response.json"));
    ASSERT_EQ(sale()->outcome, Outcome::approved);
    EXPECT_EQ(oauth.requests.size(), fetched + 1);  // still cached
    now += std::chrono::hours(2);  // past the day: fetched again
  }
  EXPECT_EQ(oauth.requests.size(), 2U);
}

TEST_F(AuroraFixture, A401RefreshesTheTokenOnceOnly) {
  oauth.answer(200, kToken);
  api.answer(401, "");
  oauth.answer(200, R"({"access_token":"tok-2","expires_in":3600})");
  api.answer(200, fixture("aurora_sale_response.json"));
  EXPECT_EQ(sale()->outcome, Outcome::approved);
  EXPECT_EQ(api.requests.size(), 2U);
  EXPECT_EQ(api.requests[1].header("Authorization"), "Bearer tok-2");
  EXPECT_EQ(api.requests[0].body, api.requests[1].body);

  api.answer(401, "");
  oauth.answer(200, R"({"access_token":"tok-3","expires_in":3600})");
  api.answer(401, "");
  auto refused = sale();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->outcome, Outcome::error);
  EXPECT_EQ(refused->response_code, "401");
  EXPECT_EQ(api.requests.size(), 4U);
  EXPECT_EQ(oauth.requests.size(), 3U);
}

TEST_F(AuroraFixture, NoTokenMeansNothingWasSent) {
  oauth.fail(Errc::timeout);
  auto r = sale();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_TRUE(api.requests.empty());
  oauth.answer(200, R"({"token":"x"})");
  EXPECT_EQ(sale().error().code, Errc::malformed);
}

TEST_F(AuroraFixture, TimeoutIsUnknownAndLookupIsByHostReferenceOnly) {
  oauth.answer(200, kToken);
  api.fail(Errc::timeout);
  auto r = sale();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::unknown);
  api.answer(503, "");
  EXPECT_EQ(sale()->outcome, Outcome::unknown);
  api.answer(400, R"({"details":"bad"})");
  EXPECT_EQ(sale()->outcome, Outcome::error);

  // The list has no referenceId filter (IOS L21705): nothing to ask, nothing sent.
  const auto sent = api.requests.size();
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.lookup({kReference, ""}, h); }).error().code, Errc::unsupported);
  EXPECT_EQ(api.requests.size(), sent);
  api.answer(200, fixture("aurora_transaction_detail.json"));
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.lookup({"", "abc"}, h); })->auth_code, "A0000");
  EXPECT_EQ(api.requests.back().target, "/pay-api/v1/transactions/abc");
  api.answer(404, "");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.lookup({"", "abc"}, h); }).error().code, Errc::not_found);
}

TEST_F(AuroraFixture, OtherOperationsUseTheirPaths) {
  oauth.answer(200, kToken);
  api.answer(200, fixture("aurora_settle_response.json"));
  auto settled = run<host::SettleResult>([&](auto h) { adapter.settle({}, h); });
  ASSERT_TRUE(settled);
  EXPECT_TRUE(settled->accepted);
  EXPECT_EQ(api.requests.back().target, "/pay-api/v1/transactions/settle");
  EXPECT_EQ(api.requests.back().body, R"({"paymentProcessorId":"proc-1"})");
  api.answer(200, fixture("aurora_calculate_response.json"));
  auto calc = run<host::CalculateAmountResult>([&](auto h) { adapter.calculate_amount({Money(1999, usd()), Money(100, usd()), "", "", ""}, h); });
  ASSERT_TRUE(calc);
  EXPECT_EQ(api.requests.back().target, "/pay-api/v1/transactions/calculate-amount?amount=19.99&currencyId=1&tipAmount=1.00");
  for (const auto& [path, call] : std::vector<std::pair<std::string, std::function<void(host::ResultHandler)>>>{
           {"/pay-api/v1/transactions/auth", [&](auto h) { adapter.authorize(swipe_request(), h); }},
           {"/pay-api/v1/transactions/capture", [&](auto h) { adapter.capture({kReference, "t", Money(5, usd())}, h); }},
           {"/pay-api/v1/transactions/return", [&](auto h) { adapter.refund({kReference, "t", Money(5, usd())}, h); }},
           {"/pay-api/v1/transactions/tip-adjustment", [&](auto h) { adapter.tip_adjust({kReference, "t", Money(5, usd())}, h); }},
       }) {
    api.answer(200, fixture("aurora_sale_response.json"));
    EXPECT_TRUE(run<host::HostResult>(call)) << path;
    EXPECT_EQ(api.requests.back().target, path);
  }
}

// Defect 4: a capture without an amount sent `"amount": null`; amount is required (IOS
// CaptureRequestDto). The original's capturable amount is read from its record first.
TEST_F(AuroraFixture, CaptureAlwaysSendsAnAmount) {
  oauth.answer(200, kToken);
  api.answer(200, fixture("aurora_transaction_detail.json"));  // Capture availableAmount 97.85
  api.answer(200, fixture("aurora_void_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { adapter.capture({kReference, "abc", std::nullopt}, h); }));
  ASSERT_EQ(api.requests.size(), 2U);
  EXPECT_EQ(api.requests[0].method, http::Method::get);
  EXPECT_EQ(api.requests[0].target, "/pay-api/v1/transactions/abc");
  EXPECT_EQ(api.requests[1].body, R"({"amount":97.85,"transactionId":"abc"})");
  // The record could not be read: nothing was sent, and it says so.
  api.fail(Errc::timeout);
  auto r = run<host::HostResult>([&](auto h) { adapter.capture({kReference, "abc", std::nullopt}, h); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_EQ(api.requests.size(), 3U);
}

// Defect 8: a 200 answer whose processedAmount does not parse was "nothing sent" (an error):
// the host answered, so it may have charged the card: Outcome::unknown, recovered.
TEST_F(AuroraFixture, AnUnreadableApprovalIsUnknownNeverAnError) {
  oauth.answer(200, kToken);
  for (std::string amount : {"12.345", "1e400", "\"10.00\"", "99999999999999999999", "true"}) {
    auto body = fixture("aurora_sale_response.json");
    body.replace(body.find("\"processedAmount\": 10"), 21, "\"processedAmount\": " + amount);
    api.answer(200, body);
    auto r = sale();
    ASSERT_TRUE(r) << amount << ": " << r.error().describe();
    EXPECT_EQ(r->outcome, Outcome::unknown) << amount;
  }
  api.answer(200, R"({"transactionId": "t", "status": "Captured", "details": [1]})");
  EXPECT_EQ(sale()->outcome, Outcome::unknown);
  api.answer(200, "{\"transactionId\": ");
  EXPECT_EQ(sale()->outcome, Outcome::unknown);
}

// Defect 4: error bodies and correlation ids were dropped; the merchant and the host's
// support need both.
TEST_F(AuroraFixture, ErrorTextAndTraceIdReachTheResult) {
  oauth.answer(200, kToken);
  api.answer(400, R"({"Details":"The CardDataSource field is required.","StatusCode":400,"ErrorCode":"ValidationFailed","CorrelationId":"corr-9"})");
  auto r = sale();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::error);
  EXPECT_EQ(r->response_code, "400");
  EXPECT_EQ(r->response_message, "The CardDataSource field is required. (ValidationFailed)");
  EXPECT_EQ(r->trace_id, "corr-9");
  api.answer(200, fixture("aurora_sale_response.json"), {{"x-arise-trace-correlationid", "trace-1"}});
  EXPECT_EQ(sale()->trace_id, "trace-1");
  api.answer(500, R"({"details":"boom","correlationId":"corr-5"})");
  r = sale();
  EXPECT_EQ(r->outcome, Outcome::unknown);
  EXPECT_EQ(r->trace_id, "corr-5");
}

// A void of a settled transaction must come back as Refusal::already_settled (the engine then
// refunds): the host's record of it says Settled, or offers a Refund and no Void.
TEST_F(AuroraFixture, AVoidRefusedBecauseSettledSaysSo) {
  oauth.answer(200, kToken);
  auto settled = nlohmann::json::parse(fixture("aurora_transaction_detail.json"));
  settled["status"] = "Settled";
  settled["statusId"] = 6;
  settled["availableOperations"] = nlohmann::json::array({{{"typeId", 5}, {"type", "Refund"}, {"availableAmount", 100}}});
  api.answer(400, R"({"details":"a settled transaction cannot be voided"})");
  api.answer(200, settled.dump());
  auto r = run<host::HostResult>([&](auto h) { adapter.void_({kReference, "abc"}, h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::error);
  EXPECT_EQ(r->refusal, host::Refusal::already_settled);
  EXPECT_EQ(api.requests.back().target, "/pay-api/v1/transactions/abc");
  // Refused for another reason: the record still offers a Void.
  api.answer(400, R"({"details":"no"})");
  api.answer(200, fixture("aurora_transaction_detail.json"));
  r = run<host::HostResult>([&](auto h) { adapter.void_({kReference, "abc"}, h); });
  EXPECT_EQ(r->refusal, host::Refusal::none);
  // An approved void asks nothing more.
  const auto before = api.requests.size();
  auto voided = nlohmann::json::parse(fixture("aurora_void_response.json"));
  voided["status"] = "Voided";
  voided["details"]["code"] = "Approve";
  api.answer(200, voided.dump());
  EXPECT_EQ(run<host::HostResult>([&](auto h) { adapter.void_({kReference, "abc"}, h); })->outcome, Outcome::approved);
  EXPECT_EQ(api.requests.size(), before + 1);
}

TEST_F(AuroraFixture, LogsNeverCarryCardDataOrSecrets) {
  testing::CapturingSink sink;
  log::set_level(log::Level::debug);
  oauth.answer(200, kToken);
  api.answer(200, fixture("aurora_sale_response.json"));
  ASSERT_TRUE(sale());
  const auto text = sink.all();
  EXPECT_FALSE(sink.lines.empty());
  for (const char* secret : {"5413330056003511", "CUST IMP", "tok-1", "s&cret", "processedAmount"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  log::set_level(log::Level::info);
}

}  // namespace
}  // namespace tender::net::aurora

namespace tender::net::aurora {
namespace {

// Answers only when told to, so two operations can wait on one token request.
class DeferredTransport : public http::Transport {
 public:
  void async_send(http::Request request, std::chrono::milliseconds /*deadline*/, http::ResponseHandler handler) override {
    requests.push_back(std::move(request));
    pending.push_back(std::move(handler));
  }
  std::vector<http::Request> requests;
  std::vector<http::ResponseHandler> pending;
};

TEST(AuroraToken, ConcurrentOperationsShareOneTokenRequest) {
  FakeTransport api;
  DeferredTransport oauth;
  AuroraAdapter adapter{api, oauth, AuroraConfig{"c", SecretString("s"), "p", usd(), std::chrono::milliseconds(1000), std::chrono::seconds(60)}};
  api.answer(200, fixture("aurora_sale_response.json"));
  api.answer(200, fixture("aurora_sale_response.json"));
  int done = 0;
  adapter.sale(swipe_request(), [&](Result<host::HostResult> r) { done += r && r->outcome == Outcome::approved; });
  adapter.authorize(swipe_request(), [&](Result<host::HostResult> r) { done += r && r->outcome == Outcome::approved; });
  ASSERT_EQ(oauth.requests.size(), 1U);
  EXPECT_TRUE(api.requests.empty());
  http::Response token;
  token.body = kToken;
  oauth.pending.front()(token);
  EXPECT_EQ(done, 2);
  EXPECT_EQ(api.requests.size(), 2U);
}

}  // namespace
}  // namespace tender::net::aurora
