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

// The USB HID usage (page 7, 0x7xxxx) of a key a US-layout reader types, as the kernel
// reports it in EV_MSC/MSC_SCAN before each EV_KEY of a USB keyboard; 0x70000 for a key
// outside the reader's alphabet. The decoder ignores it; recordings and test streams carry
// it so they are what a real reader gives.
[[nodiscard]] std::int32_t hid_usage(std::uint16_t key_code) noexcept;

}  // namespace tender::msr
