#include "ui/screen.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace tender::ui {
namespace {

constexpr std::array<std::pair<ScreenId, std::string_view>, kScreenCount> kNames{{
    {ScreenId::idle, "idle"},
    {ScreenId::confirm_amount, "confirm_amount"},
    {ScreenId::present_card, "present_card"},
    {ScreenId::insert_card, "insert_card"},
    {ScreenId::swipe_card, "swipe_card"},
    {ScreenId::fallback_swipe, "fallback_swipe"},
    {ScreenId::select_application, "select_application"},
    {ScreenId::enter_pin, "enter_pin"},
    {ScreenId::processing, "processing"},
    {ScreenId::approved, "approved"},
    {ScreenId::declined, "declined"},
    {ScreenId::partial_approval, "partial_approval"},
    {ScreenId::remove_card, "remove_card"},
    {ScreenId::signature, "signature"},
    {ScreenId::tip_prompt, "tip_prompt"},
    {ScreenId::cancelled, "cancelled"},
    {ScreenId::enter_amount, "enter_amount"},
    {ScreenId::menu, "menu"},
    {ScreenId::entry, "entry"},
    {ScreenId::message, "message"},
}};

// The template language, one display row per '\n'-separated line:
//   {amount} {other} {text} {pin}  the ScreenData field ({pin}: one '*' per digit entered);
//                                  {text:WORDS} shows WORDS while the field is empty
//   ^ at the start                 centre the row
//   ? at the start                 leave the row blank when all its fields are empty, so an
//                                  absent surcharge does not leave a bare "SURCHARGE" label
//   left|right                     left part flush left, right part flush right (amounts line
//                                  up at the edge; when the row is short the label gives way)
//   {items} alone                  the list: takes every row the other lines leave free
//   ~ alone                        the lines after it sit on the bottom rows (key hints)
// Rows a template leaves over stay blank. Literals are written upper case already; field
// values are upper-cased when drawn.
constexpr std::array<ScreenTemplate, 2 * kScreenCount> kTable{{
    // ---- 4 lines x 20 columns ------------------------------------------------------------
    {ScreenId::idle, DisplaySize::lines4x20,
     "^{text}\n"
     "\n"
     "^WELCOME\n"
     "?^{other}"},
    {ScreenId::confirm_amount, DisplaySize::lines4x20,
     "TOTAL|{amount}\n"
     "?SURCHARGE|{other}\n"
     "^ENTER = CONTINUE\n"
     "^CANCEL = STOP"},
    {ScreenId::present_card, DisplaySize::lines4x20,
     "TOTAL|{amount}\n"
     "^INSERT, SWIPE\n"
     "^OR KEY CARD\n"
     "^CANCEL = STOP"},
    {ScreenId::insert_card, DisplaySize::lines4x20,
     "TOTAL|{amount}\n"
     "^CHIP CARD:\n"
     "^PLEASE INSERT CARD\n"
     "^CANCEL = STOP"},
    {ScreenId::swipe_card, DisplaySize::lines4x20,
     "TOTAL|{amount}\n"
     "^PLEASE SWIPE\n"
     "^THE CARD\n"
     "^CANCEL = STOP"},
    {ScreenId::fallback_swipe, DisplaySize::lines4x20,
     "TOTAL|{amount}\n"
     "^CHIP NOT READ\n"
     "^PLEASE SWIPE CARD\n"
     "^CANCEL = STOP"},
    {ScreenId::select_application, DisplaySize::lines4x20,
     "^SELECT APPLICATION\n"
     "{items}"},
    {ScreenId::enter_pin, DisplaySize::lines4x20,
     "?TOTAL|{amount}\n"
     "^{text:ENTER PIN}\n"
     "^{pin}\n"
     "ENTER=OK CANCEL=STOP"},
    {ScreenId::processing, DisplaySize::lines4x20,
     "?TOTAL|{amount}\n"
     "\n"
     "^PROCESSING\n"
     "^PLEASE WAIT"},
    {ScreenId::approved, DisplaySize::lines4x20,
     "^APPROVED\n"
     "?TOTAL|{amount}\n"
     "?^{text}\n"
     "^THANK YOU"},
    {ScreenId::declined, DisplaySize::lines4x20,
     "^DECLINED\n"
     "?TOTAL|{amount}\n"
     "?^{text}"},
    {ScreenId::partial_approval, DisplaySize::lines4x20,
     "APPROVED|{amount}\n"
     "BALANCE DUE|{other}\n"
     "^ENTER = ACCEPT\n"
     "^CANCEL = REVERSE"},
    {ScreenId::remove_card, DisplaySize::lines4x20,
     "?^{text}\n"
     "\n"
     "^PLEASE REMOVE\n"
     "^CARD"},
    {ScreenId::signature, DisplaySize::lines4x20,
     "?TOTAL|{amount}\n"
     "^PLEASE SIGN THE\n"
     "^MERCHANT COPY\n"
     "^ENTER = DONE"},
    {ScreenId::tip_prompt, DisplaySize::lines4x20,
     "^ENTER TIP AMOUNT\n"
     "?SALE|{amount}\n"
     "TIP|{other}\n"
     "ENTER=OK CANCEL=NONE"},
    {ScreenId::cancelled, DisplaySize::lines4x20,
     "^CANCELLED\n"
     "?TOTAL|{amount}\n"
     "?^{text}"},
    {ScreenId::enter_amount, DisplaySize::lines4x20,
     "^{text:ENTER AMOUNT}\n"
     "\n"
     "AMOUNT|{amount}\n"
     "ENTER=OK CANCEL=STOP"},
    {ScreenId::menu, DisplaySize::lines4x20,
     "^{text}\n"
     "{items}"},
    {ScreenId::entry, DisplaySize::lines4x20,
     "^{text}\n"
     "\n"
     "^{other}\n"
     "ENTER=OK CANCEL=STOP"},
    {ScreenId::message, DisplaySize::lines4x20,
     "^{text}\n"
     "?^{other}\n"
     "?^{amount}\n"
     "^ENTER = OK"},

    // ---- 320x240: 15 rows x 40 columns ---------------------------------------------------
    {ScreenId::idle, DisplaySize::qvga,
     "^{text}\n"
     "\n\n\n\n\n"
     "^WELCOME\n"
     "\n"
     "?^{other}"},
    {ScreenId::confirm_amount, DisplaySize::qvga,
     "^CONFIRM AMOUNT\n"
     "\n\n\n"
     "  TOTAL|{amount}  \n"
     "\n"
     "?  SURCHARGE INCLUDED|{other}  \n"
     "~\n"
     "  ENTER = CONTINUE|CANCEL = STOP  "},
    {ScreenId::present_card, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^INSERT, SWIPE OR KEY IN CARD\n"
     "~\n"
     "^CANCEL = STOP"},
    {ScreenId::insert_card, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^CHIP CARD:\n"
     "^PLEASE INSERT THE CARD\n"
     "~\n"
     "^CANCEL = STOP"},
    {ScreenId::swipe_card, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^PLEASE SWIPE THE CARD\n"
     "~\n"
     "^CANCEL = STOP"},
    {ScreenId::fallback_swipe, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^CHIP COULD NOT BE READ\n"
     "^PLEASE SWIPE THE CARD\n"
     "~\n"
     "^CANCEL = STOP"},
    {ScreenId::select_application, DisplaySize::qvga,
     "^SELECT APPLICATION\n"
     "\n"
     "{items}\n"
     "~\n"
     "  ENTER = SELECT|CANCEL = STOP  "},
    {ScreenId::enter_pin, DisplaySize::qvga,
     "\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^ENTER PIN\n"
     "?^{text}\n"
     "\n"
     "^{pin}\n"
     "~\n"
     "  ENTER = OK|CANCEL = STOP  "},
    {ScreenId::processing, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^PROCESSING\n"
     "\n"
     "^PLEASE WAIT"},
    {ScreenId::approved, DisplaySize::qvga,
     "\n\n\n"
     "^APPROVED\n"
     "\n"
     "?^TOTAL {amount}\n"
     "\n"
     "?^{text}\n"
     "~\n"
     "^THANK YOU"},
    {ScreenId::declined, DisplaySize::qvga,
     "\n\n\n"
     "^DECLINED\n"
     "\n"
     "?^TOTAL {amount}\n"
     "\n"
     "?^{text}"},
    {ScreenId::partial_approval, DisplaySize::qvga,
     "^PARTIAL APPROVAL\n"
     "\n\n\n"
     "  APPROVED|{amount}  \n"
     "\n"
     "  BALANCE DUE|{other}  \n"
     "\n"
     "^PAY THE BALANCE ANOTHER WAY\n"
     "~\n"
     "  ENTER = ACCEPT|CANCEL = REVERSE  "},
    {ScreenId::remove_card, DisplaySize::qvga,
     "\n\n\n"
     "?^{text}\n"
     "\n\n"
     "^PLEASE REMOVE THE CARD"},
    {ScreenId::signature, DisplaySize::qvga,
     "\n\n\n"
     "?^TOTAL {amount}\n"
     "\n\n"
     "^PLEASE SIGN THE MERCHANT COPY\n"
     "~\n"
     "^ENTER = DONE"},
    {ScreenId::tip_prompt, DisplaySize::qvga,
     "^ADD A TIP\n"
     "\n\n\n"
     "?  SALE|{amount}  \n"
     "\n"
     "  TIP|{other}  \n"
     "\n"
     "^KEY THE TIP AMOUNT\n"
     "~\n"
     "  ENTER = OK|CANCEL = NO TIP  "},
    {ScreenId::cancelled, DisplaySize::qvga,
     "\n\n\n"
     "^CANCELLED\n"
     "\n"
     "?^TOTAL {amount}\n"
     "\n"
     "?^{text}"},
    {ScreenId::enter_amount, DisplaySize::qvga,
     "^{text:ENTER AMOUNT}\n"
     "\n\n\n"
     "  AMOUNT|{amount}  \n"
     "\n"
     "^KEY THE AMOUNT IN CENTS\n"
     "~\n"
     "  ENTER = OK|CANCEL = STOP  "},
    {ScreenId::menu, DisplaySize::qvga,
     "^{text}\n"
     "\n"
     "{items}\n"
     "~\n"
     "  ENTER = SELECT|CANCEL = BACK  "},
    {ScreenId::entry, DisplaySize::qvga,
     "\n\n\n"
     "^{text}\n"
     "\n\n"
     "^{other}\n"
     "~\n"
     "  ENTER = OK|CANCEL = STOP  "},
    {ScreenId::message, DisplaySize::qvga,
     "\n\n\n"
     "^{text}\n"
     "\n"
     "?^{other}\n"
     "\n"
     "?^{amount}\n"
     "~\n"
     "^ENTER = OK"},
}};

constexpr int kMaxPinDigits = 12;  // ISO 9564: a PIN has 4 to 12 digits

struct Field {
  std::string_view name;
  std::string (*value)(const ScreenData&);
};
constexpr std::array<Field, 4> kFields{{
    {"amount", [](const ScreenData& s) { return s.amount; }},
    {"other", [](const ScreenData& s) { return s.other; }},
    {"text", [](const ScreenData& s) { return s.text; }},
    {"pin", [](const ScreenData& s) { return std::string(static_cast<std::size_t>(std::clamp(s.pin_digits, 0, kMaxPinDigits)), '*'); }},
}};

// Splits on '\n' without allocating, so the same walk serves the compile-time check.
template <class F>
constexpr void for_each_line(std::string_view text, F&& f) {
  while (true) {
    const auto nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) return;
    text.remove_prefix(nl + 1);
  }
}

