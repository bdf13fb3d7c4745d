// Offline data authentication (Book 2 sections 5, 6, 7.1; Book 3 10.3) against records
// signed in the test with keys generated in the test (kernel_test_support.hpp).
#include "emv/oda.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::cat;
using kt::hex;
using kt::keys;

const Date kToday{2025, 3, 15};
const Bytes kPan = hex("4761739001010010");

TEST(OdaRecovery, IssuerPublicKeyWithRemainder) {
  const kt::SignedKey cert = kt::certify(keys().ca, keys().issuer, 0x02, hex("476173FF"), hex("1230"));
  ASSERT_FALSE(cert.remainder.empty());
  auto key = recover_issuer_public_key(kt::test_capk(), cert.certificate, cert.remainder,
                                       keys().issuer.exponent, kPan, kToday);
  ASSERT_TRUE(key.has_value()) << key.error().describe();
  EXPECT_EQ(key->modulus, keys().issuer.modulus);
  EXPECT_EQ(key->exponent, keys().issuer.exponent);
}

TEST(OdaRecovery, IssuerPublicKeyChecks) {
  const Capk capk = kt::test_capk();
  const kt::SignedKey cert = kt::certify(keys().ca, keys().issuer, 0x02, hex("476173FF"), hex("1230"));
  const auto recover = [&](ByteView c, ByteView rem, ByteView pan, Date today) {
    return recover_issuer_public_key(capk, c, rem, keys().issuer.exponent, pan, today);
  };
  // Remainder missing is missing ICC data; a wrong one breaks the hash.
  EXPECT_EQ(recover(cert.certificate, {}, kPan, kToday).error().code, Errc::not_found);
  Bytes remainder = cert.remainder;
  remainder[0] ^= 1;
  EXPECT_FALSE(recover(cert.certificate, remainder, kPan, kToday).has_value());
  // Another BIN.
  EXPECT_FALSE(recover(cert.certificate, cert.remainder, hex("5413330089020011"), kToday).has_value());
  // Expired on 31 Dec 2030.
  EXPECT_TRUE(recover(cert.certificate, cert.remainder, kPan, Date{2030, 12, 31}).has_value());
  EXPECT_FALSE(recover(cert.certificate, cert.remainder, kPan, Date{2031, 1, 1}).has_value());
  // Length and content.
  EXPECT_FALSE(recover(ByteView{cert.certificate}.first(127), cert.remainder, kPan, kToday).has_value());
  Bytes tampered = cert.certificate;
  tampered[40] ^= 0x80;
  EXPECT_FALSE(recover(tampered, cert.remainder, kPan, kToday).has_value());
  // An ICC-format (04) record under the CA key is not an issuer certificate.
  const kt::SignedKey wrong_format =
      kt::certify(keys().ca, keys().issuer, 0x04, hex("476173FF"), hex("1230"));
  EXPECT_FALSE(recover(wrong_format.certificate, wrong_format.remainder, kPan, kToday).has_value());
  EXPECT_FALSE(recover(Bytes(128, 0x00), {}, kPan, kToday).has_value());
  EXPECT_FALSE(recover(Bytes(128, 0xFF), {}, kPan, kToday).has_value());
}

TEST(OdaRecovery, IssuerIdentifierPadding) {
  // Identifier "4761" padded with F: still matches the PAN.
  const kt::SignedKey cert = kt::certify(keys().ca, keys().issuer, 0x02, hex("4761FFFF"), hex("1230"));
  EXPECT_TRUE(recover_issuer_public_key(kt::test_capk(), cert.certificate, cert.remainder,
                                        keys().issuer.exponent, kPan, kToday)
                  .has_value());
  // Fewer than 3 digits, or a digit after the padding, is not an issuer identifier.
  for (const char* id : {"47FFFFFF", "47F1FFFF", "4A61FFFF"}) {
    const kt::SignedKey bad = kt::certify(keys().ca, keys().issuer, 0x02, hex(id), hex("1230"));
    EXPECT_FALSE(recover_issuer_public_key(kt::test_capk(), bad.certificate, bad.remainder,
                                           keys().issuer.exponent, kPan, kToday)
                     .has_value())
        << id;
  }
}

