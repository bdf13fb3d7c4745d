// AES-CMAC against the examples of NIST SP 800-38B (Appendix D.1-D.3; D.1 is RFC 4493's
// section 4): each key size, each message length class (empty, one block, a partial last
// block, whole blocks), then the contract (bad key lengths, one bit changed).
#include "common/crypto/cmac.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/test_hex.hpp"

namespace tender::crypto {
namespace {

using test::hex;

// The four messages of the examples: 0, 16, 40 and 64 bytes of the same text.
const std::string kText =
    "6BC1BEE22E409F96E93D7E117393172A" "AE2D8A571E03AC9C9EB76FAC45AF8E51"
    "30C81C46A35CE411E5FBC1191A0A52EF" "F69F2445DF4F9B17AD2B417BE66C3710";
constexpr std::size_t kLengths[] = {0, 16, 40, 64};

struct Example {
  const char* key;
  const char* tags[4];  // for kLengths, in order
};

constexpr Example kExamples[] = {
    {"2B7E151628AED2A6ABF7158809CF4F3C",
     {"BB1D6929E95937287FA37D129B756746", "070A16B46B4D4144F79BDD9DD04A287C", "DFA66747DE9AE63030CA32611497C827",
      "51F0BEBF7E3B9D92FC49741779363CFE"}},
    {"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B",
     {"D17DDF46ADAACDE531CAC483DE7A9367", "9E99A7BF31E710900662F65E617C5184", "8A1DE5BE2EB31AAD089A82E6EE908B0E",
      "A1D5DF0EED790F794D77589659F39A11"}},
    {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
     {"028962F61B7BF89EFC6B551F4667D983", "28A7023F452E8F82BD4BF28D8C37C35C", "AAF3D8F1DE5640C232F5B169B9C911E6",
      "E1992190549F6ED5696A2C056C315410"}},
};

TEST(Cmac, Sp800_38bExamples) {
  const Bytes text = hex(kText);
  for (const Example& example : kExamples) {
    const Bytes key = hex(example.key);
    for (std::size_t i = 0; i < std::size(kLengths); ++i) {
      auto tag = aes_cmac(key, ByteView{text}.first(kLengths[i]));
      ASSERT_TRUE(tag) << tag.error().message;
      EXPECT_EQ(to_hex(*tag), example.tags[i]) << key.size() * 8 << "-bit key, " << kLengths[i] << " bytes";
    }
  }
}

TEST(Cmac, OneBitOfMessageOrKeyChangesTheTag) {
  Bytes key = hex(kExamples[0].key);
  Bytes message = hex(kText);
  const AesCmac reference = aes_cmac(key, message).value();
  message.back() ^= 0x01;
  EXPECT_NE(aes_cmac(key, message).value(), reference);
  message.back() ^= 0x01;
  key.front() ^= 0x80;
  EXPECT_NE(aes_cmac(key, message).value(), reference);
  key.front() ^= 0x80;
  EXPECT_EQ(aes_cmac(key, message).value(), reference);
}

TEST(Cmac, KeysOfOtherLengthsAreRefused) {
  for (const std::size_t length : {0U, 8U, 15U, 17U, 33U}) {
    const Bytes key(length, 0x11);
    auto tag = aes_cmac(key, hex("00"));
    ASSERT_FALSE(tag) << length;
    EXPECT_EQ(tag.error().code, Errc::invalid_argument);
    EXPECT_EQ(tag.error().message.find("11"), std::string::npos);  // the key is never quoted
  }
}

}  // namespace
}  // namespace tender::crypto
