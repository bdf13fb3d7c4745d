// tender-emu's interactive mode. In a terminal (curses): the terminal's display in a box, the
// card set and the last receipt in panels beside it, the keyboard as the keypad (F2 inserts
// the chosen card, F3 swipes it, F4 removes it, Up/Down choose it at the idle screen; CANCEL
// - Esc or c - at the idle screen quits). With --web: the same terminal as a page on
// loopback (web_front.cpp). The terminal, menu and loop are the bench's (bench.cpp).
#include "app/emu/interactive.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "app/emu/bench.hpp"
#include "app/emu/emu_host.hpp"
#include "app/emu/web_front.hpp"
#include "common/log.hpp"
#include "ui/curses_display.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;

class CursesFront final : public FrontEnd {
 public:
  explicit CursesFront(ui::CursesDisplay& display) : display_(display) {}

  void show(const ui::ScreenData& screen) override { display_.show(screen); }
  std::optional<ui::Key> read_key(std::chrono::milliseconds wait) override { return display_.read_key(wait); }

  void update(const BenchView& view) override {
    // A window of the card set around the chosen card: the whole set would push the receipt
    // off an 80x24 terminal.
    constexpr std::size_t kWindow = 7;
    const auto& all = view.cards;
    const std::size_t chosen = view.chosen;
    const std::size_t first = chosen >= kWindow / 2 ? std::min(chosen - kWindow / 2, all.size() - kWindow) : 0;
    std::vector<std::string> cards;
    for (std::size_t i = first; i < all.size() && i < first + kWindow; ++i) {
      cards.push_back((i == chosen ? "> " : "  ") + all[i].name + (all[i].chip ? "" : " (stripe)"));
    }
    display_.panel("CARDS (Up/Down)", cards);
    display_.panel("BUTTONS", {"F1  new sale", "Ent menu", "F2  insert card", "F3  swipe card", "F4  remove card",
                               "Esc at idle: quit", view.status});
    display_.panel("RECEIPT", view.receipt);
    status_ = view.status;
  }

  // The bench's last word: why it stopped when it could not start.
  [[nodiscard]] const std::string& status() const noexcept { return status_; }

 private:
  ui::CursesDisplay& display_;
  std::string status_;
};

}  // namespace

int run_interactive(const std::vector<std::string>& args) {
  auto parsed = parse_interactive_args(args);
  if (!parsed) {
    std::cerr << "tender-emu: " << log::scrub(parsed.error().message) << "\n";
    return 2;
  }
  InteractiveArgs a = std::move(*parsed);
  std::optional<WebAddress> web;
  if (a.web) {
    auto address = parse_web_address(*a.web);
    if (!address) {
      std::cerr << "tender-emu: --web: " << log::scrub(address.error().message) << "\n";
      return 2;
    }
    web = *address;
  }
  bool temporary = false;
  fs::path state = a.state_dir;
  if (state.empty()) {
    state = fs::temp_directory_path() / ("tender-emu-interactive-" + std::to_string(::getpid()));
    temporary = true;
  }
  std::error_code ec;
  fs::create_directories(state, ec);
  // Log lines would scribble over the screen (and the page's test reads stdout): errors only.
  log::set_level(log::Level::error);
  // With no --config, the host simulator runs in this process on 127.0.0.1.
  std::unique_ptr<EmuHost> host;
  if (!a.settings) {
    auto started = EmuHost::start();
    if (!started) {
      std::cerr << "tender-emu: host simulator: " << started.error().describe() << "\n";
      return 1;
    }
    host = std::move(*started);
  }
  BenchOptions options;
  options.host = a.host;
  options.simulator = host.get();
  options.configured = a.settings ? &a.settings->host : nullptr;
  options.state_dir = state;
  int code = 0;
  if (web) {
    code = run_web(*web, a.size, options);
  } else {
    ui::CursesOptions curses;
    curses.size = a.size;
    curses.title = "TENDER EMULATOR";
    auto display = ui::CursesDisplay::open(curses);
    if (!display) {
      std::cerr << "tender-emu: " << display.error().message
                << " (the interactive mode needs a terminal; try tender-emu run, or --web PORT)\n";
      return 2;
    }
    CursesFront front(**display);
    code = run_bench(front, options);
    display->reset();  // the terminal as it was: the reason goes below the shell's prompt
    if (code != 0) std::cerr << "tender-emu: " << log::scrub(front.status()) << "\n";
  }
  if (temporary) fs::remove_all(state, ec);
  return code;
}

}  // namespace tender::app::emu