TEST(OdaRecovery, IccPublicKeyCoversStaticData) {
  const Bytes static_data = hex("5A084761739001010010 5F2403301231");
  const kt::SignedKey cert = kt::certify(keys().issuer, keys().icc, 0x04, hex("4761739001010010FFFF"),
                                         hex("1230"), static_data);
  const RsaPublicKey issuer = keys().issuer.public_key();
  auto key = recover_icc_public_key(issuer, cert.certificate, cert.remainder, keys().icc.exponent, kPan,
                                    static_data, kToday);
  ASSERT_TRUE(key.has_value()) << key.error().describe();
  EXPECT_EQ(key->modulus, keys().icc.modulus);
  EXPECT_EQ(to_hex(key->exponent), "010001");
  // Other static data, another PAN, another exponent.
  EXPECT_FALSE(recover_icc_public_key(issuer, cert.certificate, cert.remainder, keys().icc.exponent,
                                      kPan, hex("00"), kToday)
                   .has_value());
  EXPECT_FALSE(recover_icc_public_key(issuer, cert.certificate, cert.remainder, keys().icc.exponent,
                                      hex("4761739001010011"), static_data, kToday)
                   .has_value());
  EXPECT_FALSE(recover_icc_public_key(issuer, cert.certificate, cert.remainder, hex("03"), kPan,
                                      static_data, kToday)
                   .has_value());
}

TEST(OdaRecovery, SignedStaticApplicationData) {
  const RsaPublicKey issuer = keys().issuer.public_key();
  const Bytes static_data = hex("5A084761739001010010 8202 5C00");
  const Bytes ssad = kt::sign_static_data(keys().issuer, hex("DAC1"), static_data);
  auto dac = verify_signed_static_application_data(issuer, ssad, static_data);
  ASSERT_TRUE(dac.has_value());
  EXPECT_EQ(to_hex(*dac), "DAC1");
  EXPECT_FALSE(verify_signed_static_application_data(issuer, ssad, hex("5A084761739001010011 8202 5C00"))
                   .has_value());
  EXPECT_FALSE(verify_signed_static_application_data(issuer, Bytes(ssad.size(), 0x11), static_data)
                   .has_value());
  EXPECT_FALSE(verify_signed_static_application_data(issuer, {}, static_data).has_value());
}

TEST(OdaRecovery, SignedDynamicApplicationData) {
  const RsaPublicKey icc = keys().icc.public_key();
  const Bytes sdad = kt::sign_dynamic_data(keys().icc, hex("08 0102030405060708"), hex("11223344"));
  auto number = verify_signed_dynamic_application_data(icc, sdad, hex("11223344"));
  ASSERT_TRUE(number.has_value());
  EXPECT_EQ(to_hex(*number), "0102030405060708");
  EXPECT_FALSE(verify_signed_dynamic_application_data(icc, sdad, hex("11223345")).has_value());
  // ICC dynamic number length outside 2..8, or longer than the data.
  for (const char* data : {"01 01", "09 010203040506070809", "08 0102"}) {
    const Bytes bad = kt::sign_dynamic_data(keys().icc, hex(data), hex("11223344"));
    EXPECT_FALSE(verify_signed_dynamic_application_data(icc, bad, hex("11223344")).has_value()) << data;
  }
}

TEST(OdaRecovery, CdaSignature) {
  const RsaPublicKey icc = keys().icc.public_key();
  const Bytes transaction_data = hex("000000001000 0840 11223344 9F270180");
  const Bytes ac = hex("1122334455667788");
  const Bytes dynamic = cat({hex("08 0102030405060708 80"), ac, sha1({transaction_data})});
  const Bytes sdad = kt::sign_dynamic_data(keys().icc, dynamic, hex("11223344"));
  auto result = verify_cda_signature(icc, sdad, hex("11223344"), 0x80, transaction_data);
  ASSERT_TRUE(result.has_value()) << result.error().describe();
  EXPECT_EQ(to_hex(result->application_cryptogram), "1122334455667788");
  EXPECT_EQ(to_hex(result->icc_dynamic_number), "0102030405060708");
  EXPECT_FALSE(verify_cda_signature(icc, sdad, hex("11223344"), 0x40, transaction_data).has_value());
  EXPECT_FALSE(verify_cda_signature(icc, sdad, hex("11223344"), 0x80, hex("00")).has_value());
  EXPECT_FALSE(verify_cda_signature(icc, sdad, hex("11223345"), 0x80, transaction_data).has_value());
  const Bytes short_dynamic = kt::sign_dynamic_data(keys().icc, hex("08 0102030405060708 80"), hex("11223344"));
  EXPECT_FALSE(verify_cda_signature(icc, short_dynamic, hex("11223344"), 0x80, transaction_data).has_value());
}

