// VirtualCard: GENERATE AC with the issuer on the other side (emv/cryptogram), ARPC
// by EXTERNAL AUTHENTICATE and by CDOL2, DDA and CDA signatures checked independently,
// and issuer script commands.
#include <gtest/gtest.h>

#include "drivers/icc/sim/virtual_card.hpp"
#include "emv/sim/cryptogram.hpp"
#include "tests/drivers/icc/sim_terminal.hpp"
#include "tests/rsa_check.hpp"

namespace tender::icc::sim {
namespace {

using test::builtin_card;
using test::command;
using test::hex;
using test::objects;
using test::send;

constexpr Byte kAac = 0x00, kTc = 0x40, kArqc = 0x80, kCda = 0x10;

struct Transaction {
  VirtualCard card;
  test::TerminalValues terminal;
  std::string aid;
  Bytes cdol1, cdol2;
  std::map<emv::Tag, Bytes> records;
  Bytes pdol_data;

  Transaction(std::string_view profile, std::string_view aid_hex) : card(builtin_card(profile)), aid(aid_hex) {
    const auto gpo = test::select_and_gpo(card, aid);
    records = test::read_records(card, gpo.afl).data;
    cdol1 = records.at(0x8C);
    cdol2 = records.at(0x8D);
  }

  ResponseApdu gen_ac(Byte p1, bool second = false) {
    return send(card, command(0x80, 0xAE, p1, 0x00, terminal.dol_data(second ? cdol2 : cdol1)));
  }

  // The response's objects, format 1 unpacked into the format 2 tags.
  static std::map<emv::Tag, Bytes> fields(const ResponseApdu& r) {
    if (r.data.empty() || r.data[0] != 0x80) return objects(r.data);
    auto nodes = emv::decode(r.data);
    const ByteView v = (*nodes)[0].value;
    return {{0x9F27, Bytes(v.begin(), v.begin() + 1)},
            {0x9F36, Bytes(v.begin() + 1, v.begin() + 3)},
            {0x9F26, Bytes(v.begin() + 3, v.begin() + 11)},
            {0x9F10, Bytes(v.begin() + 11, v.end())}};
  }

