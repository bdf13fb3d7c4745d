// The engine's screens as ui/ draws them: app::Screen + ScreenArgs -> ui::ScreenData.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <string_view>

#include "app/engine/counter.hpp"
#include "ui/screen.hpp"

namespace tender::app {

ui::ScreenData to_ui(Screen screen, const ScreenArgs& args);
// Every engine screen and the ui screen that draws it (what tender-emu's SCREENS.md lists).
std::span<const std::pair<Screen, ui::ScreenId>> engine_screens() noexcept;
// The PED's screen: how many digits are in, the prompt when it is not the plain "ENTER PIN"
// ("INCORRECT PIN", "LAST TRY"), and the total the cardholder is asked to approve with it.
ui::ScreenData pin_screen(int digits, std::string_view prompt, const std::optional<Money>& amount);
// "USD 12.34": how every counter screen writes an amount.
std::string amount_text(const Money& amount);

// The 4x20 display's text, lines trimmed and joined by " | " (what expect_display reads).
std::string screen_text(Screen screen, const ScreenArgs& args);

}  // namespace tender::app
