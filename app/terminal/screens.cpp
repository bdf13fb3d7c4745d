#include "app/terminal/screens.hpp"

#include <array>

namespace tender::app {
namespace {

constexpr std::array kScreens{
    std::pair{Screen::idle, ui::ScreenId::idle},
    std::pair{Screen::confirm_amount, ui::ScreenId::confirm_amount},
    std::pair{Screen::present_card, ui::ScreenId::present_card},
    std::pair{Screen::insert_card, ui::ScreenId::insert_card},
    std::pair{Screen::swipe_card, ui::ScreenId::swipe_card},
    std::pair{Screen::fallback_swipe, ui::ScreenId::fallback_swipe},
    std::pair{Screen::select_application, ui::ScreenId::select_application},
    std::pair{Screen::processing, ui::ScreenId::processing},
    std::pair{Screen::partial_approval, ui::ScreenId::partial_approval},
    std::pair{Screen::approved, ui::ScreenId::approved},
    std::pair{Screen::declined, ui::ScreenId::declined},
    std::pair{Screen::remove_card, ui::ScreenId::remove_card},
    std::pair{Screen::signature, ui::ScreenId::signature},
    std::pair{Screen::cancelled, ui::ScreenId::cancelled},
};

std::string money_text(const std::optional<Money>& m) {
  return m ? amount_text(*m) : std::string{};
}

}  // namespace

std::span<const std::pair<Screen, ui::ScreenId>> engine_screens() noexcept { return kScreens; }

std::string amount_text(const Money& amount) { return std::string(amount.currency().alpha) + " " + amount.format(); }

ui::ScreenData pin_screen(int digits, std::string_view prompt, const std::optional<Money>& amount) {
  ui::ScreenData d{.id = ui::ScreenId::enter_pin};
  if (prompt != "ENTER PIN") d.text = std::string(prompt);
  d.amount = money_text(amount);
  d.pin_digits = digits;
  return d;
}

ui::ScreenData to_ui(Screen screen, const ScreenArgs& args) {
  ui::ScreenData d;
  for (const auto& [s, id] : kScreens) {
    if (s == screen) d.id = id;
  }
  d.amount = money_text(args.amount);
  d.other = money_text(args.other);
  d.text = args.text;
  d.items = args.items;
  return d;
}

std::string screen_text(Screen screen, const ScreenArgs& args) {
  std::string out;
  for (std::string line : ui::layout(to_ui(screen, args), ui::DisplaySize::lines4x20)) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    const auto first = line.find_first_not_of(' ');
    line = first == std::string::npos ? std::string{} : line.substr(first);
    if (line.empty()) continue;
    if (!out.empty()) out += " | ";
    out += line;
  }
  return out;
}

}  // namespace tender::app
