#include <gtest/gtest.h>

#include "connexpay_fixture.hpp"
#include "net/connexpay/connexpay_mapping.hpp"

namespace tender::net::connexpay {
namespace {

using host::EntryMode;
using host::Outcome;
using net::testing::CapturingSink;
using net::testing::fixture;
using net::testing::run;
using namespace testing;

// 9F26 (ARQC), 5F24 271231 (expiry), 82 (AIP): the kernel's online data.
const Bytes kTags{0x9F, 0x26, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                  0x5F, 0x24, 0x03, 0x27, 0x12, 0x31, 0x82, 0x02, 0x19, 0x80};
constexpr const char* kTagsHex = "9F260811223344556677885F24032712318202198" "0";

host::AuthorizationRequest swiped_request() {
  auto r = keyed_request();
  r.entry_mode = EntryMode::swiped;
  r.card = {};
  r.card.track1 = SecretString(kTrack1);
  r.card.track2 = SecretString(kTrack2);
  r.card.expiry_yymm = SecretString("2712");  // the engine's reading of the track
  return r;
}

host::AuthorizationRequest chip_request() {
  auto r = keyed_request();
  r.entry_mode = EntryMode::chip;
  r.card = {};
  r.card.expiry_yymm = SecretString("2712");  // the engine's reading of tag 57
  r.emv = host::EmvData{kTags, std::nullopt, std::nullopt};
  return r;
}

host::PinData pin() {
  host::PinData p;
  p.pin_block = SecretBytes(ByteView(Bytes{0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0}));
  p.ksn = Bytes{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x01};
  return p;
}

void expect_terminal_data(const Json& json, const char* method) {
  EXPECT_EQ(json["TerminalData"], parse(std::string(R"({"TerminalCapability":"MAGSTRIPE_ICC_KEYED_ENTRY_ONLY",)") +
                                        R"("TerminalOperatingEnvironment":"ON_MERCHANT_PREMISES_ATTENDED",)" +
                                        R"("TerminalAuthenticationCapability":"PIN_ENTRY",)" +
                                        R"("TerminalOutputCapability":"PRINT_AND_DISPLAY",)" +
                                        R"("CardholderAuthenticationMethod":")" + method + R"(","MaxPinLength":"12"})"));
}

TEST(ConnexPayMapping, KeyedSaleCarriesTheWireFields) {
  auto body = payment_body(keyed_request(), PaymentKind::sale, kDevice);
  ASSERT_TRUE(body) << body.error().describe();
  const auto json = parse(*body);
  EXPECT_EQ(json["DeviceGuid"], kDevice);
  EXPECT_NE(body->find(R"("Amount":15.50,)"), std::string::npos);  // decimal dollars, from the minor units
  EXPECT_EQ(json["SequenceNumber"], kSequence);
  EXPECT_EQ(json["OrderNumber"], kReference);
  EXPECT_EQ(json["TenderType"], "Credit");
  EXPECT_EQ(json["ConnexPayTransaction"], parse(R"({"ExpectedPayments":1})"));
  EXPECT_EQ(json["RiskData"], parse("{}"));
  EXPECT_EQ(json["SendReceipt"], false);
  EXPECT_EQ(json["CardDataSource"], "MANUAL");
  EXPECT_EQ(json["Card"], parse(R"({"CardNumber":"4485754899788507","ExpirationDate":"2712","Cvv2":"999"})"));
  EXPECT_FALSE(json.contains("TerminalData"));  // card-present requests only
  EXPECT_FALSE(json.contains("EmvFallbackCondition"));
}

TEST(ConnexPayMapping, AuthOnlyHasNoTenderTypeNorConnexPayTransaction) {
  auto body = payment_body(keyed_request(), PaymentKind::authonly, kDevice);
  ASSERT_TRUE(body);
  const auto json = parse(*body);
  EXPECT_FALSE(json.contains("TenderType"));
  EXPECT_FALSE(json.contains("ConnexPayTransaction"));
  EXPECT_EQ(json["SequenceNumber"], kSequence);
  EXPECT_EQ(json["OrderNumber"], kReference);
}

TEST(ConnexPayMapping, SwipeSendsBothTracksAndTheExpiry) {
  auto body = payment_body(swiped_request(), PaymentKind::sale, kDevice);
  ASSERT_TRUE(body) << body.error().describe();
  const auto json = parse(*body);
  EXPECT_EQ(json["CardDataSource"], "SWIPE");
  EXPECT_EQ(json["Card"], parse(std::string(R"({"Track1Data":")") + kTrack1 + R"(","Track2Data":")" + kTrack2 +
                                R"(","ExpirationDate":"2712"})"));
  expect_terminal_data(json, "NOT_AUTHENTICATED");
}

TEST(ConnexPayMapping, SwipeStripsSentinelsAndRefusesEncryptedOnlyTracks) {
  auto r = swiped_request();
  r.card.track1 = {};
  r.card.track2 = SecretString(std::string(";") + kTrack2 + "?");
  const auto json = parse(*payment_body(r, PaymentKind::sale, kDevice));
  EXPECT_EQ(json["Card"]["Track2Data"], kTrack2);
  r.card.track2 = {};
  r.card.encrypted_track2 = SecretBytes(ByteView(Bytes{1, 2, 3}));
  r.card.track_ksn = Bytes{1, 2};
  auto refused = payment_body(r, PaymentKind::sale, kDevice);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unsupported);
}

TEST(ConnexPayMapping, ChipSendsTagsAndExpiryOnlyWithPin) {
  auto r = chip_request();
  r.pin = pin();
  auto body = payment_body(r, PaymentKind::sale, kDevice);
  ASSERT_TRUE(body) << body.error().describe();
  const auto json = parse(*body);
  EXPECT_EQ(json["CardDataSource"], "EMV");
  EXPECT_EQ(json["Card"], parse(std::string(R"({"EmvTags":")") + kTagsHex +
                                R"(","ExpirationDate":"2712","Pin":"123456789ABCDEF0","Ksn":"FFFF9876543210E00001"})"));
  expect_terminal_data(json, "PIN");
}

// B.CB.GS02 / GS05: the host refuses a swipe or a chip read without ExpirationDate; the
// terminal never sends one.
TEST(ConnexPayMapping, SwipeOrChipWithoutExpiryIsRefusedBeforeSending) {
  for (auto r : {chip_request(), swiped_request()}) {
    r.card.expiry_yymm = {};
    auto body = payment_body(r, PaymentKind::sale, kDevice);
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, Errc::invalid_argument);
    r.card.expiry_yymm = SecretString("27AB");
    EXPECT_FALSE(payment_body(r, PaymentKind::sale, kDevice));
  }
}

