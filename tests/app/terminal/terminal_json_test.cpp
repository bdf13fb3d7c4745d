// The terminal's EMV file: the shipped sample is the built-in test terminal field by field,
// and every broken field is refused with its kind and its path.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/terminal/terminal_json.hpp"

namespace tender::app {
namespace {

using Json = nlohmann::json;

std::string sample_text() {
  const std::filesystem::path path =
      std::filesystem::path(TENDER_TEST_SOURCE_DIR) / ".." / "data" / "emv" / "terminal.sample.json";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void expect_same_aid(const emv::AidConfig& got, const emv::AidConfig& want) {
  SCOPED_TRACE(to_hex(want.aid));
  EXPECT_EQ(got.aid, want.aid);
  EXPECT_EQ(got.partial_selection, want.partial_selection);
  EXPECT_EQ(got.application_version, want.application_version);
  EXPECT_EQ(got.tac_denial, want.tac_denial);
  EXPECT_EQ(got.tac_online, want.tac_online);
  EXPECT_EQ(got.tac_default, want.tac_default);
  EXPECT_EQ(got.floor_limit, want.floor_limit);
  EXPECT_EQ(got.random_selection_threshold, want.random_selection_threshold);
  EXPECT_EQ(got.target_percentage, want.target_percentage);
  EXPECT_EQ(got.max_target_percentage, want.max_target_percentage);
  EXPECT_EQ(got.default_ddol, want.default_ddol);
  EXPECT_EQ(got.default_tdol, want.default_tdol);
}

TEST(TerminalJson, SampleIsTheBuiltInTestTerminal) {
  auto got = parse_terminal_json(sample_text(), usd());
  ASSERT_TRUE(got) << got.error().message;
  const emv::TerminalConfig want = emv::default_test_terminal();
  EXPECT_EQ(got->terminal_type, want.terminal_type);
  EXPECT_EQ(got->capabilities, want.capabilities);
  EXPECT_EQ(got->additional_capabilities, want.additional_capabilities);
  EXPECT_EQ(got->country_code, want.country_code);
  EXPECT_EQ(got->currency, want.currency);
  EXPECT_EQ(got->merchant_category_code, want.merchant_category_code);
  EXPECT_EQ(got->ifd_serial, want.ifd_serial);
  EXPECT_TRUE(got->transaction_category_code == want.transaction_category_code);
  EXPECT_EQ(got->pos_entry_mode, want.pos_entry_mode);
  EXPECT_EQ(got->pse_supported, want.pse_supported);
  EXPECT_EQ(got->cardholder_confirmation, want.cardholder_confirmation);
  EXPECT_EQ(got->velocity_checking, want.velocity_checking);
  EXPECT_TRUE(got->capks.empty()) << "CA keys come from their own file";
  ASSERT_EQ(got->aids.size(), want.aids.size());
  for (std::size_t i = 0; i < want.aids.size(); ++i) expect_same_aid(got->aids[i], want.aids[i]);
}

TEST(TerminalJson, EveryFieldIsRead) {
  // Values other than the sample's, so a field the parser skipped would show.
  Json j = Json::parse(sample_text());
  j["terminal_type"] = "14";
  j["capabilities"] = "604020";
  j["additional_capabilities"] = "8000000000";
  j["country"] = "036";
  j["merchant_category_code"] = "6011";
  j["transaction_category_code"] = "R";
  j["ifd_serial"] = "ATM42";
  j["pse"] = false;
  j["cardholder_confirmation"] = false;
  j["velocity_checking"] = false;
  j["aids"][1] = {{"aid", "A0000000651010"}, {"partial_selection", false}, {"application_version", "0200"},
                  {"tac_denial", "0010000000"}, {"tac_online", "FC60ACF800"}, {"tac_default", "FC6024A800"},
                  {"floor_limit", "25.00"}, {"random_selection_threshold", "10.50"}, {"target_percentage", 20},
                  {"max_target_percentage", 50}};
  auto got = parse_terminal_json(j.dump(), usd());
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->terminal_type, 0x14);
  EXPECT_EQ(to_hex(got->capabilities), "604020");
  EXPECT_EQ(to_hex(got->additional_capabilities), "8000000000");
  EXPECT_EQ(got->country_code, 36);
  EXPECT_EQ(got->merchant_category_code, 6011);
  ASSERT_TRUE(got->transaction_category_code.has_value());
  EXPECT_EQ(*got->transaction_category_code, Byte{'R'});
  EXPECT_EQ(got->ifd_serial, "ATM42");
  EXPECT_FALSE(got->pse_supported);
  EXPECT_FALSE(got->cardholder_confirmation);
  EXPECT_FALSE(got->velocity_checking);
  const emv::AidConfig& jcb = got->aids[1];
  EXPECT_EQ(to_hex(jcb.aid), "A0000000651010");
  EXPECT_FALSE(jcb.partial_selection);
  EXPECT_EQ(to_hex(jcb.application_version), "0200");
  EXPECT_EQ(to_hex(jcb.tac_online), "FC60ACF800");
  EXPECT_EQ(to_hex(jcb.tac_default), "FC6024A800");
  EXPECT_EQ(jcb.floor_limit, 2500);
  EXPECT_EQ(jcb.random_selection_threshold, 1050);
  EXPECT_EQ(jcb.target_percentage, 20u);
  EXPECT_EQ(jcb.max_target_percentage, 50u);
  EXPECT_TRUE(jcb.default_ddol.empty());
  EXPECT_TRUE(jcb.default_tdol.empty());
}

TEST(TerminalJson, AmountsAreInTheTerminalCurrency) {
  Json j = Json::parse(sample_text());
  j["currency"] = "JPY";
  for (Json& aid : j["aids"]) {  // the sample's "0.00" has decimals JPY does not
    aid["floor_limit"] = "0";
    aid["random_selection_threshold"] = "0";
  }
  j["aids"][0]["floor_limit"] = "5000";
  j["aids"][0]["random_selection_threshold"] = "1000";
  const Currency jpy = *currency_by_alpha("JPY");
  auto got = parse_terminal_json(j.dump(), jpy);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->currency, jpy);
  EXPECT_EQ(got->aids[0].floor_limit, 5000);
  j["aids"][0]["floor_limit"] = "50.00";  // JPY has no minor unit
  auto cents = parse_terminal_json(j.dump(), jpy);
  ASSERT_FALSE(cents);
  EXPECT_EQ(cents.error().message.rfind("aids[0].floor_limit:", 0), 0u) << cents.error().message;
}

struct Refusal {
  std::string_view name;
  std::function<void(Json&)> breaks;
  Errc code;
  std::string_view path;  // the message starts with "<path>:"
};

const Refusal kRefusals[] = {
    {"unknown key", [](Json& j) { j["terminal_typ"] = "22"; }, Errc::invalid_argument, "terminal_typ"},
    {"type missing", [](Json& j) { j.erase("terminal_type"); }, Errc::invalid_argument, "terminal_type"},
    {"type not in Annex A1", [](Json& j) { j["terminal_type"] = "27"; }, Errc::out_of_range, "terminal_type"},
    {"type operator 4", [](Json& j) { j["terminal_type"] = "42"; }, Errc::out_of_range, "terminal_type"},
    {"type as a number", [](Json& j) { j["terminal_type"] = 22; }, Errc::malformed, "terminal_type"},
    {"capabilities short", [](Json& j) { j["capabilities"] = "E0F8"; }, Errc::malformed, "capabilities"},
    {"capabilities not hex", [](Json& j) { j["capabilities"] = "E0F8CG"; }, Errc::malformed, "capabilities"},
    {"additional capabilities long", [](Json& j) { j["additional_capabilities"] = "6000F0A00100"; }, Errc::malformed,
     "additional_capabilities"},
    {"country two digits", [](Json& j) { j["country"] = "84"; }, Errc::malformed, "country"},
    {"country 000", [](Json& j) { j["country"] = "000"; }, Errc::out_of_range, "country"},
    {"another currency", [](Json& j) { j["currency"] = "EUR"; }, Errc::invalid_argument, "currency"},
    {"unknown currency", [](Json& j) { j["currency"] = "XYZ"; }, Errc::out_of_range, "currency"},
    {"MCC as a number", [](Json& j) { j["merchant_category_code"] = 5999; }, Errc::malformed, "merchant_category_code"},
    {"MCC letters", [](Json& j) { j["merchant_category_code"] = "59A9"; }, Errc::malformed, "merchant_category_code"},
    {"9F53 two letters", [](Json& j) { j["transaction_category_code"] = "RR"; }, Errc::malformed,
     "transaction_category_code"},
    {"IFD serial 9 characters", [](Json& j) { j["ifd_serial"] = "TNDR00001"; }, Errc::malformed, "ifd_serial"},
    {"flag as a string", [](Json& j) { j["pse"] = "yes"; }, Errc::malformed, "pse"},
    {"note not text", [](Json& j) { j["note"] = 1; }, Errc::malformed, "note"},
    {"no AIDs", [](Json& j) { j.erase("aids"); }, Errc::invalid_argument, "aids"},
    {"empty AID list", [](Json& j) { j["aids"] = Json::array(); }, Errc::invalid_argument, "aids"},
    {"AIDs not a list", [](Json& j) { j["aids"] = "A0000000031010"; }, Errc::malformed, "aids"},
    {"AID entry not an object", [](Json& j) { j["aids"][1] = "A0000000032010"; }, Errc::malformed, "aids[1]"},
    {"AID unknown key", [](Json& j) { j["aids"][0]["colour"] = "blue"; }, Errc::invalid_argument, "aids[0].colour"},
    {"AID 4 bytes", [](Json& j) { j["aids"][1]["aid"] = "A0000000"; }, Errc::malformed, "aids[1].aid"},
    {"AID 17 bytes", [](Json& j) { j["aids"][1]["aid"] = "A000000003101000000000000000000000"; }, Errc::malformed,
     "aids[1].aid"},
    {"AID repeated", [](Json& j) { j["aids"][2]["aid"] = "A0000000031010"; }, Errc::invalid_argument, "aids[2].aid"},
    {"version 1 byte", [](Json& j) { j["aids"][0]["application_version"] = "8C"; }, Errc::malformed,
     "aids[0].application_version"},
    {"TAC short", [](Json& j) { j["aids"][1]["tac_online"] = "DC4004F8"; }, Errc::malformed, "aids[1].tac_online"},
    {"TAC missing", [](Json& j) { j["aids"][3].erase("tac_denial"); }, Errc::invalid_argument, "aids[3].tac_denial"},
    {"partial selection as text", [](Json& j) { j["aids"][0]["partial_selection"] = "true"; }, Errc::malformed,
     "aids[0].partial_selection"},
    {"floor limit negative", [](Json& j) { j["aids"][0]["floor_limit"] = "-1.00"; }, Errc::out_of_range,
     "aids[0].floor_limit"},
    {"floor limit three decimals", [](Json& j) { j["aids"][0]["floor_limit"] = "1.234"; }, Errc::malformed,
     "aids[0].floor_limit"},
    {"floor limit as a number", [](Json& j) { j["aids"][0]["floor_limit"] = 10; }, Errc::malformed,
     "aids[0].floor_limit"},
    {"threshold above floor limit", [](Json& j) { j["aids"][0]["random_selection_threshold"] = "5.00"; },
     Errc::invalid_argument, "aids[0].random_selection_threshold"},
    {"target 100", [](Json& j) { j["aids"][0]["target_percentage"] = 100; }, Errc::out_of_range,
     "aids[0].target_percentage"},
    {"target as a fraction", [](Json& j) { j["aids"][0]["target_percentage"] = 2.5; }, Errc::malformed,
     "aids[0].target_percentage"},
    {"max target negative", [](Json& j) { j["aids"][0]["max_target_percentage"] = -1; }, Errc::out_of_range,
     "aids[0].max_target_percentage"},
    {"target above max",
     [](Json& j) {
       j["aids"][0]["target_percentage"] = 20;
       j["aids"][0]["max_target_percentage"] = 10;
     },
     Errc::invalid_argument, "aids[0].target_percentage"},
    {"DDOL without a length", [](Json& j) { j["aids"][0]["default_ddol"] = "9F37"; }, Errc::malformed,
     "aids[0].default_ddol"},
    {"DDOL empty", [](Json& j) { j["aids"][0]["default_ddol"] = ""; }, Errc::malformed, "aids[0].default_ddol"},
    {"DDOL asks too much", [](Json& j) { j["aids"][0]["default_ddol"] = "9F3781FF9F3704"; }, Errc::out_of_range,
     "aids[0].default_ddol"},
    {"TDOL not hex", [](Json& j) { j["aids"][2]["default_tdol"] = "9F02XX"; }, Errc::malformed,
     "aids[2].default_tdol"},
};

// ctest shows the case by its name, not its bytes.
void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class TerminalJsonRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(TerminalJsonRefusal, NamesTheField) {
  const Refusal& r = GetParam();
  Json j = Json::parse(sample_text());
  r.breaks(j);
  auto got = parse_terminal_json(j.dump(), usd());
  ASSERT_FALSE(got) << r.name;
  EXPECT_EQ(to_string(got.error().code), to_string(r.code)) << got.error().message;
  EXPECT_EQ(got.error().message.rfind(std::string(r.path) + ":", 0), 0u) << got.error().message;
}

std::string refusal_name(const ::testing::TestParamInfo<Refusal>& info) {
  std::string name(info.param.name);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fields, TerminalJsonRefusal, ::testing::ValuesIn(kRefusals), refusal_name);

TEST(TerminalJson, RepeatedKeyAndBrokenJsonAreRefused) {
  std::string text = sample_text();
  text.insert(text.find('{') + 1, "\"country\": \"124\",");
  auto repeated = parse_terminal_json(text, usd());
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code, Errc::invalid_argument);
  EXPECT_EQ(repeated.error().message.rfind("country:", 0), 0u) << repeated.error().message;

  auto broken = parse_terminal_json("{\"terminal_type\": \"22\",", usd());
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, Errc::malformed);
  auto array = parse_terminal_json("[]", usd());
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().code, Errc::malformed);
}

}  // namespace
}  // namespace tender::app
