#include "ui/line_display.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace tender::ui {
namespace {

TEST(LineDisplay, WritesRowsTrimmedWithSeparators) {
  std::ostringstream out;
  LineDisplay display(out);
  display.show(ScreenData{.id = ScreenId::present_card, .amount = "$12.34"});
  display.show(ScreenData{.id = ScreenId::approved, .amount = "$12.34"});
  EXPECT_EQ(out.str(),
            "TOTAL         $12.34\n"
            "   INSERT, SWIPE\n"
            "    OR KEY CARD\n"
            "   CANCEL = STOP\n"
            "--------------------\n"
            "      APPROVED\n"
            "TOTAL         $12.34\n"
            "\n"
            "     THANK YOU\n");
  EXPECT_EQ(display.screens_written(), 2u);
}

TEST(LineDisplay, RemembersTheLastScreen) {
  std::ostringstream out;
  LineDisplay display(out);
  EXPECT_EQ(display.last_text(), "");
  EXPECT_FALSE(display.last_screen());
  display.show(ScreenData{.id = ScreenId::declined, .amount = "$5.00", .text = "insufficient funds"});
  EXPECT_EQ(display.last_text(), "      DECLINED\nTOTAL          $5.00\n INSUFFICIENT FUNDS\n");
  EXPECT_EQ(display.last_screen(), ScreenId::declined);
  EXPECT_TRUE(display.last_contains("DECLINED"));
  EXPECT_TRUE(display.last_contains("insufficient funds"));
  EXPECT_TRUE(display.last_contains("total $5.00"));
  EXPECT_TRUE(display.last_contains("  TOTAL   $5.00 "));
  EXPECT_FALSE(display.last_contains("APPROVED"));
  EXPECT_FALSE(display.last_contains("DECLINED TOTAL"));  // never across rows
}

TEST(LineDisplay, SameScreenAgainWritesNothing) {
  std::ostringstream out;
  LineDisplay display(out);
  const ScreenData processing{.id = ScreenId::processing, .amount = "$1.00"};
  display.show(processing);
  const auto once = out.str();
  display.show(processing);
  EXPECT_EQ(out.str(), once);
  EXPECT_EQ(display.screens_written(), 1u);
  display.show(ScreenData{.id = ScreenId::enter_pin, .pin_digits = 1});
  display.show(ScreenData{.id = ScreenId::enter_pin, .pin_digits = 2});
  EXPECT_EQ(display.screens_written(), 3u);
  EXPECT_TRUE(display.last_contains("**"));
}

TEST(LineDisplay, QvgaSeparatorIsAsWideAsTheDisplay) {
  std::ostringstream out;
  LineDisplay display(out, DisplaySize::qvga);
  display.show(ScreenData{.id = ScreenId::idle});
  display.show(ScreenData{.id = ScreenId::processing});
  EXPECT_NE(out.str().find("\n" + std::string(40, '-') + "\n"), std::string::npos);
  std::size_t lines = 0;
  for (const char c : out.str()) lines += c == '\n';
  EXPECT_EQ(lines, 15u + 1u + 15u);
}

}  // namespace
}  // namespace tender::ui
