// libFuzzer target for the EMV contact kernel: a whole transaction (start(), and
// complete() when the card asks to go online) against a card whose ATR and every
// response come from the fuzz input, whatever the kernel sends. Beyond "no crash, no
// leak, no hang", it checks what the kernel promises its callers: start() and
// complete() fail only for the caller's mistakes, TVR/TSI/CVM Results have their
// sizes, only start() asks to go online, and a termination reason never quotes the PAN.
//
// Input framing (kernel_seeds.cpp writes the same, from real sessions):
//   [0] card byte
//       bits 1-0  ATR: 0 T=1 (3BE000008131FE45EB), 1 T=0 (3B600000), 2 from the input
//                 (a length-prefixed field, see below), 3 none (empty ATR)
//       bit 2     once the responses run out: 0 the card answers 6F00, 1 it is mute
//                 (an empty response, which the reader passes on as it is)
//       bits 4-3  host: 0 approves (ARC "00"), 1 declines (ARC "05"), 2 unreachable,
//                 3 answers with the ARC in the next two input bytes
//       bits 6-5  cardholder selection: 0 the terminal picks, 1 the first candidate,
//                 2 the last, 3 the cardholder cancels
//       bit 7     cardholder confirmation of a single application: 0 yes, 1 no
//   [1] transaction byte
//       bits 1-0  amount: 0 10.00, 1 0.00, 2 250.00, 3 99999999.99
//       bits 3-2  type: goods and services, cash, cashback (amount other 5.00), refund
//       bit 4     merchant forced online
//       bits 6-5  PIN entry: 0 and 3 "1234", 1 bypass, 2 "9999"
//       bit 7     floor limit: 0 zero (every sale exceeds it), 1 1000.00
//   then, in order: the ATR (when bits 1-0 say so), the ARC (2 bytes, host mode 3),
//   the Issuer Authentication Data (91) and the issuer scripts ('71'/'72' templates as
//   TLV bytes), then one response per C-APDU (data and SW1 SW2), until the input ends.
//   Every field but the ARC is length-prefixed: a length byte L < 255 is the length; 255
//   is followed by one more byte B and the length is 255 + B. A field cut short by the
//   end of the input is what is left of it.
//
// Running it (scripts/fuzz does both steps; the corpus stays in the build directory,
// as the seeds hold the test cards' data):
//   build/fuzz/tests/fuzz/kernel_seeds build/fuzz/corpus/kernel_fuzz     # seed corpus
//   build/fuzz/tests/fuzz/kernel_fuzz -max_total_time=300 build/fuzz/corpus/kernel_fuzz
// A finding is minimised with -minimize_crash=1 -runs=N and kept, as the only input
// checked in, under tests/fuzz/regressions/kernel_<short-name>.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"
#include "drivers/icc/card.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"

namespace {

using tender::Byte;
using tender::Bytes;
using tender::ByteView;
namespace emv = tender::emv;

// The input, consumed front to back.
class Input {
 public:
  explicit Input(ByteView data) : data_(data) {}
  [[nodiscard]] bool empty() const noexcept { return pos_ >= data_.size(); }
  Byte byte() { return empty() ? Byte{0} : data_[pos_++]; }
  Bytes take(std::size_t n) {
    n = std::min(n, data_.size() - pos_);
    Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return out;
  }
  Bytes field() {
    std::size_t length = byte();
    if (length == 0xFF) length += byte();
    return take(length);
  }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

// A card that answers every command with the next response of the input.
class FuzzedCard final : public tender::icc::Card {
 public:
  FuzzedCard(Bytes atr, Input& input, bool mute_when_done) : atr_(std::move(atr)), input_(input), mute_(mute_when_done) {}
  [[nodiscard]] Bytes atr() const override { return atr_; }
  void reset() override {}
  Bytes process(ByteView) override {
    ++apdus_;
    if (input_.empty()) return mute_ ? Bytes{} : Bytes{0x6F, 0x00};
    return input_.field();
  }
  [[nodiscard]] std::size_t apdus() const noexcept { return apdus_; }

 private:
  Bytes atr_;
  Input& input_;
  bool mute_;
  std::size_t apdus_ = 0;
};

class FuzzedUi final : public emv::KernelUi {
 public:
  FuzzedUi(unsigned choice, bool confirm) : choice_(choice), confirm_(confirm) {}
  tender::Result<std::size_t> choose_application(std::span<const emv::Candidate> candidates) override {
    if (choice_ == 0) return tender::make_error(tender::Errc::unsupported, "the terminal picks");
    if (choice_ == 3 || candidates.empty()) return tender::make_error(tender::Errc::cancelled, "cancelled");
    return choice_ == 1 ? std::size_t{0} : candidates.size() - 1;
  }
  tender::Result<bool> confirm_application(const emv::Candidate&) override { return confirm_; }

