// A printer document: what to print, independent of the printer's command language.
// Receipts are built as a Document; encode_escpos (escpos.hpp) turns it into bytes, and
// the text renderer of app/receipt turns the same Document into plain text, so what the
// emulator shows and what the paper shows come from one source.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tender::printer {

enum class Align { left, center, right };

// One line of text. Text is taken as it comes: the encoder makes it printable (no
// control bytes reach the printer) and wraps it to the paper width.
struct Line {
  std::string text;
  Align align = Align::left;
  bool bold = false;
  bool double_size = false;  // double width and double height: half as many characters fit

  friend bool operator==(const Line&, const Line&) = default;
};

// A full-width line of dashes.
struct Rule {
  friend bool operator==(const Rule&, const Rule&) = default;
};

// Blank paper: `lines` line feeds.
struct Feed {
  int lines = 1;
  friend bool operator==(const Feed&, const Feed&) = default;
};

// Feed to the cutter and cut (or feed to the tear bar on a printer without a cutter).
struct Cut {
  friend bool operator==(const Cut&, const Cut&) = default;
};

using Entry = std::variant<Line, Rule, Feed, Cut>;

struct Document {
  std::vector<Entry> entries;

  Document& line(std::string text, Align align = Align::left, bool bold = false,
                 bool double_size = false) {
    entries.emplace_back(Line{std::move(text), align, bold, double_size});
    return *this;
  }
  Document& add(Line l) {
    entries.emplace_back(std::move(l));
    return *this;
  }
  Document& rule() {
    entries.emplace_back(Rule{});
    return *this;
  }
  Document& feed(int lines) {
    entries.emplace_back(Feed{lines});
    return *this;
  }
  Document& cut() {
    entries.emplace_back(Cut{});
    return *this;
  }

  friend bool operator==(const Document&, const Document&) = default;
};

}  // namespace tender::printer
