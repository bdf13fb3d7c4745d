// tender's counter on devices the tests can hold: the simulated chip slot with a built-in
// card, an evdev stripe reader on a FIFO fed recorded input events, a file printer, and a
// scripted keypad. Test cards and test keys only.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "app/sim/test_device_key.hpp"
#include "app/tender/device_counter.hpp"
#include "app/tender/devices.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/msr/keymap.hpp"

namespace tender::app::terminal {
namespace {

// X9.24-1:2009 A.4: the initial KSN and the IPEK the published test BDK gives it, as a
// key-injection operator would hand them to the terminal.
constexpr std::string_view kTestInitialKsn = "FFFF9876543210E00000";
constexpr std::string_view kTestIpek = "6AC292FAA1315B4D858AB3A3D7D5933A";

using namespace std::chrono_literals;

constexpr std::string_view kTrack1 = "B4111111111111111^DOE/JOHN^3012101000000000000";
constexpr std::string_view kTrack2 = "4111111111111111=30121010000000000000";

class RecordingDisplay final : public ui::Display {
 public:
  void show(const ui::ScreenData& screen) override { screens.push_back(screen); }
  std::vector<ui::ScreenData> screens;
};

// Keys in order; an empty script is "no key pressed" at once (the tests' clocks are short).
class ScriptKeypad final : public ui::Keypad {
 public:
  std::optional<ui::Key> read_key(std::chrono::milliseconds) override {
    if (keys.empty()) return std::nullopt;
    const ui::Key k = keys.front();
    keys.pop_front();
    return k;
  }
  std::deque<ui::Key> keys;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tender-counter-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string{};
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A wedge reader's typing: per character the key (with Shift when needed) down and up, 2 ms
// apart, then Enter; the stream as the kernel's input_event records.
std::string wedge_events(std::string_view typed) {
  std::vector<input_event> events;
  long usec = 0;
  const auto add = [&](std::uint16_t type, std::uint16_t code, std::int32_t value) {
    input_event e{};
    e.input_event_sec = 1'795'000'000;
    e.input_event_usec = static_cast<decltype(e.input_event_usec)>(usec);
    e.type = type;
    e.code = code;
    e.value = value;
    events.push_back(e);
  };
  const auto stroke = [&](std::uint16_t code, bool shift) {
    if (shift) add(EV_KEY, KEY_LEFTSHIFT, 1);
    add(EV_KEY, code, 1);
    add(EV_SYN, SYN_REPORT, 0);
    usec += 1000;
    add(EV_KEY, code, 0);
    if (shift) add(EV_KEY, KEY_LEFTSHIFT, 0);
    add(EV_SYN, SYN_REPORT, 0);
    usec += 1000;
  };
  for (const char c : typed) {
    const auto key = msr::us_key_stroke(c);
    EXPECT_TRUE(key.has_value()) << static_cast<int>(c);
    if (key) stroke(key->key_code, key->shift);
  }
  stroke(KEY_ENTER, false);
  return {reinterpret_cast<const char*>(events.data()), events.size() * sizeof(input_event)};
}

std::string typed_swipe() { return "%" + std::string(kTrack1) + "?;" + std::string(kTrack2) + "?"; }

// The counter on the test devices; the FIFO's writer end stays open so the reader never
// sees the end of the stream.
struct Rig {
  explicit Rig(bool with_stripe = true, bool with_printer = false) {
    CounterDevices devices;
    auto slot = std::make_unique<icc::SimReader>("test slot");
    reader = slot.get();
    devices.chip = std::move(slot);
    if (with_stripe) {
      fifo = dir.file("event0");
      EXPECT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
      auto stripe = msr::EvdevReader::open(fifo.string());
      EXPECT_TRUE(stripe) << stripe.error().describe();
      writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      EXPECT_GE(writer, 0);
      if (stripe) devices.stripe.emplace(std::move(*stripe));
    }
    if (with_printer) devices.printer = std::make_unique<printer::FilePrinter>(dir.file("receipts.bin").string());
    CounterOptions options;
    options.poll_interval = 5ms;
    options.pin_timeout = 200ms;
    options.removal_watch = 2s;
    options.stop_requested = [this] { return stop; };
    counter = std::make_unique<DeviceCounter>(io, display, keypad, std::move(devices), options);
  }
  ~Rig() {
    counter.reset();
    if (writer >= 0) ::close(writer);
  }