 private:
  unsigned choice_;
  bool confirm_;
};


class NullSink final : public tender::log::Sink {
 public:
  void write(tender::log::Level, std::string_view, std::string_view) override {}
};

}  // namespace

// Shared with kernel_seeds.cpp, which records sessions under the same terminal,
// transaction, PIN pad, cardholder and random numbers that the harness replays them with.
namespace tender::kernel_fuzz {

const emv::TerminalConfig& terminal(bool floor_limit) {
  static const emv::TerminalConfig online = tender::app::builtin_test_terminal().value();
  static const emv::TerminalConfig offline = tender::app::builtin_test_terminal(100000).value();
  return floor_limit ? offline : online;
}

// A fresh PED each run (SoftPed is not copyable): every run starts from the same DUKPT
// counter, so nothing carries over from one input to the next.
pinpad::SoftPed pin_pad(unsigned mode) {
  const std::optional<std::string_view> pin = mode == 1 ? std::nullopt
                                              : mode == 2 ? std::optional<std::string_view>{"9999"}
                                                          : std::optional<std::string_view>{"1234"};
  return app::test_pin_pad(pin).value();
}

std::unique_ptr<emv::RandomSource> fixed_random() { return std::make_unique<app::CountingRandom>(); }

std::unique_ptr<emv::KernelUi> cardholder(unsigned choice, bool confirm) {
  return std::make_unique<FuzzedUi>(choice, confirm);
}

emv::TransactionInput transaction(Byte flags) {
  const tender::Currency currency = terminal(false).currency;
  constexpr std::array<std::int64_t, 4> kAmounts = {1000, 0, 25000, 9999999999};
  emv::TransactionInput input;
  input.amount = tender::Money{kAmounts[flags & 0x03u], currency};
  constexpr std::array<emv::TransactionType, 4> kTypes = {emv::TransactionType::goods_services, emv::TransactionType::cash,
                                                          emv::TransactionType::cashback, emv::TransactionType::refund};
  input.type = kTypes[(flags >> 2) & 0x03u];
  if (input.type == emv::TransactionType::cashback) input.amount_other = tender::Money{500, currency};
  input.merchant_forced_online = (flags & 0x10u) != 0;
  input.date = {0x26, 0x03, 0x15};
  input.time = {0x12, 0x30, 0x00};
  input.sequence_counter = 1;
  return input;
}

}  // namespace tender::kernel_fuzz

namespace {

void check(const emv::KernelResult& r) {
  if (r.tvr.size() != 5 || r.tsi.size() != 2 || r.cvm_results.size() != 3) std::abort();
  if (r.pan) {
    // "termination_reason never holds card data".
    const std::string_view digits = r.pan->reveal();
    if (!digits.empty() && r.termination_reason.find(digits) != std::string::npos) std::abort();
  }
}

}  // namespace

namespace tender::kernel_fuzz {

Bytes default_atr(bool t1) {
  if (t1) return {0x3B, 0xE0, 0x00, 0x00, 0x81, 0x31, 0xFE, 0x45, 0xEB};
  return {0x3B, 0x60, 0x00, 0x00};
}

// One transaction from one input: the final outcome (-1 when start() or complete()
// failed, which the fuzzer treats as a bug) and the number of C-APDUs sent. The seed
// generator calls it to check that each seed replays the session it was recorded from.
int run(ByteView data, std::size_t* apdus) {
  Input input{data};
  const Byte card_flags = input.byte();
  const Byte txn_flags = input.byte();

  Bytes atr;
  switch (card_flags & 0x03u) {
    case 0:
    case 1:
      atr = default_atr((card_flags & 0x03u) == 0);
      break;
    case 2:
      atr = input.field();
      break;
    default:
      break;
  }
  const unsigned host = (card_flags >> 3) & 0x03u;
  emv::OnlineResponse response;
  response.host_reached = host != 2;
  if (host == 0) response.arc = {'0', '0'};
  if (host == 1) response.arc = {'0', '5'};
  if (host == 3) response.arc = input.take(2);
  response.issuer_authentication_data = input.field();
  response.issuer_scripts = input.field();

  FuzzedCard card{std::move(atr), input, (card_flags & 0x04u) != 0};
  icc::SimReader reader;
  reader.insert(&card);
  pinpad::SoftPed ped = pin_pad((txn_flags >> 5) & 0x03u);
  FuzzedUi ui{(card_flags >> 5) & 0x03u, (card_flags & 0x80u) == 0};
  app::CountingRandom random;
  emv::Kernel kernel{reader, ped, terminal((txn_flags & 0x80u) != 0), ui, random};

  int outcome = -1;
  auto started = kernel.start(transaction(txn_flags));
  if (started) {
    check(*started);
    outcome = static_cast<int>(started->outcome);
    if (started->outcome == emv::Outcome::online_request) {
      auto completed = kernel.complete(response);
      if (completed) {
        check(*completed);
        if (completed->outcome == emv::Outcome::online_request) std::abort();
        outcome = static_cast<int>(completed->outcome);
      } else {
        outcome = -1;
      }
    } else if (kernel.complete(response)) {
      std::abort();  // complete() without an online request pending must be refused
    }
  }
  if (apdus != nullptr) *apdus = card.apdus();
  return outcome;
}

void quiet_logs() {
  static NullSink sink;  // the kernel logs each termination: millions of lines
  log::set_sink(&sink);
}

}  // namespace tender::kernel_fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tender::kernel_fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // start() and complete() fail only for the caller's mistakes (an amount in another
  // currency, complete() out of turn): never for anything the card does.
  if (tender::kernel_fuzz::run(tender::ByteView{data, size}, nullptr) < 0) std::abort();
  return 0;
}
