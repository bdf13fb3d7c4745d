// Processing restrictions (Book 3 10.4).
#include "emv/restrictions.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::hex;

struct Restrictions : ::testing::Test {
  Context& run(const TransactionInput& input = kt::purchase()) {
    Context& ctx = rig.read(profile, input);
    auto r = processing_restrictions(ctx);
    EXPECT_TRUE(r.has_value());
    return ctx;
  }
  kt::Rig rig;
  kt::CardProfile profile;
};

TEST_F(Restrictions, NothingToReport) {
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000000000");
}

TEST_F(Restrictions, ApplicationVersionsDiffer) {
  profile.app_version = hex("0096");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0080000000");
}

TEST_F(Restrictions, ExpiredAndNotYetEffective) {
  profile.expiry = hex("250314");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0040000000");
}

TEST_F(Restrictions, ExpiresToday) {
  profile.expiry = hex("250315");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000000000");
}

TEST_F(Restrictions, NotYetEffective) {
  profile.effective = hex("250316");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0020000000");
}

TEST_F(Restrictions, BadDatesTerminate) {
  profile.expiry = hex("251340");
  Context& ctx = rig.read(profile);
  EXPECT_FALSE(processing_restrictions(ctx).has_value());
  TransactionInput input = kt::purchase();
  input.date = {0x25, 0x02, 0x30};
  kt::Rig other;
  Context& ctx2 = other.read(kt::CardProfile{}, input);
  EXPECT_FALSE(processing_restrictions(ctx2).has_value());
}

TEST_F(Restrictions, UsageControlNotValidForInternationalGoods) {
  profile.auc = hex("AB00");  // domestic only (cash, goods, services), ATMs, other terminals
  profile.issuer_country = hex("0826");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0010000000");
}

TEST_F(Restrictions, UsageControlDomesticIsFine) {
  profile.auc = hex("AB00");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000000000");
}

TEST_F(Restrictions, UsageControlCashback) {
  TransactionInput input = kt::purchase();
  input.type = TransactionType::cashback;
  input.amount_other = Money{500, usd()};
  profile.auc = hex("FF40");  // international cashback only
  EXPECT_EQ(to_hex(run(input).tvr.bytes()), "0010000000");
}

TEST(UsageControl, Table) {
  const Auc all{hex("FFC0")};
  const Auc none{hex("0000")};
  EXPECT_TRUE(usage_allowed(all, TransactionType::goods_services, false, false, true));
  EXPECT_FALSE(usage_allowed(none, TransactionType::goods_services, false, false, std::nullopt));
  // Not valid at terminals other than ATMs.
  EXPECT_FALSE(usage_allowed(Auc{hex("FE00")}, TransactionType::goods_services, false, false, true));
  EXPECT_TRUE(usage_allowed(Auc{hex("FE00")}, TransactionType::cash, false, true, true));
  // Without an issuer country only the ATM bits count.
  EXPECT_TRUE(usage_allowed(Auc{hex("0100")}, TransactionType::cash, false, false, std::nullopt));
  // Cash: domestic cash bit / international cash bit.
  EXPECT_TRUE(usage_allowed(Auc{hex("8100")}, TransactionType::cash, false, false, true));
  EXPECT_FALSE(usage_allowed(Auc{hex("8100")}, TransactionType::cash, false, false, false));
  EXPECT_TRUE(usage_allowed(Auc{hex("4100")}, TransactionType::cash, false, false, false));
  // Goods or services: either bit.
  EXPECT_TRUE(usage_allowed(Auc{hex("0900")}, TransactionType::goods_services, false, false, true));
  EXPECT_TRUE(usage_allowed(Auc{hex("0500")}, TransactionType::goods_services, false, false, false));
  EXPECT_FALSE(usage_allowed(Auc{hex("0900")}, TransactionType::goods_services, false, false, false));
  // Cashback also needs the cashback bit.
  EXPECT_TRUE(usage_allowed(Auc{hex("2180")}, TransactionType::cashback, true, false, true));
  EXPECT_FALSE(usage_allowed(Auc{hex("2140")}, TransactionType::cashback, true, false, true));
  // Refunds: only where the card may be used.
  EXPECT_TRUE(usage_allowed(Auc{hex("0100")}, TransactionType::refund, false, false, true));
}

}  // namespace
}  // namespace tender::emv