TEST(ConnexPayMapping, FallbackIccErrorSendsTrack2OnlyAndLastChipRead) {
  auto r = swiped_request();
  r.entry_mode = EntryMode::fallback_swipe;
  r.emv = host::EmvData{{}, host::FallbackCondition::icc_terminal_error, host::LastChipRead::failed};
  auto body = payment_body(r, PaymentKind::sale, kDevice);
  ASSERT_TRUE(body) << body.error().describe();
  const auto json = parse(*body);
  EXPECT_EQ(json["CardDataSource"], "FALLBACK_SWIPE");
  EXPECT_EQ(json["EmvFallbackCondition"], "ICC_TERMINAL_ERROR");
  EXPECT_EQ(json["LastChipRead"], "FAILED");
  EXPECT_EQ(json["Card"], parse(std::string(R"({"Track2Data":")") + kTrack2 + R"(","ExpirationDate":"2712"})"));
  expect_terminal_data(json, "NOT_AUTHENTICATED");
}

TEST(ConnexPayMapping, FallbackNoCandidateListHasNoLastChipRead) {
  auto r = swiped_request();
  r.entry_mode = EntryMode::fallback_swipe;
  r.emv = host::EmvData{{}, host::FallbackCondition::no_candidate_list, host::LastChipRead::successful};
  const auto json = parse(*payment_body(r, PaymentKind::sale, kDevice));
  EXPECT_EQ(json["EmvFallbackCondition"], "NO_CANDIDATE_LIST");
  EXPECT_FALSE(json.contains("LastChipRead"));  // F9911
  r.emv->fallback_condition.reset();
  EXPECT_FALSE(payment_body(r, PaymentKind::sale, kDevice));  // F9914: the condition is mandatory
}

TEST(ConnexPayMapping, ContactlessChipAndMagstripeMode) {
  auto chip = chip_request();
  chip.entry_mode = EntryMode::contactless;
  auto json = parse(*payment_body(chip, PaymentKind::sale, kDevice));
  EXPECT_EQ(json["CardDataSource"], "EMV_CONTACTLESS");
  EXPECT_EQ(json["Card"]["EmvTags"], kTagsHex);
  expect_terminal_data(json, "NOT_AUTHENTICATED");
  auto msd = swiped_request();
  msd.entry_mode = EntryMode::contactless;
  json = parse(*payment_body(msd, PaymentKind::sale, kDevice));
  EXPECT_EQ(json["CardDataSource"], "NFC");
  EXPECT_EQ(json["Card"]["Track2Data"], kTrack2);
}

TEST(ConnexPayMapping, RefusesWhatTheHostWould) {
  auto r = keyed_request();
  r.amount = Money(49, usd());  // below the $0.50 minimum
  EXPECT_EQ(payment_body(r, PaymentKind::sale, kDevice).error().code, Errc::invalid_argument);
  r = keyed_request();
  r.reference_id = "not-a-uuid";
  EXPECT_EQ(payment_body(r, PaymentKind::sale, kDevice).error().code, Errc::invalid_argument);
}

TEST(ConnexPayMapping, FollowOnBodies) {
  EXPECT_EQ(parse(verify_body(keyed_request(), kDevice).value()),
            parse(std::string(R"({"DeviceGuid":")") + kDevice +
                  R"(","Card":{"CardNumber":"4485754899788507","ExpirationDate":"2712","Cvv2":"999"}})"));
  EXPECT_EQ(verify_body(chip_request(), kDevice).error().code, Errc::unsupported);
  EXPECT_EQ(parse(capture_body(kDevice, kAuthOnlyGuid, Money(1000, usd()))),
            parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","AuthOnlyGuid":")" + kAuthOnlyGuid + R"(","NewAmount":10.00})"));
  EXPECT_FALSE(parse(capture_body(kDevice, kAuthOnlyGuid, std::nullopt)).contains("NewAmount"));
  EXPECT_EQ(parse(void_body(kDevice, {TxKind::authonly, kAuthOnlyGuid}, api::VoidReasonCode::device_timeout)),
            parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","AuthOnlyGuid":")" + kAuthOnlyGuid +
                  R"(","VoidReason":"DEVICE_TIMEOUT"})"));
  EXPECT_EQ(parse(void_body(kDevice, {TxKind::return_, kSaleGuid}, api::VoidReasonCode::torn_transactions))["ReturnGuid"], kSaleGuid);
  EXPECT_EQ(parse(return_body(kDevice, kSaleGuid, Money(1974, usd()), kReference).value()),
            parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","SaleGuid":")" + kSaleGuid +
                  R"(","Amount":19.74,"SequenceNumber":")" + kSequence + R"(","OrderNumber":")" + kReference + R"("})"));
  EXPECT_EQ(parse(timeout_reversal_body(kDevice, kSequence)),
            parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","SequenceNumber":")" + kSequence + R"("})"));
  EXPECT_EQ(token_body("a@b", SecretString("p@ss word&1")), "grant_type=password&username=a%40b&password=p%40ss%20word%261");
}

