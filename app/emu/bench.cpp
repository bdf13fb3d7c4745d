// The interactive emulator's loop, front-end independent. The merchant's menu is tender's own
// (app/terminal/counter_menu): F1 starts a sale, ENTER opens the menu. The emulator's own
// buttons are the other function keys: Up/Down (at the idle screen) choose a card, F2 inserts
// it, F3 swipes it, F4 removes it; a front end with buttons of its own sends CardActions.
// CANCEL at the idle screen quits where the front end says it does.
#include "app/emu/bench.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <memory>

#include "app/emu/host_log.hpp"
#include "app/emu/terminal.hpp"
#include "app/sim/test_terminal.hpp"
#include "app/tender/menu_host.hpp"
#include "app/terminal/counter_menu.hpp"
#include "app/terminal/screens.hpp"
#include "common/log.hpp"
#include "ui/selection.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The customer copy from its transaction type down: the header is the same every time.
std::vector<std::string> receipt_lines(std::string text) {
  std::vector<std::string> lines;
  if (const auto dashes = text.find("-----"); dashes != std::string::npos) text = text.substr(dashes);
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

class Bench {
 public:
  Bench(FrontEnd& front, const BenchOptions& options) : front_(front), options_(options) {
    view_.cards = card_set();
    view_.host = upper(to_string(options.host)) + (options.configured != nullptr ? " (CONFIGURED)" : "");
    counter_.on_screen = [this](Screen s, const ScreenArgs& a) { front_.show(to_ui(s, a)); };
    counter_.pin_entry = [this] { return enter_pin(); };
    counter_.application_choice = [this](const std::vector<std::string>& names) { return choose(names); };
    counter_.total_confirmation = [this](const ScreenArgs&) { return confirm_total(); };
  }

  int run() {
    auto kernel = builtin_test_terminal();
    if (!kernel) return fail("terminal configuration: " + kernel.error().message);
    kernel_ = std::move(*kernel);
    TerminalSetup setup;
    setup.host = options_.host;
    setup.state_dir = options_.state_dir;
    setup.engine = emulator_engine_config();
    setup.configured_host = options_.configured;
    setup.host_log = &host_log_;  // used with a configured host: the simulator logs its own side
    auto t = EmuTerminal::boot(options_.simulator, setup, kernel_, counter_);
    if (!t) return fail("start: " + t.error().message);
    terminal_ = std::move(*t);
    bool recovered = false;
    terminal_->engine().recover([&](RecoveryReport) { recovered = true; });
    pump_until([&] { return recovered; });
    MenuOptions menu;
    menu.title = "TENDER EMULATOR";
    menu.status = view_.host;
    menu.function_shortcuts = false;  // F2-F4 are the emulator's card buttons
    menu.receipt_width = terminal_->engine().config().receipt_width;
    menu_ = std::make_unique<CounterMenu>(terminal_->engine(), terminal_->journal(), counter_, front_,
                                          menu_host(terminal_->capabilities()), std::move(menu));
    menu_->show_idle();
    front_.update(view_);
    bool was_running = false;
    while (!quit_ && !front_.stopped()) {
      pump();
      if (was_running && !menu_->running()) {
        // The transaction is over: the card comes out of the slot, the panels catch up.
        counter_.remove_card();
        view_.status = counter_.printed.empty() ? std::string{} : "printed " + std::to_string(counter_.printed.size());
        changed_ = true;
      }
      was_running = menu_->running();
      menu_->tick();
      if (auto action = front_.next_card_action()) act(*action);
      const auto key = front_.read_key(50ms);
      if (key) on_key(*key);
      refresh();
      if (menu_->quit_requested()) quit_ = true;
    }
    host_log_.power_off();
    menu_.reset();
    terminal_.reset();
    return 0;
  }

 private:
  int fail(const std::string& why) {
    view_.status = log::scrub(why);
    front_.update(view_);
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

  // Brings the view up to date (receipts, host messages) and hands it over when it changed.
  void refresh() {
    if (counter_.printed.size() != view_.printed) {
      view_.printed = counter_.printed.size();
      view_.receipt = counter_.printed.empty() ? std::vector<std::string>{} : receipt_lines(counter_.printed.back());
      changed_ = true;
    }
    // The simulator records what it received; a configured host's exchanges are logged on
    // the terminal's side (with the answers). Both masked where they are recorded.
    if (options_.configured != nullptr) {
      const auto& entries = host_log_.entries();
      const bool answered = !entries.empty() && (entries.back().status || entries.back().error);
      if (entries.size() != view_.messages.size() || answered != last_answered_) {
        view_.messages.assign(entries.begin(), entries.end());
        last_answered_ = answered;
        changed_ = true;
      }
    } else if (options_.simulator != nullptr) {
      auto requests = options_.simulator->requests();
      if (requests.size() != view_.messages.size()) {
        view_.messages = std::move(requests);
        changed_ = true;
      }
    }
    const bool transaction = menu_->running() || terminal_->engine().busy();
    if (transaction != view_.transaction) {
      view_.transaction = transaction;
      changed_ = true;
    }
    if (changed_) {
      changed_ = false;
      front_.update(view_);
    }
  }

  void act(const CardAction& action) {
    switch (action.kind) {
      case CardAction::Kind::insert: {
        const auto it = std::find_if(view_.cards.begin(), view_.cards.end(),
                                     [&](const EmuCard& c) { return c.name == action.card; });
        if (it == view_.cards.end()) {
          view_.status = "no such card in the set";
        } else if (!it->chip) {
          view_.status = "no chip on " + it->name + ": swipe it";
        } else {
          counter_.push({Input::Kind::insert, action.card, 0});
          return;
        }
        changed_ = true;
        return;
      }
      case CardAction::Kind::swipe:
        counter_.push({Input::Kind::swipe, action.card, 0});
        return;
      case CardAction::Kind::remove:
        counter_.remove_card();
        return;
    }
  }

  void on_key(ui::Key key) {
    // The emulator's buttons first: they are the cardholder's hands, whatever is on screen.
    switch (key) {
      case ui::Key::f2:
        return act({CardAction::Kind::insert, view_.cards[view_.chosen].name});
      case ui::Key::f3:
        return act({CardAction::Kind::swipe, view_.cards[view_.chosen].name});
      case ui::Key::f4:
        return act({CardAction::Kind::remove, {}});
      default:
        break;
    }
    // Up/Down choose the card unless the menu is scrolling one of its lists: at idle, and
    // while a transaction waits for the card (the tester picks it at the card prompt).
    const bool transaction = menu_->running() || terminal_->engine().busy();
    const bool cards_have_arrows = transaction || (menu_->at_idle() && !terminal_->engine().busy());
    if ((key == ui::Key::up || key == ui::Key::down) && cards_have_arrows) {
      const std::size_t n = view_.cards.size();
      view_.chosen = key == ui::Key::up ? (view_.chosen == 0 ? n - 1 : view_.chosen - 1) : (view_.chosen + 1) % n;
      changed_ = true;
      return;
    }
    if (transaction) {
      // A transaction's prompt is up: ENTER and CANCEL answer it.
      if (key == ui::Key::enter) counter_.push({Input::Kind::key, "ENTER", 0});
      if (key == ui::Key::cancel) counter_.push({Input::Kind::key, "CANCEL", 0});
      return;
    }
    if (key == ui::Key::cancel && menu_->at_idle() && !front_.cancel_quits()) return;
    menu_->on_key(key);
  }

  // Book 1 12.4 at the counter: the keypad picks from the card's applications.
  Result<std::size_t> choose(const std::vector<std::string>& names) {
    return ui::choose_item(front_, front_, names, 30s, [this] { return front_.stopped(); });
  }

  // A chip card's surcharge (the confirm_amount screen is up): ENTER or CANCEL, 30 seconds.
  Result<bool> confirm_total() {
    const auto last = std::chrono::steady_clock::now();
    while (!front_.stopped()) {
      const auto key = front_.read_key(100ms);
      if (!key) {
        if (std::chrono::steady_clock::now() - last > 30s) return make_error(Errc::timeout, "no answer at the amount prompt");
        continue;
      }
      if (*key == ui::Key::enter) return true;
      if (*key == ui::Key::cancel) return false;
    }
    return make_error(Errc::cancelled, "the emulator is stopping");
  }

  // The PED: digits shown as asterisks, ENTER submits (none: bypass), CANCEL cancels, and
  // 30 seconds without a key time the entry out.
  Result<std::optional<SecretString>> enter_pin() {
    std::string digits;
    auto last = std::chrono::steady_clock::now();
    while (!front_.stopped()) {
      front_.show(pin_screen(static_cast<int>(digits.size()), "ENTER PIN", counter_.transaction_amount));
      const auto key = front_.read_key(100ms);
      if (!key) {
        if (std::chrono::steady_clock::now() - last > 30s) break;
        continue;
      }
      last = std::chrono::steady_clock::now();
      if (auto digit = ui::key_digit(*key)) {
        if (digits.size() < 12) digits += static_cast<char>('0' + *digit);
      } else if (*key == ui::Key::backspace && !digits.empty()) {
        digits.pop_back();
      } else if (*key == ui::Key::clear) {
        std::fill(digits.begin(), digits.end(), '\0');
        digits.clear();
      } else if (*key == ui::Key::cancel) {
        std::fill(digits.begin(), digits.end(), '\0');
        return make_error(Errc::cancelled, "CANCEL at PIN entry");
      } else if (*key == ui::Key::enter) {
        if (digits.empty()) return std::optional<SecretString>{};
        SecretString pin{digits};
        std::fill(digits.begin(), digits.end(), '\0');
        return std::optional<SecretString>{std::move(pin)};
      }
    }
    std::fill(digits.begin(), digits.end(), '\0');
    return make_error(Errc::timeout, "no PIN entered");
  }

  FrontEnd& front_;
  BenchOptions options_;
  EmuCounter counter_;
  HostLog host_log_;
  emv::TerminalConfig kernel_;
  std::unique_ptr<EmuTerminal> terminal_;
  std::unique_ptr<CounterMenu> menu_;
  BenchView view_;
  bool last_answered_ = false;
  bool changed_ = false;
  bool quit_ = false;
};

}  // namespace

int run_bench(FrontEnd& front, const BenchOptions& options) { return Bench(front, options).run(); }

Result<InteractiveArgs> parse_interactive_args(const std::vector<std::string>& args) {
  InteractiveArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--host" && has_value) {
      const auto kind = net::host::host_kind_from(args[++i]);
      if (!kind) return make_error(Errc::invalid_argument, "--host must be " + net::host::host_kind_choices());
      out.host = *kind;
    } else if (args[i] == "--config" && has_value) {
      // A real (test) host from a terminal configuration instead of the built-in simulator.
      auto loaded = load_settings(args[++i]);
      if (!loaded) return std::move(loaded).error();
      out.settings.emplace(std::move(*loaded));
      out.host = out.settings->host.kind;
    } else if (args[i] == "--state-dir" && has_value) {
      out.state_dir = args[++i];
    } else if (args[i] == "--display" && has_value) {
      out.size = args[++i] == "320x240" ? ui::DisplaySize::qvga : ui::DisplaySize::lines4x20;
    } else if (args[i] == "--web" && has_value) {
      out.web = args[++i];
    } else {
      return make_error(Errc::invalid_argument, "unknown argument " + args[i]);
    }
  }
  return out;
}

}  // namespace tender::app::emu
