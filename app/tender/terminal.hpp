// tender: one power-on of the terminal on real devices. Its io_context drives the engine,
// the host connection and the counter's device polling; nothing runs on another thread.
// Destroying it is a clean stop: the journal holds whatever the engine had written.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/config/settings.hpp"
#include "app/engine/engine.hpp"
#include "app/tender/device_counter.hpp"
#include "app/tender/devices.hpp"
#include "app/terminal/counter_menu.hpp"
#include "app/tender/menu_host.hpp"
#include "common/log.hpp"
#include "drivers/pinpad/key_store.hpp"
#include "emv/terminal_config.hpp"
#include "ui/curses_display.hpp"
#include "ui/line_display.hpp"

namespace tender::app::terminal {

// SIGINT and SIGTERM set a flag the loops poll (nothing else is safe in a handler);
// SIGPIPE is ignored so a printer that hangs up is an error, not the end of the process.
void install_signal_handlers();
[[nodiscard]] bool stop_requested() noexcept;

enum class ExitCode : int { ok = 0, failed = 1, bad_input = 2 };

// What a --once run says, printed by the caller once the display is closed (a line written
// while curses owns the screen would be lost with it).
struct OnceResult {
  ExitCode code = ExitCode::failed;
  std::string out;  // "result: approved USD 12.34 auth ... reference ..." (never card data)
  std::string err;  // why there is no result
};

class Terminal {
 public:
  // Opens the journal, the devices, the host connection, the display, then the engine.
  // Every failure is an Error naming what could not be opened (exit 1).
  static Result<std::unique_ptr<Terminal>> start(const TerminalSettings& settings);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // Journal recovery and the queue flush, first thing after power-on. False when it did
  // not end within its budget or the terminal was asked to stop.
  bool recover();
  // One sale of `amount`: ok when approved (online or offline), failed otherwise.
  OnceResult run_once(const Money& amount);
  // The idle loop and the merchant's menu (app/terminal/counter_menu): F1 sale, ENTER the
  // menu, F2 settle, F3 flush the queue, CANCEL at idle quits.
  ExitCode run_interactive();

 private:
  explicit Terminal(const TerminalSettings& settings) : settings_(settings) {}
  void poll_io();
  void run_io_for(std::chrono::milliseconds wait);
  [[nodiscard]] bool busy() const;

  const TerminalSettings& settings_;
  boost::asio::io_context io_;
  std::unique_ptr<log::Sink> log_file_;
  std::optional<Journal> journal_;
  std::optional<HostConnection> host_;
  std::unique_ptr<pinpad::FileKeyStore> key_store_;
  std::unique_ptr<ui::CursesDisplay> curses_;
  std::unique_ptr<ui::LineDisplay> lines_;
  std::unique_ptr<FdKeypad> stdin_keys_;
  ui::Display* display_ = nullptr;
  ui::Keypad* keypad_ = nullptr;
  std::unique_ptr<DeviceCounter> counter_;
  emv::TerminalConfig kernel_;
  std::unique_ptr<Engine> engine_;

  std::unique_ptr<CounterMenu> menu_;
};

}  // namespace tender::app::terminal
