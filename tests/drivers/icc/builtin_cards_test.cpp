// The built-in card set: names, every card loads, the CA keys' check sums, and the
// whole certificate chain of every ODA card verified independently of emv/ (CAPK from
// capk.json -> issuer key -> ICC key or SSAD, with the static data rebuilt here).
#include "drivers/icc/sim/builtin.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/drivers/icc/sim_terminal.hpp"
#include "tests/rsa_check.hpp"

namespace tender::icc::sim {
namespace {

using tender::test::concat;
using tender::test::expect_valid_record;
using tender::test::rsa_recover_raw;
using test::hex;

TEST(BuiltinCards, TheRequiredProfilesAreThereSorted) {
  std::set<std::string> names;
  std::string previous;
  for (const auto& p : builtin_profiles()) {
    EXPECT_LT(previous, std::string(p.name));
    previous = std::string(p.name);
    names.insert(previous);
  }
  EXPECT_GE(names.size(), 16u);
  for (const char* required :
       {"visa_online_pin", "mc_offline_plain_pin", "visa_offline_enc_pin", "mc_signature", "visa_no_cvm", "visa_sda",
        "visa_dda", "mc_cda", "visa_expired", "mc_pin_try_exceeded", "visa_decline_offline", "mc_online_required",
        "visa_blocked", "unknown_aid", "mc_two_apps_selection", "visa_issuer_scripts", "visa_t0"})
    EXPECT_TRUE(names.contains(required)) << required;
}

TEST(BuiltinCards, EveryProfileMakesACard) {
  for (const auto& p : builtin_profiles()) {
    auto card = make_builtin_card(p.name);
    ASSERT_TRUE(card) << p.name << ": " << card.error().describe();
    EXPECT_FALSE(card->atr().empty());
  }
  EXPECT_EQ(make_builtin_card("no_such_card").error().code, Errc::not_found);
}

struct Capk {
  Bytes modulus, exponent;
};

// The order of (RID, index) keys: std::less's order, byte by byte. Written out because
// std::less<std::pair<Bytes, Byte>> compares the RIDs with a memcmp whose length g++ 12 cannot
// bound at -O3 (a -Wstringop-overread false positive where the map's lookup is inlined).
struct CapkKeyOrder {
  bool operator()(const std::pair<Bytes, Byte>& a, const std::pair<Bytes, Byte>& b) const {
    const std::size_t common = a.first.size() < b.first.size() ? a.first.size() : b.first.size();
    for (std::size_t i = 0; i < common; ++i) {
      if (a.first[i] != b.first[i]) return a.first[i] < b.first[i];
    }
    if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
    return a.second < b.second;
  }
};
using CapkTable = std::map<std::pair<Bytes, Byte>, Capk, CapkKeyOrder>;

CapkTable load_capks() {
  CapkTable out;
  const auto json = nlohmann::json::parse(builtin_capk_json());
  for (const auto& k : json.at("capks")) {
    const Bytes rid = hex(k.at("rid").get<std::string>());
    const Byte index = hex(k.at("index").get<std::string>())[0];
    Capk capk{hex(k.at("modulus").get<std::string>()), hex(k.at("exponent").get<std::string>())};
    EXPECT_EQ(hex(k.at("checksum").get<std::string>()),
              tender::test::sha1_reference(concat({rid, ByteView{&index, 1}, capk.modulus, capk.exponent})));
    EXPECT_EQ(capk.modulus.size(), 176u);
    out[{rid, index}] = capk;
  }
  return out;
}

TEST(BuiltinCards, CapkFileHoldsBothTestCasWithValidCheckSums) {
  const auto capks = load_capks();
  EXPECT_TRUE(capks.contains({hex("A000000003"), 0xE1}));
  EXPECT_TRUE(capks.contains({hex("A000000004"), 0xE2}));
}

// The key a certificate carries: the leftmost part in the certificate, then the remainder.
Bytes certified_key(const Bytes& recovered, std::size_t key_offset, std::size_t length_offset, const Bytes& remainder) {
  const std::size_t length = recovered[length_offset];
  const std::size_t field = recovered.size() - 21 - key_offset;
  Bytes key(recovered.begin() + static_cast<std::ptrdiff_t>(key_offset),
            recovered.begin() + static_cast<std::ptrdiff_t>(key_offset + std::min(length, field)));
  key.insert(key.end(), remainder.begin(), remainder.end());
  EXPECT_EQ(key.size(), length);
  return key;
}

TEST(BuiltinCards, CertificateChainsVerifyIndependently) {
  const auto capks = load_capks();
  int checked = 0;
  for (const auto& p : builtin_profiles()) {
    auto profile = builtin_profile(p.name);
    ASSERT_TRUE(profile);
    const Application& app = profile->applications[0];
    if (app.oda.method == OdaMethod::none || app.blocked) continue;
    SCOPED_TRACE(std::string(p.name));
    VirtualCard card = test::builtin_card(p.name);
    const auto gpo = test::select_and_gpo(card, to_hex(app.aid));
    auto read = test::read_records(card, gpo.afl);
    const auto& d = read.data;
    // 9F4A lists 82: the AIP joins the static data.
    if (d.contains(0x9F4A)) read.static_data.insert(read.static_data.end(), gpo.aip.begin(), gpo.aip.end());

    const Bytes rid(app.aid.begin(), app.aid.begin() + 5);
    const Capk& ca = capks.at({rid, d.at(0x8F)[0]});
    const Bytes issuer_remainder = d.contains(0x92) ? d.at(0x92) : Bytes{};
    const Bytes issuer = rsa_recover_raw(ca.modulus, ca.exponent, d.at(0x90));
    expect_valid_record(issuer, 0x02, concat({issuer_remainder, d.at(0x9F32)}));
    EXPECT_EQ(issuer_remainder.size(), 4u);
    // Issuer identifier: the leftmost PAN digits.
    EXPECT_EQ(to_hex(ByteView{issuer}.subspan(2, 3)), app.pan.substr(0, 6));
    const Bytes issuer_modulus = certified_key(issuer, 15, 13, issuer_remainder);

    if (app.oda.method == OdaMethod::sda) {
      const Bytes ssad = rsa_recover_raw(issuer_modulus, d.at(0x9F32), d.at(0x93));
      expect_valid_record(ssad, 0x03, read.static_data);
    } else {
      const Bytes icc = rsa_recover_raw(issuer_modulus, d.at(0x9F32), d.at(0x9F46));
      expect_valid_record(icc, 0x04, concat({d.at(0x9F48), d.at(0x9F47), read.static_data}));
      EXPECT_EQ(d.at(0x9F48).size(), 26u);
      EXPECT_EQ(to_hex(ByteView{icc}.subspan(2, 10)).substr(0, app.pan.size()), app.pan);
      const Bytes icc_modulus = certified_key(icc, 21, 19, d.at(0x9F48));
      EXPECT_EQ(icc_modulus, card.image().apps[0].icc_key->modulus);
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace tender::icc::sim
