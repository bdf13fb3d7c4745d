#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "connexpay_fixture.hpp"

namespace tender::net::connexpay {
namespace {

using host::Fate;
using host::Operation;
using host::Outcome;
using namespace testing;
using net::testing::fixture;

constexpr const char* kOtherDevice = "47476e55-44bd-41b0-9396-b2ff862f5e6a";
constexpr const char* kReturnGuid = "421d7976-46f4-43bf-a6a6-1e08b0e40f90";
constexpr const char* kReturnGuid2 = "521d7976-46f4-43bf-a6a6-1e08b0e40f91";
constexpr const char* kCaptureGuid = "cf05ed0a-f9df-4e62-b613-61323a37c14e";

host::RecoveryResult recover(Cx& cx, host::RecoveryQuery query) {
  host::RecoveryResult out;
  out.why = "handler not called";
  cx.adapter.recover(std::move(query), [&](host::RecoveryResult r) { out = std::move(r); });
  return out;
}

host::RecoveryQuery payment_query(Operation op) {
  host::RecoveryQuery q;
  q.operation = op;
  q.reference_id = kReference;
  q.first_sent_unix = 1'800'000'000 - 120;
  q.last_sent_unix = q.first_sent_unix;
  q.request = keyed_request();
  return q;
}

// A search row as H prints them (L4778-L4796): no wasProcessed.
std::string row(const std::string& guid, const std::string& status, const std::string& batch, const std::string& device = kDevice,
                const std::string& amount = "15.50", const std::string& effective = "15.50") {
  return R"({"status":")" + status + R"(","amount":)" + amount + R"(,"effectiveAmount":)" + effective + R"(,"batchStatus":")" +
         batch + R"(","guid":")" + guid + R"(","deviceGuid":")" + device + R"(","orderNumber":")" + kReference + R"("})";
}
std::string rows(const std::vector<std::string>& list) {
  std::string out = R"({"count":)" + std::to_string(list.size()) + R"(,"ret":[)";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + list[i];
  return out + "]}";
}
const std::string kApproved = "Transaction - Approved";
const std::string kDeclinedStatus = "Transaction - Declined";
const std::string kOpen = "Batch - Open";

TEST(ConnexPayRecovery, SaleReversedByTheHostsTimeoutReversal) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_timeout_reversal_response.json"));  // H L1589, verbatim
  const auto r = recover(cx, payment_query(Operation::sale));
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  EXPECT_EQ(r.result.response_message, "reversed by the host's timeout reversal");
  EXPECT_EQ(cx.request(1).target, "/api/v1/timeoutreversal");
  EXPECT_EQ(cx.body(1), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","SequenceNumber":")" + kSequence + R"("})"));
  EXPECT_EQ(cx.transport.requests.size(), 2U);
}

TEST(ConnexPayRecovery, SaleNotFoundAfterAnUndocumentedAnswer) {
  Cx cx;
  cx.token();
  cx.transport.answer(422, R"({"message":"Device Guid and Sequence Number combination not found"})");
  cx.transport.answer(200, R"({"count":0,"ret":[]})");
  const auto r = recover(cx, payment_query(Operation::sale));
  EXPECT_EQ(r.fate, Fate::not_at_host) << r.why;
  EXPECT_EQ(cx.request(2).target, "/api/v1/Search/Sales/false");
  EXPECT_EQ(cx.body(2), parse(std::string(R"({"MerchantGuid":")") + kMerchant + R"(","OrderNumber":")" + kReference + R"("})"));
}

TEST(ConnexPayRecovery, SaleNoResultFoundIsNotAtHost) {
  Cx cx;
  cx.token();
  cx.transport.fail(Errc::timeout);  // the reversal itself lost
  cx.transport.answer(404, R"({"message":"NoResultFound204"})");
  EXPECT_EQ(recover(cx, payment_query(Operation::sale)).fate, Fate::not_at_host);
}

TEST(ConnexPayRecovery, SaleFoundApprovedIsVoidedAsADeviceTimeout) {
  Cx cx;
  cx.token();
  cx.transport.answer(404, "");
  cx.transport.answer(200, rows({row(kSaleGuid, kApproved, kOpen)}));
  cx.transport.answer(201, fixture("connexpay_void_response.json"));
  const auto r = recover(cx, payment_query(Operation::sale));
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  EXPECT_EQ(r.result.host_reference, std::string("sale:") + kSaleGuid);
  EXPECT_EQ(cx.request(3).target, "/api/v1/void");
  EXPECT_EQ(cx.body(3), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","SaleGuid":")" + kSaleGuid +
                              R"(","VoidReason":"DEVICE_TIMEOUT"})"));
}

