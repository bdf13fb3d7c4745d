// The EMV contact kernel against virtual cards through a real PC/SC stack: pcscd,
// vsmartcard's vpcd reader driver, a VpcdBridge serving the card, and PcscReader under
// the kernel (tests/drivers/icc/pcsc/pcsc_fixture.hpp).
//
// Each card runs the same transaction twice with identical, deterministic inputs: once
// in process (icc::SimReader) and once through PC/SC, each on a freshly created card
// (so the ATC starts at the profile's value) whose own random numbers (ICC dynamic
// number, GET CHALLENGE) come from the same fixed sequence. pcsc-lite passes APDUs
// through unchanged, so the two runs must agree byte for byte: the kernel's results,
// the online tags with the cryptogram in them, and every APDU exchanged (except the data
// of an enciphered PIN VERIFY: the PED pads that block with random bytes of its own).
//
// APDUs and results carry card data (PAN, track 2, PIN blocks): they are kept in
// SecretBytes and never printed; a mismatch names the exchange's index, header and
// status word only. The online tags hold no PAN and are compared as hex.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <ostream>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/sim/simulated_issuer.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/money.hpp"
#include "common/secret.hpp"
#include "drivers/icc/pcsc/pcsc_reader.hpp"
#include "drivers/icc/pcsc/vpcd_bridge.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"
#include "tests/drivers/icc/pcsc/pcsc_fixture.hpp"

namespace tender {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// ---- Deterministic inputs ----


// The card's random numbers (ICC dynamic number, GET CHALLENGE): 0xA0, 0xA1, ... from
// the card's creation.
icc::sim::VirtualCard::RandomSource fixed_card_random() {
  return [n = Byte{0xA0}](std::span<Byte> out) mutable {
    for (Byte& b : out) b = n++;
    return true;
  };
}


emv::TransactionInput fixed_input() {
  emv::TransactionInput input;
  input.amount = Money{1234, usd()};  // 12.34 USD
  input.date = {0x26, 0x03, 0x15};    // 2026-03-15: every test card is valid then
  input.time = {0x12, 0x00, 0x00};
  input.sequence_counter = 1;
  return input;
}

// ---- One transaction ----

// One C-APDU / R-APDU pair as the kernel's transport layer saw it. Either may hold card
// data (a PAN, track 2, a PIN block), so both stay in zeroizing storage.
struct Exchange {
  SecretBytes command;
  SecretBytes response;

