// The engine's counter on real devices: a PC/SC chip reader, a USB keyboard-wedge stripe
// reader (evdev), the soft PED whose digits come from the keypad, a receipt printer and a
// display with its keypad.
//
// No device has an event the io_context could wait on that covers them all (PC/SC has
// none that does not block), so while a prompt is pending one steady_timer polls them
// every poll_interval: each poll is a non-blocking call. Handlers run from that timer,
// never from inside async_card/async_confirm, so the engine is never re-entered.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/engine/counter.hpp"
#include "drivers/icc/card_reader.hpp"
#include "drivers/msr/evdev_reader.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "drivers/pinpad/soft_ped.hpp"
#include "drivers/printer/printer.hpp"
#include "ui/display.hpp"

namespace tender::app::terminal {

// What the counter drives; each may be absent (the config left it out).
struct CounterDevices {
  std::unique_ptr<icc::CardReader> chip;       // null: no chip reader (an always-empty slot stands in)
  std::optional<msr::EvdevReader> stripe;      // nullopt: no stripe reader
  std::unique_ptr<printer::Printer> printer;   // null: no printer (print() says so; the engine logs it)
};

struct CounterOptions {
  std::chrono::milliseconds poll_interval{50};
  std::chrono::milliseconds pin_timeout{30000};    // the PED's: no key for this long ends the entry
  std::chrono::milliseconds removal_watch{60000};  // how long "remove card" is kept up
  // Checked by the blocking PIN entry loop (SIGINT/SIGTERM): true ends it as cancelled.
  std::function<bool()> stop_requested;
};

class DeviceCounter final : public Counter {
 public:
  // The display, keypad and io_context must outlive the counter.
  DeviceCounter(boost::asio::io_context& io, ui::Display& display, ui::Keypad& keypad, CounterDevices devices,
                CounterOptions options = {});
  ~DeviceCounter() override;
  DeviceCounter(const DeviceCounter&) = delete;
  DeviceCounter& operator=(const DeviceCounter&) = delete;

  // The PIN pad: built after the counter when it is the soft PED, whose PinSource is
  // keypad_pin_source(). Until one is set the PIN pad is absent.
  void set_pin_pad(std::unique_ptr<pinpad::PinPad> pad);
  // Digits from the keypad, asterisks on the display; blocks until ENTER, CANCEL,
  // pin_timeout without a key, or stop_requested. The function refers to this counter.
  pinpad::PinSource keypad_pin_source();

  // The terminal is stopping: a pending prompt is answered as CANCEL.
  void interrupt();
  // Between transactions: a swipe now belongs to no sale, so it is read and dropped
  // rather than left for the next card prompt to find.
  void discard_idle_input();
  // "Remove card" is up: the released card is still in the slot (within removal_watch).
  [[nodiscard]] bool awaiting_removal() const noexcept;
  [[nodiscard]] bool prompt_pending() const noexcept { return card_handler_ || confirm_handler_; }

  void show(Screen screen, const ScreenArgs& args) override;
  void async_card(Screen screen, const ScreenArgs& args, std::function<void(Result<CardEvent>)> handler) override;
  void async_confirm(Screen screen, const ScreenArgs& args, std::function<void(Result<bool>)> handler) override;
  void cancel_prompt() override;
  icc::CardReader& chip_reader() override;
  pinpad::PinPad& pin_pad() override;
  void release_card() override;
  Result<void> print(ByteView escpos, std::string_view text) override;
  // EMV Book 1 12.4 on the keypad (ui::choose_item), bounded like PIN entry.
  Result<std::size_t> choose_application(const std::vector<std::string>& names) override;
  // A chip card's surcharge on the confirm_amount screen, ENTER or CANCEL on the keypad,
  // bounded like PIN entry.
  Result<bool> confirm_total(const ScreenArgs& args) override;

 private:
  using Clock = std::chrono::steady_clock;

  void arm();
  void tick();
  void poll_card();
  void poll_confirm();
  void poll_removal();
  void answer_card(Result<CardEvent> event);
  void answer_confirm(Result<bool> answer);
  Result<std::optional<SecretString>> read_pin(std::string_view prompt);

  boost::asio::steady_timer timer_;
  ui::Display& display_;
  ui::Keypad& keypad_;
  CounterDevices devices_;
  CounterOptions options_;
  std::unique_ptr<icc::CardReader> empty_slot_;
  std::unique_ptr<pinpad::PinPad> pin_pad_;
  pinpad::AbsentPinPad no_pin_pad_;
  std::function<void(Result<CardEvent>)> card_handler_;
  std::function<void(Result<bool>)> confirm_handler_;
  bool armed_ = false;
  bool stripe_failed_ = false;  // the reader reported a device error: not polled again
  bool chip_failed_ = false;
  // A released card still in the slot is not a new insertion: the slot must read empty
  // once before a card in it counts again.
  bool card_must_leave_ = false;
  Clock::time_point removal_until_{};
  Screen last_screen_ = Screen::idle;
  std::optional<Money> amount_;  // the transaction's total, for the PIN screen
};

}  // namespace tender::app::terminal