// Width of a line's fixed text: prefixes, the '|' and fields count nothing, defaults count.
constexpr int literal_width(std::string_view line) {
  while (!line.empty() && (line.front() == '^' || line.front() == '?')) line.remove_prefix(1);
  int width = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|') continue;
    if (line[i] == '{') {
      const auto close = line.find('}', i);
      if (close == std::string_view::npos) return 1000;  // unterminated: fails the check
      const auto colon = line.substr(i, close - i).find(':');
      if (colon != std::string_view::npos) width += static_cast<int>(close - i - colon - 1);
      i = close;
      continue;
    }
    ++width;
  }
  return width;
}

constexpr bool table_is_sound() {
  for (int id = 0; id < kScreenCount; ++id) {
    for (const auto size : {DisplaySize::lines4x20, DisplaySize::qvga}) {
      int found = 0;
      for (const auto& t : kTable) {
        if (static_cast<int>(t.id) != id || t.size != size) continue;
        ++found;
        int rows = 0;
        bool fits = true;
        for_each_line(t.lines, [&](std::string_view line) {
          if (line != "~") ++rows;
          if (literal_width(line) > geometry(size).cols) fits = false;
        });
        if (!fits || rows > geometry(size).rows) return false;
      }
      if (found != 1) return false;
    }
  }
  return true;
}
static_assert(table_is_sound(), "every screen needs one template per display size, within its rows and columns");

