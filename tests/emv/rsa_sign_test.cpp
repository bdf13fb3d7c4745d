// The signing side of ODA, checked by an independent recovery in the test itself:
// mbedtls_rsa_public on the signature, then header, format, trailer and hash by hand.
#include "emv/sim/rsa_sign.hpp"

#include <gtest/gtest.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/rsa.h>

#include <cstring>

#include "tests/rsa_check.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

Bytes export_mpi(const mbedtls_mpi& v) {
  Bytes out(mbedtls_mpi_size(&v));
  EXPECT_EQ(mbedtls_mpi_write_binary(&v, out.data(), out.size()), 0);
  return out;
}

// Deterministic byte stream for key generation in tests (not a CSPRNG).
int counter_rng(void* state, unsigned char* out, std::size_t size) {
  auto* counter = static_cast<std::uint32_t*>(state);
  for (std::size_t i = 0; i < size; ++i) {
    *counter = *counter * 1664525u + 1013904223u;
    out[i] = static_cast<unsigned char>(*counter >> 24);
  }
  return 0;
}

RsaSigningKey generate(unsigned bits, std::uint32_t seed) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  EXPECT_EQ(mbedtls_rsa_gen_key(&rsa, counter_rng, &seed, bits, 3), 0);
  mbedtls_mpi n, p, q, d, e, dp, dq, qp;
  for (auto* m : {&n, &p, &q, &d, &e, &dp, &dq, &qp}) mbedtls_mpi_init(m);
  EXPECT_EQ(mbedtls_rsa_export(&rsa, &n, &p, &q, &d, &e), 0);
  EXPECT_EQ(mbedtls_rsa_export_crt(&rsa, &dp, &dq, &qp), 0);
  RsaSigningKey key;
  key.modulus = export_mpi(n);
  key.exponent = export_mpi(e);
  auto secret = [](const mbedtls_mpi& v) {
    Bytes b = export_mpi(v);
    return SecretBytes::take(b);
  };
  key.d = secret(d);
  key.p = secret(p);
  key.q = secret(q);
  key.dp = secret(dp);
  key.dq = secret(dq);
  key.qinv = secret(qp);
  for (auto* m : {&n, &p, &q, &d, &e, &dp, &dq, &qp}) mbedtls_mpi_free(m);
  mbedtls_rsa_free(&rsa);
  return key;
}

Bytes recover(const pinpad::RsaPublicKey& key, ByteView signature) {
  return test::rsa_recover_raw(key.modulus, key.exponent, signature);
}

using test::concat;
using test::expect_valid_record;
using test::sha1_reference;

class RsaSign : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new RsaSigningKey(generate(kTestCaKeyBits, 1));
    issuer_ = new RsaSigningKey(generate(kTestIssuerKeyBits, 2));
    icc_ = new RsaSigningKey(generate(kTestIccKeyBits, 3));
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete issuer_;
    delete icc_;
  }
  static RsaSigningKey* ca_;
  static RsaSigningKey* issuer_;
  static RsaSigningKey* icc_;
};
RsaSigningKey* RsaSign::ca_ = nullptr;
RsaSigningKey* RsaSign::issuer_ = nullptr;
RsaSigningKey* RsaSign::icc_ = nullptr;

TEST_F(RsaSign, Sha1KnownAnswer) {
  const auto d = sha1_digest(as_bytes("abc"));
  EXPECT_EQ(Bytes(d.begin(), d.end()), hex("A9993E364706816ABA3E25717850C26C9CD0D89D"));
}

TEST_F(RsaSign, GeneratedKeysPassTheConsistencyCheck) {
  EXPECT_TRUE(check_signing_key(*ca_));
  RsaSigningKey broken = *icc_;
  broken.dp = broken.dq;
  EXPECT_EQ(check_signing_key(broken).error().code, Errc::crypto_error);
}

TEST_F(RsaSign, IssuerCertificateFormat02WithFourByteRemainder) {
  CertificateFields fields{"476173", {0x12, 0x30}, {0x00, 0x00, 0x01}};
  auto cert = sign_issuer_certificate(*ca_, issuer_->public_key(), fields);
  ASSERT_TRUE(cert) << cert.error().describe();
  EXPECT_EQ(cert->certificate.size(), 176u);
  EXPECT_EQ(cert->remainder.size(), kTestIssuerRemainderLength);
  EXPECT_EQ(cert->exponent, hex("03"));
  const Bytes r = recover(ca_->public_key(), cert->certificate);
  expect_valid_record(r, 0x02, concat({cert->remainder, cert->exponent}));
  EXPECT_EQ(Bytes(r.begin() + 2, r.begin() + 6), hex("476173FF"));  // issuer identifier
  EXPECT_EQ(Bytes(r.begin() + 6, r.begin() + 8), hex("1230"));
  EXPECT_EQ(Bytes(r.begin() + 8, r.begin() + 11), hex("000001"));
  EXPECT_EQ(r[11], 0x01);
  EXPECT_EQ(r[12], 0x01);
  EXPECT_EQ(r[13], 144);
  EXPECT_EQ(r[14], 1);
  // Leftmost 140 key bytes, then the remainder, give the whole modulus back.
  Bytes modulus(r.begin() + 15, r.begin() + 15 + 140);
  modulus.insert(modulus.end(), cert->remainder.begin(), cert->remainder.end());
  EXPECT_EQ(modulus, issuer_->modulus);
}