TEST(ConnexPayMapping, HostReferenceCarriesTheKind) {
  EXPECT_EQ(host_reference_for(TxKind::authonly, kAuthOnlyGuid), std::string("authonly:") + kAuthOnlyGuid);
  const auto ref = parse_host_reference(std::string("return:") + kSaleGuid);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->kind, TxKind::return_);
  EXPECT_EQ(ref->guid, kSaleGuid);
  EXPECT_FALSE(parse_host_reference(kSaleGuid));                      // no kind
  EXPECT_FALSE(parse_host_reference("sale:../../api/v1/x"));          // not a guid: never in a path
  EXPECT_FALSE(parse_host_reference(std::string("capture:") + kSaleGuid));
}

// ---- The document's own answers.

TEST(ConnexPayAnswers, DocumentSaleResponseIsApproved) {
  auto r = parse_transaction(fixture("connexpay_sale_response.json"), usd(), TxKind::sale);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(r->host_reference, std::string("sale:") + kSaleGuid);
  EXPECT_EQ(r->approved_amount, Money(150000, usd()));  // "amount": 1500 dollars
  EXPECT_EQ(r->auth_code, "TAS356");
  EXPECT_EQ(r->response_code, "A0000");
  EXPECT_EQ(r->response_message, "Success");
  EXPECT_EQ(r->receipt_reference, "16286858");
  EXPECT_TRUE(r->issuer_response_tlv.empty());
}

