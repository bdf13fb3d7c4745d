// Known answers: the public examples of the pyemv project (knovichikhin/pyemv, its
// package documentation and tests/test_ac_hsm.py), which many HSM vendors' EMV examples
// share: issuer master key 0123456789ABCDEFFEDCBA9876543210 and the CVN 18 example.
#include "emv/sim/cryptogram.hpp"

#include <gtest/gtest.h>

#include <map>

#include "common/crypto/block_cipher.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

DesKey key(std::string_view text) { return DesKey{hex(text)}; }

// DES ignores bit 1 of each key byte; the reference values are parity-adjusted.
Bytes without_parity(ByteView bytes) {
  Bytes out(bytes.begin(), bytes.end());
  for (Byte& b : out) b &= 0xFE;
  return out;
}

// Key check value: the first two bytes of TDES(key)[00..00].
Bytes kcv(const DesKey& k) {
  const std::array<Byte, 8> zero{};
  std::array<Byte, 8> out{};
  crypto::tdes_ecb(crypto::CipherDirection::encrypt, std::span<const Byte, 16>{k.reveal().data(), 16}, zero,
                   out);
  return {out.begin(), out.begin() + 2};
}

std::array<Byte, 8> block8(std::string_view text) {
  const Bytes b = hex(text);
  std::array<Byte, 8> out{};
  std::copy_n(b.begin(), std::min<std::size_t>(8, b.size()), out.begin());
  return out;
}

TEST(Cryptogram, OptionAMasterKeyKnownAnswer17DigitPan) {
  auto mk = derive_icc_master_key(key("0123456789ABCDEFFEDCBA9876543210"), "99012345678901234", 0x45);
  ASSERT_TRUE(mk) << mk.error().describe();
  EXPECT_EQ(without_parity(mk->reveal()), without_parity(hex("67F8292358083E5EA7AB7FDA58D53B6B")));
}

TEST(Cryptogram, CommonSessionKeyMacAndArpcKnownAnswers) {
  auto mk = derive_icc_master_key(key("0123456789ABCDEFFEDCBA9876543210"), "99012345678901234", 0x45);
  ASSERT_TRUE(mk);
  const auto r = block8("1234567890123456");
  const DesKey sk = derive_common_session_key(*mk, r);
  EXPECT_EQ(without_parity(sk.reveal()), without_parity(hex("29B33180E567CE38EA4CBC9D753B0E61")));
  const auto ac = generate_ac(sk, hex("0123456789ABCDEF0123456789ABCDEF"));
  EXPECT_EQ(Bytes(ac.begin(), ac.end()), hex("FA624250B008B59A"));
  const std::array<Byte, 2> arc{0x00, 0x00};
  const auto arpc = arpc_method1(sk, ac, arc);
  EXPECT_EQ(Bytes(arpc.begin(), arpc.end()), hex("45D4255EEF10C920"));
}

TEST(Cryptogram, KeyCheckValuesKnownAnswers16DigitPan) {
  const DesKey imk = key("0123456789ABCDEFFEDCBA9876543210");
  EXPECT_EQ(kcv(imk), hex("08D7"));
  auto mk = derive_icc_master_key(imk, "9901234567890123", 0x45);
  ASSERT_TRUE(mk);
  EXPECT_EQ(kcv(*mk), hex("1DA5"));
  const DesKey sk = derive_common_session_key(*mk, block8("1234567890123456"));
  EXPECT_EQ(kcv(sk), hex("0995"));
  const auto ac = generate_ac(sk, hex("0123456789ABCDEF0123456789ABCDEF"));
  EXPECT_EQ(Bytes(ac.begin(), ac.end()), hex("4B46013359B7A58B"));
  // The example computes this ARPC under the ICC master key: any double-length key works.
  const std::array<Byte, 2> arc{0x00, 0x00};
  const auto arpc = arpc_method1(*mk, ac, arc);
  EXPECT_EQ(Bytes(arpc.begin(), arpc.end()), hex("F8C9CECAABD55AD1"));
}

