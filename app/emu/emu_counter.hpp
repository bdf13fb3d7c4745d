// The emulator's counter: the engine's devices (display, keypad, readers, PIN pad, printer)
// fed from a queue of inputs, the way a scenario's steps (or the interactive front end's
// keys) arrive. A prompt takes the next input that answers it; the PIN pad takes digits and
// ENTER; nothing queued means the cardholder has not acted yet (or, for the PIN pad whose
// call blocks, that the PED timed out).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/engine/counter.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/pinpad/soft_ped.hpp"

namespace tender::app::emu {

struct Input {
  enum class Kind { insert, swipe, keyed, key, pin } kind = Kind::key;
  std::string text;  // card profile / track data / "PAN=YYMM[=CVC]" / key name / PIN digits
  std::size_t step = 0;
};

class EmuCounter final : public Counter {
 public:
  EmuCounter();
  ~EmuCounter() override;

  // What the display shows now, as text (the scenario's expect_display reads it).
  std::function<void(Screen, const ScreenArgs&)> on_screen;

  // Interactive PIN entry (blocks until ENTER/CANCEL or the PED's timeout); when unset, the
  // PIN comes from the queued inputs.
  std::function<Result<std::optional<SecretString>>()> pin_entry;
  // Interactive application choice (blocks on the keypad); when unset, from the queue.
  std::function<Result<std::size_t>(const std::vector<std::string>&)> application_choice;
  // Interactive confirmation of a chip card's surcharge (blocks on the keypad); when unset,
  // from the queue.
  std::function<Result<bool>(const ScreenArgs&)> total_confirmation;

  void push(Input input);
  // Answers the pending prompt from the queue when the head fits it; true if it did.
  bool try_answer();
  [[nodiscard]] bool prompt_pending() const noexcept { return card_handler_ || confirm_handler_; }
  [[nodiscard]] bool waiting_for_input() { return prompt_pending() && !try_answer(); }
  [[nodiscard]] const std::optional<std::string>& mismatch() const noexcept { return mismatch_; }
  [[nodiscard]] std::size_t queued() const noexcept { return inputs_.size(); }
  void remove_card();
  // A power cut: prompts and pending inputs vanish; the card stays where it was.
  void reset();

  std::vector<std::string> printed;  // receipt text, in print order
  std::vector<Bytes> printed_escpos;
  Screen last_screen = Screen::idle;
  ScreenArgs last_args;
  std::optional<Money> transaction_amount;  // the last amount shown: the PIN screen's total

  void show(Screen screen, const ScreenArgs& args) override;
  void async_card(Screen screen, const ScreenArgs& args, std::function<void(Result<CardEvent>)> handler) override;
  void async_confirm(Screen screen, const ScreenArgs& args, std::function<void(Result<bool>)> handler) override;
  void cancel_prompt() override;
  icc::CardReader& chip_reader() override { return reader_; }
  pinpad::PinPad& pin_pad() override { return *ped_; }
  void release_card() override;
  Result<void> print(ByteView escpos, std::string_view text) override;
  // A queued key picks: a digit N the Nth application, ENTER the first, CANCEL stops; no key
  // queued means no choice (the terminal picks, Book 1 12.4).
  Result<std::size_t> choose_application(const std::vector<std::string>& names) override;
  Result<bool> confirm_application(const std::string& name) override;
  // A queued ENTER confirms, CANCEL refuses; anything else (or nothing) is no answer.
  Result<bool> confirm_total(const ScreenArgs& args) override;

 private:
  Result<std::optional<SecretString>> next_pin();

  std::deque<Input> inputs_;
  std::function<void(Result<CardEvent>)> card_handler_;
  std::function<void(Result<bool>)> confirm_handler_;
  std::optional<std::string> mismatch_;
  icc::SimReader reader_;
  std::unique_ptr<icc::sim::VirtualCard> card_;
  std::unique_ptr<pinpad::SoftPed> ped_;
};

// The emulator's card set: the built-in virtual chip cards (their stripe carries the track 2
// equivalent data, service code 2xx) and stripe-only cards (magnetic stripe only, service
// code 101: no chip, no PIN; a public test PAN).
struct EmuCard {
  std::string name;
  bool chip = true;  // false: it can only be swiped
};
std::vector<EmuCard> card_set();

// Track 2 (and track 1 when the text carries it) from a built-in card's name, a stripe-only
// card's name, or raw track data.
Result<CardEvent> swipe_event(std::string_view card_or_tracks);

}  // namespace tender::app::emu
