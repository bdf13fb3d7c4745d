// The interactive emulator without its front end: the emulated terminal (engine, journal,
// host connection), the merchant's menu (app/terminal/counter_menu, tender's own), the card
// set and the loop that pumps them. A front end (curses in interactive.cpp, the browser page
// in web_front.cpp) only draws what the bench tells it and hands it keys and card actions,
// so both drive the same terminal the same way.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/config/settings.hpp"
#include "app/emu/emu_counter.hpp"
#include "app/emu/emu_host.hpp"
#include "ui/display.hpp"

namespace tender::app::emu {

// The cardholder's hands: what the emulator's card buttons do.
struct CardAction {
  enum class Kind { insert, swipe, remove } kind = Kind::insert;
  // insert: a chip card's name; swipe: a card's name or raw track data as a reader gives it
  // ("%B...^...?;...=...?"); remove: unused. Never shown, never logged.
  std::string card;
};

// Everything around the display, for the front end's panels. Nothing here holds card data in
// clear: the receipt is the printed (masked) copy, the host messages are masked
// (mask_host_body), the status names cards by their profile name only.
struct BenchView {
  std::vector<EmuCard> cards;
  std::size_t chosen = 0;          // the card F2/F3 act on (curses' Up/Down move it)
  std::string status;              // the bench's last word ("printed 2", "no chip on ...")
  std::string host;                // "AURORA", "AURORA (CONFIGURED)"
  std::vector<std::string> receipt;  // the last customer copy from its transaction type down
  std::size_t printed = 0;           // receipts printed so far
  std::vector<HostRequest> messages; // what the terminal and its host exchanged, masked, oldest first
  bool transaction = false;          // a transaction (or the menu's operation) is under way
};

class FrontEnd : public ui::Display, public ui::Keypad {
 public:
  // The view changed (a card chosen, a receipt printed, a host message, the status).
  virtual void update(const BenchView& view) = 0;
  // A card action from a button of the front end's own (the page's card set); curses has
  // none: its F2-F4 keys are the buttons.
  virtual std::optional<CardAction> next_card_action() { return std::nullopt; }
  // Whether CANCEL at the idle screen ends the emulator (curses: yes; the page: no, the
  // process ends on SIGINT/SIGTERM, see stopped()).
  [[nodiscard]] virtual bool cancel_quits() const { return true; }
  // Checked every turn of the loop: true ends it.
  [[nodiscard]] virtual bool stopped() const { return false; }
};

struct BenchOptions {
  HostKind host = HostKind::aurora;
  EmuHost* simulator = nullptr;                 // the in-process host simulator, or null with `configured`
  const HostSettings* configured = nullptr;     // a terminal configuration's host block
  std::filesystem::path state_dir;
};

// Runs the terminal until the front end quits or stops; 0, or 1 when the terminal cannot
// start (the reason is in the view's status).
int run_bench(FrontEnd& front, const BenchOptions& options);

// The interactive mode's arguments, shared by both front ends.
struct InteractiveArgs {
  HostKind host = HostKind::aurora;
  std::optional<TerminalSettings> settings;  // --config
  std::filesystem::path state_dir;           // --state-dir (empty: a temporary one)
  ui::DisplaySize size = ui::DisplaySize::lines4x20;
  std::optional<std::string> web;            // --web [ADDR:]PORT
};
// A clear message for a bad argument (exit 2).
Result<InteractiveArgs> parse_interactive_args(const std::vector<std::string>& args);

}  // namespace tender::app::emu