TEST_F(RsaSign, IccCertificateFormat04CoversStaticData) {
  const Bytes static_data = hex("5A0847617390010100105F24033012318E0A00000000000000001F00");
  CertificateFields fields{"4761739001010010", {0x12, 0x30}, {0x00, 0x00, 0x02}};
  auto cert = sign_icc_certificate(*issuer_, icc_->public_key(), fields, static_data);
  ASSERT_TRUE(cert) << cert.error().describe();
  EXPECT_EQ(cert->remainder.size(), kTestIccRemainderLength);
  const Bytes r = recover(issuer_->public_key(), cert->certificate);
  expect_valid_record(r, 0x04, concat({cert->remainder, cert->exponent, static_data}));
  EXPECT_EQ(Bytes(r.begin() + 2, r.begin() + 12), hex("4761739001010010FFFF"));
  EXPECT_EQ(r[19], 128);
}

TEST_F(RsaSign, CertificateOfShortKeyIsPaddedWithBB) {
  // The ICC key in an issuer certificate field: 128 bytes in a 140-byte field.
  auto cert = sign_issuer_certificate(*ca_, icc_->public_key(), {"5413", {0x12, 0x30}, {0, 0, 3}});
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cert->remainder.empty());
  const Bytes r = recover(ca_->public_key(), cert->certificate);
  expect_valid_record(r, 0x02, cert->exponent);
  EXPECT_EQ(Bytes(r.begin() + 2, r.begin() + 6), hex("5413FFFF"));
  for (std::size_t i = 15 + 128; i < 15 + 140; ++i) EXPECT_EQ(r[i], 0xBB);
}

TEST_F(RsaSign, SignedStaticApplicationDataFormat03) {
  const Bytes static_data = hex("5A0854133300890104345F2403301231");
  const std::array<Byte, 2> dac{0xDA, 0xC1};
  auto ssad = sign_static_application_data(*issuer_, dac, static_data);
  ASSERT_TRUE(ssad);
  const Bytes r = recover(issuer_->public_key(), *ssad);
  expect_valid_record(r, 0x03, static_data);
  EXPECT_EQ(r[2], 0x01);
  EXPECT_EQ(r[3], 0xDA);
  EXPECT_EQ(r[4], 0xC1);
  EXPECT_EQ(r[5], 0xBB);
}

TEST_F(RsaSign, SignedDynamicDataForDdaAndCda) {
  auto dd = dda_icc_dynamic_data(hex("0102030405060708"));
  ASSERT_TRUE(dd);
  EXPECT_EQ(*dd, hex("080102030405060708"));
  const Bytes ddol_data = hex("CAFEBABE");
  auto sdad = sign_dynamic_application_data(*icc_, *dd, ddol_data);
  ASSERT_TRUE(sdad);
  const Bytes r = recover(icc_->public_key(), *sdad);
  expect_valid_record(r, 0x05, ddol_data);
  EXPECT_EQ(r[3], dd->size());
  EXPECT_EQ(Bytes(r.begin() + 4, r.begin() + 4 + 9), *dd);

  Sha1Digest tdhc{};
  tdhc.fill(0x11);
  const std::array<Byte, 8> ac{1, 2, 3, 4, 5, 6, 7, 8};
  auto cda = cda_icc_dynamic_data(hex("A1A2A3A4"), 0x80, ac, tdhc);
  ASSERT_TRUE(cda);
  EXPECT_EQ(cda->size(), 1u + 4 + 1 + 8 + 20);
  EXPECT_EQ((*cda)[5], 0x80);
  EXPECT_TRUE(sign_dynamic_application_data(*icc_, *cda, hex("11223344")));
}

TEST_F(RsaSign, ArgumentsChecked) {
  EXPECT_EQ(dda_icc_dynamic_data(hex("01")).error().code, Errc::invalid_argument);
  EXPECT_EQ(sign_issuer_certificate(*ca_, issuer_->public_key(), {"47", {}, {}}).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(sign_icc_certificate(*issuer_, icc_->public_key(), {"4761", {}, {}}, {}).error().code,
            Errc::invalid_argument);
  // An ICC key signed by a shorter key cannot fit.
  EXPECT_EQ(sign_icc_certificate(*icc_, issuer_->public_key(), {"4761739001010010", {}, {}}, {}).error().code,
            Errc::invalid_argument);
  const Bytes too_long(128 - 24, 0x00);
  EXPECT_EQ(sign_dynamic_application_data(*icc_, too_long, {}).error().code, Errc::invalid_argument);
  EXPECT_EQ(rsa_private(*icc_, hex("00")).error().code, Errc::invalid_argument);
  const Bytes above(icc_->modulus.size(), 0xFF);
  EXPECT_EQ(rsa_private(*icc_, above).error().code, Errc::invalid_argument);
}

TEST_F(RsaSign, CapkChecksumIsSha1OfRidIndexModulusExponent) {
  const Bytes rid = hex("A000000003");
  const auto sum = capk_checksum(rid, 0xE1, ca_->modulus, ca_->exponent);
  EXPECT_EQ(Bytes(sum.begin(), sum.end()), sha1_reference(concat({rid, hex("E1"), ca_->modulus, ca_->exponent})));
}

}  // namespace
}  // namespace tender::emv
