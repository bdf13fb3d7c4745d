#include "common/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace tender {
namespace {

const Currency kUsd = *currency_by_alpha("USD");
const Currency kJpy = *currency_by_alpha("JPY");
const Currency kKwd = *currency_by_alpha("KWD");

TEST(Money, ParsesExactDecimals) {
  struct Case { std::string_view text; std::int64_t minor; };
  for (const auto& c : {Case{"12.34", 1234}, Case{"12", 1200}, Case{"12.3", 1230}, Case{"0.01", 1},
                        Case{"0", 0}, Case{"-5.00", -500}, Case{"100000.99", 10000099}}) {
    auto m = Money::parse(c.text, kUsd);
    ASSERT_TRUE(m) << c.text;
    EXPECT_EQ(m->minor_units(), c.minor) << c.text;
  }
}

TEST(Money, RejectsMoreDecimalsThanTheCurrencyHas) {
  auto r = Money::parse("12.345", kUsd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("2 decimal places"), std::string::npos);
  EXPECT_FALSE(Money::parse("12.5", kJpy));
  EXPECT_TRUE(Money::parse("12.345", kKwd));
}

TEST(Money, RejectsAnythingButPlainDecimals) {
  for (std::string_view bad : {"", "-", ".5", "5.", "1,000.00", " 1.00", "1.00 ", "+1.00", "1e3",
                               "1.2.3", "--1", "0x10", "12.3a", "NaN"}) {
    EXPECT_FALSE(Money::parse(bad, kUsd)) << "accepted \"" << bad << "\"";
  }
}

TEST(Money, RejectsOverflow) {
  EXPECT_TRUE(Money::parse("92233720368547758.07", kUsd));
  EXPECT_FALSE(Money::parse("92233720368547758.08", kUsd));
  EXPECT_FALSE(Money::parse("99999999999999999999", kUsd));
}

TEST(Money, FormatsWithTheCurrencysDecimals) {
  EXPECT_EQ(Money(1234, kUsd).format(), "12.34");
  EXPECT_EQ(Money(5, kUsd).format(), "0.05");
  EXPECT_EQ(Money(-5, kUsd).format(), "-0.05");
  EXPECT_EQ(Money(1200, kJpy).format(), "1200");
  EXPECT_EQ(Money(1, kKwd).format(), "0.001");
  EXPECT_EQ(Money(std::numeric_limits<std::int64_t>::min(), kUsd).format(),
            "-92233720368547758.08");
}

TEST(Money, ParseFormatRoundTrip) {
  for (std::int64_t v : {0LL, 1LL, 99LL, 100LL, 123456789LL, -42LL}) {
    const Money m{v, kUsd};
    auto back = Money::parse(m.format(), kUsd);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, m);
  }
}

TEST(Money, CurrencyTableByAlphaAndNumeric) {
  EXPECT_EQ(currency_by_numeric(840)->alpha, "USD");
  EXPECT_EQ(currency_by_numeric(978)->alpha, "EUR");
  EXPECT_EQ(currency_by_alpha("JPY")->exponent, 0);
  EXPECT_FALSE(currency_by_alpha("XXX"));
  EXPECT_FALSE(currency_by_numeric(1));
}

TEST(Money, AddChecksCurrencyAndOverflow) {
  auto sum = add(Money{150, kUsd}, Money{250, kUsd});
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->minor_units(), 400);
  EXPECT_FALSE(add(Money{1, kUsd}, Money{1, kJpy}));
  EXPECT_FALSE(add(Money{std::numeric_limits<std::int64_t>::max(), kUsd}, Money{1, kUsd}));
}

}  // namespace
}  // namespace tender
