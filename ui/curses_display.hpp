// The ncurses front end, for the emulator and for terminals with a text console: the display
// in a box sized to it, side panels beside it, the keyboard as the keypad. ncurses stays in
// curses_display.cpp (its macros - clear, timeout, OK, ERR - would leak into every includer).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "ui/display.hpp"

namespace tender::ui {

struct CursesOptions {
  DisplaySize size = DisplaySize::lines4x20;
  int input_fd = 0;        // the terminal to use: stdin/stdout unless a test hands in a pty
  int output_fd = 1;
  std::string term;        // terminfo name; empty: $TERM
  std::string title = "TENDER";
};

// ncurses keeps one current terminal per process, so only one CursesDisplay may be open at a
// time. Destroying it puts the terminal back as it was (endwin), also when the program is
// leaving through an exception.
class CursesDisplay final : public Display, public Keypad {
 public:
  // Errc::unsupported: TERM unset or unknown to terminfo, or the fds are not a terminal;
  // Errc::invalid_argument: another CursesDisplay is open; Errc::io_error: the fds could not
  // be duplicated.
  static Result<std::unique_ptr<CursesDisplay>> open(CursesOptions options = {});
  ~CursesDisplay() override;
  CursesDisplay(const CursesDisplay&) = delete;
  CursesDisplay& operator=(const CursesDisplay&) = delete;

  void show(const ScreenData& screen) override;

  // A boxed panel beside the display (below it when the terminal is narrow), for what the
  // emulator shows around the terminal: the card set, keypad_help(), the printed receipt.
  // The same title replaces that panel; empty lines remove it. Panels stack in the order
  // first shown; one that does not fit is cut, its last row saying so.
  void panel(std::string_view title, const std::vector<std::string>& lines);

  // Waits up to `wait`; a terminal resize redraws and keeps waiting. Keys with no terminal
  // meaning are skipped. Besides key_from_char: the keypad Enter, Backspace, Delete (CLEAR),
  // F1-F4 and the Up/Down arrows.
  std::optional<Key> read_key(std::chrono::milliseconds wait) override;

  // False while the terminal is too small for the display box; it then says so instead.
  [[nodiscard]] bool fits() const noexcept;

 private:
  struct Impl;
  explicit CursesDisplay(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tender::ui
