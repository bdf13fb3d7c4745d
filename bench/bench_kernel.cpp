// The EMV contact kernel, one whole transaction: terminal-side kernel time for a CDA
// transaction (selection, reading 4 records, ODA with three RSA recoveries, CVM,
// risk management, both GENERATE ACs with their CDA signatures, completion) against
// a ReplayCard, so the card costs next to nothing; and the same transaction against
// the VirtualCard, which adds the card side (RSA signing for CDA, 3DES for the ACs).
//
// Setup, outside the timing: the built-in mc_cda card through the kernel once, with a
// fixed random source and a fixed date and time (the unpredictable number and the CDOL
// data are the same every run), recording the exchange and the simulated issuer's
// answer. The recording becomes a ReplayCard with exact matching, which must replay
// to the same outcome with no failure. mc_cda's CVM is signature, so the PIN pad is
// never asked and one PED serves every iteration.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/sim/simulated_issuer.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/replay_card.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"

namespace {

using namespace tender;

constexpr std::string_view kCard = "mc_cda";



[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_kernel setup: %s\n", what.c_str());
  std::exit(1);
}

struct Fixture {
  emv::TerminalConfig config;
  pinpad::SoftPed ped;
  emv::TransactionInput input;
  std::optional<icc::sim::VirtualCard> virtual_card;  // the prototype: each run copies it
  std::optional<icc::sim::ReplayCard> replay;         // likewise
  emv::OnlineResponse response;                       // the issuer's answer to the recorded ARQC
  emv::Outcome outcome = emv::Outcome::terminated;    // the recorded final outcome
  std::size_t apdus = 0;                              // C-APDUs per transaction
};

// One transaction as the timed loops run it: start(), complete() with the recorded
// answer when the card goes online. nullopt when either call fails.
std::optional<emv::Outcome> transact(icc::Card& card, Fixture& f) {
  icc::SimReader reader;
  reader.insert(&card);
  app::UnattendedUi ui;
  app::CountingRandom random;
  // The PED is never asked (signature CVM), so sharing it does not change its state.
  emv::Kernel kernel{reader, f.ped, f.config, ui, random};
  auto started = kernel.start(f.input);
  if (!started) return std::nullopt;
  if (started->outcome != emv::Outcome::online_request) return started->outcome;
  auto completed = kernel.complete(f.response);
  if (!completed) return std::nullopt;
  return completed->outcome;
}

Fixture make_fixture() {
  auto config = app::builtin_test_terminal();
  if (!config) fail("terminal: " + config.error().describe());
  auto ped = app::test_pin_pad("1234");
  if (!ped) fail("PIN pad: " + ped.error().describe());
  Fixture f{std::move(*config), std::move(*ped), {}, {}, {}, {}, {}, 0};
  f.input.amount = Money{1000, f.config.currency};
  f.input.date = {0x26, 0x03, 0x15};
  f.input.time = {0x12, 0x30, 0x00};
  f.input.sequence_counter = 1;

  auto profile = icc::sim::builtin_profile(kCard);
  if (!profile) fail("profile: " + profile.error().describe());
  // The card's own random numbers fixed as well, so every copy answers alike.
  auto card = icc::sim::make_builtin_card(kCard, [](std::span<Byte> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<Byte>(i * 53 + 7);
    return true;
  });
  if (!card) fail("card: " + card.error().describe());
  f.virtual_card.emplace(std::move(*card));

  // The recorded session: a copy of the prototype, the kernel with a transcript, and the
  // simulated issuer approving.
  icc::sim::VirtualCard recorded_card = *f.virtual_card;
  icc::SimReader reader;
  reader.insert(&recorded_card);
  app::UnattendedUi ui;
  app::CountingRandom random;
  std::vector<icc::sim::ReplayCard::Exchange> exchanges;
  emv::KernelOptions options;
  options.transcript = [&exchanges](ByteView c, ByteView r) {
    exchanges.push_back({Bytes(c.begin(), c.end()), Bytes(r.begin(), r.end()), false});
  };
  emv::Kernel kernel{reader, f.ped, f.config, ui, random, std::move(options)};
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    auto answer = app::answer_online_request(&*profile, request, app::IssuerDecision::approve);
    if (!answer) return std::move(answer).error();
    f.response = answer->response;
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = app::run_chip_transaction(kernel, f.input, responder);
  if (!result) fail("recording: " + result.error().describe());
  if (result->outcome != emv::Outcome::approved_online) fail("recording: not approved online");
  if (!result->signature_required || result->online_pin) fail("recording: the CVM is not signature; the PED would be used");
  f.outcome = result->outcome;
  f.apdus = exchanges.size();
  f.replay.emplace(f.virtual_card->atr(), std::move(exchanges));

  // The replay must be the same transaction: every command matched, every exchange used.
  icc::sim::ReplayCard check = *f.replay;
  const auto replayed = transact(check, f);
  if (!check.failures().empty()) fail("replay: " + check.failures().front());
  if (!check.complete()) fail("replay: exchanges left over");
  if (replayed != f.outcome) fail("replay: a different outcome");
  // And a copy of the virtual card the same as the recorded one.
  icc::sim::VirtualCard again = *f.virtual_card;
  if (transact(again, f) != f.outcome) fail("virtual card: a different outcome");
  return f;
}

Fixture& fixture() {
  static Fixture f = make_fixture();
  return f;
}

void report(benchmark::State& state, const Fixture& f) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["apdus/txn"] = static_cast<double>(f.apdus);
  state.counters["apdus/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(f.apdus),
                                                 benchmark::Counter::kIsRate);
}

// Terminal-side kernel time: the replay card only compares and copies bytes.
void BM_KernelCdaReplayCard(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    icc::sim::ReplayCard card = *f.replay;
    const auto outcome = transact(card, f);
    if (outcome != f.outcome || !card.failures().empty()) {
      state.SkipWithError("the replay diverged from the recording");
      break;
    }
    benchmark::DoNotOptimize(outcome);
  }
  report(state, f);
}
BENCHMARK(BM_KernelCdaReplayCard)->Unit(benchmark::kMicrosecond);

// The same transaction with the virtual card: card-side RSA (two CDA signatures) and
// 3DES (session key, two ACs) included.
void BM_KernelVirtualCard(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    icc::sim::VirtualCard card = *f.virtual_card;
    const auto outcome = transact(card, f);
    if (outcome != f.outcome) {
      state.SkipWithError("the virtual card's transaction diverged from the recording");
      break;
    }
    benchmark::DoNotOptimize(outcome);
  }
  report(state, f);
}
BENCHMARK(BM_KernelVirtualCard)->Unit(benchmark::kMicrosecond);

}  // namespace
