#include "ui/keypad.hpp"

#include <array>

namespace tender::ui {
namespace {

struct KeyEntry {
  Key key;
  std::string_view name;
  std::string_view chars;  // keyboard characters that press it
  std::string_view help;   // its line in the help panel; empty when another key's line covers it
};

constexpr std::array<KeyEntry, 20> kKeys{{
    {Key::digit0, "0", "0", ""},
    {Key::digit1, "1", "1", ""},
    {Key::digit2, "2", "2", ""},
    {Key::digit3, "3", "3", ""},
    {Key::digit4, "4", "4", ""},
    {Key::digit5, "5", "5", ""},
    {Key::digit6, "6", "6", ""},
    {Key::digit7, "7", "7", ""},
    {Key::digit8, "8", "8", ""},
    {Key::digit9, "9", "9", "0-9        DIGITS"},
    {Key::enter, "ENTER", "\n\r", "Enter      ENTER"},
    {Key::cancel, "CANCEL", "\x1b" "cC", "Esc, c     CANCEL"},
    {Key::clear, "CLEAR", "xX", "x, Delete  CLEAR"},
    {Key::backspace, "BACKSPACE", "\b\x7f", "Backspace  BACKSPACE"},
    {Key::f1, "F1", "", ""},
    {Key::f2, "F2", "", ""},
    {Key::f3, "F3", "", ""},
    {Key::f4, "F4", "", "F1-F4      F1-F4"},
    {Key::up, "UP", "", "Up, Down   SCROLL"},
    {Key::down, "DOWN", "", ""},
}};

constexpr char upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<Key> key_from_char(int ch) noexcept {
  if (ch <= 0 || ch > 0x7F) return std::nullopt;
  for (const auto& entry : kKeys) {
    if (entry.chars.find(static_cast<char>(ch)) != std::string_view::npos) return entry.key;
  }
  return std::nullopt;
}

std::string_view key_name(Key key) noexcept {
  for (const auto& entry : kKeys) {
    if (entry.key == key) return entry.name;
  }
  return "?";
}

std::optional<Key> key_from_name(std::string_view name) noexcept {
  for (const auto& entry : kKeys) {
    if (same_name(entry.name, name)) return entry.key;
  }
  return std::nullopt;
}

static_assert(static_cast<int>(Key::digit0) == 0 && static_cast<int>(Key::digit9) == 9, "key_digit counts on it");

std::optional<int> key_digit(Key key) noexcept {
  const int index = static_cast<int>(key);
  if (index >= static_cast<int>(Key::digit0) && index <= static_cast<int>(Key::digit9)) return index;
  return std::nullopt;
}

std::vector<std::string> keypad_help() {
  std::vector<std::string> lines;
  for (const auto& entry : kKeys) {
    if (!entry.help.empty()) lines.emplace_back(entry.help);
  }
  return lines;
}

}  // namespace tender::ui
