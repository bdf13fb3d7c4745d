// What the engine sees of the counter: the display and keypad, the card readers and the
// PIN pad. Real terminals (tender), the emulator (tender-emu) and the tests implement it.
//
// Prompts are asynchronous: the engine asks, the counter answers once through the handler
// (on the engine's io_context), and the engine owns the deadline: when it passes the
// engine calls cancel_prompt() and ignores any late answer. The cardholder's CANCEL key
// is an answer: Errc::cancelled.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "drivers/icc/card_reader.hpp"
#include "drivers/pinpad/pin_pad.hpp"

namespace tender::app {

// The screens the engine asks for (ui/ renders them as data).
enum class Screen {
  idle,
  confirm_amount,     // the total with its surcharge, once the card is read: ENTER continues, CANCEL stops
  present_card,       // insert, swipe or key in
  insert_card,        // a chip card was swiped: insert it instead
  swipe_card,         // this host takes no chip data: swipe the card
  fallback_swipe,     // the chip could not be read: swipe the card
  select_application, // the card offers several applications: the cardholder picks one
  processing,
  partial_approval,   // the host approved part: ENTER accepts (pay the rest otherwise), CANCEL reverses
  approved,
  declined,
  remove_card,
  signature,          // sign the merchant copy
  cancelled,
};
std::string_view to_string(Screen screen) noexcept;

struct ScreenArgs {
  std::optional<Money> amount;
  std::optional<Money> other;   // surcharge on confirm_amount, the remainder on partial_approval
  std::string text;             // extra words (decline reason, card label); never card data
  std::vector<std::string> items{};  // select_application: the applications' names
};

enum class CardPresentation { inserted, swiped, keyed };

struct CardEvent {
  CardPresentation presentation = CardPresentation::inserted;
  SecretString track1;       // swiped: without sentinels, may be empty
  SecretString track2;       // swiped: without sentinels
  SecretString pan;          // keyed
  SecretString expiry_yymm;  // keyed
  SecretString cvc;          // keyed, optional
};

class Counter {
 public:
  virtual ~Counter() = default;
  virtual void show(Screen screen, const ScreenArgs& args) = 0;
  // Present card (or insert/fallback swipe, by `screen`): one CardEvent, or Errc::cancelled.
  virtual void async_card(Screen screen, const ScreenArgs& args, std::function<void(Result<CardEvent>)> handler) = 0;
  // A yes/no question: true for ENTER, false or Errc::cancelled for CANCEL.
  virtual void async_confirm(Screen screen, const ScreenArgs& args, std::function<void(Result<bool>)> handler) = 0;
  // The engine's deadline for the pending prompt passed: drop it (no handler call needed).
  virtual void cancel_prompt() = 0;
  // The chip reader (a card is in it after CardPresentation::inserted) and the PIN pad.
  // Their calls block; the engine makes them between asynchronous steps.
  virtual icc::CardReader& chip_reader() = 0;
  virtual pinpad::PinPad& pin_pad() = 0;
  // The engine is done with the card: power it off and ask for its removal.
  virtual void release_card() = 0;
  // EMV Book 1 12.4: the card offers several applications and the cardholder picks one
  // (0-based), or confirms the one that asks for it. Blocking, like the PIN pad, since the
  // kernel asks in the middle of selection. Errc::unsupported (the default): the terminal
  // picks the highest priority itself; Errc::cancelled ends the transaction.
  virtual Result<std::size_t> choose_application(const std::vector<std::string>& names) {
    (void)names;
    return make_error(Errc::unsupported, "no cardholder selection on this counter");
  }
  virtual Result<bool> confirm_application(const std::string& name) {
    (void)name;
    return true;
  }
  // The total with a surcharge (args: amount = total, other = surcharge; the confirm_amount
  // screen), asked while a chip card is in the middle of its session: the kernel needs the
  // amount before GET PROCESSING OPTIONS. Blocking, like confirm_application, and bounded by
  // the counter. true for ENTER; false or Errc::cancelled for CANCEL; Errc::timeout for no
  // answer. Errc::unsupported (the default): this counter cannot ask here, and the engine
  // then charges no surcharge (never one the cardholder was not shown).
  virtual Result<bool> confirm_total(const ScreenArgs& args) {
    (void)args;
    return make_error(Errc::unsupported, "no confirmation while the chip runs on this counter");
  }
  // Prints ESC/POS bytes; a printer error is reported, never fails the transaction.
  virtual Result<void> print(ByteView escpos, std::string_view text) = 0;
};

}  // namespace tender::app
