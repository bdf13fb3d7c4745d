#include "ui/keypad.hpp"

#include <gtest/gtest.h>

namespace tender::ui {
namespace {

constexpr int kKeyCount = static_cast<int>(Key::down) + 1;

TEST(Keypad, EveryNameRoundTrips) {
  for (int i = 0; i < kKeyCount; ++i) {
    const auto key = static_cast<Key>(i);
    EXPECT_NE(key_name(key), "?");
    EXPECT_EQ(key_from_name(key_name(key)), key) << key_name(key);
  }
}

TEST(Keypad, ScenarioNames) {
  EXPECT_EQ(key_from_name("ENTER"), Key::enter);
  EXPECT_EQ(key_from_name("CANCEL"), Key::cancel);
  EXPECT_EQ(key_from_name("CLEAR"), Key::clear);
  EXPECT_EQ(key_from_name("0"), Key::digit0);
  EXPECT_EQ(key_from_name("9"), Key::digit9);
  EXPECT_EQ(key_from_name("enter"), Key::enter);
  EXPECT_EQ(key_from_name("Cancel"), Key::cancel);
  EXPECT_EQ(key_name(Key::digit7), "7");
  EXPECT_EQ(key_name(Key::backspace), "BACKSPACE");
  for (const auto bad : {"", "10", "ENTERX", "OK", " ENTER"}) EXPECT_FALSE(key_from_name(bad)) << bad;
}

TEST(Keypad, Characters) {
  for (int d = 0; d <= 9; ++d) {
    const auto key = key_from_char('0' + d);
    ASSERT_TRUE(key);
    EXPECT_EQ(key_digit(*key), d);
  }
  EXPECT_EQ(key_from_char('\n'), Key::enter);
  EXPECT_EQ(key_from_char('\r'), Key::enter);
  EXPECT_EQ(key_from_char(27), Key::cancel);
  EXPECT_EQ(key_from_char('c'), Key::cancel);
  EXPECT_EQ(key_from_char('C'), Key::cancel);
  EXPECT_EQ(key_from_char('x'), Key::clear);
  EXPECT_EQ(key_from_char(8), Key::backspace);
  EXPECT_EQ(key_from_char(127), Key::backspace);
  for (const int none : {0, -1, int{' '}, int{'a'}, int{'q'}, int{'*'}, 0x80, 0x1FF, 410}) EXPECT_FALSE(key_from_char(none)) << none;
}

TEST(Keypad, OnlyDigitsHaveDigits) {
  EXPECT_FALSE(key_digit(Key::enter));
  EXPECT_FALSE(key_digit(Key::f1));
  EXPECT_EQ(key_digit(Key::digit0), 0);
}

TEST(Keypad, HelpNamesTheKeys) {
  const auto help = keypad_help();
  std::string all;
  for (const auto& line : help) all += line + "\n";
  for (const auto word : {"DIGITS", "ENTER", "CANCEL", "CLEAR", "BACKSPACE", "Esc"}) {
    EXPECT_NE(all.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace tender::ui
