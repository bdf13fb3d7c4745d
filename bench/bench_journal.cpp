// The journal's durable offline enqueue: what one store-and-forward approval costs before
// the terminal may hand the card back. Bound by fsync (synchronous=FULL, one commit: the
// row, its sealed request and its queue item, app/journal/lifecycle.hpp), so the number says
// more about the storage than the code; run it on the target's flash, not only on a
// workstation's tmpfs.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "app/config/settings.hpp"
#include "app/journal/journal.hpp"
#include "app/journal/lifecycle.hpp"
#include "app/sim/test_device_key.hpp"
#include "bench/bench_support.hpp"

namespace {

using namespace tender;
using namespace tender::app;

void BM_JournalDurableEnqueue(benchmark::State& state) {
  bench::TempDir dir("journal");
  // The cap is the engine's policy, not what is measured here: it must never fill.
  auto opened = Journal::open(dir.path() / "journal.db", app::test_device_key(),
                              JournalOptions{.offline_queue_cap = std::numeric_limits<std::size_t>::max()});
  if (!opened) {
    state.SkipWithError(opened.error().describe().c_str());
    return;
  }
  Journal journal = std::move(opened).value();
  // About what an offline chip sale seals: PAN, expiry, chip tags, no PIN block. Not card data.
  const Bytes payload(200, 0x5C);

  JournalEntry entry;
  entry.kind = TxnKind::sale;
  entry.entry_mode = StoredEntryMode::chip;
  entry.amount = Money{2500, usd()};
  entry.masked_pan = "476173******0010";
  entry.card_label = "VISA CREDIT";
  std::int64_t n = 0;
  for (auto _ : state) {
    entry.reference_id = "bench-" + std::to_string(n++);
    entry.offline = true;
    auto seq = journal.apply(RowEvent::approve_offline, entry, payload);
    if (!seq) {
      state.SkipWithError(seq.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(*seq);
  }
  state.SetItemsProcessed(state.iterations());
}
// Real time: the cost is waiting for the disk, which CPU time does not see.
BENCHMARK(BM_JournalDurableEnqueue)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
