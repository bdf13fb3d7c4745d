#include "common/crypto/hash.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "tests/test_hex.hpp"

namespace tender::crypto {
namespace {

using test::hex;

ByteView text(std::string_view s) { return {reinterpret_cast<const Byte*>(s.data()), s.size()}; }

// FIPS 180-4 examples (NIST CSRC "Example Algorithms"): "abc" and the two-block message.
TEST(Hash, Sha1Vectors) {
  EXPECT_EQ(to_hex(sha1({text("abc")})), "A9993E364706816ABA3E25717850C26C9CD0D89D");
  EXPECT_EQ(to_hex(sha1({text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")})),
            "84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
  EXPECT_EQ(to_hex(sha1({})), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
}

TEST(Hash, Sha256Vectors) {
  EXPECT_EQ(to_hex(sha256({text("abc")})), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  EXPECT_EQ(to_hex(sha256({text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")})),
            "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
}

TEST(Hash, PartsAreConcatenated) {
  EXPECT_EQ(sha1({text("a"), text(""), text("bc")}), sha1({text("abc")}));
  EXPECT_EQ(sha256({text("ab"), text("c")}), sha256({text("abc")}));
}

// RFC 4231 test cases 1 and 2.
TEST(Hash, HmacSha256Vectors) {
  const Bytes key1(20, 0x0B);
  EXPECT_EQ(to_hex(hmac_sha256(key1, text("Hi There")).reveal()),
            "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7");
  EXPECT_EQ(to_hex(hmac_sha256(text("Jefe"), text("what do ya want for nothing?")).reveal()),
            "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843");
}

}  // namespace
}  // namespace tender::crypto
