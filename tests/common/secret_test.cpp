#include "common/secret.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace tender {
namespace {

TEST(Secret, PrintsRedacted) {
  const SecretBytes key{Bytes{0x01, 0x23, 0x45, 0x67}};
  const SecretString pin{"1234"};
  const SecretArray<4> arr{Bytes{0xDE, 0xAD, 0xBE, 0xEF}};
  std::ostringstream os;
  os << key << ' ' << pin << ' ' << arr;
  EXPECT_EQ(os.str(), "*** *** ***");
}

TEST(Secret, RevealGivesTheContents) {
  const SecretBytes key{Bytes{0xAB, 0xCD}};
  EXPECT_EQ(to_hex(key.reveal()), "ABCD");
  const SecretString pin{"9876"};
  EXPECT_EQ(pin.reveal(), "9876");
}

TEST(Secret, TakeWipesTheSource) {
  Bytes clear{1, 2, 3, 4};
  auto s = SecretBytes::take(clear);
  EXPECT_TRUE(clear.empty());
  EXPECT_EQ(s.size(), 4U);
}

TEST(Secret, ClearWipes) {
  SecretString s{"123456"};
  s.clear();
  EXPECT_TRUE(s.empty());
}

TEST(Secret, SecureZeroWipesMemory) {
  std::array<Byte, 16> buf;
  buf.fill(0xA5);
  secure_zero(buf.data(), buf.size());
  for (auto b : buf) EXPECT_EQ(b, 0);
}

TEST(Secret, EqualityIsByContent) {
  EXPECT_EQ(SecretBytes(Bytes{1, 2}), SecretBytes(Bytes{1, 2}));
  EXPECT_FALSE(SecretBytes(Bytes{1, 2}) == SecretBytes(Bytes{1, 3}));
  EXPECT_FALSE(SecretBytes(Bytes{1, 2}) == SecretBytes(Bytes{1, 2, 3}));
  EXPECT_TRUE(constant_time_equal("abc", "abc", 3));
  EXPECT_FALSE(constant_time_equal("abc", "abd", 3));
}

}  // namespace
}  // namespace tender