TEST(ConnexPayRecovery, SaleFoundButItsVoidFailsIsAskedAgain) {
  Cx cx;
  cx.token();
  cx.transport.answer(404, "");
  cx.transport.answer(200, rows({row(kSaleGuid, kApproved, kOpen)}));
  cx.transport.answer(503, "");
  EXPECT_EQ(recover(cx, payment_query(Operation::sale)).fate, Fate::not_known_yet);
}

TEST(ConnexPayRecovery, SaleFoundDeclinedVoidedOrSettled) {
  {
    Cx cx;
    cx.token();
    cx.transport.answer(404, "");
    cx.transport.answer(200, rows({row(kSaleGuid, kDeclinedStatus, kOpen)}));
    const auto r = recover(cx, payment_query(Operation::sale));
    EXPECT_EQ(r.fate, Fate::done);
    EXPECT_EQ(r.result.outcome, Outcome::declined);
    EXPECT_EQ(cx.transport.requests.size(), 3U);  // nothing to void
  }
  {
    Cx cx;
    cx.token();
    cx.transport.answer(404, "");
    cx.transport.answer(200, rows({row(kSaleGuid, kApproved, kOpen, kDevice, "15.50", "0")}));
    const auto r = recover(cx, payment_query(Operation::sale));
    EXPECT_EQ(r.fate, Fate::done);
    EXPECT_EQ(r.result.outcome, Outcome::declined);
    EXPECT_EQ(cx.transport.requests.size(), 3U);
  }
  {
    Cx cx;
    cx.token();
    cx.transport.answer(404, "");
    cx.transport.answer(200, rows({row(kSaleGuid, kApproved, "Batch - Closed")}));
    const auto r = recover(cx, payment_query(Operation::sale));
    EXPECT_EQ(r.fate, Fate::done);
    EXPECT_EQ(r.result.outcome, Outcome::approved);  // settled: the engine has its record
    EXPECT_EQ(r.result.approved_amount, Money(1550, usd()));
  }
}

TEST(ConnexPayRecovery, SaleNeverAdoptsAnotherDevicesOrAKnownTransaction) {
  Cx cx;
  cx.token();
  cx.transport.answer(404, "");
  cx.transport.answer(200, rows({row(kSaleGuid, kApproved, kOpen, kOtherDevice), row(kAuthOnlyGuid, kApproved, kOpen)}));
  auto q = payment_query(Operation::sale);
  q.known_host_references = {std::string("sale:") + kAuthOnlyGuid};
  EXPECT_EQ(recover(cx, q).fate, Fate::not_at_host);
  EXPECT_EQ(cx.transport.requests.size(), 3U);  // no void
}

TEST(ConnexPayRecovery, SaleSeveralCandidatesAreHeld) {
  Cx cx;
  cx.token();
  cx.transport.answer(404, "");
  cx.transport.answer(200, rows({row(kSaleGuid, kApproved, kOpen), row(kAuthOnlyGuid, kDeclinedStatus, kOpen)}));
  EXPECT_EQ(recover(cx, payment_query(Operation::sale)).fate, Fate::ambiguous);
}

TEST(ConnexPayRecovery, SaleSearchUnreachableIsNotKnownYet) {
  Cx cx;
  cx.token();
  cx.transport.fail(Errc::io_error);
  cx.transport.fail(Errc::io_error);
  EXPECT_EQ(recover(cx, payment_query(Operation::sale)).fate, Fate::not_known_yet);
  Cx unset;
  unset.token();
  unset.transport.answer(404, "");
  unset.transport.answer(500, "");
  EXPECT_EQ(recover(unset, payment_query(Operation::sale)).fate, Fate::not_known_yet);
}

