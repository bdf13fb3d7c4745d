#include "emv/formats.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

TEST(Formats, NumericRoundTrip) {
  EXPECT_EQ(to_hex(encode_n(1000, 6)), "000000001000");
  EXPECT_EQ(to_hex(encode_n(840, 2)), "0840");
  EXPECT_EQ(to_hex(encode_n(123456, 2)), "3456");  // keeps the rightmost digits
  EXPECT_EQ(decode_n(hex("000000001000")), 1000u);
  EXPECT_EQ(decode_n(hex("")), 0u);
  EXPECT_FALSE(decode_n(hex("0A")).has_value());
  EXPECT_FALSE(decode_n(hex("F0")).has_value());
  EXPECT_FALSE(decode_n(hex("9999999999999999999999")).has_value());  // overflow
}

TEST(Formats, Text) {
  EXPECT_EQ(to_hex(encode_text("AB", 4)), "41422020");
  EXPECT_EQ(to_hex(encode_text("ABCDE", 3)), "414243");
}

TEST(Formats, Dates) {
  EXPECT_EQ(parse_yymmdd(hex("250315")), (Date{2025, 3, 15}));
  EXPECT_EQ(parse_yymmdd(hex("991231")), (Date{1999, 12, 31}));
  EXPECT_EQ(parse_yymmdd(hex("490101")), (Date{2049, 1, 1}));
  EXPECT_EQ(parse_yymmdd(hex("240229")), (Date{2024, 2, 29}));
  EXPECT_FALSE(parse_yymmdd(hex("250229")).has_value());
  EXPECT_FALSE(parse_yymmdd(hex("251301")).has_value());
  EXPECT_FALSE(parse_yymmdd(hex("250100")).has_value());
  EXPECT_FALSE(parse_yymmdd(hex("2501")).has_value());
  EXPECT_FALSE(parse_yymmdd(hex("2A0101")).has_value());
  EXPECT_EQ(parse_mmyy_end_of_month(hex("0224")), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_mmyy_end_of_month(hex("1230")), (Date{2030, 12, 31}));
  EXPECT_FALSE(parse_mmyy_end_of_month(hex("1330")).has_value());
  EXPECT_LT(*parse_yymmdd(hex("991231")), *parse_yymmdd(hex("000101")));
}

}  // namespace
}  // namespace tender::emv
