// tender-emu's interactive mode: the terminal's display in a box, the card set and the last
// receipt in panels beside it, the keyboard as the keypad. The merchant's menu is tender's own
// (app/terminal/counter_menu): F1 starts a sale, ENTER opens the menu. The emulator's own
// buttons are the other function keys: Up/Down (at the idle screen) choose a card, F2 inserts
// it, F3 swipes it, F4 removes it; CANCEL (Esc or c) at the idle screen quits.
#include "app/emu/interactive.hpp"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "app/emu/emu_counter.hpp"
#include "app/emu/emu_host.hpp"
#include "app/tender/menu_host.hpp"
#include "app/terminal/counter_menu.hpp"
#include "app/terminal/screens.hpp"
#include "app/emu/terminal.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "ui/curses_display.hpp"
#include "ui/selection.hpp"

namespace tender::app::emu {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Interactive {
 public:
  Interactive(ui::CursesDisplay& display, EmuHost* host, const HostSettings* configured, HostKind choice,
              fs::path state)
      : display_(display), host_(host), configured_(configured), choice_(choice), state_(std::move(state)) {
    cards_ = card_set();
    counter_.on_screen = [this](Screen s, const ScreenArgs& a) {
      screen_ = s;
      display_.show(to_ui(s, a));
    };
    counter_.pin_entry = [this] { return enter_pin(); };
    counter_.application_choice = [this](const std::vector<std::string>& names) { return choose(names); };
    counter_.total_confirmation = [this](const ScreenArgs&) { return confirm_total(); };
  }

  int run() {
    auto kernel = builtin_test_terminal();
    if (!kernel) return fail("terminal configuration: " + kernel.error().message);
    kernel_ = std::move(*kernel);
    TerminalSetup setup;
    setup.host = choice_;
    setup.state_dir = state_;
    setup.engine = emulator_engine_config();
    setup.configured_host = configured_;
    auto t = EmuTerminal::boot(host_, setup, kernel_, counter_);
    if (!t) return fail("start: " + t.error().message);
    terminal_ = std::move(*t);
    bool recovered = false;
    terminal_->engine().recover([&](RecoveryReport) { recovered = true; });
    pump_until([&] { return recovered; });
    MenuOptions options;
    options.title = "TENDER EMULATOR";
    options.status = upper(to_string(choice_)) + (configured_ != nullptr ? " (CONFIGURED)" : "");
    options.function_shortcuts = false;  // F2-F4 are the emulator's card buttons
    options.receipt_width = terminal_->engine().config().receipt_width;
    menu_ = std::make_unique<CounterMenu>(terminal_->engine(), terminal_->journal(), counter_, display_,
                                          menu_host(terminal_->capabilities()), std::move(options));
    menu_->show_idle();
    draw_panels();
    bool was_running = false;
    while (!quit_) {
      pump();
      if (was_running && !menu_->running()) {
        // The transaction is over: the card comes out of the slot, the panels catch up.
        counter_.remove_card();
        status_ = counter_.printed.empty() ? std::string{} : "printed " + std::to_string(counter_.printed.size());
        draw_panels();
      }
      was_running = menu_->running();
      menu_->tick();
      const auto key = display_.read_key(50ms);
      if (key) on_key(*key);
      if (menu_->quit_requested()) quit_ = true;
    }
    menu_.reset();
    terminal_.reset();
    return 0;
  }

 private:
  int fail(const std::string& why) {
    status_ = why;
    draw_panels();
    return 1;
  }

  void pump() {
    terminal_->io.restart();
    terminal_->io.poll();
  }
  void pump_until(const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (!done() && std::chrono::steady_clock::now() < end) {
      terminal_->io.restart();
      terminal_->io.run_one_for(10ms);
    }
  }

