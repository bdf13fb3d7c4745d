// One chip transaction's terminal side for tests: a built-in virtual card in the
// in-process reader, the test PED, the unattended UI, counting randomness, and the
// kernel on the built-in test terminal. The kernel holds references into the session,
// so a session never moves.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string_view>

#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"

namespace tender::test {

class ChipSession {
 public:
  ChipSession(std::string_view card_name, std::optional<std::string_view> pin,
              std::array<Byte, 3> date = {0x26, 0x11, 0x21}, std::int64_t cents = 1234) {
    auto config = app::builtin_test_terminal();
    EXPECT_TRUE(config);
    if (config) config_ = std::move(*config);
    auto card = icc::sim::make_builtin_card(card_name);
    EXPECT_TRUE(card) << card_name;
    if (card) card_.emplace(std::move(*card));
    auto ped = app::test_pin_pad(pin);
    EXPECT_TRUE(ped);
    if (ped) ped_.emplace(std::move(*ped));
    if (card_) reader_.insert(&*card_);
    input_.amount = Money{cents, usd()};
    input_.date = date;
    input_.time = {0x10, 0x00, 0x00};
    input_.sequence_counter = 1;
  }
  ChipSession(const ChipSession&) = delete;
  ChipSession& operator=(const ChipSession&) = delete;

  Result<emv::KernelResult> run(const app::OnlineResponder& responder) {
    if (!card_ || !ped_) return make_error(Errc::invalid_argument, "session not set up");
    kernel_.emplace(reader_, *ped_, config_, ui_, random_);
    return app::run_chip_transaction(*kernel_, input_, responder);
  }

  [[nodiscard]] icc::sim::VirtualCard& card() { return *card_; }

 private:
  emv::TerminalConfig config_;
  std::optional<icc::sim::VirtualCard> card_;
  std::optional<pinpad::SoftPed> ped_;
  icc::SimReader reader_;
  app::UnattendedUi ui_;
  app::CountingRandom random_;
  emv::TransactionInput input_;
  std::optional<emv::Kernel> kernel_;
};

}  // namespace tender::test
