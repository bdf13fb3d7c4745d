#include "app/emu/emu_counter.hpp"

#include <algorithm>
#include <array>

#include "app/emu/scenario.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"

namespace tender::app::emu {
namespace {

// An input in a message: its kind, never its text (a PIN, a PAN, track data).
std::string describe(const Input& in) {
  std::string_view kind = "key";
  switch (in.kind) {
    case Input::Kind::insert: kind = "insert"; break;
    case Input::Kind::swipe: kind = "swipe"; break;
    case Input::Kind::keyed: kind = "keyed"; break;
    case Input::Kind::key: kind = "key"; break;
    case Input::Kind::pin: kind = "pin"; break;
  }
  return (in.kind == Input::Kind::insert ? "an " : "a ") + std::string(kind) + " step";
}

// Stripe-only test cards: ISO/IEC 7813 tracks 1 and 2 of a public test PAN, service code 101
// (international, normal authorization, no restrictions: no chip, no PIN), so a swipe is the
// card's only read and the host decides with no CVM but the signature.
struct StripeOnlyCard {
  std::string_view name;
  std::string_view tracks;  // as a reader gives them, sentinels included
};
constexpr std::array kStripeOnly{
    StripeOnlyCard{"visa_stripe_only", "%B4111111111111111^STRIPE/TEST CARD^3012101000000000000?;4111111111111111=30121010000000000000?"},
    StripeOnlyCard{"mc_stripe_only", "%B5555555555554444^STRIPE/TEST CARD^3012101000000000000?;5555555555554444=30121010000000000000?"},
};

}  // namespace

std::vector<EmuCard> card_set() {
  std::vector<EmuCard> cards;
  for (const auto& p : icc::sim::builtin_profiles()) cards.push_back(EmuCard{std::string(p.name), true});
  for (const auto& c : kStripeOnly) cards.push_back(EmuCard{std::string(c.name), false});
  return cards;
}

EmuCounter::EmuCounter() {
  auto ped = test_pin_pad([this](std::string_view) { return next_pin(); });
  if (ped) ped_ = std::make_unique<pinpad::SoftPed>(std::move(*ped));
}

EmuCounter::~EmuCounter() = default;

Result<CardEvent> swipe_event(std::string_view text) {
  CardEvent e;
  e.presentation = CardPresentation::swiped;
  if (auto profile = icc::sim::builtin_profile(text); profile && !profile->applications.empty()) {
    // The stripe of a chip card carries its track 2 equivalent data (service code 2xx).
    const auto& data = profile->applications.front().data;
    const auto it = data.find(0x57);
    if (it == data.end()) return make_error(Errc::not_found, "the card has no track 2 equivalent data");
    std::string hex = to_hex(it->second);
    while (!hex.empty() && hex.back() == 'F') hex.pop_back();
    std::replace(hex.begin(), hex.end(), 'D', '=');
    e.track2 = SecretString{hex};
    return e;
  }
  for (const auto& c : kStripeOnly) {
    if (c.name == text) text = c.tracks;
  }
  // Raw data as a reader gives it: "%B...^...?;...=...?" or one track alone, sentinels optional.
  std::string s(text);
  if (s.empty()) return make_error(Errc::malformed, "swipe: no card name or track data");
  const auto strip = [](std::string t) {
    if (!t.empty() && (t.front() == '%' || t.front() == ';')) t.erase(0, 1);
    if (!t.empty() && t.back() == '?') t.pop_back();
    return t;
  };
  const auto semi = s.find(';');
  if (s.front() == '%' || s.find('^') != std::string::npos) {
    const std::string t1 = strip(s.substr(0, semi == std::string::npos ? s.size() : semi));
    e.track1 = SecretString{t1};
    if (semi != std::string::npos) e.track2 = SecretString{strip(s.substr(semi))};
  } else {
    e.track2 = SecretString{strip(s)};
  }
  return e;
}

void EmuCounter::push(Input input) {
  inputs_.push_back(std::move(input));
  (void)try_answer();
}

bool EmuCounter::try_answer() {
  if (inputs_.empty() || !prompt_pending()) return false;
  const Input in = inputs_.front();
  const bool cancel = in.kind == Input::Kind::key && in.text == "CANCEL";
  const bool enter = in.kind == Input::Kind::key && in.text == "ENTER";
  if (card_handler_) {
    auto handler = std::move(card_handler_);
    card_handler_ = nullptr;
    inputs_.pop_front();
    if (cancel) {
      handler(make_error(Errc::cancelled, "CANCEL"));
      return true;
    }
    if (in.kind == Input::Kind::insert) {
      auto card = icc::sim::make_builtin_card(in.text);
      if (!card) {
        mismatch_ = "step " + std::to_string(in.step) + ": no built-in card " + shown_name(in.text);
        card_handler_ = std::move(handler);
        return false;
      }
      card_ = std::make_unique<icc::sim::VirtualCard>(std::move(*card));
      reader_.insert(card_.get());
      CardEvent e;
      e.presentation = CardPresentation::inserted;
      handler(std::move(e));
      return true;
    }
    if (in.kind == Input::Kind::swipe) {
      handler(swipe_event(in.text));
      return true;
    }
    if (in.kind == Input::Kind::keyed) {
      // The clerk keys the card: PAN, expiry YYMM and an optional CVC, '='-separated.
      CardEvent e;
      e.presentation = CardPresentation::keyed;
      const auto first = in.text.find('=');
      const auto second = first == std::string::npos ? std::string::npos : in.text.find('=', first + 1);
      e.pan = SecretString{in.text.substr(0, first)};
      if (first != std::string::npos) {
        e.expiry_yymm = SecretString{in.text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1)};
      }
      if (second != std::string::npos) e.cvc = SecretString{in.text.substr(second + 1)};
      handler(std::move(e));
      return true;
    }
    mismatch_ = "step " + std::to_string(in.step) + ": the terminal asks for a card, the next input is " + describe(in);
    card_handler_ = std::move(handler);
    inputs_.push_front(in);
    return false;
  }
  auto handler = std::move(confirm_handler_);
  confirm_handler_ = nullptr;
  if (!enter && !cancel) {
    mismatch_ = "step " + std::to_string(in.step) + ": the terminal asks for ENTER or CANCEL, the next input is " + describe(in);
    confirm_handler_ = std::move(handler);
    return false;
  }
  inputs_.pop_front();
  if (enter) handler(true);
  else handler(make_error(Errc::cancelled, "CANCEL"));
  return true;
}

