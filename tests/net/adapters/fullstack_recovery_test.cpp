// FullStackAdapter::recover() against a scripted transport: search first, replay only inside
// the idempotency window, never adopt what is not provably ours, follow-ons by the original's
// own record. Each test fails on the interim recovery that replayed under the same key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_transport.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/fullstack/fullstack_mapping.hpp"

namespace tender::net::fullstack {
namespace {

using host::Fate;
using host::Outcome;
using testing::FakeTransport;
using testing::run;
using Json = nlohmann::json;

constexpr const char* kReference = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";
constexpr const char* kOther = "7f1d2c3b-4a59-4e68-9d7c-6b5a49382716";
constexpr std::int64_t kSent = 1'795'000'000;  // 2026-11-18, the first (and last) attempt

Json parse(const std::string& text) { return Json::parse(text, nullptr, false); }

host::AuthorizationRequest sale_request() {
  host::AuthorizationRequest r;
  r.reference_id = kReference;
  r.amount = Money(2200, usd());
  r.entry_mode = host::EntryMode::swiped;
  r.card.track2 = SecretString("4111111111111111=30121010000000000000");
  return r;
}

// One transaction record as search and GET answer it.
Json record(const std::string& id, const std::string& reference, int code, const std::string& status, std::int64_t amount = 2200) {
  return Json{{"id", id},
              {"type", "sale"},
              {"status", status},
              {"response", code >= 100 && code < 200 ? "approved" : "declined"},
              {"response_code", code},
              {"amount", amount},
              {"amount_authorized", code >= 100 && code < 200 ? amount : 0},
              {"idempotency_key", reference},
              {"order_id", order_id_for(reference)},
              {"response_body", {{"card", {{"auth_code", code >= 100 && code < 200 ? "A1B2C3" : ""}}}}}};
}
std::string page(const Json& records) {
  return Json{{"status", "success"}, {"msg", ""}, {"data", records}, {"total_count", records.size()}}.dump();
}

struct Recovery : ::testing::Test {
  std::int64_t now = kSent + 30;
  FakeTransport transport;
  FullStackAdapter adapter{transport, [this] {
                             FullStackConfig c;
                             c.api_key = SecretString("api_k");
                             c.deadline = std::chrono::milliseconds(1000);
                             c.unix_now = [this] { return now; };
                             return c;
                           }()};

  host::RecoveryQuery payment(host::Operation op = host::Operation::sale) {
    host::RecoveryQuery q;
    q.operation = op;
    q.reference_id = kReference;
    q.first_sent_unix = kSent;
    q.last_sent_unix = kSent;
    q.request = sale_request();
    return q;
  }
  host::RecoveryResult recover(host::RecoveryQuery q) {
    host::RecoveryResult out{Fate::not_known_yet, {}, "handler not called"};
    bool called = false;
    adapter.recover(std::move(q), [&](host::RecoveryResult r) {
      out = std::move(r);
      called = true;
    });
    EXPECT_TRUE(called);
    return out;
  }
  std::size_t posts_to_transaction() const {
    return static_cast<std::size_t>(std::count_if(transport.requests.begin(), transport.requests.end(), [](const http::Request& r) {
      return r.method == http::Method::post && r.target == "/api/transaction";
    }));
  }
};

TEST_F(Recovery, SearchesByItsOrderIdAmountTypeAndAGenerousRange) {
  transport.answer(200, page(Json::array({record("t1", kReference, 100, "pending_settlement")})));
  const auto r = recover(payment());
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].target, "/api/transaction/search");
  const Json body = parse(transport.requests[0].body);
  EXPECT_EQ(body["order_id"], parse(R"({"operator":"=","value":")" + order_id_for(kReference) + R"("})"));
  EXPECT_EQ(body["amount"], parse(R"({"operator":"=","value":2200})"));
  EXPECT_EQ(body["type"], parse(R"({"operator":"=","value":"sale"})"));
  EXPECT_EQ(body["created_at"]["start_date"], "2026-10-18T11:06:40Z");  // 31 days before
  EXPECT_EQ(body["created_at"]["end_date"], "2026-12-19T11:07:10Z");    // 31 days after now
  EXPECT_EQ(body["limit"], 100);
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(r.result.host_reference, "t1");
  EXPECT_EQ(r.result.auth_code, "A1B2C3");
  EXPECT_EQ(posts_to_transaction(), 0u);  // found: nothing is sent again
}

