// Card profiles: the built-in set, load_profile, and one typed error naming the field
// for every kind of malformed profile.
#include "drivers/icc/sim/card_profile.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "drivers/icc/sim/builtin.hpp"
#include "tests/test_hex.hpp"

namespace tender::icc::sim {
namespace {

using Json = nlohmann::json;

Json builtin_json(std::string_view name) {
  for (const auto& p : builtin_profiles())
    if (p.name == name) return Json::parse(p.json);
  ADD_FAILURE() << "no built-in profile " << name;
  return Json::object();
}

struct BadProfile {
  const char* label;
  const char* base;
  std::function<void(Json&)> mutate;
  Errc code;
  const char* field;
};

const BadProfile kBad[] = {
    {"not an object", "visa_online_pin", [](Json& j) { j = Json::array(); }, Errc::malformed, "profile"},
    {"description missing", "visa_online_pin", [](Json& j) { j.erase("description"); }, Errc::not_found, "description"},
    {"protocol", "visa_online_pin", [](Json& j) { j["protocol"] = "T=2"; }, Errc::out_of_range, "protocol"},
    {"pse type", "visa_online_pin", [](Json& j) { j["pse"] = "yes"; }, Errc::malformed, "pse"},
    {"pin digits", "visa_online_pin", [](Json& j) { j["pin"] = "12a4"; }, Errc::malformed, "pin"},
    {"pin length", "visa_online_pin", [](Json& j) { j["pin"] = "12"; }, Errc::out_of_range, "pin"},
    {"try counter", "visa_online_pin", [](Json& j) { j["pin_try_counter"] = 5; }, Errc::out_of_range, "pin_try_counter"},
    {"try limit type", "visa_online_pin", [](Json& j) { j["pin_try_limit"] = 2.5; }, Errc::malformed, "pin_try_limit"},
    {"unknown field", "visa_online_pin", [](Json& j) { j["colour"] = "red"; }, Errc::malformed, "colour"},
    {"no applications", "visa_online_pin", [](Json& j) { j["applications"] = Json::array(); }, Errc::out_of_range,
     "applications"},
    {"aid length", "visa_online_pin", [](Json& j) { j["applications"][0]["aid"] = "A000"; }, Errc::out_of_range,
     "applications[0].aid"},
    {"aid hex", "visa_online_pin", [](Json& j) { j["applications"][0]["aid"] = "A00000000Z"; }, Errc::malformed,
     "applications[0].aid"},
    {"label missing", "visa_online_pin", [](Json& j) { j["applications"][0].erase("label"); }, Errc::not_found,
     "applications[0].label"},
    {"priority", "visa_online_pin", [](Json& j) { j["applications"][0]["priority"] = 16; }, Errc::out_of_range,
     "applications[0].priority"},
    {"aip", "visa_online_pin", [](Json& j) { j["applications"][0]["aip"] = "3C"; }, Errc::out_of_range,
     "applications[0].aip"},
    {"gpo format", "visa_online_pin", [](Json& j) { j["applications"][0]["gpo_format"] = 3; }, Errc::out_of_range,
     "applications[0].gpo_format"},
    {"pdol", "visa_online_pin", [](Json& j) { j["applications"][0]["pdol"] = "9F"; }, Errc::malformed,
     "applications[0].pdol"},
    {"afl sfi", "visa_online_pin", [](Json& j) { j["applications"][0]["afl"][1]["sfi"] = 31; }, Errc::out_of_range,
     "applications[0].afl[1].sfi"},
    {"afl last", "visa_online_pin", [](Json& j) { j["applications"][0]["afl"][1]["last"] = 0; }, Errc::out_of_range,
     "applications[0].afl[1].last"},
    {"afl oda", "visa_online_pin", [](Json& j) { j["applications"][0]["afl"][1]["oda"] = 5; }, Errc::out_of_range,
     "applications[0].afl[1].oda"},
    {"afl record missing", "visa_online_pin", [](Json& j) { j["applications"][0]["records"].erase(3); },
     Errc::not_found, "applications[0].afl[2]"},
    {"afl unknown field", "visa_online_pin", [](Json& j) { j["applications"][0]["afl"][0]["x"] = 1; },
     Errc::malformed, "applications[0].afl[0].x"},
    {"pan", "visa_online_pin", [](Json& j) { j["applications"][0]["pan"] = "47617390010100AB"; }, Errc::malformed,
     "applications[0].pan"},
    {"psn", "visa_online_pin", [](Json& j) { j["applications"][0]["pan_sequence_number"] = "1A"; },
     Errc::malformed, "applications[0].pan_sequence_number"},
    {"expiry", "visa_online_pin", [](Json& j) { j["applications"][0]["expiry_date"] = "301332"; },
     Errc::out_of_range, "applications[0].expiry_date"},
    {"track 2", "visa_online_pin",
     [](Json& j) { j["applications"][0]["track2_equivalent"] = "4111111111111111D3012201"; }, Errc::malformed,
     "applications[0].track2_equivalent"},
    {"cvm list", "visa_online_pin", [](Json& j) { j["applications"][0]["cvm_list"] = "0000000000000000420"; },
     Errc::malformed, "applications[0].cvm_list"},
    {"iac", "visa_online_pin", [](Json& j) { j["applications"][0]["iac_online"] = "FFFF"; }, Errc::out_of_range,
     "applications[0].iac_online"},
    {"cdol1 without UN", "visa_online_pin",
     [](Json& j) { j["applications"][0]["cdol1"] = "9F02069F03069F1A0295055F2A029A039C01"; }, Errc::malformed,
     "applications[0].cdol1"},
    {"cdol1 wrong length", "visa_online_pin",
     [](Json& j) { j["applications"][0]["cdol1"] = "9F02049F03069F1A0295055F2A029A039C019F3704"; },
     Errc::malformed, "applications[0].cdol1"},
    {"cdol2 missing", "visa_online_pin", [](Json& j) { j["applications"][0].erase("cdol2"); }, Errc::not_found,
     "applications[0].cdol2"},
    {"cdol2 without 91", "visa_online_pin", [](Json& j) { j["applications"][0]["issuer_authentication"] = "cdol2"; },
     Errc::malformed, "applications[0].cdol2"},
    {"aip claims EXTERNAL AUTHENTICATE for a cdol2 card", "mc_cda",
     [](Json& j) { j["applications"][0]["aip"] = "3D00"; }, Errc::malformed, "applications[0].aip"},
    {"aip lacks issuer authentication for an EXTERNAL AUTHENTICATE card", "visa_online_pin",
     [](Json& j) { j["applications"][0]["aip"] = "3800"; }, Errc::malformed, "applications[0].aip"},
    {"data duplicate", "visa_online_pin", [](Json& j) { j["applications"][0]["data"]["5A"] = "4111111111111111"; },
     Errc::malformed, "applications[0].data.5A"},
    {"data tag", "visa_online_pin", [](Json& j) { j["applications"][0]["data"]["ZZ"] = "00"; }, Errc::malformed,
     "applications[0].data.ZZ"},
    {"data computed", "visa_online_pin", [](Json& j) { j["applications"][0]["data"]["90"] = "00"; },
     Errc::malformed, "applications[0].data.90"},
    {"data value", "visa_online_pin", [](Json& j) { j["applications"][0]["data"]["9F4F"] = "0"; }, Errc::malformed,
     "applications[0].data.9F4F"},
    {"record tag", "visa_online_pin", [](Json& j) { j["applications"][0]["records"][0]["tags"][0] = "9F7F"; },
     Errc::not_found, "applications[0].records[0].tags[0]"},
    {"record tags and hex", "visa_online_pin", [](Json& j) { j["applications"][0]["records"][0]["hex"] = "7000"; },
     Errc::malformed, "applications[0].records[0]"},
    {"record hex", "visa_online_pin",
     [](Json& j) {
       auto& r = j["applications"][0]["records"][0];
       r.erase("tags");
       r["hex"] = "7100";
     },
     Errc::malformed, "applications[0].records[0].hex"},
    {"record duplicate", "visa_online_pin", [](Json& j) { j["applications"][0]["records"][1]["sfi"] = 1; },
     Errc::malformed, "applications[0].records[1]"},
    {"record sfi", "visa_online_pin", [](Json& j) { j["applications"][0]["records"][1]["sfi"] = 0; },
     Errc::out_of_range, "applications[0].records[1].sfi"},
    {"oda record signs itself", "visa_online_pin",
     [](Json& j) { j["applications"][0]["records"][1]["tags"].push_back("9F46"); }, Errc::malformed,
     "applications[0].afl[1]"},
    {"oda method", "visa_online_pin", [](Json& j) { j["applications"][0]["oda"]["method"] = "rsa"; },
     Errc::out_of_range, "applications[0].oda.method"},
    {"icc key missing", "visa_online_pin", [](Json& j) { j["applications"][0]["oda"].erase("icc_key"); },
     Errc::not_found, "applications[0].oda.icc_key"},
    {"sda lacks 9F46", "visa_online_pin", [](Json& j) { j["applications"][0]["oda"]["method"] = "sda"; },
     Errc::not_found, "applications[0].records[3].tags[0]"},
    {"enciphered PIN without ICC key", "unknown_aid",
     [](Json& j) { j["applications"][0]["cvm_list"] = "000000000000000044031F00"; }, Errc::malformed,
     "applications[0].cvm_list"},
    {"card risk", "visa_online_pin", [](Json& j) { j["applications"][0]["card_risk"]["first_ac"] = "maybe"; },
     Errc::out_of_range, "applications[0].card_risk.first_ac"},
    {"issuer authentication", "visa_online_pin",
     [](Json& j) { j["applications"][0]["issuer_authentication"] = "sometimes"; }, Errc::out_of_range,
     "applications[0].issuer_authentication"},
    {"atc", "visa_online_pin", [](Json& j) { j["applications"][0]["atc"] = 70000; }, Errc::out_of_range,
     "applications[0].atc"},
    {"imk", "visa_online_pin", [](Json& j) { j["applications"][0]["imk_ac"] = "0123"; }, Errc::out_of_range,
     "applications[0].imk_ac"},
    {"duplicate aid", "visa_online_pin",
     [](Json& j) { j["applications"].push_back(j["applications"][0]); }, Errc::malformed, "applications[1].aid"},
    {"issuer imk", "visa_online_pin", [](Json& j) { j["issuer"]["imk_ac"] = "00"; }, Errc::out_of_range,
     "issuer.imk_ac"},
    {"script template", "visa_issuer_scripts", [](Json& j) { j["issuer"]["scripts"][0]["template"] = "73"; },
     Errc::out_of_range, "issuer.scripts[0].template"},
    {"script command", "visa_issuer_scripts", [](Json& j) { j["issuer"]["scripts"][1]["commands"][0] = "zz"; },
     Errc::malformed, "issuer.scripts[1].commands[0]"},
};

TEST(CardProfile, EveryMalformedProfileGetsATypedErrorNamingTheField) {
  for (const BadProfile& bad : kBad) {
    Json j = builtin_json(bad.base);
    bad.mutate(j);
    auto profile = parse_profile(j.dump(), "bad");
    ASSERT_FALSE(profile) << bad.label;
    EXPECT_EQ(profile.error().code, bad.code) << bad.label << ": " << profile.error().describe();
    EXPECT_EQ(profile.error().message.rfind(std::string(bad.field) + ":", 0), 0u)
        << bad.label << ": " << profile.error().message;
  }
}

TEST(CardProfile, ErrorsNeverQuoteValues) {
  Json j = builtin_json("visa_online_pin");
  j["pin"] = "98x7";
  auto profile = parse_profile(j.dump(), "bad");
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().message.find("98x7"), std::string::npos);
  EXPECT_EQ(parse_profile("{not json", "broken").error().code, Errc::malformed);
}

TEST(CardProfile, ParsesAProfileIntoValues) {
  auto p = builtin_profile("visa_online_pin");
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->name, "visa_online_pin");
  EXPECT_EQ(p->protocol, Protocol::t1);
  EXPECT_TRUE(p->pse);
  EXPECT_EQ(p->pin.reveal(), "1234");
  ASSERT_EQ(p->applications.size(), 1u);
  const Application& a = p->applications[0];
  EXPECT_EQ(a.aid, test::hex("A0000000031010"));
  EXPECT_EQ(a.afl.size(), 3u);
  EXPECT_EQ(a.data.at(0x5A), test::hex("4761739001010010"));
  EXPECT_EQ(a.data.at(0x57), test::hex("4761739001010010D30122011234567890"));
  EXPECT_EQ(a.data.at(0x5F24), test::hex("301231"));
  EXPECT_EQ(a.pan_sequence_number, 0x01);
  EXPECT_EQ(a.oda.method, OdaMethod::dda);
  EXPECT_EQ(a.risk.first_ac, FirstAcRule::online);
  EXPECT_EQ(a.issuer_authentication, IssuerAuthentication::external_authenticate);
  EXPECT_EQ(builtin_profile("visa_t0")->protocol, Protocol::t0);
  EXPECT_EQ(builtin_profile("nope").error().code, Errc::not_found);
}