  void draw_panels() {
    // A window of the card set around the chosen card: the whole set would push the receipt
    // off an 80x24 terminal.
    constexpr std::size_t kWindow = 7;
    const std::size_t first = chosen_ >= kWindow / 2 ? std::min(chosen_ - kWindow / 2, cards_.size() - kWindow) : 0;
    std::vector<std::string> cards;
    for (std::size_t i = first; i < cards_.size() && i < first + kWindow; ++i) {
      cards.push_back((i == chosen_ ? "> " : "  ") + cards_[i].name + (cards_[i].chip ? "" : " (stripe)"));
    }
    display_.panel("CARDS (Up/Down)", cards);
    display_.panel("BUTTONS", {"F1  new sale", "Ent menu", "F2  insert card", "F3  swipe card", "F4  remove card",
                               "Esc at idle: quit", status_});
    // The customer copy from its transaction type down: the header is the same every time.
    std::vector<std::string> receipt;
    if (!counter_.printed.empty()) {
      std::string text = counter_.printed.back();
      if (const auto dashes = text.find("-----"); dashes != std::string::npos) text = text.substr(dashes);
      std::size_t start = 0;
      while (start < text.size()) {
        const auto nl = text.find('\n', start);
        receipt.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    display_.panel("RECEIPT", receipt);
  }

  void on_key(ui::Key key) {
    // The emulator's buttons first: they are the cardholder's hands, whatever is on screen.
    switch (key) {
      case ui::Key::f2:
        if (!cards_[chosen_].chip) {
          status_ = "no chip on " + cards_[chosen_].name + ": swipe it (F3)";
          draw_panels();
          return;
        }
        counter_.push({Input::Kind::insert, cards_[chosen_].name, 0});
        return;
      case ui::Key::f3:
        counter_.push({Input::Kind::swipe, cards_[chosen_].name, 0});
        return;
      case ui::Key::f4:
        counter_.remove_card();
        return;
      default:
        break;
    }
    // Up/Down choose the card unless the menu is scrolling one of its lists: at idle, and
    // while a transaction waits for the card (the tester picks it at the card prompt).
    const bool transaction = menu_->running() || terminal_->engine().busy();
    const bool cards_have_arrows = transaction || (menu_->at_idle() && !terminal_->engine().busy());
    if ((key == ui::Key::up || key == ui::Key::down) && cards_have_arrows) {
      chosen_ = key == ui::Key::up ? (chosen_ == 0 ? cards_.size() - 1 : chosen_ - 1) : (chosen_ + 1) % cards_.size();
      draw_panels();
      return;
    }
    if (transaction) {
      // A transaction's prompt is up: ENTER and CANCEL answer it.
      if (key == ui::Key::enter) counter_.push({Input::Kind::key, "ENTER", 0});
      if (key == ui::Key::cancel) counter_.push({Input::Kind::key, "CANCEL", 0});
      return;
    }
    menu_->on_key(key);
  }

  // Book 1 12.4 at the counter: the keypad picks from the card's applications.
  Result<std::size_t> choose(const std::vector<std::string>& names) {
    return ui::choose_item(display_, display_, names, 30s);
  }

  // A chip card's surcharge (the confirm_amount screen is up): ENTER or CANCEL, 30 seconds.
  Result<bool> confirm_total() {
    const auto last = std::chrono::steady_clock::now();
    while (true) {
      const auto key = display_.read_key(100ms);
      if (!key) {
        if (std::chrono::steady_clock::now() - last > 30s) return make_error(Errc::timeout, "no answer at the amount prompt");
        continue;
      }
      if (*key == ui::Key::enter) return true;
      if (*key == ui::Key::cancel) return false;
    }
  }

  // The PED: digits shown as asterisks, ENTER submits (none: bypass), CANCEL cancels, and
  // 30 seconds without a key time the entry out.
  Result<std::optional<SecretString>> enter_pin() {
    std::string digits;
    auto last = std::chrono::steady_clock::now();
    while (true) {
      display_.show(pin_screen(static_cast<int>(digits.size()), "ENTER PIN", counter_.transaction_amount));
      const auto key = display_.read_key(100ms);
      if (!key) {
        if (std::chrono::steady_clock::now() - last > 30s) return make_error(Errc::timeout, "no PIN entered");
        continue;
      }
      last = std::chrono::steady_clock::now();
      if (auto digit = ui::key_digit(*key); digit && digits.size() < 12) digits += static_cast<char>('0' + *digit);
      else if (*key == ui::Key::backspace && !digits.empty()) digits.pop_back();
      else if (*key == ui::Key::clear) digits.clear();
      else if (*key == ui::Key::cancel) return make_error(Errc::cancelled, "CANCEL at PIN entry");
      else if (*key == ui::Key::enter) {
        if (digits.empty()) return std::optional<SecretString>{};
        SecretString pin{digits};
        std::fill(digits.begin(), digits.end(), '\0');
        return std::optional<SecretString>{std::move(pin)};
      }
    }
  }

  ui::CursesDisplay& display_;
  EmuHost* host_;
  const HostSettings* configured_;
  HostKind choice_;
  fs::path state_;
  EmuCounter counter_;
  emv::TerminalConfig kernel_;
  std::unique_ptr<EmuTerminal> terminal_;
  std::vector<EmuCard> cards_;
  std::size_t chosen_ = 0;
  Screen screen_ = Screen::idle;
  std::string status_;
  bool quit_ = false;
  std::unique_ptr<CounterMenu> menu_;
};

}  // namespace

int run_interactive(const std::vector<std::string>& args) {
  HostKind choice = HostKind::aurora;
  fs::path state;
  std::optional<TerminalSettings> settings;
  ui::DisplaySize size = ui::DisplaySize::lines4x20;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--host" && i + 1 < args.size()) {
      const auto kind = net::host::host_kind_from(args[++i]);
      if (!kind) {
        std::cerr << "tender-emu: --host must be " << net::host::host_kind_choices() << "\n";
        return 2;
      }
      choice = *kind;
    } else if (args[i] == "--config" && i + 1 < args.size()) {
      // A real (test) host from a terminal configuration instead of the built-in simulator.
      auto loaded = load_settings(args[++i]);
      if (!loaded) {
        std::cerr << "tender-emu: " << loaded.error().message << "\n";
        return 2;
      }
      settings.emplace(std::move(*loaded));
      choice = settings->host.kind;
    } else if (args[i] == "--state-dir" && i + 1 < args.size()) {
      state = args[++i];
    } else if (args[i] == "--display" && i + 1 < args.size()) {
      size = args[++i] == "320x240" ? ui::DisplaySize::qvga : ui::DisplaySize::lines4x20;
    } else {
      std::cerr << "tender-emu: unknown argument " << args[i] << "\n";
      return 2;
    }
  }
  bool temporary = false;
  if (state.empty()) {
    state = fs::temp_directory_path() / ("tender-emu-interactive-" + std::to_string(::getpid()));
    temporary = true;
  }
  std::error_code ec;
  fs::create_directories(state, ec);
  // Log lines would scribble over the screen: errors only, and to a file in the state folder.
  log::set_level(log::Level::error);
  // With no --config, the host simulator runs in this process on 127.0.0.1.
  std::unique_ptr<EmuHost> host;
  if (!settings) {
    auto started = EmuHost::start();
    if (!started) {
      std::cerr << "tender-emu: host simulator: " << started.error().describe() << "\n";
      return 1;
    }
    host = std::move(*started);
  }
  ui::CursesOptions options;
  options.size = size;
  options.title = "TENDER EMULATOR";
  auto display = ui::CursesDisplay::open(options);
  if (!display) {
    std::cerr << "tender-emu: " << display.error().message << " (the interactive mode needs a terminal; try tender-emu run)\n";
    return 2;
  }
  const int code = Interactive(**display, host.get(), settings ? &settings->host : nullptr, choice, state).run();
  display->reset();
  if (temporary) fs::remove_all(state, ec);
  return code;
}

}  // namespace tender::app::emu
