#include "emv/dol.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <map>
#include <string>
#include <string_view>

#include "emv/tlv.hpp"

namespace tender::emv {
namespace {

using tender::test::hex;

// A contactless-style PDOL: TTQ, amounts, country, TVR, currency, date, type, UN.
const Bytes kPdol = hex("9F66 04 9F02 06 9F03 06 9F1A 02 95 05 5F2A 02 9A 03 9C 01 9F37 04");
// The usual CDOL1 of a contact card.
const Bytes kCdol1 = hex(
    "9F02 06 9F03 06 9F1A 02 95 05 5F2A 02 9A 03 9C 01 9F37 04"
    " 9F35 01 9F45 02 9F4C 08 9F34 03");

// Terminal data held as a map, the way the kernel's data store will answer.
struct Store {
  std::map<Tag, Bytes> values;

  DolLookup lookup() const {
    return [this](Tag tag) -> std::optional<ByteView> {
      auto it = values.find(tag);
      if (it == values.end()) return std::nullopt;
      return ByteView{it->second};
    };
  }
};

Store transaction_data() {
  Store s;
  s.values[0x9F66] = hex("36004000");
  s.values[0x9F02] = hex("000000001000");  // 10.00
  s.values[0x9F03] = hex("000000000000");
  s.values[0x9F1A] = hex("0840");
  s.values[0x95] = hex("0000000000");
  s.values[0x5F2A] = hex("0840");
  s.values[0x9A] = hex("240115");
  s.values[0x9C] = hex("00");
  s.values[0x9F37] = hex("1A2B3C4D");
  s.values[0x9F35] = hex("22");
  s.values[0x9F34] = hex("1E0300");
  return s;
}

Bytes build_one(Tag tag, std::size_t length, const Bytes& value) {
  const DolEntry entry{tag, length};
  Store s;
  s.values[tag] = value;
  return build_dol_data(std::span{&entry, 1}, s.lookup());
}

TEST(DolParse, Pdol) {
  auto r = parse_dol(kPdol);
  ASSERT_TRUE(r) << r.error().describe();
  const std::vector<DolEntry> expected{
      {0x9F66, 4}, {0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5},
      {0x5F2A, 2}, {0x9A, 3},   {0x9C, 1},   {0x9F37, 4},
  };
  EXPECT_EQ(*r, expected);
  EXPECT_EQ(dol_data_length(*r), 33U);
}

TEST(DolParse, EmptyDolHasNoEntries) {
  auto r = parse_dol({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(dol_data_length(*r), 0U);
  EXPECT_TRUE(build_dol_data(*r, transaction_data().lookup()).empty());
}

TEST(DolParse, ThreeByteTagAndLongFormLength) {
  auto r = parse_dol(hex("9F8101 02 9F4B 81 80"));
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 2U);
  EXPECT_EQ((*r)[0], (DolEntry{0x9F8101, 2}));
  EXPECT_EQ((*r)[1], (DolEntry{0x9F4B, 128}));
}

TEST(DolParse, CutOffEntriesAreTruncated) {
  for (std::string_view text : {"9F", "9F02", "9F02 06 9F", "9F02 06 9F03", "9F02 82 01"}) {
    auto r = parse_dol(hex(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::truncated) << text;
    EXPECT_NE(r.error().message.find("DOL entry"), std::string::npos) << r.error().message;
  }
}

TEST(DolParse, BadTagsAndLengthsAreMalformed) {
  for (std::string_view text : {"9F02 80", "9F02 84 00 00 00 06", "00 01", "9F02 06 00",
                                "9F 81 81 81 01 01"}) {
    auto r = parse_dol(hex(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::malformed) << text;
  }
  auto r = parse_dol(hex("9F02 06 9F03 80"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("9F03 at offset 3"), std::string::npos) << r.error().message;
}

TEST(DolBuild, PdolWithEveryValueAtItsLength) {
  auto entries = parse_dol(kPdol);
  ASSERT_TRUE(entries);
  const Store store = transaction_data();
  const Bytes data = build_dol_data(*entries, store.lookup());
  EXPECT_EQ(to_hex(data),
            "36004000"
            "000000001000"
            "000000000000"
            "0840"
            "0000000000"
            "0840"
            "240115"
            "00"
            "1A2B3C4D");
}

TEST(DolBuild, Cdol1WithAbsentValuesZeroFilled) {
  auto entries = parse_dol(kCdol1);
  ASSERT_TRUE(entries);
  EXPECT_EQ(dol_data_length(*entries), 43U);
  const Store store = transaction_data();  // has no 9F45 or 9F4C
  const Bytes data = build_dol_data(*entries, store.lookup());
  EXPECT_EQ(to_hex(data),
            "000000001000000000000000084000000000000840240115001A2B3C4D"
            "22"
            "0000"
            "0000000000000000"
            "1E0300");
}

TEST(DolBuild, NumericLongerIsCutOnTheLeft) {
  EXPECT_EQ(to_hex(build_one(0x9F02, 4, hex("000000123456"))), "00123456");
  EXPECT_EQ(to_hex(build_one(0x9A, 2, hex("240115"))), "0115");
}

TEST(DolBuild, NumericShorterIsPaddedWithZerosOnTheLeft) {
  EXPECT_EQ(to_hex(build_one(0x9F02, 6, hex("1234"))), "000000001234");
  EXPECT_EQ(to_hex(build_one(0x5F2A, 3, hex("0840"))), "000840");
}

TEST(DolBuild, CompressedNumericShorterIsPaddedWithFfOnTheRight) {
  EXPECT_EQ(to_hex(build_one(0x5A, 10, hex("4761739001010010"))), "4761739001010010FFFF");
  EXPECT_EQ(to_hex(build_one(0x9F20, 4, hex("12"))), "12FFFFFF");
}

TEST(DolBuild, CompressedNumericLongerIsCutOnTheRight) {
  EXPECT_EQ(to_hex(build_one(0x5A, 4, hex("4761739001010010"))), "47617390");
}

TEST(DolBuild, BinaryIsCutOrZeroPaddedOnTheRight) {
  EXPECT_EQ(to_hex(build_one(0x9F37, 2, hex("1A2B3C4D"))), "1A2B");
  EXPECT_EQ(to_hex(build_one(0x95, 7, hex("8000048000"))), "80000480000000");
}

TEST(DolBuild, TextFormatsAreCutOrZeroPaddedOnTheRight) {
  EXPECT_EQ(to_hex(build_one(0x9F1C, 10, Bytes{'T', 'E', 'R', 'M', '0', '0', '0', '1'})),
            "5445524D303030310000");  // an
  EXPECT_EQ(to_hex(build_one(0x9F4E, 3, Bytes{'S', 'H', 'O', 'P'})), "53484F");  // ans
  EXPECT_EQ(to_hex(build_one(0x5F55, 3, Bytes{'U', 'S'})), "555300");            // a
}

TEST(DolBuild, UnknownTagIsTreatedAsBinary) {
  // 9F66 (TTQ) is a contactless element, not in Book 3 Annex A.
  EXPECT_EQ(to_hex(build_one(0x9F66, 6, hex("36004000"))), "360040000000");
  EXPECT_EQ(to_hex(build_one(0x9F66, 2, hex("36004000"))), "3600");
}

TEST(DolBuild, ConstructedTagGivesZerosEvenWhenPresent) {
  EXPECT_EQ(to_hex(build_one(0x70, 4, hex("5A021234"))), "00000000");
  EXPECT_EQ(to_hex(build_one(0xBF0C, 2, hex("9F4D020B0A"))), "0000");
}

TEST(DolBuild, ZeroLengthEntryAndEmptyValue) {
  EXPECT_TRUE(build_one(0x9F02, 0, hex("000000001000")).empty());
  EXPECT_EQ(to_hex(build_one(0x9F02, 3, {})), "000000");
  EXPECT_EQ(to_hex(build_one(0x5A, 2, {})), "FFFF");
}

TEST(DolBuild, EmptyLookupGivesAllZeros) {
  auto entries = parse_dol(kPdol);
  ASSERT_TRUE(entries);
  const Bytes data = build_dol_data(*entries, DolLookup{});
  EXPECT_EQ(data, Bytes(33, 0x00));
}

TEST(DolSplit, RoundTripsBuiltData) {
  auto entries = parse_dol(kPdol);
  ASSERT_TRUE(entries);
  const Store store = transaction_data();
  const Bytes data = build_dol_data(*entries, store.lookup());
  auto split = split_dol_data(*entries, data);
  ASSERT_TRUE(split) << split.error().describe();
  ASSERT_EQ(split->size(), entries->size());
  for (std::size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*split)[i].first, (*entries)[i].tag);
    const Bytes& original = store.values.at((*entries)[i].tag);
    EXPECT_EQ(to_hex((*split)[i].second), to_hex(original));
  }
  EXPECT_EQ((*split)[0].second.data(), data.data());  // views, not copies
}

TEST(DolSplit, ShortDataIsTruncatedAndLongDataMalformed) {
  auto entries = parse_dol(kPdol);
  ASSERT_TRUE(entries);
  const Bytes data(33, 0x11);
  auto short_by_one = split_dol_data(*entries, ByteView{data}.first(32));
  ASSERT_FALSE(short_by_one);
  EXPECT_EQ(short_by_one.error().code, Errc::truncated);
  auto none = split_dol_data(*entries, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::truncated);

  Bytes longer = data;
  longer.push_back(0x22);
  auto extra = split_dol_data(*entries, longer);
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, Errc::malformed);
}

TEST(DolSplit, HugeHandBuiltLengthsDoNotWrap) {
  const std::vector<DolEntry> entries{{0x9F02, SIZE_MAX}, {0x9F03, 2}};
  EXPECT_EQ(dol_data_length(entries), SIZE_MAX);
  const Bytes data(2, 0x00);
  auto r = split_dol_data(entries, data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::truncated);
}

}  // namespace
}  // namespace tender::emv