TEST(OdaRecovery, GarbageNeverCrashes) {
  const RsaPublicKey icc = keys().icc.public_key();
  kt::FixedRandom random(hex("5A3C96E1F00F"));
  for (std::size_t length : {0u, 1u, 25u, 95u, 96u, 97u, 300u}) {
    Bytes garbage(length);
    random.fill(garbage);
    EXPECT_FALSE(verify_signed_dynamic_application_data(icc, garbage, {}).has_value());
    EXPECT_FALSE(verify_cda_signature(icc, garbage, {}, 0, {}).has_value());
    EXPECT_FALSE(recover_issuer_public_key(kt::test_capk(), garbage, garbage, hex("03"), kPan, kToday).has_value());
    EXPECT_FALSE(recover_icc_public_key(icc, garbage, {}, hex("03"), {}, {}, kToday).has_value());
  }
  EXPECT_FALSE(verify_signed_dynamic_application_data(RsaPublicKey{}, Bytes(1), {}).has_value());
  EXPECT_FALSE(verify_signed_dynamic_application_data(RsaPublicKey{hex("0100"), hex("03")}, hex("0000"), {}).has_value());
}

// ---- Book 3 10.3 on the context ----------------------------------------------------

struct OdaStep : ::testing::Test {
  kt::Rig rig;
  kt::CardProfile profile;

  Context& run(OdaMethod method) {
    profile.oda = method;
    Context& ctx = rig.read(profile);
    EXPECT_TRUE(offline_data_authentication(ctx, rig.ttl).has_value());
    return ctx;
  }
};

TEST_F(OdaStep, NoMethodInCommon) {
  Context& ctx = run(OdaMethod::none);
  EXPECT_EQ(ctx.oda, OdaMethod::none);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "8000000000");
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "0000");
}

TEST_F(OdaStep, TerminalWithoutOdaCapability) {
  rig.config.capabilities[2] = 0x00;
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(ctx.oda, OdaMethod::none);
  EXPECT_TRUE(ctx.tvr.test(TvrBit::offline_data_authentication_not_performed));
}

TEST_F(OdaStep, SdaPasses) {
  Context& ctx = run(OdaMethod::sda);
  EXPECT_EQ(ctx.oda, OdaMethod::sda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0200000000");  // SDA selected
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "8000");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F45)), "DAC1");
}

TEST_F(OdaStep, SdaFailsOnTamperedSignature) {
  profile.oda = OdaMethod::sda;
  // 93 signed over other static data.
  profile.extra[0x93] = kt::sign_static_data(keys().issuer, hex("DAC1"), hex("00"));
  Context& ctx = rig.read(profile);
  ASSERT_TRUE(offline_data_authentication(ctx, rig.ttl).has_value());
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "4200000000");  // SDA failed, SDA selected
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "8000");
  EXPECT_FALSE(ctx.icc.contains(0x9F45));
}

TEST_F(OdaStep, SdaWithMissingSignatureIsIccDataMissing) {
  profile.extra[0x93] = {};
  Context& ctx = run(OdaMethod::sda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "6200000000");
}

TEST_F(OdaStep, UnknownCaKeyFailsWithoutIccDataMissing) {
  rig.config.capks.clear();
  Context& ctx = run(OdaMethod::sda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "4200000000");
}

TEST_F(OdaStep, SdaTagListOtherThanAipFails) {
  profile.extra[0x9F4A] = hex("9F02");
  Context& ctx = run(OdaMethod::sda);
  EXPECT_TRUE(ctx.tvr.test(TvrBit::sda_failed));
}

TEST_F(OdaStep, DdaPassesAndSendsTheDdolData) {
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(ctx.oda, OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "8000");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F4C)), "0102030405060708");
  EXPECT_EQ(rig.card.count(hex("0088000004 11223344")), 1u);
}

