#include "app/tender/device_counter.hpp"

#include "app/terminal/screens.hpp"
#include "common/log.hpp"
#include "common/secure_zero.hpp"
#include "drivers/icc/empty_slot.hpp"
#include "ui/selection.hpp"

namespace tender::app::terminal {
namespace {

constexpr std::string_view kComponent = "counter";
constexpr std::size_t kMaxPinDigits = 12;  // ISO 9564-1: 4 to 12

// "Remove card" keeps saying how the transaction ended while the card comes out.
std::string outcome_word(Screen screen) {
  switch (screen) {
    case Screen::approved: return "APPROVED";
    case Screen::declined: return "DECLINED";
    case Screen::cancelled: return "CANCELLED";
    default: return {};
  }
}

}  // namespace

DeviceCounter::DeviceCounter(boost::asio::io_context& io, ui::Display& display, ui::Keypad& keypad,
                             CounterDevices devices, CounterOptions options)
    : timer_(io),
      display_(display),
      keypad_(keypad),
      devices_(std::move(devices)),
      options_(std::move(options)),
      empty_slot_(std::make_unique<icc::EmptySlot>()) {}

DeviceCounter::~DeviceCounter() { timer_.cancel(); }

void DeviceCounter::set_pin_pad(std::unique_ptr<pinpad::PinPad> pad) { pin_pad_ = std::move(pad); }

pinpad::PinSource DeviceCounter::keypad_pin_source() {
  return [this](std::string_view prompt) { return read_pin(prompt); };
}

icc::CardReader& DeviceCounter::chip_reader() { return devices_.chip ? *devices_.chip : *empty_slot_; }

pinpad::PinPad& DeviceCounter::pin_pad() {
  if (pin_pad_) return *pin_pad_;
  return no_pin_pad_;
}

void DeviceCounter::show(Screen screen, const ScreenArgs& args) {
  last_screen_ = screen;
  // The PED's screen shows the total the PIN approves: the transaction's amount as the
  // engine last showed it (the card prompt, the surcharge's confirmation, processing).
  // Every card prompt carries it, so one transaction's never reaches the next's PIN.
  if (args.amount) amount_ = args.amount;
  display_.show(to_ui(screen, args));
}

void DeviceCounter::async_card(Screen screen, const ScreenArgs& args, std::function<void(Result<CardEvent>)> handler) {
  show(screen, args);
  confirm_handler_ = nullptr;
  card_handler_ = std::move(handler);
  arm();
}

void DeviceCounter::async_confirm(Screen screen, const ScreenArgs& args, std::function<void(Result<bool>)> handler) {
  show(screen, args);
  card_handler_ = nullptr;
  confirm_handler_ = std::move(handler);
  arm();
}

void DeviceCounter::cancel_prompt() {
  card_handler_ = nullptr;
  confirm_handler_ = nullptr;
  if (!awaiting_removal()) {
    timer_.cancel();
    armed_ = false;
  }
}

void DeviceCounter::interrupt() {
  if (card_handler_) answer_card(make_error(Errc::cancelled, "the terminal is stopping"));
  if (confirm_handler_) answer_confirm(make_error(Errc::cancelled, "the terminal is stopping"));
}

bool DeviceCounter::awaiting_removal() const noexcept {
  return card_must_leave_ && Clock::now() < removal_until_;
}

void DeviceCounter::discard_idle_input() {
  if (prompt_pending() || !devices_.stripe || stripe_failed_) return;
  auto swipe = devices_.stripe->poll(std::chrono::milliseconds{0});
  if (!swipe) {
    if (swipe.error().code != Errc::malformed) {
      log::error(kComponent, "stripe reader failed, no longer read: ", swipe.error().message);
      stripe_failed_ = true;
    }
    return;
  }
  if (*swipe) log::info(kComponent, "a swipe with no sale started was dropped");
}

void DeviceCounter::release_card() {
  if (!devices_.chip || chip_failed_) return;
  if (auto off = devices_.chip->power_off(); !off) log::warn(kComponent, "chip reader power off: ", off.error().message);
  auto presence = devices_.chip->presence();
  if (!presence || *presence == icc::Presence::absent) return;
  card_must_leave_ = true;
  removal_until_ = Clock::now() + options_.removal_watch;
  ScreenArgs args;
  args.text = outcome_word(last_screen_);
  show(Screen::remove_card, args);
  arm();
}

Result<void> DeviceCounter::print(ByteView escpos, std::string_view) {
  if (!devices_.printer) return make_error(Errc::unsupported, "no printer configured");
  return devices_.printer->print(escpos);
}

void DeviceCounter::arm() {
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(options_.poll_interval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the counter may be gone, so `this` is not touched
    tick();
  });
}

void DeviceCounter::tick() {
  armed_ = false;
  if (card_handler_) {
    poll_card();
  } else if (confirm_handler_) {
    poll_confirm();
  } else if (card_must_leave_) {
    poll_removal();
  }
  if (prompt_pending() || awaiting_removal()) arm();
}