TEST(ConnexPayRecovery, AuthOnlyFoundIsVoidedByItsGuid) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, rows({row(kAuthOnlyGuid, kApproved, kOpen)}));
  cx.transport.answer(201, fixture("connexpay_void_response.json"));
  const auto r = recover(cx, payment_query(Operation::authorize));
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  EXPECT_EQ(cx.request(1).target, "/api/v1/Search/AuthOnlys/false");  // no timeout reversal for an AuthOnly
  EXPECT_EQ(cx.body(2), parse(std::string(R"({"DeviceGuid":")") + kDevice + R"(","AuthOnlyGuid":")" + kAuthOnlyGuid +
                              R"(","VoidReason":"DEVICE_TIMEOUT"})"));
  Cx none;
  none.token();
  none.transport.answer(200, R"({"count":0,"ret":[]})");
  EXPECT_EQ(recover(none, payment_query(Operation::authorize)).fate, Fate::not_at_host);
}

host::RecoveryQuery refund_query() {
  host::RecoveryQuery q;
  q.operation = Operation::refund;
  q.reference_id = kReference;
  q.first_sent_unix = 1'800'000'000 - 120;
  q.original_host_reference = std::string("sale:") + kSaleGuid;
  q.amount = Money(1515, usd());
  return q;
}
std::string return_record(const std::string& guid, const std::string& sale) {
  return R"({"guid":")" + guid + R"(","deviceGuid":")" + kDevice + R"(","saleGuid":")" + sale +
         R"(","status":"Transaction - Approved","amount":15.15,"processorStatusCode":"A0014","wasProcessed":true,"refNumber":"13283670"})";
}

TEST(ConnexPayRecovery, RefundFoundByItsSaleAndAmount) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_search_returns_response.json"));  // H's row: 15.15, device 8ec1c40b...
  cx.transport.answer(200, return_record(kReturnGuid, kSaleGuid));
  const auto r = recover(cx, refund_query());
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(r.result.host_reference, std::string("return:") + kReturnGuid);
  EXPECT_EQ(r.result.receipt_reference, "13283670");
  EXPECT_EQ(cx.request(1).target, "/api/v1/Search/Returns/false");
  EXPECT_EQ(cx.body(1)["MerchantGuid"], kMerchant);
  EXPECT_EQ(cx.body(1)["TimeStampFrom"], "2027-01-14");  // a day before the first attempt
  EXPECT_EQ(cx.request(2).target, std::string("/api/v1/returns/") + kReturnGuid);
}

TEST(ConnexPayRecovery, RefundOfAnotherSaleIsNotOurs) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, fixture("connexpay_search_returns_response.json"));
  cx.transport.answer(200, return_record(kReturnGuid, kAuthOnlyGuid));
  EXPECT_EQ(recover(cx, refund_query()).fate, Fate::not_at_host);
  Cx empty;
  empty.token();
  empty.transport.answer(200, R"({"count":0,"ret":[]})");
  EXPECT_EQ(recover(empty, refund_query()).fate, Fate::not_at_host);
}

TEST(ConnexPayRecovery, RefundTwinsAreHeld) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, rows({row(kReturnGuid, kApproved, kOpen, kDevice, "15.15", "15.15"),
                                 row(kReturnGuid2, kApproved, kOpen, kDevice, "15.15", "15.15")}));
  auto no_order = [](std::string record) { return record; };
  cx.transport.answer(200, no_order(return_record(kReturnGuid, kSaleGuid)));
  cx.transport.answer(200, no_order(return_record(kReturnGuid2, kSaleGuid)));
  EXPECT_EQ(recover(cx, refund_query()).fate, Fate::ambiguous);
  Cx twin;
  twin.token();
  twin.transport.answer(200, fixture("connexpay_search_returns_response.json"));
  twin.transport.answer(200, return_record(kReturnGuid, kSaleGuid));
  auto q = refund_query();
  q.other_refunds_in_doubt = {Money(1515, usd())};
  EXPECT_EQ(recover(twin, q).fate, Fate::ambiguous);
  Cx lost;
  lost.token();
  lost.transport.answer(200, fixture("connexpay_search_returns_response.json"));
  lost.transport.fail(Errc::timeout);
  EXPECT_EQ(recover(lost, refund_query()).fate, Fate::not_known_yet);
}

host::RecoveryQuery follow_on_query(Operation op, const std::string& original) {
  host::RecoveryQuery q;
  q.operation = op;
  q.reference_id = kReference;
  q.original_host_reference = original;
  return q;
}
// The AuthOnly as a search row shows it (H L5248-L5268: relatedCapture is a search row's member).
std::string authonly_row(const std::string& related_capture) {
  return R"({"count":1,"ret":[{"guid":")" + std::string(kAuthOnlyGuid) + R"(","deviceGuid":")" + kDevice +
         R"(","status":"Transaction - Approved","amount":15.50,"batchStatus":"Batch - Open")" + related_capture + "}]}";
}