TEST(CardProfile, LoadsFromAFileNamedAfterTheProfile) {
  const auto dir = std::filesystem::temp_directory_path() / "tender-card-profile-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "my_card.json";
  {
    std::ofstream out(path);
    out << builtin_json("mc_cda").dump(2);
  }
  auto p = load_profile(path.string());
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->name, "my_card");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(load_profile((dir / "missing.json").string()).error().code, Errc::io_error);
}

TEST(CardProfile, KeysAreResolvedAgainstThePkiWhenTheCardIsCreated) {
  auto pki = builtin_pki();
  ASSERT_TRUE(pki) << pki.error().describe();
  const std::pair<std::function<void(Application&)>, std::string> cases[] = {
      {[](Application& a) { a.oda.ca_key = "nope"; }, "applications[0].oda.ca_key"},
      {[](Application& a) { a.oda.ca_key = "issuer_visa"; }, "applications[0].oda.ca_key"},
      {[](Application& a) { a.oda.ca_key = "ca_a000000004_e2"; }, "applications[0].oda.ca_key"},
      {[](Application& a) { a.oda.issuer_key = "icc_visa"; }, "applications[0].oda.issuer_key"},
      {[](Application& a) { a.oda.icc_key = "missing"; }, "applications[0].oda.icc_key"},
  };
  for (const auto& [mutate, field] : cases) {
    auto p = builtin_profile("visa_dda");
    mutate(p->applications[0]);
    auto card = VirtualCard::create(*p, **pki);
    ASSERT_FALSE(card) << field;
    EXPECT_EQ(card.error().message.rfind(field + ":", 0), 0u) << card.error().message;
  }
}

