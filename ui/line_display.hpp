// The plain line front end, for scripts and logs: each screen as its text rows on a stream.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "ui/display.hpp"

namespace tender::ui {

// Output, per screen: one line per display row with trailing spaces trimmed (blank rows stay
// as empty lines, so every screen has the display's row count), and between two screens a
// line of '-' as wide as the display. A screen drawing exactly what is already shown writes
// nothing, so a runner that re-shows on every tick does not flood the log.
class LineDisplay final : public Display {
 public:
  explicit LineDisplay(std::ostream& out, DisplaySize size = DisplaySize::lines4x20) : out_(&out), size_(size) {}

  void show(const ScreenData& screen) override;

  // The last screen: its rows, trimmed, joined with '\n'; empty before the first show.
  [[nodiscard]] const std::string& last_text() const noexcept { return last_text_; }
  [[nodiscard]] std::optional<ScreenId> last_screen() const noexcept { return last_screen_; }
  // For "expect_display" in scenario files: `needle` upper-cased and with runs of spaces
  // collapsed, against each row collapsed the same way ("total $5.00" finds the row
  // "TOTAL          $5.00"). A needle never matches across two rows.
  [[nodiscard]] bool last_contains(std::string_view needle) const;
  [[nodiscard]] std::size_t screens_written() const noexcept { return written_; }

 private:
  std::ostream* out_;
  DisplaySize size_;
  std::vector<std::string> last_rows_;
  std::string last_text_;
  std::optional<ScreenId> last_screen_;
  std::size_t written_ = 0;
};

}  // namespace tender::ui
