// The engine on tender's DeviceCounter: a chip sale with the PIN typed on the keypad into
// the soft PED (checked by the host simulator's DUKPT verifier under the test BDK), and a
// CANCEL at the card prompt. The host simulator runs in process; the chip slot is the
// simulated reader with a built-in test card. Test cards and test keys only.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/engine/engine.hpp"
#include "app/hostsim/verifiers.hpp"
#include "app/sim/test_device_key.hpp"
#include "app/tender/device_counter.hpp"
#include "app/tender/devices.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/hostsim/local_transport.hpp"

namespace tender::app::terminal {
namespace {

// X9.24-1:2009 A.4: the initial KSN and the IPEK the published test BDK gives it, as a
// key-injection operator would hand them to the terminal.
constexpr std::string_view kTestInitialKsn = "FFFF9876543210E00000";
constexpr std::string_view kTestIpek = "6AC292FAA1315B4D858AB3A3D7D5933A";

using namespace std::chrono_literals;
namespace hs = net::hostsim;

class RecordingDisplay final : public ui::Display {
 public:
  void show(const ui::ScreenData& screen) override { screens.push_back(screen); }
  std::vector<ui::ScreenData> screens;
};

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

class EngineOnDevices : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tender-engine-devices-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);

    net::aurora::AuroraConfig ac;
    ac.client_id = "tender-test";
    ac.client_secret = SecretString("tender-test-secret");
    ac.payment_processor_id = "proc-1";
    ac.deadline = 2s;
    adapter_ = std::make_unique<net::aurora::AuroraAdapter>(transport_, transport_, ac);

    CounterDevices devices;
    auto slot = std::make_unique<icc::SimReader>("test slot");
    reader_ = slot.get();
    devices.chip = std::move(slot);
    devices.printer = std::make_unique<printer::FilePrinter>((dir_ / "receipts.bin").string());
    CounterOptions options;
    options.poll_interval = 5ms;
    options.pin_timeout = 500ms;
    counter_ = std::make_unique<DeviceCounter>(io_, display_, keypad_, std::move(devices), options);
    PinPadSettings ped;
    ped.kind = PinPadKind::soft;
    ped.initial_ksn = from_hex(kTestInitialKsn).value();
    ped.initial_key = SecretBytes(from_hex(kTestIpek).value());
    auto pad = make_pin_pad(ped, counter_->keypad_pin_source(), &store_);
    ASSERT_TRUE(pad) << pad.error().describe();
    counter_->set_pin_pad(std::move(*pad));