TEST(TestPki, RejectsInconsistentKeys) {
  Json keys = Json::parse(std::string(R"({"keys":[]})"));
  EXPECT_TRUE(TestPki::parse(keys.dump()));
  auto pki = builtin_pki();
  ASSERT_TRUE(pki);
  EXPECT_GE((*pki)->keys().size(), 6u);
  EXPECT_EQ((*pki)->find("ca_a000000003_e1")->index, 0xE1);
  EXPECT_EQ((*pki)->find("nope"), nullptr);
  // A key whose dp belongs to another key.
  Json broken = Json::parse(R"({"keys":[{"name":"k","role":"icc","bits":1024}]})");
  const auto& good = (*pki)->find("icc_visa")->key;
  const auto& other = (*pki)->find("icc_mc")->key;
  broken["keys"][0]["n"] = to_hex(good.modulus);
  broken["keys"][0]["e"] = to_hex(good.exponent);
  broken["keys"][0]["d"] = to_hex(good.d.reveal());
  broken["keys"][0]["p"] = to_hex(good.p.reveal());
  broken["keys"][0]["q"] = to_hex(good.q.reveal());
  broken["keys"][0]["dp"] = to_hex(other.dp.reveal());
  broken["keys"][0]["dq"] = to_hex(good.dq.reveal());
  broken["keys"][0]["qinv"] = to_hex(good.qinv.reveal());
  auto bad = TestPki::parse(broken.dump());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::crypto_error);
  EXPECT_EQ(bad.error().message.rfind("keys[0]:", 0), 0u);
  broken["keys"][0]["dp"] = to_hex(good.dp.reveal());
  EXPECT_TRUE(TestPki::parse(broken.dump()));
  broken["keys"][0]["bits"] = 1152;
  EXPECT_EQ(TestPki::parse(broken.dump()).error().message.rfind("keys[0].n:", 0), 0u);
}

}  // namespace
}  // namespace tender::icc::sim