TEST(ConnexPayAnswers, DocumentAuthOnlyVerifyReturnAndVoid) {
  auto auth = parse_transaction(fixture("connexpay_authonly_response.json"), usd(), TxKind::authonly);
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->outcome, Outcome::approved);
  EXPECT_EQ(auth->host_reference, std::string("authonly:") + kAuthOnlyGuid);
  EXPECT_EQ(auth->approved_amount, Money(1550, usd()));
  auto verify = parse_transaction(fixture("connexpay_verify_response.json"), usd(), TxKind::verify);
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->outcome, Outcome::approved);
  EXPECT_FALSE(verify->approved_amount);
  auto ret = parse_transaction(fixture("connexpay_return_response.json"), usd(), TxKind::return_);
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->outcome, Outcome::approved);
  EXPECT_EQ(ret->response_code, "A0014");
  EXPECT_EQ(ret->approved_amount, Money(1974, usd()));
  EXPECT_EQ(ret->host_reference, "return:4f31b350-edd1-49fd-a1ad-4b065f78d7b9");
  auto voided = parse_transaction(fixture("connexpay_void_response.json"), usd(), TxKind::void_);
  ASSERT_TRUE(voided);
  EXPECT_EQ(voided->outcome, Outcome::approved);
  EXPECT_EQ(voided->receipt_reference, "13283644");
}

TEST(ConnexPayAnswers, DocumentCaptureNamesTheNewSale) {
  auto r = parse_capture(fixture("connexpay_capture_response.json"), usd());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(r->host_reference, "sale:34f87b4e-3345-4c01-96de-c4257c38e822");  // relatedSale, not the capture
  EXPECT_EQ(r->approved_amount, Money(9000, usd()));
  // V1/C2 spell it `sale`.
  auto v1 = parse_capture(R"({"guid":"cf05ed0a-f9df-4e62-b613-61323a37c14e","status":"Transaction - Approved","wasProcessed":true,)"
                          R"("sale":{"guid":"34f87b4e-3345-4c01-96de-c4257c38e822","amount":12.5}})",
                          usd());
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->host_reference, "sale:34f87b4e-3345-4c01-96de-c4257c38e822");
  EXPECT_EQ(v1->approved_amount, Money(1250, usd()));
  // Approved with no new sale: nothing to void or return later.
  EXPECT_EQ(parse_capture(R"({"guid":"cf05ed0a-f9df-4e62-b613-61323a37c14e","status":"Transaction - Approved","wasProcessed":true})",
                          usd()).error().code,
            Errc::malformed);
}

TEST(ConnexPayAnswers, DocumentBatchClose) {
  const auto r = parse_batch_close(200, fixture("connexpay_batch_close_response.json"));
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.response_code, "A0000");
  EXPECT_EQ(r.response_message, "Success");
  EXPECT_FALSE(parse_batch_close(200, R"({"status":"FAIL","responseCode":"E1234","responseMessage":"No"})").accepted);
  EXPECT_FALSE(parse_batch_close(500, "").accepted);
}

