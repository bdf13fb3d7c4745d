// The engine's screens as ui/ draws them: app::Screen + ScreenArgs -> ui::ScreenData.
#pragma once

#include <string>

#include "app/engine/counter.hpp"
#include "ui/screen.hpp"

namespace tender::app {

ui::ScreenData to_ui(Screen screen, const ScreenArgs& args);
// The 4x20 display's text, lines trimmed and joined by " | " (what expect_display reads).
std::string screen_text(Screen screen, const ScreenArgs& args);

}  // namespace tender::app::emu
