#include "common/result.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace tender {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(Errc::out_of_range, "not positive");
  return v;
}

TEST(Result, CarriesValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::out_of_range);
  EXPECT_EQ(bad.error().describe(), "out_of_range: not positive");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, HoldsMoveOnlyTypes) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, VoidResult) {
  Result<void> fine = ok();
  EXPECT_TRUE(fine);
  Result<void> failed = make_error(Errc::io_error, "disk");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::io_error);
}

TEST(Result, EveryErrcHasAName) {
  for (int i = 0; i <= static_cast<int>(Errc::cancelled); ++i)
    EXPECT_NE(to_string(static_cast<Errc>(i)), "unknown");
}

}  // namespace
}  // namespace tender
