// The FullStack simulator's idempotency bookkeeping as keys pile up: requests per second
// through HostSimulator::handle() with 100 and with 20,000 live keys (keyed sales of the
// last five minutes), and the ratio of the two. Each measured request replays a live key,
// so the number of live keys stays what the benchmark says while it runs. A figure, not a
// test: nothing here asserts a time. The documents' Visa test card only; nothing prints it.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "common/log.hpp"
#include "net/hostsim/host_simulator.hpp"

namespace {

using namespace tender;
using namespace tender::net;

std::string key(std::int64_t n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "5b1e0c7a-2f4d-4c3b-9a1e-%012lld", static_cast<long long>(n));
  return buffer;
}

http::Request keyed_sale(std::int64_t n) {
  http::Request r;
  r.method = http::Method::post;
  r.target = "/api/transaction";
  r.set_header("Authorization", "api_tender_test");
  r.set_header("Content-Type", "application/json");
  r.body = R"({"idempotency_key":")" + key(n) +
           R"(","type":"sale","amount":1000,"currency":"USD","payment_method":{"card":{"entry_type":"keyed",)"
           R"("number":"4111111111111111","expiration_date":"12/30"}}})";
  return r;
}

// A simulator holding `live` keys, all inside their window (the clock does not move).
struct Filled {
  explicit Filled(std::int64_t live) {
    log::set_level(log::Level::error);
    for (std::int64_t i = 0; i < live; ++i) (void)sim->handle(keyed_sale(i));
  }
  hostsim::ManualClock clock{hostsim::utc(2026, 1, 5, 12)};
  std::unique_ptr<hostsim::HostSimulator> sim = std::make_unique<hostsim::HostSimulator>(hostsim::HostSimConfig{}, clock);
};

void BM_KeyedRequestWithLiveKeys(benchmark::State& state) {
  const std::int64_t live = state.range(0);
  Filled filled(live);
  std::int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(filled.sim->handle(keyed_sale(n)));
    n = (n + 1) % live;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["live_keys"] = static_cast<double>(live);
  state.counters["requests_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_KeyedRequestWithLiveKeys)->Arg(100)->Arg(20000)->Unit(benchmark::kMicrosecond);

double requests_per_second(std::int64_t live, int requests) {
  Filled filled(live);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i) benchmark::DoNotOptimize(filled.sim->handle(keyed_sale(i % live)));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return requests / took.count();
}

// Both sizes in one run, so the ratio is read off one line: close to 1 means the cost of a
// request does not grow with the number of live keys.
void BM_RatioOf20000To100LiveKeys(benchmark::State& state) {
  constexpr int kRequests = 2000;
  double small = 0;
  double large = 0;
  for (auto _ : state) {
    small = requests_per_second(100, kRequests);
    large = requests_per_second(20000, kRequests);
  }
  state.counters["rps_100_keys"] = small;
  state.counters["rps_20000_keys"] = large;
  state.counters["ratio_20000_to_100"] = small > 0 ? large / small : 0;
}
BENCHMARK(BM_RatioOf20000To100LiveKeys)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
