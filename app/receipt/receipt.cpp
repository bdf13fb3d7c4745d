#include "app/receipt/receipt.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <variant>

#include "common/pan.hpp"
#include "drivers/printer/escpos.hpp"

namespace tender::app {
namespace {

using printer::Align;

struct Context {
  const ReceiptData& data;
  ReceiptCopy copy;
  int width;
};

using Getter = std::string (*)(const Context&);

// A multi-line field's value holds '\n' between its lines, and its template line is
// repeated once per line. Only fields the terminal itself composes are multi-line: a '\n'
// inside a host's text must not be able to start a line of its own (a decline message
// forging an "APPROVED" line), so there it is printed as '?'.
struct Field {
  std::string_view name;
  Getter get;
  bool multi_line = false;
};

std::string money_text(const Money& m) {
  return std::string{m.currency().alpha} + " " + m.format();
}

std::string optional_money_text(const std::optional<Money>& m) {
  return m ? money_text(*m) : std::string{};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ARCHITECTURE.md: receipts show at most first 6 / last 4. The engine should have masked
// already; this holds the line if a caller passed a clear PAN (or a half-masked one).
std::string remask_pan(std::string_view shown) {
  if (!shown.empty() && std::all_of(shown.begin(), shown.end(), is_digit)) return mask_pan(shown);
  const auto digits = static_cast<std::size_t>(std::count_if(shown.begin(), shown.end(), is_digit));
  if (digits <= 10) return std::string{shown};
  std::string out{shown};
  std::size_t seen = 0;
  for (char& c : out) {
    if (!is_digit(c)) continue;
    if (seen >= 6 && seen < digits - 4) c = '*';
    ++seen;
  }
  return out;
}

bool approved(const ReceiptData& d) {
  return d.verdict == ReceiptVerdict::approved || d.verdict == ReceiptVerdict::partially_approved;
}

// A signature is asked for on the copy the merchant keeps, and only for a charge that
// went through.
bool wants_signature(const Context& c) {
  return c.copy == ReceiptCopy::merchant && c.data.cvm == ReceiptCvm::signature && approved(c.data);
}

std::string verdict_text(ReceiptVerdict v) {
  switch (v) {
    case ReceiptVerdict::approved: return "APPROVED";
    case ReceiptVerdict::partially_approved: return "PARTIALLY APPROVED";
    case ReceiptVerdict::declined: return "DECLINED";
    case ReceiptVerdict::reversed: return "REVERSED";
    case ReceiptVerdict::voided: return "VOIDED";
  }
  return {};
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i != 0) out.push_back('\n');
    out += lines[i];
  }
  return out;
}

const std::array kFields{
    Field{"merchant_name", [](const Context& c) { return c.data.merchant.name; }},
    Field{"address", [](const Context& c) { return join_lines(c.data.merchant.address); }, true},
    Field{"merchant_id", [](const Context& c) { return c.data.merchant.merchant_id; }},
    Field{"terminal_id", [](const Context& c) { return c.data.merchant.terminal_id; }},
    Field{"timestamp", [](const Context& c) { return c.data.timestamp; }},
    Field{"type", [](const Context& c) { return c.data.transaction_type; }},
    Field{"amount", [](const Context& c) { return money_text(c.data.amount); }},
    Field{"tip", [](const Context& c) { return optional_money_text(c.data.tip); }},
    Field{"surcharge", [](const Context& c) { return optional_money_text(c.data.surcharge); }},
    Field{"total", [](const Context& c) { return money_text(c.data.total); }},
    Field{"requested", [](const Context& c) { return optional_money_text(c.data.requested); }},
    // Beside "requested" only: otherwise "total" already says it.
    Field{"approved",
          [](const Context& c) {
            return c.data.requested ? money_text(c.data.total) : std::string{};
          }},
    Field{"masked_pan", [](const Context& c) { return remask_pan(c.data.masked_pan); }},
    Field{"entry_mode", [](const Context& c) { return c.data.entry_mode; }},
    Field{"card_label", [](const Context& c) { return c.data.card_label; }},
    Field{"aid", [](const Context& c) { return c.data.aid; }},
    Field{"tvr", [](const Context& c) { return c.data.tvr; }},
    Field{"tsi", [](const Context& c) { return c.data.tsi; }},
    Field{"auth_code", [](const Context& c) { return c.data.auth_code; }},
    Field{"host_reference", [](const Context& c) { return c.data.host_reference; }},
    Field{"reference_id", [](const Context& c) { return c.data.reference_id; }},
    // The host's words explain a decline; on an approval they only restate the verdict
    // ("APPROVED" over "APPROVAL"), so the receipt keeps one verdict line.
    Field{"response_message",
          [](const Context& c) { return approved(c.data) ? std::string{} : c.data.response_message; }},
    Field{"verdict", [](const Context& c) { return verdict_text(c.data.verdict); }},
    Field{"cvm_line",
          [](const Context& c) {
            return c.data.cvm == ReceiptCvm::pin_verified ? std::string{"PIN VERIFIED"}
                                                          : std::string{};
          }},
    // Two blank lines of room to sign above the line.
    Field{"signature",
          [](const Context& c) {
            if (!wants_signature(c)) return std::string{};
            return "\n\nX" + std::string(printer::line_capacity(c.width, false) - 1, '_');
          },
          true},
    Field{"signature_label",
          [](const Context& c) {
            return wants_signature(c) ? std::string{"SIGNATURE"} : std::string{};
          }},
    Field{"offline_marker",
          [](const Context& c) {
            return c.data.offline ? std::string{"*** OFFLINE ***"} : std::string{};
          }},
    Field{"offline",
          [](const Context& c) {
            if (!c.data.offline) return std::string{};
            if (approved(c.data)) return std::string{"OFFLINE APPROVAL"};
            if (c.data.verdict == ReceiptVerdict::declined) return std::string{"OFFLINE DECLINE"};
            return std::string{"OFFLINE"};
          }},
    Field{"copy",
          [](const Context& c) {
            return c.copy == ReceiptCopy::merchant ? std::string{"MERCHANT COPY"}
                                                   : std::string{"CUSTOMER COPY"};
          }},
};

const Field* find_field(std::string_view name) {
  for (const Field& f : kFields)
    if (f.name == name) return &f;
  return nullptr;
}

// "{>}": what follows goes flush against the right edge, what precedes stays left.
constexpr std::string_view kRightEdge = ">";

struct Segment {
  std::string_view literal;     // text, when field is null and !right_edge
  const Field* field = nullptr;
  bool right_edge = false;
};

struct TemplateLine {
  enum class Kind { text, rule, cut, feed } kind = Kind::text;
  int feed_lines = 0;
  Align align = Align::left;
  bool bold = false;
  bool double_size = false;
  std::vector<Segment> segments;
};

Error line_error(std::size_t number, const std::string& what) {
  return make_error(Errc::malformed, "receipt template line " + std::to_string(number) + ": " + what);
}

Result<TemplateLine> parse_line(std::string_view text, std::size_t number) {
  TemplateLine line;
  // Directives lead the line, each ended by a space (or the end of the line).
  while (!text.empty() && text.front() == '@') {
    const std::size_t end = std::min(text.find(' '), text.size());
    const std::string_view word = text.substr(0, end);
    text.remove_prefix(end < text.size() ? end + 1 : end);
    if (word == "@center") {
      line.align = Align::center;
    } else if (word == "@right") {
      line.align = Align::right;
    } else if (word == "@bold") {
      line.bold = true;
    } else if (word == "@double") {
      line.double_size = true;
    } else if (word == "@rule" || word == "@cut") {
      if (!text.empty()) return line_error(number, std::string{word} + " takes nothing after it");
      line.kind = word == "@rule" ? TemplateLine::Kind::rule : TemplateLine::Kind::cut;
      return line;
    } else if (word == "@feed") {
      int n = 0;
      if (text.empty() || text.size() > 2 || !std::all_of(text.begin(), text.end(), is_digit))
        return line_error(number, "@feed needs a line count 0..99");
      for (char c : text) n = n * 10 + (c - '0');
      line.kind = TemplateLine::Kind::feed;
      line.feed_lines = n;
      return line;
    } else {
      return line_error(number, "unknown directive " + std::string{word});
    }
  }
  bool right_edge_seen = false;
  while (!text.empty()) {
    const std::size_t open = text.find('{');
    if (open != 0) {
      line.segments.push_back(Segment{text.substr(0, std::min(open, text.size()))});
      if (open == std::string_view::npos) break;
      text.remove_prefix(open);
    }
    const std::size_t close = text.find('}');
    if (close == std::string_view::npos) return line_error(number, "'{' without '}'");
    const std::string_view name = text.substr(1, close - 1);
    text.remove_prefix(close + 1);
    if (name == kRightEdge) {
      if (right_edge_seen) return line_error(number, "more than one {>}");
      right_edge_seen = true;
      line.segments.push_back(Segment{{}, nullptr, true});
      continue;
    }
    const Field* field = find_field(name);
    if (field == nullptr) return line_error(number, "unknown field {" + std::string{name} + "}");
    line.segments.push_back(Segment{{}, field});
  }
  return line;
}

std::vector<std::string> split_lines(std::string_view value) {
  std::vector<std::string> parts;
  for (;;) {
    const std::size_t nl = value.find('\n');
    parts.emplace_back(value.substr(0, nl));
    if (nl == std::string_view::npos) return parts;
    value.remove_prefix(nl + 1);
  }
}

// A value as lines of at most `width`, each break after a '-', '/', '.' or ' ' so a
// reference like a UUID reads whole tokens per line; only a token longer than the line
// itself is cut (nothing else could print it). Spaces at a break are dropped, so the
// printer's own wrap never meets a line it would break again.
std::vector<std::string> token_lines(std::string_view value, std::size_t width) {
  std::vector<std::string> out;
  if (width == 0) return {std::string(value)};
  const auto is_break = [](char c) { return c == '-' || c == '/' || c == '.' || c == ' '; };
  while (value.size() > width) {
    std::size_t cut = 0;
    for (std::size_t i = 0; i < width; ++i) {
      if (is_break(value[i])) cut = i + 1;
    }
    if (cut == 0) cut = width;
    std::string piece(value.substr(0, cut));
    while (!piece.empty() && piece.back() == ' ') piece.pop_back();
    out.push_back(std::move(piece));
    value.remove_prefix(cut);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (!value.empty() || out.empty()) out.emplace_back(value);
  return out;
}

// Appends the document lines of one text template line: none when every placeholder is
// empty, several for a multi-line field.
void render_text_line(const TemplateLine& line, const Context& ctx, printer::Document& doc) {
  std::vector<std::vector<std::string>> values(line.segments.size());
  bool has_field = false;
  bool any_value = false;
  std::size_t repeat = 1;
  for (std::size_t i = 0; i < line.segments.size(); ++i) {
    const Field* field = line.segments[i].field;
    if (field == nullptr) continue;
    has_field = true;
    std::string value = field->get(ctx);
    any_value = any_value || !value.empty();
    values[i] = field->multi_line ? split_lines(value) : std::vector<std::string>{std::move(value)};
    repeat = std::max(repeat, values[i].size());
  }
  if (has_field && !any_value) return;

  const std::size_t capacity = printer::line_capacity(ctx.width, line.double_size);
  for (std::size_t r = 0; r < repeat; ++r) {
    std::string left;
    std::string right;
    bool at_right = false;
    for (std::size_t i = 0; i < line.segments.size(); ++i) {
      const Segment& seg = line.segments[i];
      if (seg.right_edge) {
        at_right = true;
        continue;
      }
      std::string& out = at_right ? right : left;
      if (seg.field == nullptr) {
        out += printer::printable_ascii(seg.literal);
      } else if (r < values[i].size()) {
        // Sanitised here, not only in the encoder, so the column arithmetic below counts
        // the characters the paper will show.
        out += printer::printable_ascii(values[i][r]);
      }
    }
    if (!at_right || right.empty()) {
      doc.add(printer::Line{std::move(left), line.align, line.bold, line.double_size});
    } else if (left.size() + 1 + right.size() <= capacity) {
      left.append(capacity - left.size() - right.size(), ' ');
      left += right;
      doc.add(printer::Line{std::move(left), Align::left, line.bold, line.double_size});
    } else {
      // Too long for one line: the label, then the value on its own line(s) at the right,
      // broken only between its tokens (a host's UUID after a '-'), never inside one.
      doc.add(printer::Line{std::move(left), Align::left, line.bold, line.double_size});
      for (std::string& piece : token_lines(right, capacity))
        doc.add(printer::Line{std::move(piece), Align::right, line.bold, line.double_size});
    }
  }
}

constexpr std::string_view kStandardTemplate = R"(@center @bold {merchant_name}
@center {address}
MID{>}{merchant_id}
TID{>}{terminal_id}
{timestamp}
@rule
@center @bold {type}
@center {offline_marker}
@rule
AMOUNT{>}{amount}
TIP{>}{tip}
SURCHARGE{>}{surcharge}
@bold TOTAL{>}{total}
REQUESTED{>}{requested}
APPROVED{>}{approved}
@rule
{card_label}{>}{masked_pan}
ENTRY{>}{entry_mode}
AID{>}{aid}
TVR{>}{tvr}
TSI{>}{tsi}
AUTH CODE{>}{auth_code}
HOST REF{>}{host_reference}
REF ID{>}{reference_id}
@rule
@center @double {verdict}
@center {response_message}
@center {offline}
@center {cvm_line}
{signature}
@center {signature_label}

@center {copy}
@cut
)";

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

const ReceiptTemplate& ReceiptTemplate::standard() {
  static const ReceiptTemplate standard = [] {
    auto parsed = parse(kStandardTemplate);
    // The text is a constant of this file and a test parses it: failing here is a
    // build that should never have shipped.
    if (!parsed) std::abort();
    return std::move(*parsed);
  }();
  return standard;
}

Result<ReceiptTemplate> ReceiptTemplate::parse(std::string_view text) {
  ReceiptTemplate tmpl;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    if (auto parsed = parse_line(line, number); !parsed) return std::move(parsed).error();
    tmpl.lines.emplace_back(line);
  }
  return tmpl;
}