TEST(ConnexPayAnswers, DeclinedPartialAndUnbelievable) {
  auto declined = parse_transaction(sale_answer(R"("status":"Transaction - Declined","wasProcessed":false,)"
                                                R"("processorStatusCode":"D2005","processorResponseMessage":"Invalid Card")"),
                                    usd(), TxKind::sale);
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->outcome, Outcome::declined);
  EXPECT_EQ(declined->response_code, "D2005");
  EXPECT_EQ(declined->response_message, "Invalid Card");
  EXPECT_FALSE(declined->approved_amount);
  auto partial = parse_transaction(sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":9.00,)"
                                               R"("processorStatusCode":"A0002","processorResponseMessage":"Partially Approved")"),
                                   usd(), TxKind::sale);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->outcome, Outcome::partially_approved);
  EXPECT_EQ(partial->approved_amount, Money(900, usd()));
  // Approved but not processed, or no verdict at all: neither can be believed.
  EXPECT_EQ(parse_transaction(sale_answer(R"("status":"Transaction - Approved","wasProcessed":false)"), usd(), TxKind::sale)->outcome,
            Outcome::unknown);
  EXPECT_EQ(parse_transaction(sale_answer(R"("status":"Transaction - Created - Error: Processor not reached")"), usd(), TxKind::sale)
                ->outcome,
            Outcome::unknown);
  EXPECT_EQ(parse_transaction("not json", usd(), TxKind::sale).error().code, Errc::malformed);
}

TEST(ConnexPayAnswers, IssuerTagsWhenTheHostSendsThem) {
  auto r = parse_transaction(sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":15.50,)"
                                         R"("emvTags":"8A023030910A0102030405060708090A")"),
                             usd(), TxKind::sale);
  ASSERT_TRUE(r);
  EXPECT_EQ(to_hex(r->issuer_response_tlv), "8A023030910A0102030405060708090A");
}

TEST(ConnexPayAnswers, RefusalsByStatus) {
  auto d = refused_answer(422, R"({"message":"Error code D2005. Invalid Card.","errorId":"637832099954665799"})");
  EXPECT_EQ(d.outcome, Outcome::declined);
  EXPECT_EQ(d.response_code, "D2005");
  EXPECT_EQ(d.response_message, "Invalid Card.");
  auto e = refused_answer(422, R"({"message":"Sale has not been settled","errorId":"1"})");
  EXPECT_EQ(e.outcome, Outcome::error);
  EXPECT_EQ(e.response_message, "Sale has not been settled");
  auto f = refused_answer(422, R"({"message":"Error code F9913. Card number not allowed with EMV."})");
  EXPECT_EQ(f.outcome, Outcome::error);
  EXPECT_EQ(f.response_code, "F9913");
  auto bad = refused_answer(400, R"({"message":"The request is invalid.","modelState":{"request.Amount":["x"]}})");
  EXPECT_EQ(bad.outcome, Outcome::error);
  EXPECT_EQ(bad.response_message, "The request is invalid.");
  EXPECT_EQ(refused_answer(401, "").outcome, Outcome::error);
  EXPECT_EQ(refused_answer(500, R"({"message":"An error has occurred."})").outcome, Outcome::unknown);
}

TEST(ConnexPayAnswers, DocumentSearchRows) {
  auto sales = parse_search(200, fixture("connexpay_search_sales_response.json"), usd(), TxKind::sale);
  ASSERT_TRUE(sales) << sales.error().describe();
  ASSERT_EQ(sales->size(), 1U);
  EXPECT_EQ(sales->front().result.outcome, Outcome::approved);  // rows carry no wasProcessed
  EXPECT_EQ(sales->front().result.approved_amount, Money(2500, usd()));
  EXPECT_EQ(sales->front().batch_status, "Batch - Open");
  auto auths = parse_search(200, fixture("connexpay_search_authonlys_response.json"), usd(), TxKind::authonly);
  ASSERT_TRUE(auths);
  EXPECT_EQ(auths->front().result.outcome, Outcome::declined);
  EXPECT_TRUE(auths->front().capture_known);
  EXPECT_TRUE(auths->front().related_capture_guid.empty());
  auto returns = parse_search(200, fixture("connexpay_search_returns_response.json"), usd(), TxKind::return_);
  ASSERT_TRUE(returns);
  EXPECT_EQ(returns->front().result.host_reference, "return:421d7976-46f4-43bf-a6a6-1e08b0e40f90");
  EXPECT_TRUE(parse_search(200, fixture("connexpay_search_captures_response.json"), usd(), TxKind::sale));
  EXPECT_TRUE(parse_search(404, R"({"message":"NoResultFound204"})", usd(), TxKind::sale)->empty());  // H L6464
  EXPECT_TRUE(parse_search(204, "", usd(), TxKind::sale)->empty());
  EXPECT_EQ(parse_search(500, "", usd(), TxKind::sale).error().code, Errc::io_error);
}

