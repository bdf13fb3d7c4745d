#include "net/hostsim/behaviour.hpp"

#include <gtest/gtest.h>

#include "net/hostsim/amounts.hpp"

namespace tender::net::hostsim {
namespace {

using namespace std::chrono_literals;

TEST(HostSimBehaviour, MagicCentsTable) {
  struct Row {
    std::int64_t amount;
    Behaviour expected;
  };
  for (const Row& row : {Row{151, Behaviour::decline}, Row{1052, Behaviour::partial},
                         Row{253, Behaviour::insufficient_funds}, Row{54, Behaviour::no_answer},
                         Row{155, Behaviour::close_connection}, Row{156, Behaviour::error_500},
                         Row{157, Behaviour::malformed}, Row{158, Behaviour::delay}}) {
    const auto s = behaviour_for_amount(row.amount);
    ASSERT_TRUE(s.has_value()) << row.amount;
    EXPECT_EQ(s->behaviour, row.expected) << row.amount;
  }
  EXPECT_EQ(behaviour_for_amount(158)->delay, 2000ms);
  EXPECT_FALSE(behaviour_for_amount(12345).has_value());
  EXPECT_FALSE(behaviour_for_amount(1112).has_value());
  EXPECT_FALSE(behaviour_for_amount(1010).has_value());
}

TEST(HostSimBehaviour, ParsesControlStrings) {
  EXPECT_EQ(parse_behaviour("decline")->behaviour, Behaviour::decline);
  EXPECT_EQ(parse_behaviour("partial:5.00")->partial_amount, 500);
  EXPECT_EQ(parse_behaviour("partial")->partial_amount, 0);
  EXPECT_EQ(parse_behaviour("close")->behaviour, Behaviour::close_connection);
  EXPECT_EQ(parse_behaviour("delay:250")->delay, 250ms);
  EXPECT_EQ(parse_behaviour("approve")->behaviour, Behaviour::approve);
  EXPECT_FALSE(parse_behaviour("delay"));
  EXPECT_FALSE(parse_behaviour("delay:-1"));
  EXPECT_FALSE(parse_behaviour("partial:abc"));
  EXPECT_FALSE(parse_behaviour("explode"));
  EXPECT_FALSE(parse_behaviour("decline:3"));
}

TEST(HostSimBehaviour, QueueKeepsCardOutcomesForTransactions) {
  BehaviourQueue q;
  q.set(*parse_behaviour("decline"), 2);
  EXPECT_FALSE(q.take(false).has_value());
  EXPECT_TRUE(q.take(true).has_value());
  EXPECT_TRUE(q.take(true).has_value());
  EXPECT_FALSE(q.take(true).has_value());
  q.set(*parse_behaviour("no_answer"), 1);
  EXPECT_TRUE(q.take(false).has_value());
}

TEST(HostSimAmounts, DecimalsConvertExactly) {
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("123.45")), 12345);
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("10.1")), 1010);
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("0.07")), 7);
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("1")), 100);
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("97.85")), 9785);
  EXPECT_EQ(*decimal_to_minor(nlohmann::json::parse("0.29")), 29);
  EXPECT_FALSE(decimal_to_minor(nlohmann::json::parse("1.005")));
  EXPECT_FALSE(decimal_to_minor(nlohmann::json::parse("-1")));
  EXPECT_FALSE(decimal_to_minor(nlohmann::json::parse("\"1.00\"")));
  EXPECT_FALSE(decimal_to_minor(nlohmann::json::parse("1e300")));
  EXPECT_EQ(minor_to_decimal(12345).dump(), "123.45");
  EXPECT_EQ(minor_to_decimal(1010).dump(), "10.1");
  EXPECT_EQ(minor_to_decimal(1000).dump(), "10");
  EXPECT_EQ(minor_to_decimal(7).dump(), "0.07");
}

}  // namespace
}  // namespace tender::net::hostsim
