// ISO/IEC 7813 track parsing: runs once per swipe or chip read, so it matters
// less for throughput than for not allocating more than the result needs.
#include <benchmark/benchmark.h>

#include <string_view>

#include "common/bytes.hpp"
#include "drivers/msr/track.hpp"

namespace {

// Public test cards only.
constexpr std::string_view kTrack1 = "%B4111111111111111^TEST/CARD^2512101000000000000?";
constexpr std::string_view kTrack2 = ";4111111111111111=25121010000000000000?";
constexpr std::string_view kTag57 = "4761739001010010D22122011143804400000F";

void BM_ParseTrack1(benchmark::State& state) {
  for (auto _ : state) {
    auto t = tender::msr::parse_track1(kTrack1);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseTrack1);

void BM_ParseTrack2(benchmark::State& state) {
  for (auto _ : state) {
    auto t = tender::msr::parse_track2(kTrack2);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseTrack2);

void BM_ParseTag57(benchmark::State& state) {
  const tender::Bytes tag57 = tender::from_hex(kTag57).value();
  for (auto _ : state) {
    auto t = tender::msr::parse_track2_equivalent(tag57);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseTag57);

void BM_ParseTrackAutoDetect(benchmark::State& state) {
  for (auto _ : state) {
    auto t = tender::msr::parse_track(kTrack1);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseTrackAutoDetect);

void BM_ParseTrack1Error(benchmark::State& state) {
  // A truncated swipe: the error path builds a message.
  for (auto _ : state) {
    auto t = tender::msr::parse_track1(kTrack1.substr(0, 32));
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_ParseTrack1Error);

}  // namespace
