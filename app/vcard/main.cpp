// tender-vcard: a virtual EMV test card behind pcscd through vsmartcard's vpcd, so that
// tender (or any PC/SC application) runs a chip transaction on a real PC/SC stack with no
// card and no reader. Usage: app/vcard/commands.hpp, `tender-vcard --help`, README.
//
// One thread reads stdin and watches the slot (every 200 ms); the bridge's own thread
// serves the card. Exit 0 after quit, SIGINT or SIGTERM (the card is removed first);
// exit 2 with one line on stderr for a bad argument, an unknown card or a profile that
// does not load; exit 1 when the bridge cannot start.
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/vcard/card_set.hpp"
#include "app/vcard/commands.hpp"
#include "app/vcard/slot.hpp"
#include "common/log.hpp"

#include "common/version.hpp"

namespace {

namespace vcard = tender::app::vcard;

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr std::size_t kMaxLine = 4096;
constexpr int kWatchIntervalMs = 200;

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the loop sees the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is a write error, not a death
}

int fail(int code, std::string_view message) {
  std::cerr << vcard::kProgram << ": " << message << "\n";
  return code;
}

class Console {
 public:
  explicit Console(bool interactive) : interactive_(interactive) {}

  void line(std::string_view text) {
    if (prompted_) std::cout << '\r';
    std::cout << text << '\n';
    if (prompted_) std::cout << kPrompt;
    std::cout << std::flush;
  }
  void error(std::string_view text) {
    if (prompted_) std::cout << '\r' << std::flush;
    std::cerr << "error: " << text << std::endl;
    if (prompted_) std::cout << kPrompt << std::flush;
  }
  void prompt() {
    if (!interactive_) return;
    std::cout << kPrompt << std::flush;
    prompted_ = true;
  }
  void unprompt() { prompted_ = false; }

 private:
  static constexpr std::string_view kPrompt = "vcard> ";
  bool interactive_;
  bool prompted_ = false;
};

// Runs one command; false when it asks to quit.
bool run(const vcard::Command& command, vcard::Slot& slot, Console& console) {
  switch (command.verb) {
    case vcard::Verb::list:
      for (const auto& l : slot.list()) console.line(l);
      return true;
    case vcard::Verb::insert:
      if (auto r = slot.insert(command.card); r) console.line(*r);
      else console.error(r.error().message);
      return true;
    case vcard::Verb::remove:
      if (auto r = slot.remove(); r) console.line(*r);
      else console.error(r.error().message);
      return true;
    case vcard::Verb::swap:
      if (auto r = slot.swap(command.card); r) {
        for (const auto& l : *r) console.line(l);
      } else {
        console.error(r.error().message);
      }
      return true;
    case vcard::Verb::status:
      console.line(slot.status());
      return true;
    case vcard::Verb::help:
      console.line(std::string(vcard::command_help()).substr(0, vcard::command_help().size() - 1));
      return true;
    case vcard::Verb::quit:
      return false;
  }
  return true;
}

int serve(vcard::Slot& slot) {
  const bool interactive = ::isatty(STDIN_FILENO) == 1;
  Console console(interactive);
  std::string pending;
  bool input_open = true;
  bool quit = false;
  console.prompt();
  while (!quit && g_stop == 0) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    const int n = ::poll(&p, input_open ? 1 : 0, kWatchIntervalMs);
    if (n < 0 && errno != EINTR) return fail(kExitFailure, "poll on stdin failed");
    for (const auto& l : slot.watch()) console.line(l);
    if (n <= 0 || !input_open) continue;
    std::array<char, 512> chunk{};
    const ssize_t got = ::read(STDIN_FILENO, chunk.data(), chunk.size());
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fail(kExitFailure, "reading stdin failed");
    }
    if (got == 0) {
      input_open = false;
      if (!pending.empty()) pending.push_back('\n');  // a last line without its newline
    } else {
      pending.append(chunk.data(), static_cast<std::size_t>(got));
    }
    std::size_t end = 0;
    while (!quit && (end = pending.find('\n')) != std::string::npos) {
      const std::string text = pending.substr(0, end);
      pending.erase(0, end + 1);
      console.unprompt();
      auto command = vcard::parse_command(text);
      if (!command) console.error(command.error().message);
      else if (*command) quit = !run(**command, slot, console);
      if (!quit) console.prompt();
    }
    if (pending.size() > kMaxLine) {
      pending.clear();
      console.error("a line longer than " + std::to_string(kMaxLine) + " characters was dropped");
    }
    if (!input_open && !quit) {
      // On a terminal, end of input (Ctrl-D) is the user leaving. From a pipe or a file it
      // is only the end of the script: the card stays in until SIGINT or SIGTERM.
      if (interactive) {
        std::cout << '\n';
        quit = true;
      } else {
        console.line("input ended; the slot stays as it is until SIGINT or SIGTERM");
      }
    }
  }
  console.unprompt();
  if (slot.inserted()) {
    if (auto r = slot.remove(); r) console.line(*r);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto options = vcard::parse_arguments(args);
  if (!options) return fail(kExitBadInput, options.error().message);
  if (options->help) {
    std::cout << vcard::usage() << vcard::command_help();
    return 0;
  }
  if (options->version) {
    std::cout << tender::version_line(vcard::kProgram) << "\n";
    return 0;
  }
  tender::log::set_level(options->verbose ? tender::log::Level::debug : tender::log::Level::warn);
  install_signal_handlers();

  auto cards = vcard::CardSet::builtin();
  if (!cards) return fail(kExitFailure, "the built-in card set does not load: " + cards.error().message);
  for (const auto& file : options->cards) {
    auto added = cards->add_file(file);
    if (!added) return fail(kExitBadInput, added.error().message);  // unreadable or invalid: the user's to fix
  }
  vcard::SlotOptions slot_options;
  slot_options.vpcd = options->vpcd;
  vcard::Slot slot(*cards, slot_options);
  if (options->insert) {
    // The card first: anything wrong with it is bad input; then the bridge, which can only
    // fail underneath.
    auto card = cards->find(*options->insert);
    if (!card) return fail(kExitBadInput, card.error().message);
    if (auto made = cards->card(**card); !made) return fail(kExitBadInput, made.error().message);
    auto inserted = slot.insert((*card)->name);
    if (!inserted) return fail(kExitFailure, inserted.error().message);
    std::cout << *inserted << std::endl;
  }
  return serve(slot);
}
