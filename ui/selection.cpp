#include "ui/selection.hpp"

#include "ui/keypad.hpp"
#include "ui/screen.hpp"

namespace tender::ui {

Result<std::size_t> choose_item(Display& display, Keypad& keypad, const std::vector<std::string>& items,
                                std::chrono::milliseconds timeout, const std::function<bool()>& stop) {
  if (items.empty()) return make_error(Errc::invalid_argument, "nothing to choose from");
  const int count = static_cast<int>(items.size());
  int selected = 0;
  int shown = -1;
  auto last_key = std::chrono::steady_clock::now();
  for (;;) {
    if (selected != shown) {
      ScreenData screen;
      screen.id = ScreenId::select_application;
      screen.items = items;
      screen.selected = selected;
      display.show(screen);
      shown = selected;
    }
    if (stop && stop()) return make_error(Errc::cancelled, "stopped while choosing");
    const auto key = keypad.read_key(std::chrono::milliseconds{100});
    if (!key) {
      if (std::chrono::steady_clock::now() - last_key >= timeout) return make_error(Errc::timeout, "nothing chosen in time");
      continue;
    }
    last_key = std::chrono::steady_clock::now();
    if (const auto digit = key_digit(*key); digit && *digit >= 1 && *digit <= count) {
      selected = *digit - 1;
    } else if (*key == Key::up) {
      selected = (selected + count - 1) % count;
    } else if (*key == Key::down) {
      selected = (selected + 1) % count;
    } else if (*key == Key::cancel) {
      return make_error(Errc::cancelled, "CANCEL while choosing");
    } else if (*key == Key::enter) {
      return static_cast<std::size_t>(selected);
    }
  }
}

}  // namespace tender::ui
