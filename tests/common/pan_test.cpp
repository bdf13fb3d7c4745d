#include "common/pan.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace tender {
namespace {

TEST(Luhn, KnownTestCards) {
  for (std::string_view pan : {"4111111111111111", "5413330089010434", "4761739001010010",
                               "371449635398431", "6011000990139424", "4012345678909"}) {
    EXPECT_TRUE(luhn_valid(pan)) << pan.substr(0, 6);
  }
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("41111111111111a1"));
}

TEST(Luhn, CheckDigitMatchesValidation) {
  EXPECT_EQ(luhn_check_digit("411111111111111"), '1');
  EXPECT_EQ(luhn_check_digit("401234567890"), '9');
  EXPECT_EQ(luhn_check_digit("7992739871"), '3');  // ISO/IEC 7812-1 Annex B example
}

TEST(Pan, MasksFirstSixLastFour) {
  EXPECT_EQ(mask_pan("4111111111111111"), "411111******1111");
  EXPECT_EQ(mask_pan("4761739001010010"), "476173******0010");
  EXPECT_EQ(mask_pan("4012345678909"), "401234******8909");
  EXPECT_EQ(mask_pan("12345"), "*****");
}

TEST(Pan, ParseValidatesLengthAndDigits) {
  auto pan = Pan::parse("4111111111111111");
  ASSERT_TRUE(pan);
  EXPECT_EQ(pan->length(), 16U);
  EXPECT_TRUE(pan->luhn_ok());
  EXPECT_EQ(pan->masked(), "411111******1111");

  EXPECT_EQ(Pan::parse("41111111111").error().code, Errc::out_of_range);       // 11 digits
  EXPECT_EQ(Pan::parse("41111111111111111111").error().code, Errc::out_of_range);  // 20
  EXPECT_EQ(Pan::parse("4111-1111-1111-1111").error().code, Errc::malformed);
  auto bad_luhn = Pan::parse("4111111111111112");
  ASSERT_TRUE(bad_luhn);
  EXPECT_FALSE(bad_luhn->luhn_ok());
}

TEST(Pan, ErrorMessagesNeverContainTheDigits) {
  auto r = Pan::parse("41111111111111111119");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("4111111"), std::string::npos);
}

TEST(Pan, StreamsMasked) {
  std::ostringstream os;
  os << *Pan::parse("5413330089010434");
  EXPECT_EQ(os.str(), "541333******0434");
}

}  // namespace
}  // namespace tender