void DeviceCounter::poll_card() {
  if (devices_.chip && !chip_failed_) {
    auto presence = devices_.chip->presence();
    if (!presence) {
      log::error(kComponent, "chip reader failed, no longer read: ", presence.error().message);
      chip_failed_ = true;
    } else if (*presence == icc::Presence::absent) {
      card_must_leave_ = false;
    } else if (!card_must_leave_) {
      // Powering the card on and reading it is the kernel's work, after this answer.
      CardEvent inserted;
      inserted.presentation = CardPresentation::inserted;
      answer_card(std::move(inserted));
      return;
    }
  }
  if (devices_.stripe && !stripe_failed_) {
    auto swipe = devices_.stripe->poll(std::chrono::milliseconds{0});
    if (!swipe && swipe.error().code == Errc::malformed) {
      // A bad read is still a swipe: the engine counts it against its swipe attempts.
      log::info(kComponent, "stripe not read: ", swipe.error().message);
      CardEvent unreadable;
      unreadable.presentation = CardPresentation::swiped;
      answer_card(std::move(unreadable));
      return;
    }
    if (!swipe) {
      log::error(kComponent, "stripe reader failed, no longer read: ", swipe.error().message);
      stripe_failed_ = true;
    } else if (*swipe) {
      CardEvent swiped;
      swiped.presentation = CardPresentation::swiped;
      swiped.track1 = std::move((*swipe)->track1);
      swiped.track2 = std::move((*swipe)->track2);
      answer_card(std::move(swiped));
      return;
    }
  }
  if (keypad_.read_key(std::chrono::milliseconds{0}) == ui::Key::cancel)
    answer_card(make_error(Errc::cancelled, "CANCEL at the card prompt"));
}

void DeviceCounter::poll_confirm() {
  const auto key = keypad_.read_key(std::chrono::milliseconds{0});
  if (key == ui::Key::enter) answer_confirm(true);
  else if (key == ui::Key::cancel) answer_confirm(make_error(Errc::cancelled, "CANCEL"));
}

void DeviceCounter::poll_removal() {
  if (!devices_.chip || chip_failed_) {
    card_must_leave_ = false;
    return;
  }
  auto presence = devices_.chip->presence();
  if (!presence || *presence == icc::Presence::absent) card_must_leave_ = false;
}

// The handler is taken out first: answering may start the engine's next prompt.
void DeviceCounter::answer_card(Result<CardEvent> event) {
  auto handler = std::move(card_handler_);
  card_handler_ = nullptr;
  if (handler) handler(std::move(event));
}

void DeviceCounter::answer_confirm(Result<bool> answer) {
  auto handler = std::move(confirm_handler_);
  confirm_handler_ = nullptr;
  if (handler) handler(std::move(answer));
}

Result<std::size_t> DeviceCounter::choose_application(const std::vector<std::string>& names) {
  return ui::choose_item(display_, keypad_, names, options_.pin_timeout, options_.stop_requested);
}

// Blocks the io_context like choose_application: the kernel waits in the middle of its
// session for the amount.
Result<bool> DeviceCounter::confirm_total(const ScreenArgs& args) {
  show(Screen::confirm_amount, args);
  auto last_key = Clock::now();
  for (;;) {
    if (options_.stop_requested && options_.stop_requested()) return make_error(Errc::cancelled, "the terminal is stopping");
    const auto key = keypad_.read_key(std::chrono::milliseconds{100});
    if (!key) {
      if (Clock::now() - last_key >= options_.pin_timeout) return make_error(Errc::timeout, "no answer at the amount prompt");
      continue;
    }
    last_key = Clock::now();
    if (*key == ui::Key::enter) return true;
    if (*key == ui::Key::cancel) return false;
  }
}

// The PED's keypad: it blocks the io_context, as a PED's own entry would hold the
// terminal; the timeout and the stop check bound it.
Result<std::optional<SecretString>> DeviceCounter::read_pin(std::string_view prompt) {
  std::string digits;
  digits.reserve(kMaxPinDigits + 1);  // never reallocated: the one buffer is wiped at the end
  const auto wiped = [&digits](auto result) {
    secure_zero(digits.data(), digits.size());
    digits.clear();
    return result;
  };
  ui::ScreenData screen = pin_screen(0, prompt, amount_);
  int shown = -1;
  auto last_key = Clock::now();
  for (;;) {
    if (static_cast<int>(digits.size()) != shown) {
      shown = static_cast<int>(digits.size());
      screen.pin_digits = shown;
      display_.show(screen);
    }
    if (options_.stop_requested && options_.stop_requested())
      return wiped(Result<std::optional<SecretString>>{make_error(Errc::cancelled, "the terminal is stopping")});
    const auto key = keypad_.read_key(std::chrono::milliseconds{100});
    if (!key) {
      if (Clock::now() - last_key >= options_.pin_timeout)
        return wiped(Result<std::optional<SecretString>>{make_error(Errc::timeout, "no PIN entered")});
      continue;
    }
    last_key = Clock::now();
    if (const auto digit = ui::key_digit(*key); digit && digits.size() < kMaxPinDigits) {
      digits.push_back(static_cast<char>('0' + *digit));
    } else if (*key == ui::Key::backspace && !digits.empty()) {
      digits.back() = '\0';
      digits.pop_back();
    } else if (*key == ui::Key::clear) {
      secure_zero(digits.data(), digits.size());
      digits.clear();
    } else if (*key == ui::Key::cancel) {
      return wiped(Result<std::optional<SecretString>>{make_error(Errc::cancelled, "CANCEL at PIN entry")});
    } else if (*key == ui::Key::enter) {
      if (digits.empty()) return Result<std::optional<SecretString>>{std::optional<SecretString>{}};  // bypass
      return wiped(Result<std::optional<SecretString>>{std::optional<SecretString>{SecretString{digits}}});
    }
  }
}

}  // namespace tender::app::terminal
