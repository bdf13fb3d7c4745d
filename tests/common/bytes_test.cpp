#include "common/bytes.hpp"

#include <gtest/gtest.h>

namespace tender {
namespace {

TEST(Bytes, HexRoundTripIsUpperCase) {
  const Bytes data{0x00, 0x01, 0x9F, 0xAB, 0xFF};
  EXPECT_EQ(to_hex(data), "00019FABFF");
  auto back = from_hex("00019fabFF");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, data);
}

TEST(Bytes, EmptyHexIsZeroBytes) {
  auto r = from_hex("");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(to_hex({}), "");
}

TEST(Bytes, OddLengthIsMalformed) {
  auto r = from_hex("ABC");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("odd length"), std::string::npos);
}

TEST(Bytes, NonHexCharacterIsMalformedAndNamesOnlyTheOffset) {
  for (std::string_view bad : {"0G", "G0", "12 4", "0x12", "1-", "\xFF\x01"}) {
    auto r = from_hex(bad);
    ASSERT_FALSE(r) << "accepted a non-hex string";
    EXPECT_EQ(r.error().code, Errc::malformed);
    EXPECT_NE(r.error().message.find("offset"), std::string::npos);
  }
}

TEST(Bytes, ExactLengthIsEnforced) {
  EXPECT_TRUE(from_hex_exact("0011", 2));
  auto r = from_hex_exact("0011", 3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
}

TEST(Bytes, BigEndianLoadStore) {
  std::array<Byte, 4> buf{};
  store_be(0x01020304, buf);
  EXPECT_EQ(to_hex(buf), "01020304");
  EXPECT_EQ(load_be(buf), 0x01020304U);
}

}  // namespace
}  // namespace tender