Result<std::optional<SecretString>> EmuCounter::next_pin() {
  if (pin_entry) return pin_entry();
  std::string digits;
  while (!inputs_.empty()) {
    const Input in = inputs_.front();
    if (in.kind == Input::Kind::pin) {
      inputs_.pop_front();
      return std::optional<SecretString>{SecretString{in.text}};
    }
    if (in.kind != Input::Kind::key) break;
    inputs_.pop_front();
    if (in.text == "CANCEL") return make_error(Errc::cancelled, "CANCEL at PIN entry");
    if (in.text == "ENTER") {
      if (digits.empty()) return std::optional<SecretString>{};  // bypass
      return std::optional<SecretString>{SecretString{digits}};
    }
    if (in.text.size() == 1 && in.text[0] >= '0' && in.text[0] <= '9') digits += in.text;
  }
  return make_error(Errc::timeout, "no PIN entered");
}

Result<std::size_t> EmuCounter::choose_application(const std::vector<std::string>& names) {
  ScreenArgs args;
  args.items = names;
  show(Screen::select_application, args);
  if (application_choice) return application_choice(names);
  if (inputs_.empty() || inputs_.front().kind != Input::Kind::key) {
    return make_error(Errc::unsupported, "no choice given");
  }
  const std::string key = inputs_.front().text;
  if (key == "CANCEL") {
    inputs_.pop_front();
    return make_error(Errc::cancelled, "CANCEL at application selection");
  }
  if (key == "ENTER") {
    inputs_.pop_front();
    return std::size_t{0};
  }
  if (key.size() == 1 && key[0] >= '1' && key[0] <= '9' && static_cast<std::size_t>(key[0] - '0') <= names.size()) {
    inputs_.pop_front();
    return static_cast<std::size_t>(key[0] - '1');
  }
  return make_error(Errc::unsupported, "no choice given");
}

Result<bool> EmuCounter::confirm_application(const std::string& name) {
  ScreenArgs args;
  args.items = {name};
  show(Screen::select_application, args);
  if (!inputs_.empty() && inputs_.front().kind == Input::Kind::key && inputs_.front().text == "CANCEL") {
    inputs_.pop_front();
    return false;
  }
  if (!inputs_.empty() && inputs_.front().kind == Input::Kind::key && inputs_.front().text == "ENTER") {
    inputs_.pop_front();
  }
  return true;
}

Result<bool> EmuCounter::confirm_total(const ScreenArgs& args) {
  show(Screen::confirm_amount, args);
  if (total_confirmation) return total_confirmation(args);
  if (!inputs_.empty() && inputs_.front().kind == Input::Kind::key) {
    const std::string key = inputs_.front().text;
    if (key == "ENTER" || key == "CANCEL") {
      inputs_.pop_front();
      return key == "ENTER";
    }
  }
  // The cardholder has not answered (the scenario gave no key): the counter's timeout.
  return make_error(Errc::timeout, "no answer at the amount prompt");
}

void EmuCounter::show(Screen screen, const ScreenArgs& args) {
  last_screen = screen;
  last_args = args;
  if (args.amount) transaction_amount = args.amount;
  if (on_screen) on_screen(screen, args);
}

void EmuCounter::async_card(Screen screen, const ScreenArgs& args, std::function<void(Result<CardEvent>)> handler) {
  show(screen, args);
  card_handler_ = std::move(handler);
  (void)try_answer();
}

void EmuCounter::async_confirm(Screen screen, const ScreenArgs& args, std::function<void(Result<bool>)> handler) {
  show(screen, args);
  confirm_handler_ = std::move(handler);
  (void)try_answer();
}

void EmuCounter::cancel_prompt() {
  card_handler_ = nullptr;
  confirm_handler_ = nullptr;
}

void EmuCounter::release_card() { (void)reader_.power_off(); }

void EmuCounter::remove_card() {
  (void)reader_.power_off();
  reader_.remove();
  card_.reset();
}

void EmuCounter::reset() {
  card_handler_ = nullptr;
  confirm_handler_ = nullptr;
  inputs_.clear();
  mismatch_.reset();
}

Result<void> EmuCounter::print(ByteView escpos, std::string_view text) {
  printed.emplace_back(text);
  printed_escpos.emplace_back(escpos.begin(), escpos.end());
  return ok();
}

}  // namespace tender::app::emu
