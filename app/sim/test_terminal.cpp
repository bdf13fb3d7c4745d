#include "app/sim/test_terminal.hpp"

#include "app/terminal/capk_json.hpp"
#include "common/log.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "common/crypto/random.hpp"

#include <cstdlib>

namespace tender::app {

Result<emv::TerminalConfig> builtin_test_terminal(std::int64_t floor_limit) {
  emv::TerminalConfig config = emv::default_test_terminal(floor_limit);
  auto capks = parse_capk_json(icc::sim::builtin_capk_json());
  if (!capks) return std::move(capks).error();
  config.capks = std::move(*capks);
  return config;
}

Result<pinpad::SoftPed> test_pin_pad(std::optional<std::string_view> pin) {
  std::optional<SecretString> digits;
  if (pin) digits.emplace(*pin);
  return test_pin_pad([digits](std::string_view) -> Result<std::optional<SecretString>> { return digits; });
}

Result<pinpad::SoftPed> test_pin_pad(pinpad::PinSource source) {
  const Bytes bdk = from_hex("0123456789ABCDEFFEDCBA9876543210").value();
  const Bytes ksn_bytes = from_hex("FFFF9876543210E00000").value();
  auto ipek = pinpad::tdes::derive_ipek(bdk, ksn_bytes);
  if (!ipek) return std::move(ipek).error();
  auto ksn = pinpad::tdes::parse_ksn(ksn_bytes);
  if (!ksn) return std::move(ksn).error();
  auto originator = pinpad::tdes::Originator::load_initial_key(*ipek, *ksn);
  if (!originator) return std::move(originator).error();
  return pinpad::SoftPed{std::move(source), std::move(*originator)};
}

Result<emv::KernelResult> run_chip_transaction(emv::Kernel& kernel, const emv::TransactionInput& input,
                                               const OnlineResponder& responder) {
  auto result = kernel.start(input);
  if (!result || result->outcome != emv::Outcome::online_request) return result;
  auto answer = responder(*result);
  if (!answer) return std::move(answer).error();
  emv::OnlineResponse response;  // host_reached false: unable to go online
  if (*answer) response = std::move(**answer);
  return kernel.complete(response);
}

Result<std::size_t> UnattendedUi::choose_application(std::span<const emv::Candidate>) {
  return make_error(Errc::unsupported, "unattended: the terminal picks by priority");
}

Result<bool> UnattendedUi::confirm_application(const emv::Candidate&) { return true; }

void SystemRandom::fill(std::span<Byte> out) {
  if (!crypto::random_bytes(out)) {
    log::error("terminal", "no random bytes from the kernel: refusing to continue");
    std::abort();
  }
}

void CountingRandom::fill(std::span<Byte> out) {
  for (Byte& b : out) b = next_++;
}

}  // namespace tender::app
