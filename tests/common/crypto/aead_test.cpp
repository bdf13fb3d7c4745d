#include "common/crypto/aead.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::crypto {
namespace {

using test::hex;

// The GCM specification's (McGrew and Viega, 2005) test case 14: AES-256, zero key, zero
// IV, one zero block, no AAD. Laid out as seal() writes it: IV | ciphertext | tag.
TEST(Aead, OpensTheSpecificationVector) {
  const Bytes key(32, 0x00);
  const Bytes sealed = hex("000000000000000000000000 CEA7403D4D606B6E074EC5D3BAF39D18 D0D1C8A799996BF0265B98B5D48AB919");
  auto plain = open(key, {}, sealed);
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_EQ(to_hex(plain->reveal()), "00000000000000000000000000000000");
}

// Test case 16: AES-256 with AAD.
TEST(Aead, OpensTheSpecificationVectorWithAad) {
  const Bytes key = hex("FEFFE9928665731C6D6A8F9467308308FEFFE9928665731C6D6A8F9467308308");
  const Bytes aad = hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
  const Bytes sealed = hex(
      "CAFEBABEFACEDBADDECAF888"
      "522DC1F099567D07F47F37A32A84427D643A8CDCBFE5C0C97598A2BD2555D1AA8CB08E48590DBB3DA7B08B1056828838C5F61E6393BA7A0ABCC9F662"
      "76FC6ECE0F4E1768CDDF8853BB2D551B");
  auto plain = open(key, aad, sealed);
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_EQ(to_hex(plain->reveal()),
            "D9313225F88406E5A55909C5AFF5269A86A7A9531534F7DA2E4C303D8A318A721C3C0C95956809532FCF0E2449A6B525B16AEDF5AA0DE657BA637B39");
}

TEST(Aead, RoundTripsWithAFreshNonceEachTime) {
  const Bytes key = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  const Bytes aad = hex("AA55");
  const Bytes plain = hex("0102030405");
  auto a = seal(key, aad, plain);
  auto b = seal(key, aad, plain);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), plain.size() + kAeadOverhead);
  EXPECT_NE(*a, *b);  // a new random nonce each time
  auto opened = open(key, aad, *a);
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(to_hex(opened->reveal()), "0102030405");
  auto empty = seal(key, aad, {});
  ASSERT_TRUE(empty);
  auto opened_empty = open(key, aad, *empty);
  ASSERT_TRUE(opened_empty);
  EXPECT_TRUE(opened_empty->empty());
}

TEST(Aead, AnythingAlteredDoesNotOpen) {
  const Bytes key(32, 0x42);
  const Bytes aad = hex("01");
  auto sealed = seal(key, aad, hex("DEADBEEF"));
  ASSERT_TRUE(sealed);
  for (std::size_t i = 0; i < sealed->size(); ++i) {
    Bytes altered = *sealed;
    altered[i] ^= 0x01;
    auto r = open(key, aad, altered);
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, Errc::crypto_error);
  }
  EXPECT_FALSE(open(key, hex("02"), *sealed));                                    // another AAD
  EXPECT_FALSE(open(Bytes(32, 0x43), aad, *sealed));                              // another key
  EXPECT_FALSE(open(key, aad, ByteView{*sealed}.first(sealed->size() - 1)));      // truncated
  EXPECT_EQ(open(key, aad, ByteView{*sealed}.first(kAeadOverhead - 1)).error().code, Errc::crypto_error);
}

TEST(Aead, KeyMustBe32Bytes) {
  EXPECT_EQ(seal(Bytes(16, 0), {}, hex("00")).error().code, Errc::invalid_argument);
  EXPECT_EQ(open(Bytes(31, 0), {}, Bytes(40, 0)).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tender::crypto
