#include "ui/line_display.hpp"

namespace tender::ui {
namespace {

std::string_view trim_right(std::string_view s) {
  const auto end = s.find_last_not_of(' ');
  return end == std::string_view::npos ? std::string_view{} : s.substr(0, end + 1);
}

std::string collapsed(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

}  // namespace

void LineDisplay::show(const ScreenData& screen) {
  last_screen_ = screen.id;
  std::vector<std::string> rows = layout(screen, size_);
  if (written_ > 0 && rows == last_rows_) return;

  std::string text;
  for (const auto& row : rows) {
    if (&row != &rows.front()) text.push_back('\n');
    text += trim_right(row);
  }
  if (written_ > 0) *out_ << std::string(static_cast<std::size_t>(geometry(size_).cols), '-') << '\n';
  *out_ << text << '\n' << std::flush;
  ++written_;
  last_rows_ = std::move(rows);
  last_text_ = std::move(text);
}

bool LineDisplay::last_contains(std::string_view needle) const {
  const std::string wanted = collapsed(needle);
  if (wanted.empty()) return true;
  for (const auto& row : last_rows_) {
    if (collapsed(row).find(wanted) != std::string::npos) return true;
  }
  return false;
}

}  // namespace tender::ui