TEST_F(Recovery, NotFoundInsideTheWindowReplaysTheVeryRequestUnderTheSameKey) {
  transport.answer(200, R"({"status":"success","data":[]})");  // the search: nothing
  transport.answer(200, Json{{"status", "success"}, {"data", record("t1", kReference, 100, "pending_settlement")}}.dump());
  now = kSent + 240;  // the last second the window (300 s less the 60 s margin) allows
  const auto r = recover(payment());
  ASSERT_EQ(posts_to_transaction(), 1u);
  auto body = transaction_body(sale_request(), api::TransactionType::sale);
  EXPECT_TRUE(transport.requests.back().body == *body) << "the replay is not the very request";  // prints no card data
  EXPECT_EQ(parse(transport.requests.back().body)["idempotency_key"], kReference);
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::approved);
}

// After the window a replay would be a new charge: never sent.
TEST_F(Recovery, NotFoundAfterTheWindowIsNotAtTheHost) {
  for (std::int64_t later : {241LL, 400LL, 3LL * 3600}) {
    transport.answer(200, page(Json::array()));
    now = kSent + later;
    EXPECT_EQ(recover(payment()).fate, Fate::not_at_host) << later;
  }
  EXPECT_EQ(posts_to_transaction(), 0u);
}

// A clock that went back (now before the last attempt) is outside the window.
TEST_F(Recovery, AClockThatJumpedBackNeverReplays) {
  transport.answer(200, page(Json::array()));
  now = kSent - 10;
  EXPECT_EQ(recover(payment()).fate, Fate::not_at_host);
  transport.answer(200, page(Json::array()));
  auto unknown_time = payment();
  unknown_time.last_sent_unix = 0;
  EXPECT_EQ(recover(unknown_time).fate, Fate::not_at_host);
  EXPECT_EQ(posts_to_transaction(), 0u);
}

// Found even long after the window: the search needs no window.
TEST_F(Recovery, FoundAfterTheWindowIsDoneWithTheHostsRecord) {
  now = kSent + 6 * 3600;
  transport.answer(200, page(Json::array({record("t1", kReference, 202, "declined")})));
  const auto r = recover(payment());
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  EXPECT_EQ(r.result.response_code, "202");
}

// The other terminal's identical sale (same card, same amount) carries its own order_id and
// key: if the host ever returned it, it is not adopted.
TEST_F(Recovery, NeverAdoptsWhatItCannotProveIsOurs) {
  const Json stranger = record("s1", kOther, 100, "pending_settlement");
  Json same_order_other_key = record("s2", kReference, 100, "pending_settlement");
  same_order_other_key["idempotency_key"] = kOther;
  Json no_order = record("s3", kReference, 100, "pending_settlement");
  no_order.erase("order_id");
  for (const Json& candidate : {stranger, same_order_other_key, no_order}) {
    transport.answer(200, page(Json::array({candidate})));
    const auto r = recover(payment());
    EXPECT_EQ(r.fate, Fate::ambiguous) << candidate.dump();
    EXPECT_TRUE(r.result.host_reference.empty());
  }
  // Two of ours, or one the terminal already holds for another transaction.
  transport.answer(200, page(Json::array({record("t1", kReference, 100, "pending_settlement"),
                                          record("t2", kReference, 100, "pending_settlement")})));
  EXPECT_EQ(recover(payment()).fate, Fate::ambiguous);
  transport.answer(200, page(Json::array({record("t9", kReference, 100, "pending_settlement")})));
  auto q = payment();
  q.known_host_references = {"t8", "t9"};
  EXPECT_EQ(recover(q).fate, Fate::ambiguous);
  // More matches than the page holds.
  transport.answer(200, Json{{"status", "success"}, {"data", Json::array({record("t1", kReference, 100, "settled")})}, {"total_count", 2}}.dump());
  EXPECT_EQ(recover(payment()).fate, Fate::ambiguous);
  EXPECT_EQ(posts_to_transaction(), 0u);
  // A refund that kept the sale's order_id is not a candidate for the sale.
  Json refund = record("r1", kReference, 100, "pending_settlement", 500);
  refund["type"] = "refund";
  transport.answer(200, page(Json::array({record("t1", kReference, 100, "settled"), refund})));
  EXPECT_EQ(recover(payment()).result.host_reference, "t1");
}

