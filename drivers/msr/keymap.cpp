#include "drivers/msr/keymap.hpp"

#include <linux/input-event-codes.h>

#include <array>

namespace tender::msr {
namespace {

struct KeyCap {
  std::uint16_t code;
  char normal;
  char shifted;
};

// Main block first, so that us_key_stroke picks the key a reader actually uses.
// The keypad keys type the same with or without Shift: readers that use them
// (some send digits from the keypad) never combine them with Shift.
constexpr std::array kUsLayout{
    KeyCap{KEY_1, '1', '!'},          KeyCap{KEY_2, '2', '@'},
    KeyCap{KEY_3, '3', '#'},          KeyCap{KEY_4, '4', '$'},
    KeyCap{KEY_5, '5', '%'},          KeyCap{KEY_6, '6', '^'},
    KeyCap{KEY_7, '7', '&'},          KeyCap{KEY_8, '8', '*'},
    KeyCap{KEY_9, '9', '('},          KeyCap{KEY_0, '0', ')'},
    KeyCap{KEY_MINUS, '-', '_'},      KeyCap{KEY_EQUAL, '=', '+'},
    KeyCap{KEY_Q, 'q', 'Q'},          KeyCap{KEY_W, 'w', 'W'},
    KeyCap{KEY_E, 'e', 'E'},          KeyCap{KEY_R, 'r', 'R'},
    KeyCap{KEY_T, 't', 'T'},          KeyCap{KEY_Y, 'y', 'Y'},
    KeyCap{KEY_U, 'u', 'U'},          KeyCap{KEY_I, 'i', 'I'},
    KeyCap{KEY_O, 'o', 'O'},          KeyCap{KEY_P, 'p', 'P'},
    KeyCap{KEY_LEFTBRACE, '[', '{'},  KeyCap{KEY_RIGHTBRACE, ']', '}'},
    KeyCap{KEY_A, 'a', 'A'},          KeyCap{KEY_S, 's', 'S'},
    KeyCap{KEY_D, 'd', 'D'},          KeyCap{KEY_F, 'f', 'F'},
    KeyCap{KEY_G, 'g', 'G'},          KeyCap{KEY_H, 'h', 'H'},
    KeyCap{KEY_J, 'j', 'J'},          KeyCap{KEY_K, 'k', 'K'},
    KeyCap{KEY_L, 'l', 'L'},          KeyCap{KEY_SEMICOLON, ';', ':'},
    KeyCap{KEY_APOSTROPHE, '\'', '"'}, KeyCap{KEY_GRAVE, '`', '~'},
    KeyCap{KEY_BACKSLASH, '\\', '|'}, KeyCap{KEY_Z, 'z', 'Z'},
    KeyCap{KEY_X, 'x', 'X'},          KeyCap{KEY_C, 'c', 'C'},
    KeyCap{KEY_V, 'v', 'V'},          KeyCap{KEY_B, 'b', 'B'},
    KeyCap{KEY_N, 'n', 'N'},          KeyCap{KEY_M, 'm', 'M'},
    KeyCap{KEY_COMMA, ',', '<'},      KeyCap{KEY_DOT, '.', '>'},
    KeyCap{KEY_SLASH, '/', '?'},      KeyCap{KEY_SPACE, ' ', ' '},
    KeyCap{KEY_KP0, '0', '0'},        KeyCap{KEY_KP1, '1', '1'},
    KeyCap{KEY_KP2, '2', '2'},        KeyCap{KEY_KP3, '3', '3'},
    KeyCap{KEY_KP4, '4', '4'},        KeyCap{KEY_KP5, '5', '5'},
    KeyCap{KEY_KP6, '6', '6'},        KeyCap{KEY_KP7, '7', '7'},
    KeyCap{KEY_KP8, '8', '8'},        KeyCap{KEY_KP9, '9', '9'},
    KeyCap{KEY_KPMINUS, '-', '-'},    KeyCap{KEY_KPPLUS, '+', '+'},
    KeyCap{KEY_KPASTERISK, '*', '*'}, KeyCap{KEY_KPSLASH, '/', '/'},
    KeyCap{KEY_KPDOT, '.', '.'},      KeyCap{KEY_KPEQUAL, '=', '='},
};

}  // namespace

std::optional<char> us_character(std::uint16_t key_code, bool shift) noexcept {
  for (const KeyCap& cap : kUsLayout)
    if (cap.code == key_code) return shift ? cap.shifted : cap.normal;
  return std::nullopt;
}

std::optional<KeyStroke> us_key_stroke(char c) noexcept {
  for (const KeyCap& cap : kUsLayout) {
    if (cap.normal == c) return KeyStroke{cap.code, false};
    if (cap.shifted == c) return KeyStroke{cap.code, true};
  }
  return std::nullopt;
}

}  // namespace tender::msr