// What the display can show: printable ASCII, upper case. A UTF-8 sequence becomes one '?'
// so a name like "CAFÉ" keeps its width; control bytes become spaces so a stray newline in
// a reason cannot break the grid.
std::string displayable(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) out.push_back('?');
    } else if (c < 0x20 || c == 0x7F) {
      out.push_back(' ');
    } else {
      out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
    }
  }
  return out;
}

// Fills in the fields; `any_value` records whether one of them had something to say.
std::string expand(std::string_view part, const ScreenData& screen, bool& any_value) {
  std::string out;
  while (!part.empty()) {
    const auto open = part.find('{');
    const auto close = open == std::string_view::npos ? open : part.find('}', open);
    if (close == std::string_view::npos) {
      out += part;
      break;
    }
    out += part.substr(0, open);
    const std::string_view inner = part.substr(open + 1, close - open - 1);
    const auto colon = inner.find(':');
    const std::string_view name = inner.substr(0, colon);
    const auto field = std::find_if(kFields.begin(), kFields.end(), [&](const Field& f) { return f.name == name; });
    if (field == kFields.end()) {
      out += part.substr(open, close - open + 1);
    } else if (std::string value = displayable(field->value(screen)); !value.empty()) {
      any_value = true;
      out += value;
    } else if (colon != std::string_view::npos) {
      out += inner.substr(colon + 1);
    }
    part.remove_prefix(close + 1);
  }
  return out;
}

