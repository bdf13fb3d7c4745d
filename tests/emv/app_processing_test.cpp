// Initiate Application Processing and Read Application Data (Book 3 10.1, 10.2).
#include "emv/app_processing.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::cat;
using kt::hex;
using kt::tlv;

TEST(Afl, Entries) {
  auto afl = parse_afl(hex("08010100 10010301 18020200"));
  ASSERT_TRUE(afl.has_value());
  ASSERT_EQ(afl->size(), 3u);
  EXPECT_EQ((*afl)[0], (AflEntry{1, 1, 1, 0}));
  EXPECT_EQ((*afl)[1], (AflEntry{2, 1, 3, 1}));
  EXPECT_EQ((*afl)[2], (AflEntry{3, 2, 2, 0}));
  EXPECT_TRUE(parse_afl({})->empty());
  for (const char* bad : {"080101", "00010100", "F8010100", "08000100", "08020100", "08010102"}) {
    EXPECT_FALSE(parse_afl(hex(bad)).has_value()) << bad;
  }
}

struct AppProcessing : ::testing::Test {
  // Selected and ready for GET PROCESSING OPTIONS.
  Context& selected() {
    kt::load(rig.card, profile);
    EXPECT_TRUE(rig.reader.power_on().has_value());
    Context& ctx = rig.begin();
    Selection selection;
    selection.candidate.adf_name = profile.aid;
    selection.fci = *parse_fci(rig.card.fci[profile.aid]);
    store_selected_application(ctx, selection);
    return ctx;
  }
  kt::Rig rig;
  kt::CardProfile profile;
};

TEST_F(AppProcessing, FciGoesToTheIccData) {
  Context& ctx = selected();
  EXPECT_EQ(to_hex(*ctx.icc.get(0x84)), "A0000000031010");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x4F)), "A0000000031010");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x87)), "01");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F38)), "9F02065F2A029F3704");
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F06)), "A0000000031010");
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F09)), "008C");
  EXPECT_EQ(to_hex(*ctx.terminal.get(0x9F1B)), "00000000");
  EXPECT_EQ(ctx.aid, &rig.config.aids[0]);
}

TEST_F(AppProcessing, GpoSendsThePdolData) {
  Context& ctx = selected();
  ctx.tvr.set(TvrBit::new_card);  // cleared by 10.1
  auto r = initiate_application_processing(ctx, rig.ttl);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, InitiateOutcome::ok);
  EXPECT_EQ(to_hex(rig.card.log.back()), "80A800000E830C000000001000084011223344" "00");
  EXPECT_EQ(to_hex(ctx.pdol_data), "000000001000084011223344");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x82)), "1C00");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x94)), "0801020110010100");
  EXPECT_FALSE(ctx.tvr.any());
}

TEST_F(AppProcessing, GpoWithoutPdolAndFormat2) {
  profile.pdol = {};
  Context& ctx = selected();
  rig.card.gpo_response = hex("77 0F 82 02 5800 94 04 08010100 9F36 02 0007");
  ASSERT_TRUE(initiate_application_processing(ctx, rig.ttl).has_value());
  EXPECT_EQ(to_hex(rig.card.log.back()), "80A80000028300" "00");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x82)), "5800");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F36)), "0007");
}

TEST_F(AppProcessing, ConditionsOfUseNotSatisfied) {
  Context& ctx = selected();
  rig.card.on(hex("80A8"), hex("6985"));
  auto r = initiate_application_processing(ctx, rig.ttl);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, InitiateOutcome::conditions_of_use_not_satisfied);
}

TEST_F(AppProcessing, GpoErrorsTerminate) {
  Context& ctx = selected();
  rig.card.on(hex("80A8"), hex("6A80"), 1);
  EXPECT_FALSE(initiate_application_processing(ctx, rig.ttl).has_value());
  rig.card.on(hex("80A8"), hex("80 03 1C0008 9000"), 1);  // AFL not a multiple of 4
  EXPECT_FALSE(initiate_application_processing(ctx, rig.ttl).has_value());
  rig.card.on(hex("80A8"), hex("77 04 82 02 1C00 9000"), 1);  // no AFL
  EXPECT_FALSE(initiate_application_processing(ctx, rig.ttl).has_value());
  ctx.icc.set(0x9F38, hex("9F02"));  // malformed PDOL
  EXPECT_FALSE(initiate_application_processing(ctx, rig.ttl).has_value());
  ctx.icc.set(0x9F38, hex("9F0281FF"));  // asks for 255 bytes
  EXPECT_FALSE(initiate_application_processing(ctx, rig.ttl).has_value());
}

