// Money safety through the engine (issue 10): follow-ons whose answer was lost are resolved
// by the host's recovery, never re-sent; settlement runs the journal's recovery first and
// never closes a batch over a transaction in doubt; a void refused because the sale settled
// becomes a refund; host text never reaches the journal or a receipt with card data in it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/app/engine/engine_rig.hpp"

namespace tender::test {
namespace {

using app::TxnKind;

const std::string kSwipe = "4111111111111111=30121010000000000000";

class EngineMoney : public ::testing::TestWithParam<HostKind> {
 protected:
  RigOptions options() {
    RigOptions o;
    o.host = GetParam();
    return o;
  }
};

bool is_post_to(const net::http::Request& r, std::string_view needle) {
  return r.method == net::http::Method::post && r.target.find(needle) != std::string::npos;
}

std::string_view refund_needle(HostKind host) { return host == HostKind::aurora ? "/return" : "/refund"; }

TEST_P(EngineMoney, ALostRefundAnswerIsResolvedNeverSentTwice) {
  Rig rig(options());
  rig.warm_up();
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  const app::TxnReport sale = rig.sale(4200);
  ASSERT_EQ(app::to_string(sale.outcome), "approved") << sale.reason;
  auto settled = rig.settle();  // both hosts refund settled sales only
  ASSERT_TRUE(settled && settled->accepted);

  int refunds = 0;
  rig.transport().observe([&](const net::http::Request& r) {
    if (is_post_to(r, refund_needle(GetParam()))) ++refunds;
  });
  rig.lose_answers(1);  // the refund reaches the host; its answer does not come back
  const app::TxnReport refund = rig.follow_on(TxnKind::refund, sale.entry.reference_id, 1000);
  // The host's recovery may tell at once (FullStack reads the original's amount_refunded) or
  // only later: in doubt then, resolved by the queue.
  if (app::to_string(refund.outcome) == "pending") {
    EXPECT_EQ(app::to_string(refund.entry.state), "in_doubt");
    EXPECT_EQ(rig.queued(), 1u);
  } else {
    EXPECT_EQ(app::to_string(refund.outcome), "approved") << refund.reason;
  }
  const app::QueueReport q = rig.flush();
  EXPECT_EQ(refunds, 1);  // once, whatever recovery asked: never a second refund
  auto row = rig.journal->find(refund.entry.reference_id);
  ASSERT_TRUE(row && *row);
  // Live as well as safe: each host's recovery tells from its own records that it happened.
  EXPECT_EQ(rig.queued(), 0u) << q.stopped_because;
  EXPECT_EQ(app::to_string((*row)->state), "completed") << (*row)->reason;
}

TEST_P(EngineMoney, SettlementRunsRecoveryFirstAndNeverClosesOverADoubt) {
  Rig rig(options());
  rig.warm_up();
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  std::string ref;
  bool cut_now = false;
  rig.on_journaled([&](const app::JournalEntry& e) {
    if (e.state == app::TxnState::sent && ref.empty()) {
      ref = e.reference_id;
      cut_now = true;
    }
  });
  rig.start_sale(5100);
  rig.io_->restart();
  for (int i = 0; i < 4000 && !cut_now; ++i) rig.io_->run_one_for(std::chrono::milliseconds{5});
  ASSERT_TRUE(cut_now);
  rig.restart();  // the power went with the request out; nobody ran recover()
  rig.warm_up();
  rig.unreachable(true);
  auto refused = rig.settle();
  ASSERT_FALSE(refused);  // the in-doubt sale must be settled first
  EXPECT_NE(refused.error().message.find("in doubt"), std::string::npos) << refused.error().message;
  auto row = rig.journal->find(ref);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(app::to_string((*row)->state), "reversal_pending");

  rig.unreachable(false);
  auto settled = rig.settle();
  ASSERT_TRUE(settled) << settled.error().describe();
  EXPECT_TRUE(settled->accepted);
  row = rig.journal->find(ref);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(app::to_string((*row)->state), "reversed") << (*row)->reason;
}

TEST_P(EngineMoney, AVoidRefusedBecauseTheSaleSettledBecomesARefund) {
  RigOptions o = options();
  o.host_tweak = [](TweakedHost& h) {
    h.void_rewrite = [](Result<net::host::HostResult>& r) {
      // A void of a settled sale, as the adapters classify the host's refusal.
      net::host::HostResult refusal;
      refusal.outcome = net::host::Outcome::error;
      refusal.response_code = "400";
      refusal.response_message = "transaction already settled";
      refusal.refusal = net::host::Refusal::already_settled;
      r = refusal;
    };
  };
  Rig rig(o);
  rig.warm_up();
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  // The power goes with the sale at the host; the host settles its batch before the
  // terminal is back (an automatic cut-off), so the terminal's void comes too late.
  std::string ref;
  bool cut_now = false;
  rig.on_journaled([&](const app::JournalEntry& e) {
    if (e.state == app::TxnState::sent && ref.empty()) {
      ref = e.reference_id;
      cut_now = true;
    }
  });
  rig.start_sale(6100);
  rig.io_->restart();
  for (int i = 0; i < 4000 && !cut_now; ++i) rig.io_->run_one_for(std::chrono::milliseconds{5});
  ASSERT_TRUE(cut_now);
  rig.restart();
  rig.warm_up();
  std::optional<Result<net::host::SettleResult>> host_settled;
  rig.adapter().settle({}, [&](Result<net::host::SettleResult> x) { host_settled.emplace(std::move(x)); });
  rig.io_->restart();
  for (int i = 0; i < 400 && !host_settled; ++i) rig.io_->run_for(std::chrono::milliseconds{5});
  ASSERT_TRUE(host_settled && *host_settled && (*host_settled)->accepted);

  int refunds = 0;
  rig.transport().observe([&](const net::http::Request& r) {
    if (is_post_to(r, refund_needle(GetParam()))) ++refunds;
  });
  (void)rig.recover();
  auto row = rig.journal->find(ref);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(app::to_string((*row)->state), "reversed") << (*row)->reason;
  EXPECT_NE((*row)->reason.find("refunded instead"), std::string::npos) << (*row)->reason;
  EXPECT_EQ(refunds, 1);
  (void)rig.flush();  // nothing more
  EXPECT_EQ(refunds, 1);
}

TEST_P(EngineMoney, HostTextWithCardDataNeverReachesTheJournalOrAReceipt) {
  RigOptions o = options();
  o.host_tweak = [](TweakedHost& h) {
    h.sale_rewrites[0] = [](Result<net::host::HostResult>& r) {
      if (!r) return;
      r->auth_code = "4111111111111111";
      r->response_message = "APPROVAL 4111111111111111 B4111111111111111^TEST/CARD^30121010000000000000?";
    };
  };
  Rig rig(o);
  rig.warm_up();
  rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  const app::TxnReport sale = rig.sale(7100);
  ASSERT_EQ(app::to_string(sale.outcome), "approved") << sale.reason;
  auto row = rig.journal->find(sale.entry.reference_id);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->auth_code, "");  // not of an auth code's shape: dropped
  EXPECT_EQ((*row)->response_message.find("4111111111111111"), std::string::npos) << (*row)->response_message;
  for (const std::string& receipt : sale.receipts) {
    EXPECT_EQ(receipt.find("4111111111111111"), std::string::npos);
    EXPECT_EQ(receipt.find("30121010000000000000"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Hosts, EngineMoney, ::testing::Values(HostKind::aurora, HostKind::fullstack),
                         [](const ::testing::TestParamInfo<HostKind>& p) {
                           return std::string(p.param == HostKind::aurora ? "Aurora" : "FullStack");
                         });

}  // namespace
}  // namespace tender::test