TEST(ConnexPayRecovery, CaptureByTheAuthOnlysSearchRow) {
  Cx cx;
  cx.token();
  cx.transport.answer(200, authonly_row(std::string(R"(,"relatedCapture":")") + kCaptureGuid + R"(")"));
  cx.transport.answer(200, fixture("connexpay_capture_response.json"));
  auto q = follow_on_query(Operation::capture, std::string("authonly:") + kAuthOnlyGuid);
  q.original_amount = Money(1550, usd());
  const auto r = recover(cx, q);
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(r.result.host_reference, "sale:34f87b4e-3345-4c01-96de-c4257c38e822");
  EXPECT_EQ(cx.request(1).target, "/api/v1/Search/AuthOnlys/false");
  const auto search = nlohmann::json::parse(cx.request(1).body);
  EXPECT_EQ(search["guid"], kAuthOnlyGuid);
  EXPECT_EQ(search["AmountFrom"], 15.5);
  EXPECT_EQ(cx.request(2).target, std::string("/api/v1/Captures/") + kCaptureGuid);
  // H's own search row (relatedCapture null) for the AuthOnly it names: not captured.
  Cx documented;
  documented.token();
  documented.transport.answer(200, fixture("connexpay_search_authonlys_response.json"));
  EXPECT_EQ(recover(documented, follow_on_query(Operation::capture, "authonly:a8e44a60-5d82-4a57-91a8-994e1ec7fcad")).fate,
            Fate::not_at_host);
  Cx not_captured;
  not_captured.token();
  not_captured.transport.answer(200, authonly_row(R"(,"relatedCapture":null)"));
  EXPECT_EQ(recover(not_captured, q).fate, Fate::not_at_host);
  // A row that does not say, a search that shows another AuthOnly only, or nothing: not known.
  Cx silent;
  silent.token();
  silent.transport.answer(200, authonly_row(""));
  EXPECT_EQ(recover(silent, q).fate, Fate::not_known_yet);
  Cx other;
  other.token();
  other.transport.answer(200, fixture("connexpay_search_authonlys_response.json"));
  EXPECT_EQ(recover(other, q).fate, Fate::not_known_yet);
  Cx none;
  none.token();
  none.transport.answer(422, R"({"message":"NoResultFound204","errorId":"1"})");
  EXPECT_EQ(recover(none, q).fate, Fate::not_known_yet);
}

TEST(ConnexPayRecovery, VoidByTheTransactionsRecord) {
  const auto q = follow_on_query(Operation::void_, std::string("sale:") + kSaleGuid);
  Cx cx;
  cx.token();
  cx.transport.answer(200, sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":19.74,"effectiveAmount":0)"));
  auto r = recover(cx, q);
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(cx.request(1).target, std::string("/api/v1/sales/") + kSaleGuid);
  Cx live;
  live.token();
  live.transport.answer(200, sale_answer(R"("status":"Transaction - Approved","wasProcessed":true,"amount":19.74,"effectiveAmount":19.74)"));
  EXPECT_EQ(recover(live, q).fate, Fate::not_at_host);
  Cx lost;
  lost.token();
  lost.transport.fail(Errc::timeout);
  EXPECT_EQ(recover(lost, q).fate, Fate::not_known_yet);
  Cx authonly;
  authonly.token();
  // A voided AuthOnly's own record: effectiveAmount 0 (H L2680 shows it so on a voided sale).
  authonly.transport.answer(200, std::string(R"({"guid":")") + kAuthOnlyGuid + R"(","deviceGuid":")" + kDevice +
                                     R"(","status":"Transaction - Approved","wasProcessed":true,"amount":15.50,"effectiveAmount":0})");
  EXPECT_EQ(recover(authonly, follow_on_query(Operation::void_, std::string("authonly:") + kAuthOnlyGuid)).fate, Fate::done);
}

TEST(ConnexPayRecovery, VerifyAndTipAdjustNeverMovedMoney) {
  Cx cx;
  EXPECT_EQ(recover(cx, payment_query(Operation::verify)).fate, Fate::not_at_host);
  EXPECT_EQ(recover(cx, follow_on_query(Operation::tip_adjust, "")).fate, Fate::not_at_host);
  EXPECT_TRUE(cx.transport.requests.empty());
}

}  // namespace
}  // namespace tender::net::connexpay