std::string cut(std::string text, std::size_t width) {
  if (text.size() > width) text.resize(width);
  return text;
}

std::string render_line(std::string_view line, const ScreenData& screen, std::size_t cols) {
  bool centred = false;
  bool conditional = false;
  while (!line.empty() && (line.front() == '^' || line.front() == '?')) {
    (line.front() == '^' ? centred : conditional) = true;
    line.remove_prefix(1);
  }
  const bool has_fields = line.find('{') != std::string_view::npos;
  bool any_value = false;
  const auto bar = line.find('|');
  std::string left = expand(line.substr(0, bar), screen, any_value);
  std::string right = bar == std::string_view::npos ? std::string{} : expand(line.substr(bar + 1), screen, any_value);
  if (conditional && has_fields && !any_value) return std::string(cols, ' ');

  if (bar != std::string_view::npos) {
    if (right.size() >= cols) return cut(std::move(right), cols);
    const std::size_t room = cols - right.size();  // the label keeps one space before the value
    left = cut(std::move(left), room > 1 ? room - 1 : 0);
    return left + std::string(cols - left.size() - right.size(), ' ') + right;
  }
  left = cut(std::move(left), cols);
  const std::size_t spare = cols - left.size();
  const std::size_t before = centred ? spare / 2 : 0;
  return std::string(before, ' ') + left + std::string(spare - before, ' ');
}

