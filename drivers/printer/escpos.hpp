// ESC/POS encoder (Epson "ESC/POS Application Programming Guide" command names), for the
// thermal receipt printers of countertop terminals and POS boxes. Only the commands every
// ESC/POS clone implements are used: ESC @, ESC a, ESC E, GS !, ESC d, GS V, LF.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "drivers/printer/document.hpp"

namespace tender::printer {

namespace escpos {
inline constexpr Byte ESC = 0x1B;
inline constexpr Byte GS = 0x1D;
inline constexpr Byte LF = 0x0A;
// GS ! n: bits 4-6 select the width multiplier, bits 0-2 the height multiplier.
inline constexpr Byte kCharacterSizeNormal = 0x00;
inline constexpr Byte kCharacterSizeDouble = 0x11;
// GS V m n with m = 66: feed to the cutting position plus n motion units, then partial cut.
inline constexpr Byte kCutFeedPartial = 66;
}  // namespace escpos

struct EscPosOptions {
  int width = 32;           // characters per line in font A: 32 on 58 mm paper, 42 or 48 on 80 mm
  bool cut = true;          // false for printers without a cutter: Cut feeds to the tear bar
  int tear_feed_lines = 4;  // without a cutter, how far to feed so the last line clears the bar
};

// The whole job: ESC @ first (the printer may hold modes from an earlier job), then each
// entry. Mode commands are sent only when a line needs a different mode than the last.
Bytes encode_escpos(const Document& doc, const EscPosOptions& options = {});

// Text as the printer will see it: printable ASCII only (the printer's default code page
// agrees with ASCII there and nowhere else). A tab becomes a space, every other control
// byte and every non-ASCII character (a whole UTF-8 sequence counts as one) becomes '?',
// so text from a host or a config file can never carry a printer command.
std::string printable_ascii(std::string_view text);

// Splits `text` into lines of at most `width` characters, breaking at spaces where it can
// and inside a word only when the word alone is longer than a line. Spaces within a line
// are kept (receipts align columns with them); spaces at a break are dropped.
// Empty text is one empty line.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

// The characters a line of this size holds on paper `width` characters wide.
inline std::size_t line_capacity(int width, bool double_size) {
  const int w = width < 1 ? 1 : width;
  const int cap = double_size ? w / 2 : w;
  return static_cast<std::size_t>(cap < 1 ? 1 : cap);
}

}  // namespace tender::printer
