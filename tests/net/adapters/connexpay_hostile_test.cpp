// Hostile or broken ConnexPay answers through the public parsers and the adapter: a typed
// result (an error, or an outcome that sends the engine to recovery), never a guess.
#include <gtest/gtest.h>

#include "connexpay_fixture.hpp"
#include "net/connexpay/connexpay_mapping.hpp"

namespace tender::net::connexpay {
namespace {

using host::Outcome;
using net::testing::run;
using namespace testing;
using net::testing::fixture;

constexpr const char* kApprovedHead = R"("status":"Transaction - Approved","wasProcessed":true,)";

TEST(ConnexPayHostile, AmountsThatAreNotDollarsAndCents) {
  EXPECT_EQ(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("amount":15.505)"), usd(), TxKind::sale).error().code,
            Errc::out_of_range);
  EXPECT_EQ(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("amount":"15.50")"), usd(), TxKind::sale).error().code,
            Errc::malformed);
  EXPECT_EQ(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("amount":1e3)"), usd(), TxKind::sale).error().code,
            Errc::malformed);
  EXPECT_EQ(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("amount":92233720368547758070)"), usd(), TxKind::sale)
                .error()
                .code,
            Errc::out_of_range);
}

TEST(ConnexPayHostile, IdsThatWouldChangeAPath) {
  const auto r = parse_transaction(R"({"guid":"../../api/v1/Batches/close","status":"Transaction - Approved","wasProcessed":true})",
                                   usd(), TxKind::sale);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  const auto capture = parse_capture(R"({"guid":"cf05ed0a-f9df-4e62-b613-61323a37c14e","status":"Transaction - Approved",)"
                                     R"("wasProcessed":true,"sale":{"guid":"x/../y"}})",
                                     usd());
  EXPECT_EQ(capture.error().code, Errc::malformed);
}

TEST(ConnexPayHostile, FieldsOfTheWrongTypeAreNotAVerdict) {
  // wasProcessed as a string, status as a number: neither approved nor declined.
  EXPECT_EQ(parse_transaction(sale_answer(R"("status":"Transaction - Approved","wasProcessed":"true")"), usd(), TxKind::sale)->outcome,
            Outcome::unknown);
  EXPECT_EQ(parse_transaction(sale_answer(R"("status":7,"wasProcessed":true)"), usd(), TxKind::sale)->outcome, Outcome::unknown);
  // A refNumber that is not a number is never printed.
  EXPECT_TRUE(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("refNumber":"4485754899788507 ")"), usd(), TxKind::sale)
                  ->receipt_reference.empty());
  EXPECT_TRUE(parse_transaction(sale_answer(std::string(kApprovedHead) + R"("emvTags":"ZZ")"), usd(), TxKind::sale)
                  ->issuer_response_tlv.empty());
  EXPECT_EQ(refused_answer(422, R"({"message":"Error code D20. short"})").outcome, Outcome::error);
  EXPECT_EQ(refused_answer(422, "[1,2]").outcome, Outcome::error);
}

TEST(ConnexPayHostile, TokenAnswersWithoutAToken) {
  Cx cx;
  cx.transport.answer(200, R"({"token_type":"bearer","expires_in":863999})");
  auto r = run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); });
  ASSERT_FALSE(r);
  EXPECT_EQ(cx.transport.requests.size(), 1U);  // the sale never left
  cx.token("tok", -5);  // an expiry in the past: used once, fetched again next time
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  cx.token("tok-2");
  cx.transport.answer(200, fixture("connexpay_sale_response.json"));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); }));
  ASSERT_TRUE(run<host::HostResult>([&](auto h) { cx.adapter.sale(keyed_request(), h); }));
  EXPECT_EQ(*cx.request(4).header("Authorization"), "Bearer tok-2");
}

}  // namespace
}  // namespace tender::net::connexpay
