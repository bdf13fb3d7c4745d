#include "drivers/printer/escpos.hpp"

#include <algorithm>
#include <variant>

namespace tender::printer {
namespace {

using namespace escpos;

// What the printer currently does with text; ESC @ puts it back to these defaults.
struct Mode {
  Align align = Align::left;
  bool bold = false;
  bool double_size = false;
};

Byte align_code(Align a) {
  switch (a) {
    case Align::left: return 0;
    case Align::center: return 1;
    case Align::right: return 2;
  }
  return 0;
}

class Encoder {
 public:
  explicit Encoder(const EscPosOptions& options) : options_(options) {
    out_.push_back(ESC);
    out_.push_back('@');
  }

  void operator()(const Line& line) {
    const std::string text = printable_ascii(line.text);
    for (const std::string& piece : wrap(text, line_capacity(options_.width, line.double_size)))
      print_line(piece, Mode{line.align, line.bold, line.double_size});
  }

  void operator()(const Rule&) {
    print_line(std::string(line_capacity(options_.width, false), '-'), Mode{});
  }

  void operator()(const Feed& feed) { feed_lines(feed.lines); }

  void operator()(const Cut&) {
    if (options_.cut) {
      out_.insert(out_.end(), {GS, 'V', kCutFeedPartial, 0});
    } else {
      feed_lines(options_.tear_feed_lines);
    }
  }

  Bytes finish() && { return std::move(out_); }

 private:
  void print_line(std::string_view text, const Mode& want) {
    set_mode(want);
    out_.insert(out_.end(), text.begin(), text.end());
    out_.push_back(LF);
  }

  void set_mode(const Mode& want) {
    if (want.align != mode_.align) out_.insert(out_.end(), {ESC, 'a', align_code(want.align)});
    if (want.bold != mode_.bold) out_.insert(out_.end(), {ESC, 'E', Byte{want.bold ? Byte{1} : Byte{0}}});
    if (want.double_size != mode_.double_size) {
      out_.insert(out_.end(),
                  {GS, '!', want.double_size ? kCharacterSizeDouble : kCharacterSizeNormal});
    }
    mode_ = want;
  }

  // ESC d n takes one byte: longer feeds are several commands.
  void feed_lines(int lines) {
    while (lines > 0) {
      const int n = std::min(lines, 255);
      out_.insert(out_.end(), {ESC, 'd', static_cast<Byte>(n)});
      lines -= n;
    }
  }

  const EscPosOptions& options_;
  Mode mode_;
  Bytes out_;
};

}  // namespace

std::string printable_ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\t') {
      out.push_back(' ');
    } else if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('?');
      // One '?' per UTF-8 character, not per byte, so column widths stay right.
      if (c >= 0xC0 && c <= 0xF7) {
        while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80)
          ++i;
      }
    }
  }
  return out;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  if (width == 0) width = 1;
  std::vector<std::string> lines;
  while (text.size() > width) {
    std::size_t cut = text.rfind(' ', width);
    std::string_view piece;
    if (cut == std::string_view::npos || text.find_first_not_of(' ') >= cut) {
      piece = text.substr(0, width);  // no break in reach: the word itself is too long
      text.remove_prefix(width);
    } else {
      piece = text.substr(0, cut);
      text.remove_prefix(cut);
    }
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    const std::size_t next = text.find_first_not_of(' ');
    text.remove_prefix(next == std::string_view::npos ? text.size() : next);
    lines.emplace_back(piece);
  }
  if (!text.empty() || lines.empty()) lines.emplace_back(text);
  return lines;
}

Bytes encode_escpos(const Document& doc, const EscPosOptions& options) {
  Encoder encoder(options);
  for (const Entry& entry : doc.entries) std::visit(encoder, entry);
  return std::move(encoder).finish();
}

}  // namespace tender::printer