TEST_F(OdaStep, DdaUsesTheDefaultDdol) {
  profile.extra[0x9F49] = {};
  rig.config.aids[0].default_ddol = hex("9F3704 9F0206");
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_EQ(rig.card.count(hex("008800000A 11223344 000000001000")), 1u);
}

TEST_F(OdaStep, DdaFailures) {
  // INTERNAL AUTHENTICATE refused.
  rig.card.on(hex("0088"), hex("6985"));
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0800000000");
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "8000");
}

TEST_F(OdaStep, DdaWithoutUnpredictableNumberInDdol) {
  profile.extra[0x9F49] = hex("9F0206");
  Context& ctx = run(OdaMethod::dda);
  EXPECT_TRUE(ctx.tvr.test(TvrBit::dda_failed));
  EXPECT_EQ(rig.card.count(hex("0088")), 0u);
}

TEST_F(OdaStep, DdaWithoutAnyDdolIsIccDataMissing) {
  profile.extra[0x9F49] = {};
  rig.config.aids[0].default_ddol = {};
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "2800000000");
}

TEST_F(OdaStep, DdaWithMissingCertificate) {
  profile.extra[0x9F46] = {};
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "2800000000");
}

TEST_F(OdaStep, DdaExpiredIccCertificate) {
  profile.certificate_expiry = hex("0225");  // February 2025, before the transaction
  Context& ctx = run(OdaMethod::dda);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0800000000");
}

TEST_F(OdaStep, CdaRetrievesTheKeyBeforeGenerateAc) {
  Context& ctx = run(OdaMethod::cda);
  EXPECT_EQ(ctx.oda, OdaMethod::cda);
  EXPECT_TRUE(ctx.cda_key_ready);
  EXPECT_TRUE(ctx.icc_public_key.has_value());
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0000000000");
  EXPECT_EQ(to_hex(ctx.tsi.bytes()), "8000");
  EXPECT_EQ(rig.card.count(hex("0088")), 0u);  // no INTERNAL AUTHENTICATE under CDA
}

TEST_F(OdaStep, CdaKeyRetrievalFails) {
  profile.extra[0x9F47] = hex("03");  // not the certified exponent
  Context& ctx = run(OdaMethod::cda);
  EXPECT_FALSE(ctx.cda_key_ready);
  EXPECT_EQ(to_hex(ctx.tvr.bytes()), "0400000000");
}

TEST_F(OdaStep, OdaRecordOutsideSfi1To10MustBeATemplate) {
  profile.oda = OdaMethod::sda;
  kt::load(rig.card, profile);
  rig.card.gpo_response = hex("80 0A 5C00 08010201 58010101");  // SFI 11 record 1 for ODA
  rig.card.records[{11, 1}] = hex("9F6E 04 20700000");         // not '70'
  Context& ctx = rig.read_loaded();
  EXPECT_TRUE(ctx.static_data_invalid);
  ASSERT_TRUE(offline_data_authentication(ctx, rig.ttl).has_value());
  EXPECT_TRUE(ctx.tvr.test(TvrBit::sda_failed));
}

TEST_F(OdaStep, PinEnciphermentKeyFromItsOwnCertificate) {
  profile.oda = OdaMethod::dda;
  const kt::SignedKey pin_cert = kt::certify(keys().issuer, keys().icc_pin, 0x04,
                                             hex("4761739001010010FFFF"), hex("1230"));
  profile.extra[0x9F2D] = pin_cert.certificate;
  profile.extra[0x9F2E] = keys().icc_pin.exponent;
  profile.extra[0x9F2F] = pin_cert.remainder;
  Context& ctx = rig.read(profile);
  auto key = retrieve_icc_pin_encipherment_key(ctx);
  ASSERT_TRUE(key.has_value()) << key.error().describe();
  EXPECT_EQ(key->modulus, keys().icc_pin.modulus);
}

TEST_F(OdaStep, PinEnciphermentKeyFallsBackToTheIccKey) {
  profile.oda = OdaMethod::dda;
  Context& ctx = rig.read(profile);
  auto key = retrieve_icc_pin_encipherment_key(ctx);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->modulus, keys().icc.modulus);
}

}  // namespace
}  // namespace tender::emv