// Pages rather than a sliding window: the view depends on `selected` alone, so the same data
// always draws the same screen and the front ends need no scroll state.
void render_items(const ScreenData& screen, std::size_t rows, std::size_t cols, std::vector<std::string>& out) {
  if (rows == 0) return;
  const std::size_t count = screen.items.size();
  const std::size_t selected = count == 0 ? 0 : static_cast<std::size_t>(std::clamp(screen.selected, 0, static_cast<int>(count) - 1));
  const std::size_t first = selected / rows * rows;
  for (std::size_t i = first; i < first + rows; ++i) {
    if (i >= count) {
      out.emplace_back(cols, ' ');
      continue;
    }
    std::string row = (i == selected ? ">" : " ") + std::to_string(i + 1) + " " + displayable(screen.items[i]);
    row = cut(std::move(row), cols);
    row.resize(cols, ' ');
    out.push_back(std::move(row));
  }
}

}  // namespace

std::string_view to_string(ScreenId id) noexcept {
  for (const auto& [screen, name] : kNames) {
    if (screen == id) return name;
  }
  return "unknown";
}

std::optional<ScreenId> screen_from_name(std::string_view name) noexcept {
  for (const auto& [screen, known] : kNames) {
    if (known == name) return screen;
  }
  return std::nullopt;
}

std::span<const ScreenTemplate> screen_table() noexcept { return kTable; }

std::vector<std::string> layout(const ScreenData& screen, DisplaySize size) {
  const auto [rows_i, cols_i] = geometry(size);
  const auto rows = static_cast<std::size_t>(rows_i);
  const auto cols = static_cast<std::size_t>(cols_i);
  std::vector<std::string> out;
  out.reserve(rows);

  const auto entry = std::find_if(kTable.begin(), kTable.end(),
                                  [&](const ScreenTemplate& t) { return t.id == screen.id && t.size == size; });
  if (entry == kTable.end()) {  // an id cast from a bad integer: show nothing rather than guess
    out.assign(rows, std::string(cols, ' '));
    return out;
  }

  std::vector<std::string_view> top;
  std::vector<std::string_view> bottom;
  bool below = false;
  for_each_line(entry->lines, [&](std::string_view line) {
    if (line == "~") {
      below = true;
      return;
    }
    (below ? bottom : top).push_back(line);
  });
  const auto is_list = [](std::string_view line) { return line == "{items}"; };
  const auto lists = static_cast<std::size_t>(std::count_if(top.begin(), top.end(), is_list) +
                                              std::count_if(bottom.begin(), bottom.end(), is_list));
  const std::size_t fixed = top.size() + bottom.size() - lists;
  const std::size_t list_rows = lists > 0 && rows > fixed ? (rows - fixed) / lists : 0;
  const auto rows_of = [&](std::string_view line) { return is_list(line) ? list_rows : std::size_t{1}; };

  const auto emit = [&](std::string_view line) {
    if (is_list(line)) {
      render_items(screen, list_rows, cols, out);
    } else {
      out.push_back(render_line(line, screen, cols));
    }
  };
  for (const auto line : top) emit(line);
  std::size_t bottom_rows = 0;
  for (const auto line : bottom) bottom_rows += rows_of(line);
  while (out.size() + bottom_rows < rows) out.emplace_back(cols, ' ');
  for (const auto line : bottom) emit(line);
  out.resize(rows, std::string(cols, ' '));
  return out;
}

}  // namespace tender::ui
