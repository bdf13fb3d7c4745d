// The Display and Keypad seams (ARCHITECTURE.md). app/ maps its own screens onto ScreenData
// and talks to these; a front end (line, ncurses, later web) implements them.
#pragma once

#include <chrono>
#include <optional>

#include "ui/keypad.hpp"
#include "ui/screen.hpp"

namespace tender::ui {

class Display {
 public:
  virtual ~Display() = default;
  // Replaces what is shown. Showing cannot fail in a way the transaction could act on, so
  // a front end that loses its output keeps going and the transaction still completes.
  virtual void show(const ScreenData& screen) = 0;
};

class Keypad {
 public:
  virtual ~Keypad() = default;
  // The next key pressed within `wait`, or nullopt; never blocks longer than `wait`.
  virtual std::optional<Key> read_key(std::chrono::milliseconds wait) = 0;
};

}  // namespace tender::ui
