#include "common/crypto/rsa.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/crypto/hash.hpp"
#include "tests/test_hex.hpp"

namespace tender::crypto {
namespace {

// A seed stream as tender-testkeys makes one: SHA-256 blocks of a label and a counter.
SeedSource fixed_seed(std::string label) {
  return [label, block = 0, buffer = Sha256Digest{}, used = std::size_t{32}](std::span<Byte> out) mutable {
    for (Byte& b : out) {
      if (used == buffer.size()) {
        const std::string text = label + "/" + std::to_string(block++);
        buffer = sha256({ByteView{reinterpret_cast<const Byte*>(text.data()), text.size()}});
        used = 0;
      }
      b = buffer[used++];
    }
    return true;
  };
}

RsaPrivateKeyView view(const RsaKeyParts& k) {
  return {k.modulus, k.exponent, k.d.reveal(), k.p.reveal(), k.q.reveal(), k.dp.reveal(), k.dq.reveal(), k.qinv.reveal()};
}

class Rsa : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto k = rsa_generate(1024, 3, fixed_seed("tender rsa_test"), {});
    ASSERT_TRUE(k) << k.error().describe();
    key_ = new RsaKeyParts(std::move(*k));
  }
  static void TearDownTestSuite() {
    delete key_;
    key_ = nullptr;
  }
  static RsaKeyParts* key_;
};
RsaKeyParts* Rsa::key_ = nullptr;

TEST_F(Rsa, GenerationIsDeterministicUnderAFixedSeed) {
  ASSERT_EQ(key_->modulus.size(), 128u);
  EXPECT_EQ(to_hex(key_->exponent), "03");
  auto again = rsa_generate(1024, 3, fixed_seed("tender rsa_test"), {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->modulus, key_->modulus);
  EXPECT_EQ(to_hex(again->d.reveal()), to_hex(key_->d.reveal()));
  auto other = rsa_generate(1024, 3, fixed_seed("another label"), {});
  ASSERT_TRUE(other);
  EXPECT_NE(other->modulus, key_->modulus);
  EXPECT_TRUE(rsa_check_private(view(*key_)));
}

TEST_F(Rsa, PrivateThenPublicIsTheIdentity) {
  Bytes message(key_->modulus.size(), 0x00);
  message[0] = 0x6A;
  message[1] = 0x02;
  message.back() = 0xBC;
  auto signature = rsa_private(view(*key_), message);
  ASSERT_TRUE(signature) << signature.error().describe();
  EXPECT_NE(*signature, message);
  auto recovered = rsa_public(key_->modulus, key_->exponent, *signature);
  ASSERT_TRUE(recovered) << recovered.error().describe();
  EXPECT_EQ(*recovered, message);
}

// Textbook check without the library's help: 2^3 = 8 for any modulus above 8.
TEST_F(Rsa, PublicOperationOfASmallNumber) {
  Bytes two(key_->modulus.size(), 0x00);
  two.back() = 0x02;
  auto cubed = rsa_public(key_->modulus, key_->exponent, two);
  ASSERT_TRUE(cubed);
  Bytes eight(key_->modulus.size(), 0x00);
  eight.back() = 0x08;
  EXPECT_EQ(*cubed, eight);
}

TEST_F(Rsa, InputRules) {
  EXPECT_EQ(rsa_public(key_->modulus, key_->exponent, Bytes(127, 0x01)).error().code, Errc::invalid_argument);
  EXPECT_EQ(rsa_public(key_->modulus, key_->exponent, key_->modulus).error().code, Errc::malformed);
  EXPECT_EQ(rsa_public(key_->modulus, key_->exponent, Bytes(128, 0xFF)).error().code, Errc::malformed);
  EXPECT_EQ(rsa_private(view(*key_), key_->modulus).error().code, Errc::malformed);
  Bytes even = key_->modulus;
  even.back() &= 0xFE;
  EXPECT_EQ(rsa_public(even, key_->exponent, Bytes(128, 0x01)).error().code, Errc::crypto_error);
}

TEST_F(Rsa, InconsistentCrtPartsAreRefused) {
  RsaKeyParts altered = *key_;
  altered.dp.mutable_bytes()[0] ^= 0x01;
  auto r = rsa_check_private(view(altered));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto_error);
  RsaKeyParts wrong_d = *key_;
  wrong_d.d.mutable_bytes().back() ^= 0x02;
  EXPECT_FALSE(rsa_check_private(view(wrong_d)));
}

}  // namespace
}  // namespace tender::crypto