TEST_F(Recovery, AHostThatCannotBeAskedIsNotKnownYet) {
  transport.fail(Errc::timeout);
  EXPECT_EQ(recover(payment()).fate, Fate::not_known_yet);
  transport.answer(503, "", {{"x-correlation-id", "c-503"}});
  const auto r = recover(payment());
  EXPECT_EQ(r.fate, Fate::not_known_yet);
  EXPECT_EQ(r.result.trace_id, "c-503");
  transport.answer(200, "{\"status\":\"success\",\"data\":");
  EXPECT_EQ(recover(payment()).fate, Fate::not_known_yet);
  // Inside the window, nothing found and the replay unanswered.
  transport.answer(200, page(Json::array()));
  transport.fail(Errc::io_error);
  EXPECT_EQ(recover(payment()).fate, Fate::not_known_yet);
}

// A record whose code is not final (301, 421, 430) is read by its status: the host's own word
// on what the transaction holds now.
TEST_F(Recovery, CodesThatAreNotFinalAreReadByTheRecordsStatus) {
  transport.answer(200, page(Json::array({record("t1", kReference, 421, "pending_settlement")})));
  auto r = recover(payment());
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::approved);  // the processor approved after all
  transport.answer(200, page(Json::array({record("t2", kReference, 301, "declined")})));
  r = recover(payment());
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  transport.answer(200, page(Json::array({record("t3", kReference, 430, "unknown")})));
  EXPECT_EQ(recover(payment()).fate, Fate::not_known_yet);
}

host::RecoveryQuery follow_on(host::Operation op, std::int64_t amount, std::optional<std::int64_t> refunded_before = {}) {
  host::RecoveryQuery q;
  q.operation = op;
  q.reference_id = kOther;
  q.original_host_reference = "t1";
  q.amount = Money(amount, usd());
  q.original_amount = Money(2200, usd());
  if (refunded_before) q.refunded_before = Money(*refunded_before, usd());
  return q;
}
std::string original(const std::string& status, std::int64_t captured, std::int64_t refunded) {
  Json r = record("t1", kReference, 100, status);
  r["amount_captured"] = captured;
  r["amount_refunded"] = refunded;
  return page(Json::array({r}));
}

TEST_F(Recovery, AVoidIsReadFromTheOriginalsStatus) {
  transport.answer(200, original("voided", 2200, 0));
  auto r = recover(follow_on(host::Operation::void_, 2200));
  EXPECT_EQ(transport.requests.back().method, http::Method::get);
  EXPECT_EQ(transport.requests.back().target, "/api/transaction/t1");
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  transport.answer(200, original("pending_settlement", 2200, 0));
  EXPECT_EQ(recover(follow_on(host::Operation::void_, 2200)).fate, Fate::not_at_host);
  transport.answer(200, original("settled", 2200, 0));
  r = recover(follow_on(host::Operation::void_, 2200));
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.refusal, host::Refusal::already_settled);
  transport.answer(200, original("flagged", 2200, 0));
  EXPECT_EQ(recover(follow_on(host::Operation::void_, 2200)).fate, Fate::ambiguous);
  EXPECT_EQ(posts_to_transaction(), 0u);
}

