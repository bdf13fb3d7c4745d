// The CA public key files of data/emv: the schemes' production keys, each checked against
// the checksum its sources publish (written out again here, not read from the file) and
// by an SHA-1 that shares no code with emv/capk; the test sample is the virtual cards' set.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/terminal/capk_json.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "tests/rsa_check.hpp"

namespace tender::app {
namespace {

using Json = nlohmann::json;

std::string read_data(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(TENDER_TEST_SOURCE_DIR) / ".." / "data" / "emv" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Bytes hex(std::string_view text) { return from_hex(text).value(); }

// The published checksums (EMV Book 2 11.2.2: SHA-1 of RID | index | modulus | exponent)
// of the production keys and their expiry, as data/emv/README.md cites them: the checksums
// from openemv/emv-utils' emv_capk_static_data.h, the same in binaryfoo/emv-bertlv's
// ca-public-keys.txt.
struct Published {
  std::string_view rid;
  Byte index;
  std::size_t bits;
  std::string_view checksum;
  std::string_view expiry;  // YYMMDD; empty: none published
};
constexpr Published kPublished[] = {
    {"A000000003", 0x08, 1408, "20D213126955DE205ADC2FD2822BD22DE21CF9A8", "241231"},
    {"A000000003", 0x09, 1984, "1FF80A40173F52D7D27E0F26A146A1C8CCB29046", ""},
    {"A000000004", 0x05, 1408, "EBFA0D5D06D8CE702DA3EAE890701D45E274C845", "241231"},
    {"A000000004", 0x06, 1984, "F910A1504D5FFB793D94F3B500765E1ABCAD72D9", ""},
    {"A000000025", 0x0F, 1408, "A73472B3AB557493A9BC2179CC8014053B12BAB4", "241231"},
    {"A000000025", 0x10, 1984, "C729CF2FD262394ABC4CC173506502446AA9B9FD", ""},
};

TEST(CapkFiles, ProductionKeysMatchTheirPublishedChecksums) {
  const std::string text = read_data("capk-production.json");
  const Json doc = Json::parse(text);
  auto keys = parse_capk_json(text);
  ASSERT_TRUE(keys) << keys.error().message;
  // The file says how many keys it holds, and holds exactly the published ones.
  ASSERT_EQ(keys->size(), doc.at("count").get<std::size_t>());
  ASSERT_EQ(keys->size(), std::size(kPublished));
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const emv::Capk& key = (*keys)[i];
    const Published& p = kPublished[i];
    SCOPED_TRACE(p.rid);
    EXPECT_EQ(key.rid, hex(p.rid));
    EXPECT_EQ(key.index, p.index);
    EXPECT_EQ(key.modulus.size() * 8, p.bits);
    EXPECT_EQ(key.checksum, hex(p.checksum));
    const Byte index[1] = {key.index};
    EXPECT_EQ(tender::test::sha1_reference(tender::test::concat({key.rid, index, key.modulus, key.exponent})),
              hex(p.checksum));
    // EMVCo's end of life for 1408-bit keys; none published for the 1984-bit ones.
    if (p.expiry.empty()) {
      EXPECT_FALSE(key.expiry.has_value());
    } else {
      ASSERT_TRUE(key.expiry.has_value());
      EXPECT_EQ(to_hex(*key.expiry), p.expiry);
    }
    EXPECT_FALSE(doc["capks"][i].value("source", "").empty()) << "each key names its source";
  }
}

TEST(CapkFiles, OneFlippedModulusByteIsRefused) {
  const std::string text = read_data("capk-production.json");
  for (std::size_t i = 0; i < std::size(kPublished); ++i) {
    Json doc = Json::parse(text);
    std::string modulus = doc["capks"][i]["modulus"].get<std::string>();
    const std::size_t at = modulus.size() / 2;
    modulus[at] = modulus[at] == '0' ? '1' : '0';  // one nibble of one byte
    doc["capks"][i]["modulus"] = modulus;
    auto keys = parse_capk_json(doc.dump());
    ASSERT_FALSE(keys) << i;
    EXPECT_EQ(keys.error().code, Errc::checksum);
    EXPECT_NE(keys.error().message.find("capks[" + std::to_string(i) + "]"), std::string::npos) << keys.error().message;
  }
}

TEST(CapkFiles, TestSampleIsTheVirtualCardsSet) {
  auto sample = parse_capk_json(read_data("capk-test.json"));
  ASSERT_TRUE(sample) << sample.error().message;
  auto builtin = parse_capk_json(icc::sim::builtin_capk_json());
  ASSERT_TRUE(builtin);
  ASSERT_EQ(sample->size(), builtin->size());
  for (std::size_t i = 0; i < sample->size(); ++i) {
    EXPECT_EQ((*sample)[i].rid, (*builtin)[i].rid);
    EXPECT_EQ((*sample)[i].index, (*builtin)[i].index);
    EXPECT_EQ((*sample)[i].modulus, (*builtin)[i].modulus);
    EXPECT_EQ((*sample)[i].exponent, (*builtin)[i].exponent);
    EXPECT_TRUE((*sample)[i].expiry == (*builtin)[i].expiry);
  }
}

TEST(CapkFiles, ASecondKeyOfTheSameRidAndIndexIsRefused) {
  Json doc = Json::parse(read_data("capk-production.json"));
  doc["capks"].push_back(doc["capks"][1]);
  auto keys = parse_capk_json(doc.dump());
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, Errc::invalid_argument);
  EXPECT_NE(keys.error().message.find("capks[6]"), std::string::npos) << keys.error().message;
  EXPECT_NE(keys.error().message.find("capks[1]"), std::string::npos) << keys.error().message;
}

}  // namespace
}  // namespace tender::app
