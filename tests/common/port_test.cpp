#include "common/port.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace tender {
namespace {

std::optional<std::uint16_t> port(std::string_view text, std::uint16_t min = 1) {
  auto p = parse_port(text, min);
  return p ? std::optional<std::uint16_t>(*p) : std::nullopt;
}

TEST(ParsePort, TakesDigitsFromMinTo65535) {
  EXPECT_EQ(port("1"), 1);
  EXPECT_EQ(port("9100"), 9100);
  EXPECT_EQ(port("65535"), 65535);
  EXPECT_EQ(port("00443"), 443);  // leading zeros are still the same number
  EXPECT_EQ(port("0", 0), 0);     // a listening port: any free one
}

TEST(ParsePort, NotDigitsIsMalformed) {
  for (const char* text : {"", "123456", "-1", "+80", " 80", "80 ", "8o", "0x50", "1e3"}) {
    auto p = parse_port(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().code, Errc::malformed) << text;
  }
}

TEST(ParsePort, ANumberOutsideTheRangeIsOutOfRange) {
  for (const char* text : {"0", "65536", "99999"}) {
    auto p = parse_port(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().code, Errc::out_of_range) << text;
  }
  EXPECT_EQ(parse_port("80", 81).error().code, Errc::out_of_range);
}

}  // namespace
}  // namespace tender