  // What the kernel sends online: terminal values, the card's AIP, ATC, AC and IAD.
  emv::TagLookup online_tags(const std::map<emv::Tag, Bytes>& response) const {
    auto all = std::make_shared<std::map<emv::Tag, Bytes>>(terminal.values);
    for (const auto& [t, v] : response) (*all)[t] = v;
    const auto& aip = card.image().apps[0].profile.aip;
    (*all)[0x82] = Bytes(aip.begin(), aip.end());
    return [all](emv::Tag t) -> std::optional<ByteView> {
      auto it = all->find(t);
      return it == all->end() ? std::nullopt : std::optional<ByteView>(it->second);
    };
  }
};

emv::IssuerKeys issuer_keys(std::string_view profile) {
  auto p = builtin_profile(profile);
  return emv::IssuerKeys{p->issuer->imk_ac};
}

TEST(GenerateAc, OnlineCardTurnsTcIntoArqcThatTheIssuerVerifies) {
  Transaction t("visa_online_pin", "A0000000031010");
  const ResponseApdu r = t.gen_ac(kTc);
  ASSERT_EQ(r.sw, kSwOk);
  auto f = Transaction::fields(r);
  EXPECT_EQ(f.at(0x9F27), hex("80"));
  EXPECT_EQ(f.at(0x9F36), hex("0012"));  // incremented from 17
  ASSERT_EQ(f.at(0x9F10).size(), 16u);
  EXPECT_EQ(Bytes(f.at(0x9F10).begin(), f.at(0x9F10).begin() + 3), hex("0F0101"));
  EXPECT_EQ(f.at(0x9F10)[3], 0xA0);  // CVR: 2nd AC not requested, ARQC

  const auto keys = issuer_keys("visa_online_pin");
  auto ok = emv::verify_arqc(keys, "4761739001010010", 0x01, t.online_tags(f));
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_TRUE(*ok);
  test::TerminalValues tampered = t.terminal;
  tampered.values[0x9F02] = hex("000000099999");
  Transaction& tt = t;
  std::swap(tt.terminal, tampered);
  EXPECT_FALSE(*emv::verify_arqc(keys, "4761739001010010", 0x01, t.online_tags(f)));
  std::swap(tt.terminal, tampered);

  // ARPC by EXTERNAL AUTHENTICATE, then TC at the second GENERATE AC.
  const std::array<Byte, 2> arc{'0', '0'};
  auto iad = emv::issuer_authentication_data(keys, "4761739001010010", 0x01, t.online_tags(f), arc);
  ASSERT_TRUE(iad);
  EXPECT_EQ(send(t.card, command(0x00, 0x82, 0x00, 0x00, *iad, std::nullopt)).sw, kSwOk);
  EXPECT_EQ(send(t.card, command(0x00, 0x82, 0x00, 0x00, *iad, std::nullopt)).sw, 0x6985);  // once
  const ResponseApdu second = t.gen_ac(kTc, true);
  ASSERT_EQ(second.sw, kSwOk);
  auto f2 = Transaction::fields(second);
  EXPECT_EQ(f2.at(0x9F27), hex("40"));
  EXPECT_EQ(f2.at(0x9F10)[3], 0x60);  // CVR: TC at 2nd, ARQC at 1st, issuer authentication fine
  EXPECT_EQ(t.card.last_online_atc(), 0x12);
  EXPECT_EQ(t.gen_ac(kTc, true).sw, 0x6985);  // no third GENERATE AC
}

TEST(GenerateAc, WrongArpcFailsExternalAuthenticate) {
  auto profile = builtin_profile("visa_online_pin");
  profile->applications[0].risk.require_issuer_authentication = true;
  auto card = VirtualCard::create(*profile, **builtin_pki(), test::counting_random());
  ASSERT_TRUE(card);
  test::TerminalValues terminal;
  test::select_and_gpo(*card, "A0000000031010");
  const Bytes cdol1 = profile->applications[0].cdol1, cdol2 = profile->applications[0].cdol2;
  ASSERT_EQ(send(*card, command(0x80, 0xAE, kArqc, 0x00, terminal.dol_data(cdol1))).sw, kSwOk);
  EXPECT_EQ(send(*card, command(0x00, 0x82, 0x00, 0x00, hex("11223344556677883030"), std::nullopt)).sw, 0x6300);
  const ResponseApdu second = send(*card, command(0x80, 0xAE, kTc, 0x00, terminal.dol_data(cdol2)));
  auto f = Transaction::fields(second);
  EXPECT_EQ(f.at(0x9F27), hex("00"));   // issuer authentication required: AAC
  EXPECT_EQ(f.at(0x9F10)[3] & 0x01, 1);  // CVR: issuer authentication failed
  EXPECT_EQ(card->last_online_atc(), 16);
}

TEST(GenerateAc, IssuerAuthenticationThroughCdol2) {
  Transaction t("mc_offline_plain_pin", "A0000000041010");
  auto f = Transaction::fields(t.gen_ac(kArqc));
  ASSERT_EQ(f.at(0x9F27), hex("80"));
  EXPECT_EQ(send(t.card, command(0x00, 0x82, 0x00, 0x00, hex("11223344556677883030"), std::nullopt)).sw, 0x6D00);
  const std::array<Byte, 2> arc{'0', '0'};
  auto iad = emv::issuer_authentication_data(issuer_keys("mc_offline_plain_pin"), "5413330089010434", 0x01,
                                             t.online_tags(f), arc);
  ASSERT_TRUE(iad);
  t.terminal.values[0x91] = *iad;
  auto f2 = Transaction::fields(t.gen_ac(kTc, true));
  EXPECT_EQ(f2.at(0x9F27), hex("40"));
  EXPECT_EQ(f2.at(0x9F10)[3] & 0x03, 0);  // performed, not failed

  Transaction bad("mc_offline_plain_pin", "A0000000041010");
  Transaction::fields(bad.gen_ac(kArqc));
  bad.terminal.values[0x91] = hex("01020304050607083030");
  auto f3 = Transaction::fields(bad.gen_ac(kTc, true));
  EXPECT_EQ(f3.at(0x9F10)[3] & 0x03, 0x01);  // failed
  Transaction none("mc_offline_plain_pin", "A0000000041010");
  Transaction::fields(none.gen_ac(kArqc));
  auto f4 = Transaction::fields(none.gen_ac(kAac, true));  // 91 absent: zeros
  EXPECT_EQ(f4.at(0x9F27), hex("00"));
  EXPECT_EQ(f4.at(0x9F10)[3] & 0x03, 0x02);  // not performed
}

TEST(GenerateAc, CardRiskRulesAndFormats) {
  Transaction decline("visa_decline_offline", "A0000000031010");
  EXPECT_EQ(Transaction::fields(decline.gen_ac(kTc)).at(0x9F27), hex("00"));
  EXPECT_EQ(decline.gen_ac(kTc, true).sw, 0x6985);  // after an AAC the transaction is over

  Transaction offline("visa_dda", "A0000000031010");
  EXPECT_EQ(Transaction::fields(offline.gen_ac(kTc)).at(0x9F27), hex("40"));

  Transaction format1("visa_no_cvm", "A0000000031010");
  const ResponseApdu r = format1.gen_ac(kArqc);
  ASSERT_EQ(r.data[0], 0x80);
  EXPECT_EQ(r.data[1], 1 + 2 + 8 + 16);
  auto f = Transaction::fields(r);
  EXPECT_TRUE(*emv::verify_arqc(issuer_keys("visa_no_cvm"), "4111111111111111", 0x01, format1.online_tags(f)));
}

TEST(GenerateAc, AtcIncrementsAtEachFirstGenerateAcAndPersists) {
  VirtualCard card = builtin_card("visa_dda");
  test::TerminalValues terminal;
  for (int i = 0; i < 3; ++i) {
    test::select_and_gpo(card, "A0000000031010");
    const auto cdol1 = card.image().apps[0].profile.cdol1;
    ASSERT_EQ(send(card, command(0x80, 0xAE, kAac, 0x00, terminal.dol_data(cdol1))).sw, kSwOk);
    card.reset();
  }
  EXPECT_EQ(card.atc(), 17 + 3);
}

TEST(GenerateAc, StatusWords) {
  Transaction t("visa_dda", "A0000000031010");
  const Bytes data = t.terminal.dol_data(t.cdol1);
  EXPECT_EQ(send(t.card, command(0x80, 0xAE, 0xC0, 0x00, data)).sw, 0x6A86);  // RFU reference control
  EXPECT_EQ(send(t.card, command(0x80, 0xAE, 0x41, 0x00, data)).sw, 0x6A86);
  EXPECT_EQ(send(t.card, command(0x80, 0xAE, kTc, 0x01, data)).sw, 0x6A86);
  EXPECT_EQ(send(t.card, command(0x80, 0xAE, kTc, 0x00, ByteView{data}.first(10))).sw, 0x6700);
  EXPECT_EQ(send(t.card, command(0x00, 0xAE, kTc, 0x00, data)).sw, 0x6E00);
  ASSERT_EQ(Transaction::fields(t.gen_ac(kArqc)).at(0x9F27), hex("80"));
  EXPECT_EQ(t.gen_ac(kArqc, true).sw, 0x6A86);  // no ARQC at the second GENERATE AC

  VirtualCard fresh = builtin_card("visa_dda");
  ASSERT_EQ(send(fresh, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010"))).sw, kSwOk);
  EXPECT_EQ(send(fresh, command(0x80, 0xAE, kTc, 0x00, data)).sw, 0x6985);  // before GPO
}

// Book 2 6.5 / 6.6, recomputed here: recover 9F4B with the ICC public key.
TEST(OfflineDataAuthentication, InternalAuthenticateSignsTheDdolData) {
  Transaction t("visa_dda", "A0000000031010");
  const Bytes ddol_data = hex("CAFEBABE");
  const ResponseApdu r = send(t.card, command(0x00, 0x88, 0x00, 0x00, ddol_data));
  ASSERT_EQ(r.sw, kSwOk);
  const Bytes sdad = objects(r.data).at(0x9F4B);
  const auto key = t.card.image().apps[0].icc_key->public_key();
  const Bytes recovered = tender::test::rsa_recover_raw(key.modulus, key.exponent, sdad);
  tender::test::expect_valid_record(recovered, 0x05, ddol_data);
  EXPECT_EQ(recovered[3], 9);   // ICC dynamic data length
  EXPECT_EQ(recovered[4], 8);   // ICC dynamic number length
  EXPECT_EQ(send(t.card, command(0x00, 0x88, 0x00, 0x00, {})).sw, 0x6700);
  EXPECT_EQ(send(t.card, command(0x00, 0x88, 0x01, 0x00, ddol_data)).sw, 0x6A86);
  Transaction sda("visa_sda", "A0000000031010");
  EXPECT_EQ(send(sda.card, command(0x00, 0x88, 0x00, 0x00, ddol_data)).sw, 0x6D00);
}

TEST(OfflineDataAuthentication, CdaSignsTheCryptogramAndTransactionData) {
  Transaction t("mc_cda", "A0000000041010");
  const ResponseApdu r = t.gen_ac(kArqc | kCda);
  ASSERT_EQ(r.sw, kSwOk);
  auto f = objects(r.data);
  ASSERT_FALSE(f.contains(0x9F26));
  ASSERT_TRUE(f.contains(0x9F4B));
  const auto key = t.card.image().apps[0].icc_key->public_key();
  const Bytes recovered = tender::test::rsa_recover_raw(key.modulus, key.exponent, f.at(0x9F4B));
  tender::test::expect_valid_record(recovered, 0x05, t.terminal.values.at(0x9F37));
  const std::size_t ldd = recovered[3];
  ASSERT_EQ(ldd, 1u + 8 + 1 + 8 + 20);
  const Bytes dd(recovered.begin() + 4, recovered.begin() + 4 + static_cast<std::ptrdiff_t>(ldd));
  EXPECT_EQ(dd[9], 0x80);  // CID
  // Transaction Data Hash Code: PDOL data, CDOL1 data, the response objects but 9F4B.
  Bytes response_objects;
  const auto nodes = emv::decode(r.data);
  ASSERT_TRUE(nodes);
  for (const auto& n : *nodes) {
    for (const auto& c : n.children)
      if (c.tag != 0x9F4B) emv::append_tlv(response_objects, c.tag, c.value);
  }
  const Bytes hashed = tender::test::concat({t.terminal.dol_data(hex("9F1A029F3501")), t.terminal.dol_data(t.cdol1),
                                              response_objects});
  EXPECT_EQ(Bytes(dd.begin() + 18, dd.end()), tender::test::sha1_reference(hashed));
  // The AC inside the signature is the one the issuer verifies.
  f[0x9F26] = Bytes(dd.begin() + 10, dd.begin() + 18);
  EXPECT_TRUE(*emv::verify_arqc(issuer_keys("mc_cda"), "5555555555554444", 0x01, t.online_tags(f)));

  Transaction aac("mc_cda", "A0000000041010");
  EXPECT_TRUE(objects(aac.gen_ac(kAac | kCda).data).contains(0x9F26));  // no signature on an AAC
}

TEST(IssuerScripts, TemplatesEncodeAndCommandsApply) {
  auto profile = builtin_profile("visa_issuer_scripts");
  ASSERT_TRUE(profile && profile->issuer);
  ASSERT_EQ(profile->issuer->scripts.size(), 2u);
  EXPECT_EQ(profile->issuer->scripts[0].encode(), hex("71 0F 9F1804 00000001 8606 04DA9F580103"));

  Transaction t("visa_issuer_scripts", "A0000000031010");
  EXPECT_EQ(send(t.card, "04DA9F580103").sw, 0x6985);  // needs a GENERATE AC first
  ASSERT_EQ(Transaction::fields(t.gen_ac(kTc)).at(0x9F27), hex("80"));
  for (const auto& c : profile->issuer->scripts[0].commands) EXPECT_EQ(send(t.card, c).sw, kSwOk);
  EXPECT_EQ(send(t.card, "80CA9F5800").data, hex("9F580103"));
  EXPECT_EQ(send(t.card, "04DA9F360101").sw, 0x6A86);  // the card's own counters are not writable
  ASSERT_EQ(send(t.card, "0020008008 2499 99FF FFFF FFFF").sw, 0x63C2);
  EXPECT_EQ(send(t.card, "84240000").sw, kSwOk);  // PIN unblock
  EXPECT_EQ(t.card.pin_try_counter(), 3);
  EXPECT_EQ(send(t.card, "8424000208 2698 7654 FFFF FFFF").sw, kSwOk);  // PIN change to 987654
  EXPECT_EQ(send(t.card, "0020008008 2698 7654 FFFF FFFF").sw, kSwOk);
  EXPECT_EQ(send(t.card, "8424000100").sw, 0x6A86);
  auto f = Transaction::fields(t.gen_ac(kTc, true));
  EXPECT_EQ(f.at(0x9F10)[3 + 3] >> 4, 3);  // CVR byte 4: three script commands done
  EXPECT_EQ(f.at(0x9F10)[3 + 3] & 0x08, 0x08);  // and one failed

  Transaction block("visa_issuer_scripts", "A0000000031010");
  Transaction::fields(block.gen_ac(kTc));
  EXPECT_EQ(send(block.card, "841E0000").sw, kSwOk);
  EXPECT_EQ(Transaction::fields(block.gen_ac(kTc, true)).at(0x9F27), hex("00"));
  block.card.reset();
  EXPECT_EQ(send(block.card, command(0x00, 0xA4, 0x04, 0x00, hex("A0000000031010"))).sw, 0x6283);
}

TEST(IssuerScripts, SecureMessagingMacWhenTheProfileAsks) {
  auto profile = builtin_profile("visa_issuer_scripts");
  profile->applications[0].script_mac = true;
  auto card = VirtualCard::create(*profile, **builtin_pki(), test::counting_random());
  ASSERT_TRUE(card);
  test::TerminalValues terminal;
  test::select_and_gpo(*card, "A0000000031010");
  const ResponseApdu r = send(*card, command(0x80, 0xAE, kTc, 0x00, terminal.dol_data(profile->applications[0].cdol1)));
  auto f = Transaction::fields(r);
  auto all = std::make_shared<std::map<emv::Tag, Bytes>>(f);
  const emv::TagLookup tags = [all](emv::Tag t) -> std::optional<ByteView> {
    auto it = all->find(t);
    return it == all->end() ? std::nullopt : std::optional<ByteView>(it->second);
  };
  EXPECT_EQ(send(*card, "04DA9F580103").sw, 0x6988);  // no MAC
  auto secured = emv::secure_script_command(emv::IssuerKeys{profile->issuer->imk_ac}, profile->applications[0].pan,
                                            0x01, tags, hex("04DA9F580103"));
  ASSERT_TRUE(secured);
  EXPECT_EQ(send(*card, *secured).sw, kSwOk);
  (*secured)[5] ^= 0x01;
  EXPECT_EQ(send(*card, *secured).sw, 0x6988);
}

}  // namespace
}  // namespace tender::icc::sim
