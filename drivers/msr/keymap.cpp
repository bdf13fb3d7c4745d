#include "drivers/msr/keymap.hpp"

#include <linux/input-event-codes.h>

#include <array>
#include <utility>

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

// USB HID Usage Tables, keyboard page (0x07), of the keys in kUs (and Enter, F1, Shift).
constexpr std::array<std::pair<std::uint16_t, std::int32_t>, 52> kHidUsages{{
    {KEY_A, 0x04}, {KEY_B, 0x05}, {KEY_C, 0x06}, {KEY_D, 0x07}, {KEY_E, 0x08}, {KEY_F, 0x09},
    {KEY_G, 0x0a}, {KEY_H, 0x0b}, {KEY_I, 0x0c}, {KEY_J, 0x0d}, {KEY_K, 0x0e}, {KEY_L, 0x0f},
    {KEY_M, 0x10}, {KEY_N, 0x11}, {KEY_O, 0x12}, {KEY_P, 0x13}, {KEY_Q, 0x14}, {KEY_R, 0x15},
    {KEY_S, 0x16}, {KEY_T, 0x17}, {KEY_U, 0x18}, {KEY_V, 0x19}, {KEY_W, 0x1a}, {KEY_X, 0x1b},
    {KEY_Y, 0x1c}, {KEY_Z, 0x1d}, {KEY_1, 0x1e}, {KEY_2, 0x1f}, {KEY_3, 0x20}, {KEY_4, 0x21},
    {KEY_5, 0x22}, {KEY_6, 0x23}, {KEY_7, 0x24}, {KEY_8, 0x25}, {KEY_9, 0x26}, {KEY_0, 0x27},
    {KEY_ENTER, 0x28}, {KEY_SPACE, 0x2c}, {KEY_MINUS, 0x2d}, {KEY_EQUAL, 0x2e},
    {KEY_LEFTBRACE, 0x2f}, {KEY_RIGHTBRACE, 0x30}, {KEY_BACKSLASH, 0x31}, {KEY_SEMICOLON, 0x33},
    {KEY_APOSTROPHE, 0x34}, {KEY_GRAVE, 0x35}, {KEY_COMMA, 0x36}, {KEY_DOT, 0x37},
    {KEY_SLASH, 0x38}, {KEY_F1, 0x3a}, {KEY_LEFTSHIFT, 0xe1}, {KEY_RIGHTSHIFT, 0xe5},
}};

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

std::int32_t hid_usage(std::uint16_t key_code) noexcept {
  for (const auto& [key, usage] : kHidUsages)
    if (key == key_code) return 0x70000 | usage;
  return 0x70000;
}

}  // namespace tender::msr
