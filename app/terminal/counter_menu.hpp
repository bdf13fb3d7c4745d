// The merchant's day at the counter: the idle screen and the menu of every function (sale,
// refund, void, pre-authorization and capture, tip adjust, keyed entry, reprint, journal,
// settlement with its report, the offline queue), one implementation for `tender` and the
// interactive emulator alike. It drives a ui::Display with keys from the caller's keypad and
// the Engine; the caller only owns the devices and its loop:
//
//   while (...) {
//     run the io_context a little;
//     menu.tick();
//     if (!menu.running()) if (auto key = keypad.read_key(...)) menu.on_key(*key);
//   }
//
// While an operation it started runs, the keys belong to the counter's prompts (the caller
// routes them there) and the menu waits for the engine's answer. Nothing here blocks.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/engine/engine.hpp"
#include "app/journal/journal.hpp"
#include "ui/display.hpp"

namespace tender::app {

// The menu's entries, in the order it lists them.
enum class MenuAction {
  sale,
  refund,              // by reference: the sale picked from the journal
  refund_card_present, // no reference, the card presented (only where the host has it)
  void_,               // any sale of the open batch, picked from a list
  preauth,
  capture,             // a pre-authorization picked from a list
  tip_adjust,          // only where the host has it
  keyed_sale,          // PAN and expiry keyed at the menu
  reprint,             // the last receipt, merchant or customer copy
  journal,             // the journal, newest first, masked
  settle,              // close the batch at the host, print the settlement report
  queue,               // the offline queue; ENTER sends it
};
std::string_view to_string(MenuAction action) noexcept;

// What the host can do, from its adapter's capabilities (net::host::Capabilities): the menu
// offers a function only where the host has it.
struct MenuHost {
  bool tip_adjust = false;
  bool unreferenced_refund = false;
};

struct MenuOptions {
  std::string title;   // the idle screen's first line (the merchant's name)
  std::string status;  // the idle screen's last line when nothing is queued (the emulator's host)
  // F2 settles and F3 sends the queue from the idle screen (tender); the emulator keeps its
  // function keys for the cards.
  bool function_shortcuts = true;
  std::chrono::milliseconds outcome_shown{3000};  // an outcome stays up this long, then idle
  std::size_t journal_rows = 50;                  // the journal view's newest rows
  int receipt_width = 32;
  std::function<std::chrono::steady_clock::time_point()> now;  // default: steady_clock
};

class CounterMenu {
 public:
  // Everything must outlive the menu. `host`: what the host can do, deciding what is offered.
  CounterMenu(Engine& engine, Journal& journal, Counter& counter, ui::Display& display, MenuHost host,
              MenuOptions options);
  ~CounterMenu();
  CounterMenu(const CounterMenu&) = delete;
  CounterMenu& operator=(const CounterMenu&) = delete;

  void show_idle();
  // A key while no operation runs (see running()).
  void on_key(ui::Key key);
  // Each turn of the caller's loop: an outcome shown long enough gives way to the idle screen.
  void tick();

  // An operation the menu started has not answered yet: keys go to the counter's prompts.
  [[nodiscard]] bool running() const noexcept;
  [[nodiscard]] bool at_idle() const noexcept;
  // CANCEL at the idle screen: the caller may stop.
  [[nodiscard]] bool quit_requested() const noexcept;
  // What the menu offers on this host, in order.
  [[nodiscard]] std::vector<MenuAction> actions() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace tender::app