  [[nodiscard]] Byte ins() const { return command.size() >= 2 ? command.reveal()[1] : Byte{0}; }
  [[nodiscard]] Byte sw1() const { return response.size() >= 2 ? response.reveal()[response.size() - 2] : Byte{0}; }
  // CLA INS P1 P2 and SW1 SW2: what a failure message may show.
  [[nodiscard]] std::string describe() const {
    const ByteView c = command.reveal(), r = response.reveal();
    return "C " + to_hex(c.first(std::min<std::size_t>(4, c.size()))) + " .. R SW " +
           to_hex(r.last(std::min<std::size_t>(2, r.size())));
  }
  // VERIFY with P2 = 88: the PED pads the enciphered PIN block with its own random bytes.
  [[nodiscard]] bool enciphered_pin_verify() const {
    return command.size() >= 4 && command.reveal()[1] == 0x20 && command.reveal()[3] == 0x88;
  }
};

struct Session {
  emv::KernelResult result;
  std::vector<Exchange> exchanges;
};

// The whole transaction on `reader` (power-on .. final outcome), the simulated issuer
// approving when the card asks to go online. The caller powers the card off.
Result<Session> transact(icc::CardReader& reader, const icc::sim::CardProfile& profile) {
  auto config = app::builtin_test_terminal();
  if (!config) return std::move(config).error();
  auto ped = app::test_pin_pad("1234");
  if (!ped) return std::move(ped).error();
  app::UnattendedUi ui;
  app::CountingRandom random;
  Session run;
  emv::KernelOptions options;
  options.transcript = [&run](ByteView command, ByteView response) {
    run.exchanges.push_back(Exchange{SecretBytes{command}, SecretBytes{response}});
  };
  emv::Kernel kernel{reader, *ped, *config, ui, random, std::move(options)};
  const app::OnlineResponder issuer =
      [&profile](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    auto answer = app::answer_online_request(&profile, request, app::IssuerDecision::approve);
    if (!answer) return std::move(answer).error();
    if (!answer->arqc_valid) return make_error(Errc::malformed, "the simulated issuer could not verify the ARQC");
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = app::run_chip_transaction(kernel, fixed_input(), issuer);
  if (!result) return std::move(result).error();
  run.result = std::move(*result);
  return run;
}

// ---- Bounds ----

// Ends a stuck PC/SC exchange: at `limit` it runs `on_expiry` (the test removes the
// card, so pcscd fails the blocked SCardTransmit); if the test is still not done `grace`
// later, the process aborts rather than hang (pcscd, started with PR_SET_PDEATHSIG,
// goes with it, and the kernel releases the lock file).
class Watchdog {
 public:
  Watchdog(std::chrono::milliseconds limit, std::chrono::milliseconds grace, std::function<void()> on_expiry)
      : thread_([this, limit, grace, on_expiry = std::move(on_expiry)](std::stop_token stop) {
          // Nothing notifies cv_: the waits end at their time or at disarm() (stop).
          std::unique_lock lock(mutex_);
          (void)cv_.wait_for(lock, stop, limit, [] { return false; });
          if (stop.stop_requested()) return;
          fired_ = true;
          lock.unlock();
          std::fprintf(stderr, "emv_pcsc_test: the PC/SC transaction took over %lld ms; removing the card\n",
                       static_cast<long long>(limit.count()));
          on_expiry();
          lock.lock();
          (void)cv_.wait_for(lock, stop, grace, [] { return false; });
          if (stop.stop_requested()) return;
          std::fprintf(stderr, "emv_pcsc_test: still stuck %lld ms after removing the card; aborting\n",
                       static_cast<long long>(grace.count()));
          std::abort();
        }) {}
  ~Watchdog() { disarm(); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void disarm() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] bool fired() {
    std::lock_guard lock(mutex_);
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool fired_ = false;
  std::jthread thread_;  // last: joined before the members above go
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- What each card must do ----

struct CardCase {
  const char* card;
  emv::Outcome outcome;
  std::optional<emv::CryptogramType> cryptogram;
  bool t0 = false;
};

std::string case_name(const testing::TestParamInfo<CardCase>& info) { return info.param.card; }
void PrintTo(const CardCase& c, std::ostream* os) { *os << c.card; }

class EmvPcsc : public testing::TestWithParam<CardCase> {};

TEST_P(EmvPcsc, KernelOverPcscMatchesInProcess) {
  const CardCase& c = GetParam();
  auto profile = icc::sim::builtin_profile(c.card);
  ASSERT_TRUE(profile) << profile.error().describe();

  // In process.
  Session sim;
  {
    auto card = icc::sim::make_builtin_card(c.card, fixed_card_random());
    ASSERT_TRUE(card) << card.error().describe();
    icc::SimReader reader;
    reader.insert(&*card);
    auto run = transact(reader, *profile);
    ASSERT_TRUE(run) << "in process: " << run.error().describe();
    EXPECT_TRUE(reader.power_off());
    sim = std::move(*run);
  }

  // Through pcscd + vpcd: a fresh card with the same random numbers.
  auto card = icc::sim::make_builtin_card(c.card, fixed_card_random());
  ASSERT_TRUE(card) << card.error().describe();
  const auto t_start = Clock::now();
  TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, *card);
  const double fixture_s = seconds_since(t_start);
  const bool own_pcscd = pcsc->started_pcscd();
  const auto t_card = Clock::now();
  auto inserted = pcsc->wait_for_card(5s);
  ASSERT_TRUE(inserted) << "pcscd did not report the virtual card: " << inserted.error().describe();
  const double card_s = seconds_since(t_card);

  const auto t_run = Clock::now();
  Result<Session> over_pcsc = make_error(Errc::io_error, "not run");
  std::optional<icc::pcsc::Protocol> protocol;
  {
    Watchdog watchdog(20s, 10s, [&pcsc] { pcsc->bridge().remove(); });
    over_pcsc = transact(pcsc->reader(), *profile);
    protocol = pcsc->reader().active_protocol();
    auto off = pcsc->reader().power_off();
    EXPECT_TRUE(off) << off.error().describe();
    watchdog.disarm();
    EXPECT_FALSE(watchdog.fired()) << "the PC/SC transaction ran into the watchdog";
  }
  const double run_s = seconds_since(t_run);  // power-off included
  const auto stats = pcsc->bridge().stats();
  const auto t_down = Clock::now();
  pcsc.reset();  // reader, bridge, pcscd (when started here), lock
  const double teardown_s = seconds_since(t_down);
  std::printf("[   time   ] %s: fixture %.2f s (%s pcscd), card seen %.2f s, transaction %.2f s (%zu APDUs), "
              "teardown %.2f s\n",
              c.card, fixture_s, own_pcscd ? "own" : "system", card_s, run_s,
              over_pcsc ? over_pcsc->exchanges.size() : std::size_t{0}, teardown_s);
  ASSERT_TRUE(over_pcsc) << "through PC/SC: " << over_pcsc.error().describe();
  const emv::KernelResult& a = sim.result;
  const emv::KernelResult& b = over_pcsc->result;

  // The expected outcome, through PC/SC.
  EXPECT_EQ(emv::name(b.outcome), emv::name(c.outcome)) << b.termination_reason;
  EXPECT_EQ(b.cryptogram.has_value(), c.cryptogram.has_value());
  if (b.cryptogram && c.cryptogram) {
    EXPECT_EQ(emv::name(*b.cryptogram), emv::name(*c.cryptogram));
  }
  if (c.outcome != emv::Outcome::fallback) {
    EXPECT_FALSE(b.online_tags.empty());
    EXPECT_TRUE(b.pan.has_value());
  }

  // The same transaction both ways.
  EXPECT_EQ(emv::name(b.outcome), emv::name(a.outcome));
  EXPECT_EQ(to_hex(b.aid), to_hex(a.aid));
  EXPECT_EQ(b.label, a.label);
  EXPECT_EQ(to_hex(b.tvr), to_hex(a.tvr));
  EXPECT_EQ(to_hex(b.tsi), to_hex(a.tsi));
  EXPECT_EQ(to_hex(b.cvm_results), to_hex(a.cvm_results));
  EXPECT_EQ(b.cryptogram.has_value(), a.cryptogram.has_value());
  if (b.cryptogram && a.cryptogram) {
    EXPECT_EQ(emv::name(*b.cryptogram), emv::name(*a.cryptogram));
  }
  EXPECT_EQ(b.advice_required, a.advice_required);
  EXPECT_EQ(to_hex(b.online_tags), to_hex(a.online_tags)) << "cryptogram, IAD, ATC, TVR ... must match byte for byte";
  EXPECT_EQ(to_hex(b.issuer_script_results), to_hex(a.issuer_script_results));
  EXPECT_EQ(b.signature_required, a.signature_required);
  EXPECT_EQ(b.termination_reason, a.termination_reason);
  EXPECT_EQ(b.pan_sequence_number, a.pan_sequence_number);
  // Card data: compared, never printed.
  EXPECT_TRUE(b.pan == a.pan) << "the PANs differ";
  EXPECT_TRUE(b.track2_equivalent == a.track2_equivalent) << "the track 2 equivalent data differ";
  EXPECT_EQ(b.online_pin.has_value(), a.online_pin.has_value());
  if (b.online_pin && a.online_pin) {
    EXPECT_EQ(b.online_pin->bypassed, a.online_pin->bypassed);
    EXPECT_TRUE(b.online_pin->pin_block == a.online_pin->pin_block) << "the enciphered PIN blocks differ";
    EXPECT_EQ(to_hex(b.online_pin->ksn), to_hex(a.online_pin->ksn));
  }

  // Every APDU: pcsc-lite and vpcd pass them through unchanged, procedure bytes included.
  const auto& xa = sim.exchanges;
  const auto& xb = over_pcsc->exchanges;
  EXPECT_EQ(xb.size(), xa.size());
  for (std::size_t i = 0; i < std::min(xa.size(), xb.size()); ++i) {
    const bool same_command = xa[i].enciphered_pin_verify() && xb[i].enciphered_pin_verify()
                                  ? xa[i].command.size() == xb[i].command.size()
                                  : xa[i].command == xb[i].command;
    EXPECT_TRUE(same_command && xa[i].response == xb[i].response)
        << "exchange " << i << ": in process " << xa[i].describe() << ", through PC/SC " << xb[i].describe();
  }
  // Each transmit reached the card as one command APDU; pcscd added none.
  EXPECT_EQ(stats.commands, xb.size());

  ASSERT_TRUE(protocol.has_value()) << "the card was not powered at the end of the transaction";
  EXPECT_EQ(icc::pcsc::to_string(*protocol), icc::pcsc::to_string(c.t0 ? icc::pcsc::Protocol::t0
                                                                          : icc::pcsc::Protocol::t1));
  std::size_t more_data = 0, wrong_length = 0, get_response = 0;
  for (const auto& x : xb) {
    more_data += x.sw1() == 0x61 ? 1U : 0U;
    wrong_length += x.sw1() == 0x6C ? 1U : 0U;
    get_response += x.ins() == 0xC0 ? 1U : 0U;
  }
  if (c.t0) {
    // The T=0 procedure bytes came up through pcsc-lite and emv/ttl acted on them.
    EXPECT_GT(more_data, 0U) << "no 61xx through PC/SC";
    EXPECT_GT(wrong_length, 0U) << "no 6Cxx through PC/SC";
    EXPECT_EQ(get_response, more_data) << "one GET RESPONSE per 61xx";
  } else {
    EXPECT_EQ(more_data + wrong_length + get_response, 0U) << "T=1 needs no procedure bytes";
  }
}

INSTANTIATE_TEST_SUITE_P(
    BuiltinCards, EmvPcsc,
    testing::Values(
        CardCase{"visa_online_pin", emv::Outcome::approved_online, emv::CryptogramType::tc},
        CardCase{"mc_cda", emv::Outcome::approved_online, emv::CryptogramType::tc},
        CardCase{"visa_t0", emv::Outcome::approved_online, emv::CryptogramType::tc, true},
        CardCase{"mc_offline_plain_pin", emv::Outcome::approved_online, emv::CryptogramType::tc},
        CardCase{"visa_offline_enc_pin", emv::Outcome::approved_online, emv::CryptogramType::tc},
        CardCase{"visa_decline_offline", emv::Outcome::declined_offline, emv::CryptogramType::aac},
        CardCase{"unknown_aid", emv::Outcome::fallback, std::nullopt}),
    case_name);

}  // namespace
}  // namespace tender