TEST(Cryptogram, MacAlgorithm3KnownAnswer) {
  const auto mac = mac_alg3(key("0123456789ABCDEFFEDCBA9876543210"), hex("8424000008"));
  EXPECT_EQ(Bytes(mac.begin(), mac.end()), hex("0BFFF5DF3FAA24E1"));
}

// The CVN 18 example chains master key (Option B equals Option A for a 16-digit PAN),
// ATC session key and the cryptogram; its AC input ends with the whole IAD.
TEST(Cryptogram, AtcSessionKeyChainKnownAnswer) {
  auto mk = derive_icc_master_key(key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "1234567890123456", 0x00);
  ASSERT_TRUE(mk);
  const DesKey sk = derive_session_key(*mk, 0x0FFF);
  const Bytes input = hex("000000009999 000000000000 0840 8000048000 0840 991231 01 52BF4585 1800 0FFF"
                          "06011203A0B800");
  const auto ac = generate_ac(sk, input);
  EXPECT_EQ(Bytes(ac.begin(), ac.end()), hex("769577B5ABE9FE62"));
}

TEST(Cryptogram, MasterKeyArgumentsChecked) {
  const DesKey imk = key("0123456789ABCDEFFEDCBA9876543210");
  EXPECT_EQ(derive_icc_master_key(imk, "12345", 0x00).error().code, Errc::invalid_argument);
  EXPECT_EQ(derive_icc_master_key(imk, "47617390010100X0", 0x00).error().code, Errc::invalid_argument);
  EXPECT_EQ(derive_icc_master_key(imk, "4761739001010010", 0x1A).error().code, Errc::invalid_argument);
  // A short PAN is left-padded with zeros: 12 digits + PSN = 14 digits.
  EXPECT_TRUE(derive_icc_master_key(imk, "476173900101", 0x01));
}

// Online tags of a transaction as the kernel would send them to the host.
struct OnlineTags {
  std::map<Tag, Bytes> values{
      {0x9F02, hex("000000001000")}, {0x9F03, hex("000000000000")}, {0x9F1A, hex("0840")},
      {0x95, hex("0000008000")},     {0x5F2A, hex("0840")},         {0x9A, hex("261121")},
      {0x9C, hex("00")},             {0x9F37, hex("11223344")},     {0x82, hex("3900")},
      {0x9F36, hex("0012")},         {0x9F10, hex("0F0101A000000000000000000000000000")}};

  [[nodiscard]] TagLookup lookup() const {
    return [this](Tag t) -> std::optional<ByteView> {
      auto it = values.find(t);
      if (it == values.end()) return std::nullopt;
      return ByteView{it->second};
    };
  }
};

TEST(Cryptogram, AcInputOrderAndCvr) {
  OnlineTags tags;
  auto input = ac_input(tags.lookup());
  ASSERT_TRUE(input) << input.error().describe();
  EXPECT_EQ(*input, hex("000000001000 000000000000 0840 0000008000 0840 261121 00 11223344 3900 0012"
                        "A000000000"));
}

TEST(Cryptogram, AcInputErrorsNameTheTag) {
  OnlineTags tags;
  tags.values.erase(0x9F37);
  auto missing = ac_input(tags.lookup());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_NE(missing.error().message.find("9F37"), std::string::npos);

  OnlineTags wrong;
  wrong.values[0x9F02] = hex("1000");
  auto bad = ac_input(wrong.lookup());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::malformed);
  EXPECT_NE(bad.error().message.find("9F02"), std::string::npos);

  OnlineTags short_iad;
  short_iad.values[0x9F10] = hex("0F0101A0");
  EXPECT_EQ(ac_input(short_iad.lookup()).error().code, Errc::malformed);
}

