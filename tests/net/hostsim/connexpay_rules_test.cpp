// One test per request rule of ConnexPay's error tables: each refused request gets its
// documented text (connexpay_constants.hpp kRules), and nothing is recorded.
#include <functional>

#include "connexpay_fixture.hpp"

namespace tender::net::hostsim {
namespace {

using namespace test;
using connexpay::Rule;
using Json = nlohmann::json;

TEST(ConnexPayRules, TableIsInRuleOrder) {
  for (std::size_t i = 0; i < connexpay::kRules.size(); ++i)
    EXPECT_EQ(static_cast<std::size_t>(connexpay::kRules[i].rule), i) << connexpay::kRules[i].text;
}

TEST(ConnexPayRules, ProcessorCodesAreWrappedAsC1SawThem) {
  EXPECT_EQ(connexpay::refusal_message(connexpay::row_of(Rule::keyed_with_swipe)),
            "Error code F9906. Group keyedCardData is not allowed with cardDataSource value SWIPE.");
  EXPECT_EQ(connexpay::refusal_message(connexpay::row_of(Rule::card_number_invalid)), "Error code D2005. Invalid Card.");
  EXPECT_EQ(connexpay::refusal_message(connexpay::row_of(Rule::return_not_settled)), "Sale has not been settled");
}

enum class Base { keyed, swiped, chip, fallback };

struct RuleCase {
  const char* name;
  Base base;
  std::function<void(Json&, const ConnexPayConfig&)> change;
  Rule rule;
  const char* path = "/api/v1/sales";
};

void add_pin(Json& b) {
  b["Card"]["Pin"] = "0123456789ABCDEF";
  b["Card"]["Ksn"] = "FFFF9876543210E00001";
  b["TerminalData"]["CardholderAuthenticationMethod"] = "PIN";
}

const RuleCase kCases[] = {
    {"InvalidDeviceGuid", Base::keyed, [](Json& b, auto&) { b["DeviceGuid"] = "0b6f3e2a-1c4d-4e5f-a6b7-c8d9e0f1a2b3"; },
     Rule::invalid_device},
    {"MissingDeviceGuid", Base::keyed, [](Json& b, auto&) { b.erase("DeviceGuid"); }, Rule::invalid_device},
    {"DeviceOfAnotherMerchant", Base::keyed, [](Json& b, auto& c) { b["DeviceGuid"] = c.foreign_device_guid; },
     Rule::foreign_device},
    {"AmountZero", Base::keyed, [](Json& b, auto&) { b["Amount"] = 0; }, Rule::amount_not_positive},
    {"AuthOnlyAmountZero", Base::keyed, [](Json& b, auto&) { b["Amount"] = 0; }, Rule::authonly_amount_not_positive,
     "/api/v1/AuthOnlys"},
    {"AmountNegative", Base::keyed, [](Json& b, auto&) { b["Amount"] = -1.5; }, Rule::amount_not_positive},
    {"AmountBelowFiftyCents", Base::keyed, [](Json& b, auto&) { b["Amount"] = 0.49; }, Rule::amount_below_minimum},
    {"AuthOnlyAmountBelowFiftyCents", Base::keyed, [](Json& b, auto&) { b["Amount"] = 0.49; },
     Rule::amount_below_minimum, "/api/v1/AuthOnlys"},
    {"AmountAboveMaximum", Base::keyed, [](Json& b, auto&) { b["Amount"] = 1000000; }, Rule::amount_above_maximum},
    {"InvalidCardDataSource", Base::keyed, [](Json& b, auto&) { b["CardDataSource"] = "CHIP"; }, Rule::invalid_source},
    {"NoCardData", Base::keyed, [](Json& b, auto&) { b["Card"].erase("CardNumber"); }, Rule::card_missing},
    {"NoCardObject", Base::keyed, [](Json& b, auto&) { b.erase("Card"); }, Rule::card_missing},
    {"AuthOnlyNoCardData", Base::keyed, [](Json& b, auto&) { b["Card"].erase("CardNumber"); }, Rule::card_missing,
     "/api/v1/authonlys"},
    {"KeyedWithoutExpiry_GS01", Base::keyed, [](Json& b, auto&) { b["Card"].erase("ExpirationDate"); },
     Rule::keyed_expiry_missing},
    {"SwipeWithoutExpiry_GS02", Base::swiped, [](Json& b, auto&) { b["Card"].erase("ExpirationDate"); },
     Rule::swipe_expiry_missing},
    {"EmvWithoutTags_GS05", Base::chip, [](Json& b, auto&) { b["Card"].erase("EmvTags"); }, Rule::emv_fields_missing},
    {"EmvWithoutExpiry_GS05", Base::chip, [](Json& b, auto&) { b["Card"].erase("ExpirationDate"); },
     Rule::emv_fields_missing},
    {"EmvMissingCryptogram_GS06", Base::chip, [](Json& b, auto&) { b["Card"]["EmvTags"] = emv_tags(true, 0x9F26); },
     Rule::emv_tags_missing},
    {"EmvMissingCountryCode_GS06", Base::chip, [](Json& b, auto&) { b["Card"]["EmvTags"] = emv_tags(true, 0x9F1A); },
     Rule::emv_tags_missing},
    {"EmvTagsNotHex_GS06", Base::chip, [](Json& b, auto&) { b["Card"]["EmvTags"] = "9F26ZZ"; }, Rule::emv_tags_missing},
    {"EmvWithoutPan_GS06", Base::chip, [](Json& b, auto&) { b["Card"]["EmvTags"] = emv_tags(false); },
     Rule::emv_tags_missing},
    {"KeyedCardWithSwipeSource_F9906", Base::swiped, [](Json& b, auto&) { b["Card"]["CardNumber"] = kVisa; },
     Rule::keyed_with_swipe},
    {"CardNumberWithChip_F9913", Base::chip, [](Json& b, auto&) { b["Card"]["CardNumber"] = kVisa; },
     Rule::card_with_chip},
    {"TrackWithChip_F9913", Base::chip, [](Json& b, auto&) { b["Card"]["Track2Data"] = kMastercardTrack2; },
     Rule::card_with_chip},
    {"ContactlessChipWithTrack_F9913", Base::chip,
     [](Json& b, auto&) {
       b["CardDataSource"] = "EMV_CONTACTLESS";
       b["Card"]["Track1Data"] = kMastercardTrack1;
     },
     Rule::card_with_chip},
    {"TrackWithKeyedSource_F9907", Base::swiped, [](Json& b, auto&) { b["CardDataSource"] = "MANUAL"; },
     Rule::track_with_keyed_source},
    {"UnreadableTrack_F9912", Base::swiped, [](Json& b, auto&) { b["Card"]["Track2Data"] = "not a track"; },
     Rule::track_unreadable},
    {"ExpiryNotYymm_D2028", Base::keyed, [](Json& b, auto&) { b["Card"]["ExpirationDate"] = "12/30"; }, Rule::bad_expiry},
    {"CardNumberNotDigits_D2005", Base::keyed, [](Json& b, auto&) { b["Card"]["CardNumber"] = "4111-1111-1111"; },
     Rule::card_number_invalid},
    {"FallbackWithoutCondition_F9914", Base::fallback, [](Json& b, auto&) { b.erase("EmvFallbackCondition"); },
     Rule::fallback_condition_missing},
    {"IccErrorWithoutLastChipRead_F9910", Base::fallback, [](Json& b, auto&) { b.erase("LastChipRead"); },
     Rule::fallback_last_read_missing},
    {"EmptyCandidateListWithLastChipRead_F9911", Base::fallback,
     [](Json& b, auto&) { b["EmvFallbackCondition"] = "NO_CANDIDATE_LIST"; }, Rule::fallback_last_read_forbidden},
    {"FallbackWithTrack1_F9916", Base::fallback, [](Json& b, auto&) { b["Card"]["Track1Data"] = kMastercardTrack1; },
     Rule::fallback_track2_only},
    {"FallbackTrack1Only_F9916", Base::fallback,
     [](Json& b, auto&) {
       b["Card"].erase("Track2Data");
       b["Card"]["Track1Data"] = kMastercardTrack1;
     },
     Rule::fallback_track2_only},
    {"FallbackFieldsOnSwipe_F9907", Base::swiped, [](Json& b, auto&) { b["EmvFallbackCondition"] = "NO_CANDIDATE_LIST"; },
     Rule::fallback_without_source},
    {"VoltageWithClearPanTags_F9917", Base::chip, [](Json& b, auto&) { b["EncryptionType"] = "VOLTAGE"; },
     Rule::voltage_tags},
    {"VoltageChipWithTrack1_F9918", Base::chip,
     [](Json& b, auto&) {
       b["EncryptionType"] = "VOLTAGE";
       b["Card"]["Track1Data"] = kMastercardTrack1;
     },
     Rule::voltage_tracks},
    {"UnknownEncryptionType_D9510", Base::swiped, [](Json& b, auto&) { b["EncryptionType"] = "TDES_DUKPT"; },
     Rule::encryption_unknown},
    {"VoltageNotEnabledOnDevice_D9500", Base::chip,
     [](Json& b, auto&) {
       b["EncryptionType"] = "VOLTAGE";
       b["Card"]["EmvTags"] = emv_tags(false);
       b["Card"]["Track2Data"] = "A1B2C3D4E5F60718";
     },
     Rule::encryption_not_enabled},
    {"PinNotAPinBlock_D9210", Base::swiped,
     [](Json& b, auto&) {
       add_pin(b);
       b["Card"]["Pin"] = "1111";
     },
     Rule::pin_invalid},
    {"PinWithoutKsn_D9120", Base::swiped,
     [](Json& b, auto&) {
       add_pin(b);
       b["Card"].erase("Ksn");
     },
     Rule::pin_without_ksn},
    {"KsnShorterThan16_D9212", Base::swiped,
     [](Json& b, auto&) {
       add_pin(b);
       b["Card"]["Ksn"] = "2222222222";
     },
     Rule::ksn_short},
    {"NoTerminalDataOnSwipe_E9294", Base::swiped, [](Json& b, auto&) { b.erase("TerminalData"); },
     Rule::terminal_data_missing},
    {"TerminalDataWithoutMaxPinLength_E9294", Base::chip, [](Json& b, auto&) { b["TerminalData"].erase("MaxPinLength"); },
     Rule::terminal_data_missing},
    {"NoTerminalDataOnFallback_E9294", Base::fallback, [](Json& b, auto&) { b.erase("TerminalData"); },
     Rule::terminal_data_missing},
    {"PinWithoutPinMethod_E9295", Base::swiped,
     [](Json& b, auto&) {
       add_pin(b);
       b["TerminalData"]["CardholderAuthenticationMethod"] = "NOT_AUTHENTICATED";
     },
     Rule::auth_method_not_pin},
    {"VerifySwiped_BVBC06", Base::swiped, [](Json& b, auto&) { b.erase("CardDataSource"); }, Rule::verify_swiped,
     "/api/v1/Verify"},
    {"VerifyEmv_BVBC07", Base::chip, [](Json&, auto&) {}, Rule::verify_emv, "/api/v1/Verify"},
};

class ConnexPayRuleTest : public ConnexPayTest, public ::testing::WithParamInterface<RuleCase> {};

TEST_P(ConnexPayRuleTest, RefusedWithTheDocumentedText) {
  const RuleCase& c = GetParam();
  Json body = c.base == Base::keyed ? keyed(12.34) : c.base == Base::swiped ? swiped(12.34) : c.base == Base::chip ? chip(12.34) : fallback(12.34);
  c.change(body, cx());
  const auto a = post(c.path, body);
  expect_refused(a, c.rule);
  EXPECT_TRUE(sim.ledger(Api::connexpay).select([](const Txn&) { return true; }).empty());
}

INSTANTIATE_TEST_SUITE_P(EveryRule, ConnexPayRuleTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<RuleCase>& param) { return std::string(param.param.name); });

// "Any transaction endpoint" (H L6311, L6316): every one checks its DeviceGuid first.
TEST_F(ConnexPayTest, EveryTransactionEndpointChecksTheDevice) {
  const Json sale = ok_sale(keyed(17));
  for (const char* path : {"/api/v1/sales", "/api/v1/AuthOnlys", "/api/v1/Captures", "/api/v1/void", "/api/v1/returns",
                           "/api/v1/timeoutreversal", "/api/v1/Verify", "/api/v1/Batches/close"}) {
    Json body = keyed(18);
    body["SaleGuid"] = sale["guid"];
    body["DeviceGuid"] = cx().foreign_device_guid;
    expect_refused(post(path, body), Rule::foreign_device);
    body["DeviceGuid"] = "0b6f3e2a-1c4d-4e5f-a6b7-c8d9e0f1a2b3";
    expect_refused(post(path, body), Rule::invalid_device);
  }
  EXPECT_EQ(get("sales", sale["guid"])["effectiveAmount"], 17);
}

// The bases the rules start from are accepted as they are.
TEST_F(ConnexPayTest, RuleBasesAreAccepted) {
  for (Json body : {keyed(12.34), swiped(13.34), chip(14.34), fallback(15.34)}) {
    const auto a = post("/api/v1/sales", body);
    ASSERT_EQ(a.response.status, 200) << body_of(a).value("message", "");
    EXPECT_EQ(body_of(a)["status"], "Transaction - Approved");
  }
  Json with_pin = swiped(16.34);
  add_pin(with_pin);
  EXPECT_EQ(post("/api/v1/AuthOnlys", with_pin).response.status, 200);
}

}  // namespace
}  // namespace tender::net::hostsim
