// The terminal's keys and the names scenario files use for them ("ENTER", "CANCEL", "7").
// A front end turns what its device reports into a Key; everything above works in Keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tender::ui {

enum class Key {
  digit0, digit1, digit2, digit3, digit4, digit5, digit6, digit7, digit8, digit9,
  enter,      // green
  cancel,     // red
  clear,      // yellow: the whole entry
  backspace,  // the last digit only
  f1, f2, f3, f4,
  up, down,   // the scroll keys some PIN pads have; ncurses' arrow keys
};

// A character from a keyboard or a script: '0'-'9', Enter ('\n' or '\r'), Esc or 'c' for
// CANCEL, 'x' for CLEAR, Backspace (BS or DEL). Anything else is no key.
std::optional<Key> key_from_char(int ch) noexcept;

// "0".."9", "ENTER", "CANCEL", "CLEAR", "BACKSPACE", "F1".."F4", "UP", "DOWN".
std::string_view key_name(Key key) noexcept;
// The inverse of key_name; case does not matter ("enter" is ENTER).
std::optional<Key> key_from_name(std::string_view name) noexcept;

// The digit a key stands for, for amount and PIN entry.
std::optional<int> key_digit(Key key) noexcept;

// Which keyboard key is which terminal key, one line each, for a help panel.
std::vector<std::string> keypad_help();

}  // namespace tender::ui
