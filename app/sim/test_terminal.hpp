// The emulator's and the tests' terminal: the default test configuration with the
// built-in test CAPKs, the soft PED under the X9.24-1 A.4 test keys, and one chip
// transaction run from power-on to its final outcome. Test keys only.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "drivers/pinpad/soft_ped.hpp"
#include "emv/kernel.hpp"
#include "emv/terminal_config.hpp"

namespace tender::app {

// emv::default_test_terminal() with the CAPKs of drivers/icc/sim/pki.
Result<emv::TerminalConfig> builtin_test_terminal(std::int64_t floor_limit = 0);

// A soft PED loaded with the IPEK of X9.24-1 A.4 (BDK 0123..3210, KSN FFFF9876543210E00000).
// `pin` nullopt: every entry is a bypass (ENTER without digits).
Result<pinpad::SoftPed> test_pin_pad(std::optional<std::string_view> pin);
// The same PED with its digits from `source` (the emulator's keypad, a test's script).
Result<pinpad::SoftPed> test_pin_pad(pinpad::PinSource source);

// No cardholder chooses: the terminal takes the highest-priority application and
// confirms it (Book 1 12.4), as unattended runs (scripts, tests, benchmarks) need.
class UnattendedUi final : public emv::KernelUi {
 public:
  Result<std::size_t> choose_application(std::span<const emv::Candidate> candidates) override;
  Result<bool> confirm_application(const emv::Candidate& candidate) override;
};

// Unpredictable numbers from crypto::random_bytes. A terminal without
// entropy must not transact: failure aborts rather than hand out predictable bytes.
class SystemRandom final : public emv::RandomSource {
 public:
  void fill(std::span<Byte> out) override;
};

// Tests, benchmarks and fuzzing only: start, start+1, ... over the object's life, so
// two runs that each build one see the same "random" bytes.
class CountingRandom final : public emv::RandomSource {
 public:
  explicit CountingRandom(Byte start = 0x11) : next_(start) {}
  void fill(std::span<Byte> out) override;

 private:
  Byte next_;
};

// What the host said to an ARQC: a response, or unreachable (nullopt).
using OnlineResponder = std::function<Result<std::optional<emv::OnlineResponse>>(const emv::KernelResult&)>;

// start(), and complete() when the card asks to go online.
Result<emv::KernelResult> run_chip_transaction(emv::Kernel& kernel, const emv::TransactionInput& input,
                                               const OnlineResponder& responder);

}  // namespace tender::app