// ---- The adapter on the wire.

TEST(ConnexPayAdapter, FetchesTheTokenOnFirstUseAndReusesIt) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->outcome, Outcome::approved);
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); }));
  ASSERT_EQ(cx.transport.requests.size(), 3U);  // one token for both
  EXPECT_EQ(cx.request(0).target, "/api/v1/token");
  EXPECT_EQ(*cx.request(0).header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(cx.request(0).body, "grant_type=password&username=terminal%40merchant&password=p%40ss%20word%261");
  EXPECT_FALSE(cx.request(0).header("Authorization"));
  EXPECT_EQ(cx.request(1).target, "/api/v1/sales");
  EXPECT_EQ(*cx.request(1).header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(*cx.request(2).header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(cx.transport.deadlines.at(1), std::chrono::milliseconds(30000));
}

TEST(ConnexPayAdapter, FetchesANewTokenWhenItExpires) {
  Cx cx;
  cx.token("tok-1", 3600);
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); }));
  cx.now += 3600 - 60;  // inside the renewal margin
  cx.token("tok-2");
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); }));
  ASSERT_EQ(cx.transport.requests.size(), 4U);
  EXPECT_EQ(cx.request(2).target, "/api/v1/token");
  EXPECT_EQ(*cx.request(3).header("Authorization"), "Bearer tok-2");
}

TEST(ConnexPayAdapter, A401RefreshesTheTokenAndSendsOnceMore) {
  Cx cx;
  cx.token("tok-1");
  cx.transport.answer(401, "");
  cx.token("tok-2");
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::approved);
  ASSERT_EQ(cx.transport.requests.size(), 4U);
  EXPECT_EQ(cx.request(1).body, cx.request(3).body);  // the same request
  EXPECT_EQ(*cx.request(3).header("Authorization"), "Bearer tok-2");
}

TEST(ConnexPayAdapter, ASecond401IsAnError) {
  Cx cx;
  cx.token("tok-1");
  cx.transport.answer(401, "");
  cx.token("tok-2");
  cx.transport.answer(401, "");
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::error);
  EXPECT_EQ(r->response_code, "401");
  EXPECT_EQ(cx.transport.requests.size(), 4U);  // never a third time
}

TEST(ConnexPayAdapter, NoTokenMeansNothingWasSent) {
  Cx cx;
  cx.transport.answer(400, R"({"error":"invalid_grant"})");
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_FALSE(r);  // an error, not Outcome::unknown: safe to retry or abandon
  EXPECT_EQ(cx.transport.requests.size(), 1U);
  cx.transport.fail(Errc::timeout);
  r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
}

TEST(ConnexPayAdapter, LostAnswersAreUnknown) {
  Cx cx;
  cx.token();
  cx.transport.fail(Errc::timeout);
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::unknown);
  cx.transport.answer(503, "");
  r = run<host::HostResult>([&](auto h) { cx.adapter.authorize(keyed_request(), h); });
  EXPECT_EQ(r->outcome, Outcome::unknown);
  EXPECT_EQ(cx.request(2).target, "/api/v1/AuthOnlys");
  cx.transport.answer(200, "{truncated");
  r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);  // recovered like a lost answer (seam contract)
}

TEST(ConnexPayAdapter, A422DeclineAndAnError) {
  Cx cx;
  cx.token();
  cx.transport.answer(422, R"({"message":"Error code D2020. CVV2 verification failed.","errorId":"9"})");
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  EXPECT_EQ(r->outcome, Outcome::declined);
  EXPECT_EQ(r->response_code, "D2020");
}

