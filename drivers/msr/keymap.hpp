// The US keyboard layout as a keyboard-wedge magnetic stripe reader types it:
// Linux input key codes (linux/input-event-codes.h) to characters and back.
//
// A wedge reader pretends to be a USB HID keyboard and types each track
// character as the key a US keyboard would need for it, holding Shift for
// upper case and the shifted symbols (% ^ ? : and so on). Only printable ASCII is
// mapped: the ISO 7813 track 1 alphabet (0x20..0x5F) and track 2 alphabet
// (digits ; = ?) are subsets of it.
#pragma once

#include <cstdint>
#include <optional>

namespace tender::msr {

// The character a key produces on a US layout, or nullopt for a key that types
// none (function keys, modifiers, Enter, keys of other layouts).
[[nodiscard]] std::optional<char> us_character(std::uint16_t key_code, bool shift) noexcept;

// The key and Shift state that type `c` on a US layout, main block preferred over the
// keypad. Used by the simulated reader and the tests to produce wedge key streams.
struct KeyStroke {
  std::uint16_t key_code;
  bool shift;
};
[[nodiscard]] std::optional<KeyStroke> us_key_stroke(char c) noexcept;

}  // namespace tender::msr
