// Terminal risk management (Book 3 10.6).
#include "emv/risk.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::hex;

TEST(FloorLimit, EqualOrAboveExceeds) {
  EXPECT_FALSE(exceeds_floor_limit(999, 0, 1000));
  EXPECT_TRUE(exceeds_floor_limit(1000, 0, 1000));
  EXPECT_TRUE(exceeds_floor_limit(600, 400, 1000));  // the transaction log counts
  EXPECT_TRUE(exceeds_floor_limit(0, 0, 0));
}

TEST(RandomSelection, BiasedTowardsTheFloorLimit) {
  AidConfig aid;
  aid.floor_limit = 10000;
  aid.random_selection_threshold = 2000;
  aid.target_percentage = 20;
  aid.max_target_percentage = 60;
  // Below the threshold: random <= target.
  EXPECT_TRUE(selected_randomly(1000, aid, 20));
  EXPECT_FALSE(selected_randomly(1000, aid, 21));
  // Halfway between threshold and floor limit: target 20 + (60-20)/2 = 40.
  EXPECT_TRUE(selected_randomly(6000, aid, 40));
  EXPECT_FALSE(selected_randomly(6000, aid, 41));
  // At the threshold: the target percentage.
  EXPECT_TRUE(selected_randomly(2000, aid, 20));
  EXPECT_FALSE(selected_randomly(2000, aid, 21));
  // At or above the floor limit random selection does not apply.
  EXPECT_FALSE(selected_randomly(10000, aid, 1));
  // Target 0: never.
  aid.target_percentage = 0;
  aid.max_target_percentage = 0;
  EXPECT_FALSE(selected_randomly(1000, aid, 1));
}

TEST(RandomSelection, NumberIsOneTo99AndDeterministic) {
  kt::FixedRandom zero(hex("00"));
  EXPECT_EQ(random_1_to_99(zero), 1u);
  kt::FixedRandom top(hex("C5"));  // 197 % 99 + 1
  EXPECT_EQ(random_1_to_99(top), 99u);
  kt::FixedRandom rejected(hex("FF FF 05"));  // 255 is redrawn
  EXPECT_EQ(random_1_to_99(rejected), 6u);
  kt::FixedRandom always_rejected(hex("FF"));
  const unsigned n = random_1_to_99(always_rejected);
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, 99u);
}

TEST(Velocity, Book3_10_6_3) {
  auto v = check_velocity(0x0010, 0x000C, 3, 5);  // 4 offline in a row
  EXPECT_TRUE(v.lower_limit_exceeded);
  EXPECT_FALSE(v.upper_limit_exceeded);
  EXPECT_FALSE(v.new_card);
  v = check_velocity(0x0010, 0x000A, 3, 5);
  EXPECT_TRUE(v.upper_limit_exceeded);
  v = check_velocity(0x0010, 0x000D, 3, 5);
  EXPECT_FALSE(v.lower_limit_exceeded);
  v = check_velocity(0x0001, 0x0000, 3, 5);
  EXPECT_TRUE(v.new_card);
  v = check_velocity(std::nullopt, 0x0005, 3, 5);
  EXPECT_TRUE(v.lower_limit_exceeded && v.upper_limit_exceeded);
  v = check_velocity(0x0005, 0x0005, 3, 5);  // ATC not above the register
  EXPECT_TRUE(v.lower_limit_exceeded && v.upper_limit_exceeded);
}

struct Risk : ::testing::Test {
  Context& run(std::int64_t logged = 0) {
    Context& ctx = rig.read(profile, input);
    EXPECT_TRUE(terminal_risk_management(ctx, rig.ttl, random, logged).has_value());
    return ctx;
  }
  kt::Rig rig;
  kt::CardProfile profile;
  TransactionInput input = kt::purchase(1000);
  kt::FixedRandom random{hex("63")};  // 99 % 99 + 1 = 1: selected whenever the target is > 0
};

TEST_F(Risk, AllClear) {
  rig.config.aids[0].floor_limit = 5000;
  rig.card.get_data[0x9F13] = hex("000E");
  Context& ctx = run();
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "0800");
  EXPECT_EQ(rig.card.count(hex("80CA9F36")), 1u);
  EXPECT_EQ(rig.card.count(hex("80CA9F13")), 1u);
}

TEST_F(Risk, FloorLimitWithTheLog) {
  rig.config.aids[0].floor_limit = 1500;
  rig.card.get_data[0x9F13] = hex("000E");
  EXPECT_EQ(to_hex(run(500).tvr.bytes()), "0000008000");
}

TEST_F(Risk, RandomSelection) {
  rig.config.aids[0].floor_limit = 5000;
  rig.config.aids[0].target_percentage = 10;
  rig.card.get_data[0x9F13] = hex("000E");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000001000");
}

TEST_F(Risk, OfflineOnlyTerminalsDoNotSelectRandomly) {
  rig.config.terminal_type = 0x23;
  rig.config.aids[0].floor_limit = 5000;
  rig.config.aids[0].target_percentage = 99;
  rig.card.get_data[0x9F13] = hex("000E");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000000000");
}

TEST_F(Risk, VelocityWithoutLastOnlineAtc) {
  rig.config.aids[0].floor_limit = 5000;
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000006000");  // 9F13 not returned: both limits
}

TEST_F(Risk, NewCard) {
  rig.config.aids[0].floor_limit = 5000;
  rig.card.get_data[0x9F13] = hex("0000");
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0008006000");  // 16 offline since: both limits, new card
}

TEST_F(Risk, NoVelocityWithoutLimitsOrWhenDisabled) {
  rig.config.aids[0].floor_limit = 5000;
  rig.config.velocity_checking = false;
  run();
  EXPECT_EQ(rig.card.count(hex("80CA")), 0u);
}

TEST_F(Risk, OnlyWhenTheAipAsks) {
  profile.aip1 = 0x14;
  Context& ctx = run();
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");  // floor limit 0 but no TRM
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "0000");
}

TEST_F(Risk, MerchantForcedOnline) {
  input.merchant_forced_online = true;
  profile.aip1 = 0x14;
  EXPECT_EQ(to_hex(run().tvr.bytes()), "0000000800");
}

}  // namespace
}  // namespace tender::emv