TEST(Cryptogram, IssuerVerifiesCardCryptogramAndDetectsTampering) {
  const IssuerKeys keys{key("0123456789ABCDEFFEDCBA9876543210")};
  const std::string_view pan = "4761739001010010";
  OnlineTags tags;
  // The card side: MK from the IMK at personalisation, SK from the ATC.
  auto mk = derive_icc_master_key(keys.imk_ac, pan, 0x01);
  ASSERT_TRUE(mk);
  auto input = ac_input(tags.lookup());
  ASSERT_TRUE(input);
  const auto arqc = generate_ac(derive_session_key(*mk, 0x0012), *input);
  tags.values[0x9F26] = Bytes(arqc.begin(), arqc.end());

  auto verified = verify_arqc(keys, pan, 0x01, tags.lookup());
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(*verified);
  EXPECT_FALSE(*verify_arqc(keys, pan, 0x02, tags.lookup()));  // wrong PSN: other card key

  OnlineTags tampered = tags;
  tampered.values[0x9F02] = hex("000000009999");
  EXPECT_FALSE(*verify_arqc(keys, pan, 0x01, tampered.lookup()));

  tags.values.erase(0x9F26);
  EXPECT_EQ(verify_arqc(keys, pan, 0x01, tags.lookup()).error().code, Errc::not_found);
}

TEST(Cryptogram, IssuerAuthenticationDataIsArpcThenArc) {
  const IssuerKeys keys{key("0123456789ABCDEFFEDCBA9876543210")};
  OnlineTags tags;
  tags.values[0x9F26] = hex("1122334455667788");
  const std::array<Byte, 2> arc{'0', '0'};
  auto data = issuer_authentication_data(keys, "4761739001010010", 0x01, tags.lookup(), arc);
  ASSERT_TRUE(data);
  ASSERT_EQ(data->size(), 10u);
  auto mk = derive_icc_master_key(keys.imk_ac, "4761739001010010", 0x01);
  const auto arpc = arpc_method1(derive_session_key(*mk, 0x0012), block8("1122334455667788"), arc);
  EXPECT_EQ(Bytes(data->begin(), data->begin() + 8), Bytes(arpc.begin(), arpc.end()));
  EXPECT_EQ((*data)[8], '0');
  EXPECT_EQ((*data)[9], '0');
}

TEST(Cryptogram, SecureScriptCommandAppendsMacAndFixesLc) {
  const IssuerKeys keys{key("0123456789ABCDEFFEDCBA9876543210")};
  OnlineTags tags;
  tags.values[0x9F26] = hex("1122334455667788");
  auto cmd = secure_script_command(keys, "4761739001010010", 0x01, tags.lookup(), hex("841E0000"));
  ASSERT_TRUE(cmd) << cmd.error().describe();
  ASSERT_EQ(cmd->size(), 5u + kScriptMacLength);
  EXPECT_EQ((*cmd)[4], kScriptMacLength);
  auto mk = derive_icc_master_key(keys.imk_ac, "4761739001010010", 0x01);
  const auto ac = block8("1122334455667788");
  const std::array<Byte, 5> header{0x84, 0x1E, 0x00, 0x00, 0x08};
  const auto mac = script_command_mac(derive_secure_messaging_key(*mk, ac), header, 0x0012, ac, {});
  EXPECT_EQ(Bytes(cmd->begin() + 5, cmd->end()), Bytes(mac.begin(), mac.end()));

  auto with_data = secure_script_command(keys, "4761739001010010", 0x01, tags.lookup(), hex("04DA9F580103"));
  ASSERT_TRUE(with_data);
  EXPECT_EQ((*with_data)[4], 1 + kScriptMacLength);
  EXPECT_EQ((*with_data)[5], 0x03);
  EXPECT_EQ(secure_script_command(keys, "4761739001010010", 0x01, tags.lookup(), hex("04DA9F580203")).error().code,
            Errc::invalid_argument);
}

}  // namespace
}  // namespace tender::emv