TEST(ConnexPayAdapter, VerifyIsKeyedOnly) {
  Cx cx;
  cx.token();
  cx.transport.answer(201, fixture("connexpay_verify_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.verify(keyed_request(), h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(cx.request(1).target, "/api/v1/Verify");
  auto chip = run<host::HostResult>([&](auto h) { cx.adapter.verify(chip_request(), h); });
  ASSERT_FALSE(chip);
  EXPECT_EQ(chip.error().code, Errc::unsupported);
}

TEST(ConnexPayAdapter, CaptureSendsNewAmountOnlyBelowTheAuthorization) {
  Cx cx;
  cx.token();
  const std::string authonly = std::string("authonly:") + kAuthOnlyGuid;
  cx.transport.answer(200, fixture("connexpay_authonly_response.json"));  // 15.50 authorized
  cx.transport.answer(200, fixture("connexpay_capture_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.capture({kReference, authonly, Money(1200, usd())}, h); });
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host_reference, "sale:34f87b4e-3345-4c01-96de-c4257c38e822");
  EXPECT_EQ(cx.request(1).method, http::Method::get);
  EXPECT_EQ(cx.request(1).target, std::string("/api/v1/AuthOnlys/") + kAuthOnlyGuid);
  EXPECT_EQ(cx.request(2).target, "/api/v1/Captures");
  EXPECT_NE(cx.request(2).body.find(R"("NewAmount":12.00)"), std::string::npos);
  cx.transport.answer(200, fixture("connexpay_authonly_response.json"));
  cx.transport.answer(200, fixture("connexpay_capture_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.capture({kReference, authonly, Money(1550, usd())}, h); }));
  EXPECT_FALSE(cx.body(4).contains("NewAmount"));
  cx.transport.answer(200, fixture("connexpay_capture_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.capture({kReference, authonly, std::nullopt}, h); }));
  EXPECT_EQ(cx.body(5), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","AuthOnlyGuid":")" + kAuthOnlyGuid + R"("})"));
  auto wrong = run<host::HostResult>([&](auto h) { cx.adapter.capture({kReference, std::string("sale:") + kSaleGuid, {}}, h); });
  EXPECT_EQ(wrong.error().code, Errc::invalid_argument);
}

TEST(ConnexPayAdapter, VoidNamesTheKindAndItsReason) {
  Cx cx;
  cx.token();
  cx.transport.answer(201, fixture("connexpay_void_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.void_({kReference, std::string("sale:") + kSaleGuid}, h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(cx.request(1).target, "/api/v1/void");
  EXPECT_EQ(cx.body(1), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","SaleGuid":")" + kSaleGuid +
                              R"(","VoidReason":"POST_AUTH_USER_DECLINE"})"));
  const std::pair<host::VoidReason, const char*> reasons[] = {
      {host::VoidReason::card_declined_after_approval, "POST_AUTH_CHIP_DECLINE"},
      {host::VoidReason::answer_lost, "DEVICE_TIMEOUT"},
      {host::VoidReason::partial_refused, "PARTIAL_REVERSAL"},
      {host::VoidReason::torn, "TORN_TRANSACTIONS"},
  };
  for (const auto& [reason, text] : reasons) {
    cx.transport.answer(201, fixture("connexpay_void_response.json"));
    ASSERT_TRUE(run<host::HostResult>(
        [&](auto h) { cx.adapter.void_({kReference, std::string("authonly:") + kAuthOnlyGuid, reason}, h); }));
    const auto body = cx.body(cx.transport.requests.size() - 1);
    EXPECT_EQ(body["VoidReason"], text);
    EXPECT_EQ(body["AuthOnlyGuid"], kAuthOnlyGuid);
  }
}

TEST(ConnexPayAdapter, AVoidRefusedOfASettledSaleSaysSo) {
  Cx cx;
  cx.token();
  cx.transport.answer(422, R"({"message":"Transaction cannot be voided","errorId":"2"})");
  cx.transport.answer(200, sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":15.50,)"
                                       R"("effectiveAmount":15.50,"batchStatus":"Batch - Closed")"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.void_({kReference, std::string("sale:") + kSaleGuid}, h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::error);
  EXPECT_EQ(r->refusal, host::Refusal::already_settled);
  EXPECT_EQ(cx.request(2).target, std::string("/api/v1/sales/") + kSaleGuid);
}

TEST(ConnexPayAdapter, RefundIsAReturnOfTheSale) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_return_response.json"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.refund({kReference, std::string("sale:") + kSaleGuid, Money(1974, usd())}, h); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::approved);
  EXPECT_EQ(cx.request(1).target, "/api/v1/returns");
  EXPECT_EQ(cx.body(1)["SaleGuid"], kSaleGuid);
  // Before settlement: the host's refusal, as the host words it [E C2].
  cx.transport.answer(422, R"({"message":"Sale has not been settled","errorId":"3"})");
  r = run<host::HostResult>([&](auto h) { cx.adapter.refund({kReference, std::string("sale:") + kSaleGuid, Money(1974, usd())}, h); });
  EXPECT_EQ(r->outcome, Outcome::error);
  EXPECT_EQ(r->response_message, "Sale has not been settled");
  // No amount: what is left of the sale.
  cx.transport.answer(200, sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":15.50,"effectiveAmount":10.25)"));
  cx.transport.answer(200, fixture("connexpay_return_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.refund({kReference, std::string("sale:") + kSaleGuid, std::nullopt}, h); }));
  EXPECT_NE(cx.request(4).body.find(R"("Amount":10.25)"), std::string::npos);
}

TEST(ConnexPayAdapter, SettleTipAdjustPricingAndLookup) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_batch_close_response.json"));
  auto settled = run<host::SettleResult>([&](auto h) { cx.adapter.settle({}, h); });
  ASSERT_TRUE(settled);
  EXPECT_TRUE(settled->accepted);
  EXPECT_EQ(cx.request(1).target, "/api/v1/Batches/close");
  EXPECT_EQ(cx.body(1), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"("})"));
  EXPECT_EQ(run<host::HostResult>([&](auto h) { cx.adapter.tip_adjust({}, h); }).error().code, Errc::unsupported);
  EXPECT_EQ(run<host::CalculateAmountResult>([&](auto h) { cx.adapter.calculate_amount({}, h); }).error().code, Errc::unsupported);
  const auto caps = cx.adapter.capabilities();
  EXPECT_TRUE(caps.chip);
  EXPECT_TRUE(caps.online_pin);
  EXPECT_FALSE(caps.tip_adjust);
  EXPECT_TRUE(caps.verify);
  cx.transport.answer(200, fixture("connexpay_authonly_response.json"));
  auto found = run<host::HostResult>([&](auto h) { cx.adapter.lookup({kReference, std::string("authonly:") + kAuthOnlyGuid}, h); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->host_reference, std::string("authonly:") + kAuthOnlyGuid);
  EXPECT_EQ(cx.request(2).target, std::string("/api/v1/AuthOnlys/") + kAuthOnlyGuid);
  cx.transport.answer(404, "");
  EXPECT_EQ(run<host::HostResult>([&](auto h) { cx.adapter.lookup({kReference, std::string("sale:") + kSaleGuid}, h); }).error().code,
            Errc::not_found);
  EXPECT_EQ(run<host::HostResult>([&](auto h) { cx.adapter.lookup({kReference, ""}, h); }).error().code, Errc::unsupported);
}

TEST(ConnexPayAdapter, NoCardDataInTheLogsOrMessages) {
  CapturingSink sink;
  Cx cx;
  cx.token();
  cx.transport.answer(422, std::string(R"({"message":"Error code D2005. Invalid Card.","errorId":"1"})"));
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(swiped_request(), h); });
  ASSERT_TRUE(r);
  auto fallback = swiped_request();
  fallback.entry_mode = EntryMode::fallback_swipe;  // no condition: refused before sending
  auto refused = run<host::HostResult>([&](auto h) { cx.adapter.sale(fallback, h); });
  ASSERT_FALSE(refused);
  auto keyed = keyed_request();
  keyed.card.expiry_yymm = SecretString("27");
  auto bad = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed, h); });
  ASSERT_FALSE(bad);
  const std::string everything = sink.all() + r->response_message + refused.error().message + bad.error().message;
  EXPECT_EQ(everything.find("4485754899788507"), std::string::npos);
  EXPECT_EQ(everything.find("=2712"), std::string::npos);
  EXPECT_EQ(everything.find("p@ss"), std::string::npos);
  EXPECT_EQ(everything.find("tok-1"), std::string::npos);
}

}  // namespace
}  // namespace tender::net::connexpay
