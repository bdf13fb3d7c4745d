#include "drivers/pinpad/soft_ped.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/rsa.h>

#include "drivers/pinpad/pin_block.hpp"

namespace tender::pinpad {
namespace {

using tender::test::hex;

// X9.24-1:2009 A.4: BDK 0123456789ABCDEFFEDCBA9876543210, KSN FFFF9876543210E00000.
tdes::Originator a4_originator() {
  auto ipek = tdes::derive_ipek(hex("0123456789ABCDEFFEDCBA9876543210"), hex("FFFF9876543210E00000"));
  tdes::Ksn ksn{};
  const Bytes k = hex("FFFF9876543210E00000");
  std::copy(k.begin(), k.end(), ksn.begin());
  return std::move(tdes::Originator::load_initial_key(*ipek, ksn).value());
}

PinSource typed(std::string pin) {
  return [pin](std::string_view) -> Result<std::optional<SecretString>> { return SecretString{pin}; };
}

TEST(SoftPed, OnlinePinIsTheX924KnownAnswerAndStateIsSavedFirst) {
  MemoryKeyStore store;
  SoftPed ped{typed("1234"), a4_originator(), &store};
  auto first = ped.enter_online_pin("4012345678909", "ENTER PIN");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->bypassed);
  EXPECT_EQ(to_hex(first->ksn), "FFFF9876543210E00001");
  EXPECT_EQ(to_hex(first->pin_block), "1B9C1845EB993A7A");
  // The saved state is the one after this transaction: restoring it continues at E00002.
  auto image = store.load("ped-dukpt");
  ASSERT_TRUE(image);
  auto state = deserialize_tdes_state(image->reveal());
  ASSERT_TRUE(state);
  auto resumed = tdes::Originator::restore(*state);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(to_hex(resumed->next_transaction()->ksn), "FFFF9876543210E00002");

  auto second = ped.enter_online_pin("4012345678909", "ENTER PIN");
  ASSERT_TRUE(second);
  EXPECT_EQ(to_hex(second->pin_block), "10A01C8D02C69107");
}

TEST(SoftPed, AesOnlinePinDeciphersUnderTheReceiverKey) {
  const Bytes bdk = hex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
  auto ik = aes::derive_initial_key(bdk, hex("1234567890123456"));
  auto originator = aes::Originator::load_initial_key(ik->reveal(), hex("1234567890123456"));
  ASSERT_TRUE(originator);
  SoftPed ped{typed("987654"), std::move(*originator)};
  auto pin = ped.enter_online_pin("5413330089010434", "ENTER PIN");
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->format, OnlinePinFormat::iso4_aes_dukpt);
  aes::Ksn ksn{};
  std::copy(pin->ksn.begin(), pin->ksn.end(), ksn.begin());
  EXPECT_EQ(to_hex(ksn), "123456789012345600000001");
  auto key = aes::derive_pin_key(bdk, ksn);
  ASSERT_TRUE(key);
  auto clear = format4_decipher(key->reveal(), pin->pin_block, "5413330089010434");
  ASSERT_TRUE(clear);
  EXPECT_EQ(clear->reveal(), "987654");
}

TEST(SoftPed, BypassAndCancelPassThrough) {
  SoftPed bypass{[](std::string_view) -> Result<std::optional<SecretString>> { return std::nullopt; },
                 a4_originator()};
  auto r = bypass.enter_online_pin("4012345678909", "ENTER PIN");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->bypassed);
  EXPECT_TRUE(r->pin_block.empty());

  SoftPed cancel{[](std::string_view) -> Result<std::optional<SecretString>> {
                   return make_error(Errc::cancelled, "cardholder cancelled");
                 },
                 a4_originator()};
  EXPECT_EQ(cancel.enter_online_pin("4012345678909", "ENTER PIN").error().code, Errc::cancelled);
  EXPECT_EQ(cancel.enter_offline_plaintext_pin("ENTER PIN").error().code, Errc::cancelled);
}

TEST(SoftPed, BadPinSpendsNoKsn) {
  MemoryKeyStore store;
  SoftPed ped{typed("12"), a4_originator(), &store};
  EXPECT_EQ(ped.enter_online_pin("4012345678909", "ENTER PIN").error().code, Errc::invalid_argument);
  EXPECT_EQ(store.load("ped-dukpt").error().code, Errc::not_found);
}

TEST(SoftPed, OfflinePlaintextPinIsFormat2) {
  SoftPed ped{typed("1234"), a4_originator()};
  auto r = ped.enter_offline_plaintext_pin("ENTER PIN");
  ASSERT_TRUE(r);
  EXPECT_EQ(to_hex(r->verify_data.reveal()), "241234FFFFFFFFFF");
  auto back = format2_decode(r->verify_data.reveal());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->reveal(), "1234");
  EXPECT_FALSE(format2_decode(hex("141234FFFFFFFFFF")));  // control must be 2
  EXPECT_FALSE(format2_decode(hex("2412340FFFFFFFFF")));  // fill must be F
}

// EMV Book 2 7.1: the card deciphers with its private key and finds
// 7F | format 2 block | its unpredictable number | padding.
TEST(SoftPed, OfflineEncipheredPinOpensUnderTheIccPrivateKey) {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_rsa_context rsa;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  ASSERT_EQ(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0), 0);
  ASSERT_EQ(mbedtls_rsa_gen_key(&rsa, mbedtls_ctr_drbg_random, &drbg, 1024, 3), 0);
  RsaPublicKey key{Bytes(128), Bytes(1)};
  ASSERT_EQ(mbedtls_rsa_export_raw(&rsa, key.modulus.data(), 128, nullptr, 0, nullptr, 0, nullptr, 0,
                                   key.exponent.data(), 1), 0);

  SoftPed ped{typed("4321"), a4_originator()};
  const Bytes un = hex("0102030405060708");
  auto r = ped.enter_offline_enciphered_pin(key, un, "ENTER PIN");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->verify_data.size(), 128U);
  Bytes plain(128);
  ASSERT_EQ(mbedtls_rsa_private(&rsa, mbedtls_ctr_drbg_random, &drbg, r->verify_data.reveal().data(),
                                plain.data()), 0);
  EXPECT_EQ(plain[0], 0x7F);
  EXPECT_EQ(to_hex(ByteView{plain}.subspan(1, 8)), "244321FFFFFFFFFF");
  EXPECT_EQ(to_hex(ByteView{plain}.subspan(9, 8)), "0102030405060708");

  EXPECT_EQ(ped.enter_offline_enciphered_pin(key, hex("0102"), "x").error().code, Errc::invalid_argument);
  mbedtls_rsa_free(&rsa);
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
}

TEST(SoftPed, AbsentPinPadIsNotAvailable) {
  AbsentPinPad none;
  EXPECT_FALSE(none.available());
  EXPECT_EQ(none.enter_online_pin("4012345678909", "x").error().code, Errc::unsupported);
}

}  // namespace
}  // namespace tender::pinpad