TEST_F(Recovery, ACaptureIsReadFromTheCapturedAmount) {
  transport.answer(200, original("authorized", 0, 0));
  EXPECT_EQ(recover(follow_on(host::Operation::capture, 1500)).fate, Fate::not_at_host);
  transport.answer(200, original("pending_settlement", 1500, 0));
  const auto r = recover(follow_on(host::Operation::capture, 1500));
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.approved_amount, Money(1500, usd()));
  transport.answer(200, original("pending_settlement", 1000, 0));
  EXPECT_EQ(recover(follow_on(host::Operation::capture, 1500)).fate, Fate::ambiguous);
}

// A lost refund answer never becomes two refunds: nothing is sent, the original's
// amount_refunded is compared with what the terminal had refunded before.
TEST_F(Recovery, ARefundIsReadFromTheRefundedAmount) {
  transport.answer(200, original("settled", 2200, 1000));
  EXPECT_EQ(recover(follow_on(host::Operation::refund, 500, 1000)).fate, Fate::not_at_host);
  transport.answer(200, original("settled", 2200, 1500));
  const auto r = recover(follow_on(host::Operation::refund, 500, 1000));
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(r.result.approved_amount, Money(500, usd()));
  transport.answer(200, original("settled", 2200, 1800));  // someone else refunded too
  EXPECT_EQ(recover(follow_on(host::Operation::refund, 500, 1000)).fate, Fate::ambiguous);
  transport.answer(200, original("refunded", 2200, 2200));  // before unknown and not zero
  EXPECT_EQ(recover(follow_on(host::Operation::refund, 2200)).fate, Fate::ambiguous);
  transport.answer(404, R"({"status":"failed","msg":"transaction not found"})");
  EXPECT_EQ(recover(follow_on(host::Operation::refund, 500, 0)).fate, Fate::ambiguous);
  transport.fail(Errc::io_error);
  EXPECT_EQ(recover(follow_on(host::Operation::refund, 500, 0)).fate, Fate::not_known_yet);
  const auto refunds = std::count_if(transport.requests.begin(), transport.requests.end(),
                                     [](const http::Request& q) { return q.method == http::Method::post; });
  EXPECT_EQ(refunds, 0);
}

// Two refunds of one sale, both answers lost: the original's refunded total holds none, one or
// both; each is decided only when one reading fits. A refund found done keeps no host id (the
// original's record does not name the refund's own transaction), never the original's.
TEST_F(Recovery, RefundsInDoubtTogetherAreToldApartByTheirAmounts) {
  auto with_other = [](std::int64_t mine, std::int64_t other) {
    auto q = follow_on(host::Operation::refund, mine, 0);
    q.other_refunds_in_doubt = {Money(other, usd())};
    return q;
  };
  transport.answer(200, original("settled", 2200, 1300));  // 500 + 800: both happened
  auto r = recover(with_other(500, 800));
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_TRUE(r.result.host_reference.empty());
  transport.answer(200, original("settled", 2200, 800));  // only the other one
  EXPECT_EQ(recover(with_other(500, 800)).fate, Fate::not_at_host);
  transport.answer(200, original("settled", 2200, 500));  // only this one
  EXPECT_EQ(recover(with_other(500, 800)).fate, Fate::done);
  transport.answer(200, original("settled", 2200, 500));  // same amounts: which one?
  EXPECT_EQ(recover(with_other(500, 500)).fate, Fate::ambiguous);
  transport.answer(200, original("settled", 2200, 0));
  EXPECT_EQ(recover(with_other(500, 500)).fate, Fate::not_at_host);
}

TEST_F(Recovery, ATipAdjustNeverLeftTheTerminal) {
  EXPECT_EQ(recover(follow_on(host::Operation::tip_adjust, 200)).fate, Fate::not_at_host);
  EXPECT_TRUE(transport.requests.empty());
}

}  // namespace
}  // namespace tender::net::fullstack
