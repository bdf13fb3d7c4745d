// ui::choose_item: the keypad picks from a list shown on the display.
#include <gtest/gtest.h>

#include <deque>
#include <sstream>

#include "ui/keypad.hpp"
#include "ui/line_display.hpp"
#include "ui/selection.hpp"

namespace tender::ui {
namespace {

using namespace std::chrono_literals;

class ScriptedKeypad final : public Keypad {
 public:
  explicit ScriptedKeypad(std::deque<Key> keys) : keys_(std::move(keys)) {}
  std::optional<Key> read_key(std::chrono::milliseconds) override {
    if (keys_.empty()) return std::nullopt;
    const Key k = keys_.front();
    keys_.pop_front();
    return k;
  }

 private:
  std::deque<Key> keys_;
};

const std::vector<std::string> kApps{"MASTERCARD", "MAESTRO", "DEBIT"};

TEST(Selection, DigitThenEnterTakesThatItem) {
  std::ostringstream out;
  LineDisplay display(out);
  ScriptedKeypad keys({Key::digit2, Key::enter});
  auto chosen = choose_item(display, keys, kApps, 1s);
  ASSERT_TRUE(chosen);
  EXPECT_EQ(*chosen, 1u);
  EXPECT_NE(out.str().find("MAESTRO"), std::string::npos);
  EXPECT_NE(out.str().find(">2"), std::string::npos) << out.str();  // the marker moved to it
}

TEST(Selection, ArrowsWrapAround) {
  std::ostringstream out;
  LineDisplay display(out);
  ScriptedKeypad keys({Key::up, Key::enter});  // from the first, up is the last
  auto chosen = choose_item(display, keys, kApps, 1s);
  ASSERT_TRUE(chosen);
  EXPECT_EQ(*chosen, 2u);
}

TEST(Selection, CancelTimeoutStopAndEmpty) {
  std::ostringstream out;
  LineDisplay display(out);
  ScriptedKeypad cancel({Key::digit9, Key::cancel});  // 9 is out of range: ignored
  EXPECT_EQ(choose_item(display, cancel, kApps, 1s).error().code, Errc::cancelled);
  ScriptedKeypad none({});
  EXPECT_EQ(choose_item(display, none, kApps, 50ms).error().code, Errc::timeout);
  ScriptedKeypad stopped({});
  EXPECT_EQ(choose_item(display, stopped, kApps, 1s, [] { return true; }).error().code, Errc::cancelled);
  EXPECT_EQ(choose_item(display, stopped, {}, 1s).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tender::ui
