// The PIN path's hot spots: an originator issuing a key and enciphering a PIN block
// (per PIN entry on the terminal), and the receiver deriving the key from the BDK
// (per PIN block in the host simulator).
#include <benchmark/benchmark.h>

#include "common/bytes.hpp"
#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"
#include "drivers/pinpad/pin_block.hpp"

namespace {

using namespace tender;
using namespace tender::pinpad;

Bytes hex(std::string_view h) { return from_hex(h).value(); }

constexpr std::string_view kTdesBdk = "0123456789ABCDEFFEDCBA9876543210";
constexpr std::string_view kTdesKsn = "FFFF9876543210E00000";
constexpr std::string_view kAesBdk = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
constexpr std::string_view kAesKeyId = "1234567890123456";
constexpr std::string_view kPan = "4012345678909";

tdes::Originator fresh_tdes() {
  const auto ksn = tdes::parse_ksn(hex(kTdesKsn)).value();
  const auto ipek = tdes::derive_ipek(hex(kTdesBdk), ksn).value();
  return tdes::Originator::load_initial_key(ipek, ksn).value();
}

aes::Originator fresh_aes() {
  const Bytes id = hex(kAesKeyId);
  const auto ik = aes::derive_initial_key(hex(kAesBdk), id).value();
  return aes::Originator::load_initial_key(ik.reveal(), id).value();
}

void BM_TdesDukptPinBlock(benchmark::State& state) {
  auto device = fresh_tdes();
  for (auto _ : state) {
    auto tk = device.next_transaction();
    if (!tk) {  // a device lasts 2^20 - 1 PIN blocks; reload outside the timing
      state.PauseTiming();
      device = fresh_tdes();
      state.ResumeTiming();
      continue;
    }
    auto clear = format0_encode("1234", kPan).value();
    auto block = tdes::encrypt_pin_block(tk->pin_key, clear.reveal().first<8>());
    benchmark::DoNotOptimize(block);
  }
}
BENCHMARK(BM_TdesDukptPinBlock);

void BM_TdesReceiverDerive(benchmark::State& state) {
  const Bytes bdk = hex(kTdesBdk);
  // Counters with 1..10 one bits cost 1..10 key generations; cycle through a spread.
  const std::array<std::string_view, 4> ksns = {"FFFF9876543210E00001", "FFFF9876543210E00015",
                                                "FFFF9876543210EFF800", "FFFF9876543210FFF800"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto key = tdes::derive_pin_key(bdk, hex(ksns[i++ % ksns.size()]));
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_TdesReceiverDerive);

void BM_AesDukptPinBlock(benchmark::State& state) {
  auto device = fresh_aes();
  const std::array<Byte, 8> random8 = {0xFF, 0xC8, 0x53, 0xBB, 0xF9, 0x68, 0x5D, 0x5E};
  for (auto _ : state) {
    auto tk = device.next_transaction();
    if (!tk) {
      state.PauseTiming();
      device = fresh_aes();
      state.ResumeTiming();
      continue;
    }
    auto field = format4_pin_field("1234", random8).value();
    auto block = format4_encipher(tk->pin_key.reveal(), field, kPan);
    benchmark::DoNotOptimize(block);
  }
}
BENCHMARK(BM_AesDukptPinBlock);

void BM_AesReceiverDerive(benchmark::State& state) {
  const Bytes bdk = hex(kAesBdk);
  const std::array<std::string_view, 4> ksns = {
      "123456789012345600000001", "123456789012345600000007", "12345678901234560001FFFE",
      "1234567890123456FFFF0000"};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto ksn = aes::parse_ksn(hex(ksns[i++ % ksns.size()])).value();
    auto key = aes::derive_pin_key(bdk, ksn);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_AesReceiverDerive);

}  // namespace
