#include "emv/capk.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

Capk sample() {
  Capk key{hex("A000000003"), 0x92, hex("C1D2E3F40506070809"), hex("03"), {}, std::nullopt};
  key.checksum = capk_checksum(key);
  return key;
}

TEST(Capk, ChecksumIsSha1OfRidIndexModulusExponent) {
  // SHA-1 of A000000003 | 92 | C1D2E3F40506070809 | 03, computed with Python's hashlib.
  const Capk key = sample();
  EXPECT_EQ(to_hex(key.checksum), "F8B944D2D236E4C83B43064568C45328A15589A3");
  EXPECT_TRUE(verify_checksum(key).has_value());
  Capk bad = key;
  bad.modulus[3] ^= 0x01;
  EXPECT_EQ(verify_checksum(bad).error().code, Errc::checksum);
  bad = key;
  bad.index = 0x93;
  EXPECT_EQ(verify_checksum(bad).error().code, Errc::checksum);
  bad = key;
  bad.rid = hex("A0000003");
  EXPECT_EQ(verify_checksum(bad).error().code, Errc::malformed);
  bad = key;
  bad.modulus = hex("00C1");
  EXPECT_EQ(verify_checksum(bad).error().code, Errc::malformed);
}

TEST(Capk, LookupByRidAndIndex) {
  std::vector<Capk> keys = {sample(), sample()};
  keys[1].rid = hex("A000000004");
  keys[1].index = 0xF1;
  keys[1].expiry = std::array<Byte, 3>{0x25, 0x12, 0x31};
  EXPECT_EQ(find_capk(keys, hex("A000000003"), 0x92), &keys[0]);
  EXPECT_EQ(find_capk(keys, hex("A000000004"), 0xF1), &keys[1]);
  EXPECT_EQ(find_capk(keys, hex("A000000004"), 0x92), nullptr);
  EXPECT_EQ(find_capk(keys, hex("A0000000"), 0x92), nullptr);
  EXPECT_EQ(find_capk(keys, hex("A000000004"), 0xF1, std::array<Byte, 3>{0x25, 0x12, 0x31}), &keys[1]);
  EXPECT_EQ(find_capk(keys, hex("A000000004"), 0xF1, std::array<Byte, 3>{0x26, 0x01, 0x01}), nullptr);
}

}  // namespace
}  // namespace tender::emv