printer::Document render(const ReceiptData& data, ReceiptCopy copy, const ReceiptTemplate& tmpl,
                         int width) {
  const Context ctx{data, copy, width};
  printer::Document doc;
  std::size_t number = 0;
  for (const std::string& text : tmpl.lines) {
    // A template built by hand rather than by parse() may hold a bad line: it prints
    // nothing rather than something half-understood.
    auto line = parse_line(text, ++number);
    if (!line) continue;
    switch (line->kind) {
      case TemplateLine::Kind::rule: doc.rule(); break;
      case TemplateLine::Kind::cut: doc.cut(); break;
      case TemplateLine::Kind::feed: doc.feed(line->feed_lines); break;
      case TemplateLine::Kind::text: render_text_line(*line, ctx, doc); break;
    }
  }
  return doc;
}

std::string document_text(const printer::Document& doc, int width) {
  const std::size_t w = printer::line_capacity(width, false);
  std::string out;
  for (const printer::Entry& entry : doc.entries) {
    if (const auto* line = std::get_if<printer::Line>(&entry)) {
      for (std::string& piece : printer::wrap(printer::printable_ascii(line->text), w)) {
        piece = rstrip(std::move(piece));
        const std::size_t room = w > piece.size() ? w - piece.size() : 0;
        if (!piece.empty() && line->align == Align::center) out.append(room / 2, ' ');
        if (!piece.empty() && line->align == Align::right) out.append(room, ' ');
        out += piece;
        out.push_back('\n');
      }
    } else if (std::holds_alternative<printer::Rule>(entry)) {
      out.append(w, '-');
      out.push_back('\n');
    } else if (const auto* feed = std::get_if<printer::Feed>(&entry)) {
      for (int i = 0; i < feed->lines; ++i) out.push_back('\n');
    }
  }
  return out;
}

std::string render_text(const ReceiptData& data, ReceiptCopy copy, const ReceiptTemplate& tmpl,
                        int width) {
  return document_text(render(data, copy, tmpl, width), width);
}

}  // namespace tender::app
