// Seed corpus for kernel_fuzz: every built-in virtual card through the real kernel,
// each card response recorded from the transcript and written in kernel_fuzz.cpp's
// input framing, so the fuzzer starts from complete, valid sessions (selection, ODA
// with real certificates, CVM, both GENERATE ACs, issuer scripts) instead of having
// to discover an EMV card from scratch.
//
//   kernel_seeds DIR      writes DIR/<card>-<variant>, one file per session
//
// Variants per card: host approves, declines, unreachable (PIN 1234, floor limit 0),
// PIN bypass with the host approving, and floor limit 1000.00 (offline approvals).
// Each seed is checked by running it through the harness (kernel_fuzz.cpp's run(),
// linked in): it must end with the session's outcome after the same number of
// C-APDUs, or the program fails. It prints card names, outcomes and sizes only: the
// seeds hold the test cards' data (public test PANs) and stay in the build directory.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/sim/simulated_issuer.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"

// Defined in kernel_fuzz.cpp.
namespace tender::kernel_fuzz {
const emv::TerminalConfig& terminal(bool floor_limit);
pinpad::SoftPed pin_pad(unsigned mode);
std::unique_ptr<emv::RandomSource> fixed_random();
std::unique_ptr<emv::KernelUi> cardholder(unsigned choice, bool confirm);
emv::TransactionInput transaction(Byte flags);
Bytes default_atr(bool t1);
int run(ByteView data, std::size_t* apdus);
void quiet_logs();
}  // namespace tender::kernel_fuzz

namespace {

using namespace tender;
namespace kf = tender::kernel_fuzz;

enum class Host { approve, decline, unreachable };

struct Variant {
  const char* name;
  Host host;
  unsigned pin_mode;  // kernel_fuzz framing: 0 "1234", 1 bypass
  bool floor_limit;
};

constexpr Variant kVariants[] = {
    {"approve", Host::approve, 0, false},
    {"decline", Host::decline, 0, false},
    {"unreachable", Host::unreachable, 0, false},
    {"bypass", Host::approve, 1, false},
    {"floor", Host::approve, 0, true},
};

void put_field(Bytes& out, ByteView value) {
  if (value.size() > 0xFF + 0xFF) {
    std::fprintf(stderr, "kernel_seeds: a field of %zu bytes does not fit the framing\n", value.size());
    std::exit(1);
  }
  if (value.size() < 0xFF) {
    out.push_back(static_cast<Byte>(value.size()));
  } else {
    out.push_back(0xFF);
    out.push_back(static_cast<Byte>(value.size() - 0xFF));
  }
  out.insert(out.end(), value.begin(), value.end());
}

struct Session {
  Bytes seed;
  int outcome = -1;
  std::size_t apdus = 0;
};

// One card, one variant: the session through the real kernel, and its seed.
std::optional<Session> record(std::string_view card_name, const Variant& variant) {
  auto profile = icc::sim::builtin_profile(card_name);
  if (!profile) return std::nullopt;
  // The card's own numbers (GET CHALLENGE, ICC dynamic number) fixed too: the corpus
  // is the same from one build to the next.
  auto card = icc::sim::make_builtin_card(card_name, [n = 0u](std::span<Byte> out) mutable {
    for (auto& b : out) b = static_cast<Byte>(++n * 53 + 7);
    return true;
  });
  if (!card) return std::nullopt;

  std::vector<Bytes> responses;
  emv::KernelOptions options;
  options.transcript = [&responses](ByteView, ByteView r) { responses.emplace_back(r.begin(), r.end()); };

  const Byte txn_flags = static_cast<Byte>((variant.pin_mode << 5) | (variant.floor_limit ? 0x80u : 0u));
  icc::SimReader reader;
  reader.insert(&*card);
  pinpad::SoftPed ped = kf::pin_pad(variant.pin_mode);
  auto ui = kf::cardholder(0, true);
  auto random = kf::fixed_random();
  emv::Kernel kernel{reader, ped, kf::terminal(variant.floor_limit), *ui, *random, std::move(options)};

  std::optional<emv::OnlineResponse> response;
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    if (variant.host == Host::unreachable) return std::optional<emv::OnlineResponse>{};
    auto answer = app::answer_online_request(
        &*profile, request, variant.host == Host::approve ? app::IssuerDecision::approve : app::IssuerDecision::decline);
    if (!answer) return std::move(answer).error();
    response = answer->response;
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = app::run_chip_transaction(kernel, kf::transaction(txn_flags), responder);
  if (!result) return std::nullopt;

  // Card byte: ATR variant, 6F00 when the responses run out, host mode, the terminal
  // picks the application and the cardholder confirms.
  const Bytes atr = card->atr();
  unsigned atr_mode = 2;
  if (atr == kf::default_atr(true)) atr_mode = 0;
  if (atr == kf::default_atr(false)) atr_mode = 1;
  const unsigned host_mode = variant.host == Host::unreachable ? 2u : 3u;  // 3: the issuer's own ARC
  Session session;
  session.seed.push_back(static_cast<Byte>(atr_mode | (host_mode << 3)));
  session.seed.push_back(txn_flags);
  if (atr_mode == 2) put_field(session.seed, atr);
  if (host_mode == 3) {
    Bytes arc = response ? response->arc : Bytes{'0', '0'};
    arc.resize(2, '0');
    session.seed.insert(session.seed.end(), arc.begin(), arc.end());
  }
  put_field(session.seed, response ? ByteView{response->issuer_authentication_data} : ByteView{});
  put_field(session.seed, response ? ByteView{response->issuer_scripts} : ByteView{});
  for (const auto& r : responses) put_field(session.seed, r);
  session.outcome = static_cast<int>(result->outcome);
  session.apdus = responses.size();
  return session;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kernel_seeds DIR\n");
    return 2;
  }
  kf::quiet_logs();
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  int written = 0;
  std::size_t bytes = 0;
  for (const auto& builtin : icc::sim::builtin_profiles()) {
    for (const Variant& variant : kVariants) {
      const std::string name = std::string(builtin.name) + "-" + variant.name;
      auto session = record(builtin.name, variant);
      if (!session) {
        std::fprintf(stderr, "kernel_seeds: %s: the session failed\n", name.c_str());
        return 1;
      }
      std::size_t replayed_apdus = 0;
      const int replayed = kf::run(session->seed, &replayed_apdus);
      if (replayed != session->outcome || replayed_apdus != session->apdus) {
        std::fprintf(stderr, "kernel_seeds: %s: recorded %s after %zu APDUs, replayed %s after %zu\n", name.c_str(),
                     std::string(emv::name(static_cast<emv::Outcome>(session->outcome))).c_str(), session->apdus,
                     replayed < 0 ? "an error" : std::string(emv::name(static_cast<emv::Outcome>(replayed))).c_str(),
                     replayed_apdus);
        return 1;
      }
      std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(session->seed.data()), static_cast<std::streamsize>(session->seed.size()));
      if (!out) {
        std::fprintf(stderr, "kernel_seeds: cannot write %s\n", (dir / name).c_str());
        return 1;
      }
      std::printf("%-40s %-17s %2zu APDUs %5zu bytes\n", name.c_str(),
                  std::string(emv::name(static_cast<emv::Outcome>(session->outcome))).c_str(), session->apdus,
                  session->seed.size());
      ++written;
      bytes += session->seed.size();
    }
  }
  std::printf("kernel_seeds: %d seeds, %zu bytes in %s\n", written, bytes, dir.c_str());
  return 0;
}