  void insert(std::string_view name) {
    auto made = icc::sim::make_builtin_card(name);
    ASSERT_TRUE(made) << made.error().describe();
    card = std::make_unique<icc::sim::VirtualCard>(std::move(*made));
    reader->insert(card.get());
  }
  void swipe(const std::string& bytes) const {
    ASSERT_EQ(::write(writer, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // Runs the io_context until `done` or the budget is spent.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds budget = 3s) {
    const auto end = std::chrono::steady_clock::now() + budget;
    while (!done() && std::chrono::steady_clock::now() < end) {
      io.restart();
      io.run_for(5ms);
    }
    return done();
  }

  boost::asio::io_context io;
  TempDir dir;
  RecordingDisplay display;
  ScriptKeypad keypad;
  icc::SimReader* reader = nullptr;
  std::unique_ptr<icc::sim::VirtualCard> card;
  std::filesystem::path fifo;
  int writer = -1;
  bool stop = false;
  std::unique_ptr<DeviceCounter> counter;
};

TEST(DeviceCounter, CardInTheSlotIsAnInsertionAnsweredFromTheTimer) {
  Rig rig;
  rig.insert("visa_online_pin");
  std::optional<Result<CardEvent>> got;
  rig.counter->async_card(Screen::present_card, ScreenArgs{Money{1234, usd()}, {}, {}},
                          [&](Result<CardEvent> e) { got.emplace(std::move(e)); });
  EXPECT_FALSE(got) << "answered inside async_card: the engine would be re-entered";
  ASSERT_EQ(rig.display.screens.back().id, ui::ScreenId::present_card);
  EXPECT_EQ(rig.display.screens.back().amount, "USD 12.34");
  ASSERT_TRUE(rig.run_until([&] { return got.has_value(); }));
  ASSERT_TRUE(*got) << got->error().describe();
  EXPECT_EQ((*got)->presentation, CardPresentation::inserted);
  EXPECT_FALSE(rig.counter->prompt_pending());
}

TEST(DeviceCounter, SwipeFromTheWedgeReaderCarriesBothTracks) {
  Rig rig;
  std::optional<Result<CardEvent>> got;
  rig.counter->async_card(Screen::present_card, {}, [&](Result<CardEvent> e) { got.emplace(std::move(e)); });
  rig.swipe(wedge_events(typed_swipe()));
  ASSERT_TRUE(rig.run_until([&] { return got.has_value(); }));
  ASSERT_TRUE(*got) << got->error().describe();
  EXPECT_EQ((*got)->presentation, CardPresentation::swiped);
  EXPECT_EQ((*got)->track1.reveal(), kTrack1);
  EXPECT_EQ((*got)->track2.reveal(), kTrack2);
}

TEST(DeviceCounter, BadSwipeIsASwipeWithoutTracks) {
  Rig rig;
  std::optional<Result<CardEvent>> got;
  rig.counter->async_card(Screen::present_card, {}, [&](Result<CardEvent> e) { got.emplace(std::move(e)); });
  rig.swipe(wedge_events("%E?;E?"));  // the reader's own read-error marks on both tracks
  ASSERT_TRUE(rig.run_until([&] { return got.has_value(); }));
  ASSERT_TRUE(*got) << got->error().describe();
  EXPECT_EQ((*got)->presentation, CardPresentation::swiped);
  EXPECT_TRUE((*got)->track1.empty());
  EXPECT_TRUE((*got)->track2.empty());
}

TEST(DeviceCounter, CancelKeyAtTheCardPrompt) {
  Rig rig(false);
  rig.keypad.keys = {ui::Key::digit5, ui::Key::cancel};
  std::optional<Result<CardEvent>> got;
  rig.counter->async_card(Screen::present_card, {}, [&](Result<CardEvent> e) { got.emplace(std::move(e)); });
  ASSERT_TRUE(rig.run_until([&] { return got.has_value(); }));
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, Errc::cancelled);
}

TEST(DeviceCounter, CancelPromptStopsThePolling) {
  Rig rig;
  bool answered = false;
  rig.counter->async_card(Screen::present_card, {}, [&](Result<CardEvent>) { answered = true; });
  rig.counter->cancel_prompt();
  rig.insert("visa_online_pin");
  rig.swipe(wedge_events(typed_swipe()));
  EXPECT_FALSE(rig.run_until([&] { return answered; }, 150ms));
  EXPECT_FALSE(rig.counter->prompt_pending());
  // Nothing is left on the io_context: no timer keeps polling.
  rig.io.restart();
  EXPECT_EQ(rig.io.poll(), 0u);
}

TEST(DeviceCounter, InterruptAnswersThePendingPromptAsCancel) {
  Rig rig(false);
  std::optional<Result<bool>> got;
  rig.counter->async_confirm(Screen::confirm_amount, {}, [&](Result<bool> r) { got.emplace(std::move(r)); });
  rig.counter->interrupt();
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code, Errc::cancelled);
}

TEST(DeviceCounter, ConfirmReadsEnterAndCancel) {
  Rig rig(false);
  rig.keypad.keys = {ui::Key::digit1, ui::Key::enter};
  std::optional<Result<bool>> yes;
  rig.counter->async_confirm(Screen::confirm_amount, {}, [&](Result<bool> r) { yes.emplace(std::move(r)); });
  ASSERT_TRUE(rig.run_until([&] { return yes.has_value(); }));
  ASSERT_TRUE(*yes);
  EXPECT_TRUE(**yes);

  rig.keypad.keys = {ui::Key::cancel};
  std::optional<Result<bool>> no;
  rig.counter->async_confirm(Screen::partial_approval, {}, [&](Result<bool> r) { no.emplace(std::move(r)); });
  ASSERT_TRUE(rig.run_until([&] { return no.has_value(); }));
  ASSERT_FALSE(*no);
  EXPECT_EQ(no->error().code, Errc::cancelled);
}

// The chip's surcharge: asked in the middle of the card session, so it blocks on the keypad
// (other keys are ignored) and ends with ENTER, CANCEL or the PIN entry's timeout.
TEST(DeviceCounter, ChipTotalIsConfirmedOnTheKeypad) {
  Rig rig(false);
  ScreenArgs args;
  args.amount = Money{1037, usd()};
  args.other = Money{37, usd()};
  rig.keypad.keys = {ui::Key::digit1, ui::Key::enter};
  auto yes = rig.counter->confirm_total(args);
  ASSERT_TRUE(yes);
  EXPECT_TRUE(*yes);
  EXPECT_EQ(rig.display.screens.back().id, ui::ScreenId::confirm_amount);
  EXPECT_EQ(rig.display.screens.back().other, "USD 0.37");

  rig.keypad.keys = {ui::Key::cancel};
  auto no = rig.counter->confirm_total(args);
  ASSERT_TRUE(no);
  EXPECT_FALSE(*no);

  auto silent = rig.counter->confirm_total(args);  // no key within pin_timeout
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().code, Errc::timeout);
}

TEST(DeviceCounter, ReleasedCardMustLeaveBeforeItCountsAgain) {
  Rig rig(false);
  rig.insert("visa_online_pin");
  ASSERT_TRUE(rig.reader->power_on());
  rig.counter->show(Screen::approved, {});
  rig.counter->release_card();
  EXPECT_EQ(rig.display.screens.back().id, ui::ScreenId::remove_card);
  EXPECT_EQ(rig.display.screens.back().text, "APPROVED");
  EXPECT_TRUE(rig.counter->awaiting_removal());
  auto apdu = rig.reader->transmit(Bytes{0x00, 0xA4, 0x04, 0x00, 0x00});
  EXPECT_FALSE(apdu) << "the card is still powered";

  // The next prompt does not take the card that is still in the slot for a new one.
  bool answered = false;
  rig.counter->async_card(Screen::present_card, {}, [&](Result<CardEvent>) { answered = true; });
  EXPECT_FALSE(rig.run_until([&] { return answered; }, 100ms));
  rig.reader->remove();
  EXPECT_FALSE(rig.run_until([&] { return answered; }, 50ms));
  EXPECT_FALSE(rig.counter->awaiting_removal());
  rig.reader->insert(rig.card.get());
  EXPECT_TRUE(rig.run_until([&] { return answered; }));
}

TEST(DeviceCounter, RemovalIsWatchedWithoutAPrompt) {
  Rig rig(false);
  rig.insert("visa_online_pin");
  rig.counter->release_card();
  ASSERT_TRUE(rig.counter->awaiting_removal());
  rig.reader->remove();
  EXPECT_TRUE(rig.run_until([&] { return !rig.counter->awaiting_removal(); }));
  // An empty slot at release: nothing to ask for.
  rig.counter->release_card();
  EXPECT_FALSE(rig.counter->awaiting_removal());
}

TEST(DeviceCounter, PrintsToTheConfiguredPrinter) {
  Rig rig(false, true);
  const Bytes job{0x1B, 0x40, 'O', 'K', 0x0A};
  ASSERT_TRUE(rig.counter->print(job, "OK\n"));
  std::ifstream in(rig.dir.file("receipts.bin"), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(bytes, std::string("\x1B\x40OK\n"));

  Rig none(false, false);
  auto r = none.counter->print(job, "OK\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unsupported);
}

// ---------------------------------------------------------------- PIN entry

TEST(DeviceCounterPin, DigitsThenEnterShowOnlyACount) {
  Rig rig(false);
  rig.keypad.keys = {ui::Key::digit1, ui::Key::digit2, ui::Key::digit9, ui::Key::backspace,
                     ui::Key::digit3, ui::Key::digit4, ui::Key::enter};
  auto pin = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_TRUE(pin) << pin.error().describe();
  ASSERT_TRUE(pin->has_value());
  EXPECT_EQ((*pin)->reveal(), "1234");
  int most = 0;
  for (const auto& s : rig.display.screens) {
    EXPECT_EQ(s.id, ui::ScreenId::enter_pin);
    most = std::max(most, s.pin_digits);
  }
  EXPECT_EQ(most, 4);
  EXPECT_EQ(rig.display.screens.back().pin_digits, 4);
}

// The trial's terminal asked for a PIN without saying for how much: the PED's screen carries
// the total the engine showed with the card prompt.
TEST(DeviceCounterPin, PinScreenShowsTheTransactionsTotal) {
  Rig rig(false);
  rig.counter->async_card(Screen::present_card, ScreenArgs{Money{1234, usd()}, {}, {}}, [](Result<CardEvent>) {});
  rig.counter->cancel_prompt();
  rig.keypad.keys = {ui::Key::digit1, ui::Key::digit2, ui::Key::digit3, ui::Key::digit4, ui::Key::enter};
  auto pin = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_TRUE(pin) << pin.error().describe();
  const auto& shown = rig.display.screens.back();
  ASSERT_EQ(shown.id, ui::ScreenId::enter_pin);
  EXPECT_EQ(shown.amount, "USD 12.34");
  const auto rows = ui::layout(shown, ui::DisplaySize::lines4x20);
  EXPECT_NE(rows[0].find("12.34"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find("ENTER PIN"), std::string::npos) << rows[1];
}

TEST(DeviceCounterPin, BypassCancelTimeoutAndStop) {
  Rig rig(false);
  rig.keypad.keys = {ui::Key::enter};
  auto bypass = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_TRUE(bypass);
  EXPECT_FALSE(bypass->has_value());

  rig.keypad.keys = {ui::Key::digit1, ui::Key::cancel};
  auto cancelled = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, Errc::cancelled);

  const auto start = std::chrono::steady_clock::now();
  auto timeout = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_FALSE(timeout);
  EXPECT_EQ(timeout.error().code, Errc::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);

  rig.stop = true;
  rig.keypad.keys = {ui::Key::digit1};
  auto stopped = rig.counter->keypad_pin_source()("ENTER PIN");
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, Errc::cancelled);
}

TEST(DeviceCounterPin, SoftPedOnTheKeypadResumesItsKsnFromTheStore) {
  Rig rig(false);
  pinpad::MemoryKeyStore store;
  PinPadSettings settings;
  settings.kind = PinPadKind::soft;
  settings.initial_ksn = from_hex(kTestInitialKsn).value();
  settings.initial_key = SecretBytes(from_hex(kTestIpek).value());
  const auto enter = [&](pinpad::PinPad& pad) {
    rig.keypad.keys = {ui::Key::digit1, ui::Key::digit2, ui::Key::digit3, ui::Key::digit4, ui::Key::enter};
    auto pin = pad.enter_online_pin("4111111111111111", "ENTER PIN");
    EXPECT_TRUE(pin) << pin.error().describe();
    return pin ? to_hex(pin->ksn) : std::string{};
  };
  auto first = make_pin_pad(settings, rig.counter->keypad_pin_source(), &store);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_TRUE(*first);
  EXPECT_EQ(enter(**first), "FFFF9876543210E00001");
  EXPECT_EQ(enter(**first), "FFFF9876543210E00002");
  // A restart: the registers come back from the store, no KSN is issued twice.
  auto again = make_pin_pad(settings, rig.counter->keypad_pin_source(), &store);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(enter(**again), "FFFF9876543210E00003");
  // Another configured key set starts from its own first KSN.
  settings.initial_ksn = from_hex("FFFF9876543211E00000").value();
  auto other = make_pin_pad(settings, rig.counter->keypad_pin_source(), &store);
  ASSERT_TRUE(other) << other.error().describe();
  EXPECT_EQ(enter(**other), "FFFF9876543211E00001");
}

TEST(DeviceCounterPin, DamagedStoreIsAnErrorNotAFreshStart) {
  pinpad::MemoryKeyStore store;
  ASSERT_TRUE(store.save(kPedSlot, Bytes{1, 2, 3}));
  PinPadSettings settings;
  settings.kind = PinPadKind::soft;
  settings.initial_ksn = from_hex(kTestInitialKsn).value();
  settings.initial_key = SecretBytes(from_hex(kTestIpek).value());
  auto pad = make_pin_pad(settings, [](std::string_view) { return Result<std::optional<SecretString>>{std::nullopt}; },
                          &store);
  ASSERT_FALSE(pad);
  EXPECT_TRUE(pad.error().message.starts_with("PIN pad:")) << pad.error().describe();

  settings.kind = PinPadKind::none;
  auto none = make_pin_pad(settings, {}, &store);
  ASSERT_TRUE(none);
  EXPECT_TRUE(*none == nullptr);
}

TEST(DeviceCounterPin, StoreKeyIsDerivedNotTheDeviceKey) {
  const DeviceKey device = test_device_key();
  const auto a = ped_store_key(device);
  const auto b = ped_store_key(device);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(to_hex(a.reveal()) == to_hex(device.reveal()));
}

// ---------------------------------------------------------------- opening devices, the stdin keypad

TEST(Devices, MissingDevicesAreNamedErrors) {
  DeviceSettings missing_msr;
  missing_msr.msr = StripeReaderSettings{"/nonexistent/tender/input/event99", 100ms};
  auto msr = open_devices(missing_msr);
  ASSERT_FALSE(msr);
  EXPECT_TRUE(msr.error().message.starts_with("stripe reader: ")) << msr.error().message;
  EXPECT_NE(msr.error().message.find("/nonexistent/tender/input/event99"), std::string::npos);

  DeviceSettings missing_lp;
  missing_lp.printer.kind = PrinterKind::file;
  missing_lp.printer.file = "/dev/tender-test-no-such-lp";
  auto lp = open_devices(missing_lp);
  ASSERT_FALSE(lp);
  EXPECT_EQ(lp.error().code, Errc::not_found);
  EXPECT_NE(lp.error().message.find("/dev/tender-test-no-such-lp"), std::string::npos) << lp.error().message;
  EXPECT_FALSE(std::filesystem::exists("/dev/tender-test-no-such-lp"));

  DeviceSettings no_dir;
  no_dir.printer.kind = PrinterKind::file;
  no_dir.printer.file = "/nonexistent/tender/receipts.bin";
  EXPECT_FALSE(open_devices(no_dir));

  // No such PC/SC reader, whether or not pcscd runs here.
  DeviceSettings no_reader;
  no_reader.chip_reader = ChipReaderSettings{"tender test: no such reader"};
  auto pcsc = open_devices(no_reader);
  ASSERT_FALSE(pcsc);
  EXPECT_TRUE(pcsc.error().message.starts_with("chip card reader (PC/SC reader \"tender test: no such reader\")"))
      << pcsc.error().message;

  EXPECT_TRUE(open_devices(DeviceSettings{}));  // no devices at all is a valid terminal
}

TEST(Devices, StdinKeypadMapsLettersAndEndsAtEof) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string typed = "s12\nctf";
  ASSERT_EQ(::write(fds[1], typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  ::close(fds[1]);
  FdKeypad keypad(fds[0]);
  std::vector<ui::Key> keys;
  for (int i = 0; i < 10 && !keypad.at_end(); ++i)
    if (auto k = keypad.read_key(100ms)) keys.push_back(*k);
  ::close(fds[0]);
  const std::vector<ui::Key> expected{ui::Key::f1,    ui::Key::digit1, ui::Key::digit2, ui::Key::enter,
                                      ui::Key::cancel, ui::Key::f2,     ui::Key::f3};
  EXPECT_EQ(keys, expected);
  EXPECT_TRUE(keypad.at_end());
  EXPECT_FALSE(keypad.read_key(0ms));
}

}  // namespace
}  // namespace tender::app::terminal
