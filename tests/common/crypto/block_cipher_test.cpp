// Known answers for the single-block primitives under the DUKPT and PIN block code.
#include "common/crypto/block_cipher.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <array>

namespace tender::crypto {
namespace {

using tender::test::hex;

template <std::size_t N>
std::array<Byte, N> arr(std::string_view h) {
  const Bytes b = hex(h);
  std::array<Byte, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = b.at(i);
  return a;
}

TEST(BlockCipher, DesKnownAnswer) {
  // The classic "Now is t" DES example (FIPS 81 appendix B key and text).
  const auto key = arr<8>("0123456789ABCDEF");
  const auto plain = arr<8>("4E6F772069732074");
  std::array<Byte, 8> out{};
  des_ecb(CipherDirection::encrypt, key, plain, out);
  EXPECT_EQ(to_hex(out), "3FA40E8A984D4815");
  des_ecb(CipherDirection::decrypt, key, out, out);  // in place
  EXPECT_EQ(out, plain);
}

TEST(BlockCipher, TdesWithEqualHalvesIsSingleDes) {
  const auto key = arr<16>("0123456789ABCDEF0123456789ABCDEF");
  const auto plain = arr<8>("4E6F772069732074");
  std::array<Byte, 8> out{};
  tdes_ecb(CipherDirection::encrypt, key, plain, out);
  EXPECT_EQ(to_hex(out), "3FA40E8A984D4815");
}

TEST(BlockCipher, TdesKnownAnswerAndRoundTrip) {
  // X9.24-1 A.4: the first DUKPT PIN key (transaction key 042666B49184CFA3...
  // with the PIN variant) enciphers the ISO-0 block of PIN 1234.
  const auto key = arr<16>("042666B49184CF5C68DE9628D0397B36");
  const auto plain = arr<8>("041274EDCBA9876F");
  std::array<Byte, 8> out{};
  tdes_ecb(CipherDirection::encrypt, key, plain, out);
  EXPECT_EQ(to_hex(out), "1B9C1845EB993A7A");
  tdes_ecb(CipherDirection::decrypt, key, out, out);
  EXPECT_EQ(out, plain);
}

TEST(BlockCipher, AesFips197KnownAnswers) {
  const auto plain = arr<16>("00112233445566778899AABBCCDDEEFF");
  struct Case {
    std::string_view key;
    std::string_view cipher;
  };
  const std::array<Case, 3> cases = {{
      {"000102030405060708090A0B0C0D0E0F", "69C4E0D86A7B0430D8CDB78070B4C55A"},
      {"000102030405060708090A0B0C0D0E0F1011121314151617", "DDA97CA4864CDFE06EAF70A0EC0D7191"},
      {"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
       "8EA2B7CA516745BFEAFC49904B496089"},
  }};
  for (const auto& c : cases) {
    const Bytes key = hex(c.key);
    std::array<Byte, 16> out{};
    ASSERT_TRUE(aes_ecb(CipherDirection::encrypt, key, plain, out));
    EXPECT_EQ(to_hex(out), c.cipher) << "key length " << key.size();
    ASSERT_TRUE(aes_ecb(CipherDirection::decrypt, key, out, out));
    EXPECT_EQ(out, plain);
  }
}

TEST(BlockCipher, AesRejectsBadKeyLengthWithoutQuotingTheKey) {
  const Bytes key = hex("000102030405060708090A0B0C0D0E");  // 15 bytes
  std::array<Byte, 16> block{};
  auto r = aes_ecb(CipherDirection::encrypt, key, block, block);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_EQ(r.error().message.find("0001"), std::string::npos);
}

}  // namespace
}  // namespace tender::crypto
