#include "common/crypto/random.hpp"

#include <gtest/gtest.h>

#include <array>

namespace tender::crypto {
namespace {

TEST(Random, FillsAndDiffers) {
  std::array<Byte, 32> a{};
  std::array<Byte, 32> b{};
  ASSERT_TRUE(random_bytes(a));
  ASSERT_TRUE(random_bytes(b));
  EXPECT_NE(a, b);  // 2^-256 chance of a false failure
  EXPECT_NE(a, (std::array<Byte, 32>{}));
}

TEST(Random, EmptyAndLargeRequests) {
  EXPECT_TRUE(random_bytes(std::span<Byte>{}));
  // Larger than one getrandom(2) call may return for a blocking pool: the loop fills all.
  Bytes big(1 << 20);
  ASSERT_TRUE(random_bytes(big));
  std::size_t zeros = 0;
  for (Byte b : big) zeros += b == 0;
  EXPECT_LT(zeros, big.size() / 128);  // ~1/256 expected; the tail of the buffer was written
}

}  // namespace
}  // namespace tender::crypto