TEST_F(AppProcessing, ReadsEveryAflRecordAndKeepsTheOdaRecords) {
  Context& ctx = rig.read(profile);
  EXPECT_EQ(rig.card.count(hex("00B2010C")), 1u);
  EXPECT_EQ(rig.card.count(hex("00B2020C")), 1u);
  EXPECT_EQ(rig.card.count(hex("00B20114")), 1u);
  EXPECT_EQ(to_hex(*ctx.icc.get(0x5F24)), "301231");
  EXPECT_EQ(to_hex(*ctx.icc.get(0x9F6E)), "20700000");
  // The ODA record is SFI 1 record 1: its contents without '70' and length (81 85).
  const Bytes record1 = rig.card.records[{1, 1}];
  ASSERT_EQ(to_hex(ByteView{record1}.first(3)), "708185");
  EXPECT_EQ(to_hex(ctx.static_data), to_hex(ByteView{record1}.subspan(3)));
}

TEST_F(AppProcessing, DuplicateTagAcrossRecordsTerminates) {
  Context& ctx = selected();
  rig.card.records[{2, 1}] = tlv(0x70, tlv(0x5F24, hex("301231")));
  ASSERT_TRUE(initiate_application_processing(ctx, rig.ttl).has_value());
  auto r = read_application_data(ctx, rig.ttl);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("5F24"), std::string::npos);
}

TEST_F(AppProcessing, MissingMandatoryDataTerminates) {
  for (const Tag tag : {Tag{0x5F24}, Tag{0x5A}, Tag{0x8C}, Tag{0x8D}}) {
    kt::Rig r;
    kt::load(r.card, profile);
    // Rebuild record 1 without `tag`.
    auto nodes = decode(r.card.records[{1, 1}]);
    Bytes contents;
    for (const TlvNode& n : (*nodes)[0].children)
      if (n.tag != tag) contents = cat({contents, tlv(n.tag, n.value)});
    r.card.records[{1, 1}] = tlv(0x70, contents);
    EXPECT_TRUE(r.reader.power_on().has_value());
    Context& ctx = r.begin();
    ctx.icc.set(0x94, hex("08010201"));
    auto result = read_application_data(ctx, r.ttl);
    ASSERT_FALSE(result.has_value()) << tag_to_hex(tag);
    EXPECT_NE(result.error().message.find(tag_to_hex(tag)), std::string::npos);
  }
}

TEST_F(AppProcessing, RecordErrorsTerminate) {
  Context& ctx = selected();
  ASSERT_TRUE(initiate_application_processing(ctx, rig.ttl).has_value());
  rig.card.on(hex("00B2020C"), hex("6A83"), 1);
  EXPECT_FALSE(read_application_data(ctx, rig.ttl).has_value());
  rig.card.on(hex("00B2020C"), hex("71 02 5A00 9000"), 1);  // SFI 1..10 must be '70'
  EXPECT_FALSE(read_application_data(ctx, rig.ttl).has_value());
  rig.card.on(hex("00B2020C"), hex("70 05 5A 09 00 9000"), 1);  // truncated
  EXPECT_FALSE(read_application_data(ctx, rig.ttl).has_value());
  rig.card.on(hex("00B2020C"), hex("70 00 70 00 9000"), 1);  // two templates
  EXPECT_FALSE(read_application_data(ctx, rig.ttl).has_value());
  ctx.icc.set(0x94, hex("08010200 F8010100"));  // SFI 31
  EXPECT_FALSE(read_application_data(ctx, rig.ttl).has_value());
  rig.reader.remove();
  ctx.icc.set(0x94, hex("08010200"));
  EXPECT_EQ(read_application_data(ctx, rig.ttl).error().code, Errc::io_error);
}

}  // namespace
}  // namespace tender::emv