    auto kernel = builtin_test_terminal();
    ASSERT_TRUE(kernel) << kernel.error().describe();
    kernel_ = std::move(*kernel);
    auto journal = Journal::open(dir_ / "journal.db", test_device_key());
    ASSERT_TRUE(journal) << journal.error().describe();
    journal_.emplace(std::move(*journal));
    EngineConfig config;
    config.merchant.name = "TENDER TEST STORE";
    config.merchant.merchant_id = "MID0001";
    config.prompt_timeout = 5s;
    config.host_timeout = 4s;
    EngineEnvironment env;
    env.random = &random_;
    engine_ = std::make_unique<Engine>(io_, config, kernel_, *adapter_, *journal_, *counter_, env);
  }
  void TearDown() override {
    engine_.reset();
    counter_.reset();
    journal_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void insert(std::string_view name) {
    auto made = icc::sim::make_builtin_card(name);
    ASSERT_TRUE(made) << made.error().describe();
    card_ = std::make_unique<icc::sim::VirtualCard>(std::move(*made));
    reader_->insert(card_.get());
  }

  std::optional<TxnReport> sale(std::int64_t cents) {
    std::optional<TxnReport> report;
    SaleRequest request;
    request.amount = Money{cents, usd()};
    engine_->sale(request, [&](TxnReport r) { report.emplace(std::move(r)); });
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (!report && std::chrono::steady_clock::now() < end) {
      io_.restart();
      io_.run_for(5ms);
    }
    return report;
  }

  std::filesystem::path dir_;
  boost::asio::io_context io_;
  hs::ManualClock clock_{hs::utc(2026, 11, 21)};
  DukptPinVerifier pin_verifier_;
  TestCardIssuer issuer_ = TestCardIssuer::builtin().value();
  hs::HostSimulator sim_{hs::HostSimConfig{}, clock_, nullptr, &pin_verifier_, &issuer_};
  hs::LocalTransport transport_{io_, sim_};
  std::unique_ptr<net::host::HostAdapter> adapter_;
  RecordingDisplay display_;
  ScriptKeypad keypad_;
  icc::SimReader* reader_ = nullptr;
  std::unique_ptr<icc::sim::VirtualCard> card_;
  pinpad::MemoryKeyStore store_;
  std::unique_ptr<DeviceCounter> counter_;
  emv::TerminalConfig kernel_;
  std::optional<Journal> journal_;
  CountingRandom random_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineOnDevices, ChipSaleWithThePinTypedOnTheKeypad) {
  insert("visa_online_pin");
  keypad_.keys = {ui::Key::digit1, ui::Key::digit2, ui::Key::digit3, ui::Key::digit4, ui::Key::enter};
  const auto report = sale(1234);
  ASSERT_TRUE(report) << "the sale did not finish";
  EXPECT_EQ(report->outcome, TxnOutcome::approved) << report->reason;
  EXPECT_EQ(report->entry.entry_mode, StoredEntryMode::chip);
  EXPECT_EQ(report->entry.cvm, Cvm::online_pin);
  EXPECT_TRUE(keypad_.keys.empty());

  bool asked_pin = false;
  for (const auto& s : display_.screens) asked_pin = asked_pin || (s.id == ui::ScreenId::enter_pin && s.pin_digits == 4);
  EXPECT_TRUE(asked_pin);
  // The card is still in: "remove card" is up and the next prompt will not take it.
  EXPECT_EQ(display_.screens.back().id, ui::ScreenId::remove_card);
  EXPECT_EQ(display_.screens.back().text, "APPROVED");
  EXPECT_TRUE(counter_->awaiting_removal());
  reader_->remove();

  std::ifstream in(dir_ / "receipts.bin", std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(bytes.substr(0, 2), std::string("\x1B\x40"));
  // The card's PAN (tag 5A) appears masked at most.
  const auto profile = icc::sim::builtin_profile("visa_online_pin");
  ASSERT_TRUE(profile && !profile->applications.empty());
  const auto pan_tag = profile->applications.front().data.find(0x5A);
  ASSERT_NE(pan_tag, profile->applications.front().data.end());
  std::string pan = to_hex(pan_tag->second);
  while (!pan.empty() && pan.back() == 'F') pan.pop_back();
  ASSERT_GE(pan.size(), 13u);
  EXPECT_EQ(bytes.find(pan), std::string::npos);
  EXPECT_NE(bytes.find(pan.substr(pan.size() - 4)), std::string::npos) << "the masked PAN is on the receipt";
}

// The host checks the PIN block: a wrong PIN typed is a wrong PIN at the host.
TEST_F(EngineOnDevices, WrongPinOnTheKeypadIsDeclinedByTheHost) {
  insert("visa_online_pin");
  keypad_.keys = {ui::Key::digit9, ui::Key::digit9, ui::Key::digit9, ui::Key::digit9, ui::Key::enter};
  const auto report = sale(1500);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, TxnOutcome::declined) << report->reason;
  reader_->remove();
}

TEST_F(EngineOnDevices, CancelAtTheCardPrompt) {
  keypad_.keys = {ui::Key::cancel};
  const auto report = sale(500);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->outcome, TxnOutcome::cancelled);
  EXPECT_FALSE(counter_->prompt_pending());
}

TEST_F(EngineOnDevices, PinEntryCancelledOnTheKeypadEndsTheSale) {
  insert("visa_online_pin");
  keypad_.keys = {ui::Key::digit1, ui::Key::cancel};
  const auto report = sale(700);
  ASSERT_TRUE(report);
  EXPECT_NE(report->outcome, TxnOutcome::approved);
  reader_->remove();
}

}  // namespace
}  // namespace tender::app::terminal
