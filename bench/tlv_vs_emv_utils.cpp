// Our BER-TLV decoders and openemv/emv-utils' BER iterator side by side, in one
// program, on the same READ RECORD, FCI and GPO format 2 responses
// (bench/tlv_records.hpp). emv-utils' src/iso8825_ber.c comes from a checkout kept
// outside this repository: bench/CMakeLists.txt compiles it only when
// TENDER_EMV_UTILS_DIR names one, and bench/tlv_vs_emv_utils drives all of it.
//
// "The same work", on both sides: every data object of the response, at every level
// (recursing into each constructed object), has its tag and length decoded and its
// contents checked to lie inside the enclosing buffer, and tag + length + first
// contents byte are added into a checksum. Nothing is allocated on either side
// (but in tender_tree, which is there to show what the tree costs).
// Before timing, both walks must give the same checksum and object count, or the
// program stops. Ours checks more on the way (Annex B padding, the nesting limit, the
// sizes of tag and length fields); emv-utils checks bounds. Ours is header-inline
// (TlvReader::next), as the kernel uses it; emv-utils is called through its C API,
// as a program linking the library does, built with the same optimisation flags.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/tlv_records.hpp"
#include "emv/tlv.hpp"
#include "emv/tlv_view.hpp"
#include "iso8825_ber.h"

namespace {

using tender::Bytes;
using namespace tender::emv;

struct Walked {
  std::uint64_t sum = 0;
  std::size_t objects = 0;
  bool operator==(const Walked&) const = default;
  Walked& operator+=(const Walked& other) {
    sum += other.sum;
    objects += other.objects;
    return *this;
  }
};

void touch(Walked& w, std::uint64_t tag, std::size_t length, const std::uint8_t* value) {
  w.sum += tag + length + (length == 0 ? 0U : value[0]);
  ++w.objects;
}

// Every walk below counts into a local Walked and adds it to the caller's once, at
// the end of its level: the checksum then stays in registers on both sides, instead
// of a load-add-store through the caller's memory on every object, which held both
// decoders to the latency of that chain and hid their difference.

// emv-utils: iso8825_ber_itr_next() per object, a new iterator per constructed one.
bool walk_emv_utils(const void* data, std::size_t size, Walked& out) {
  iso8825_ber_itr_t itr;
  if (iso8825_ber_itr_init(data, size, &itr) != 0) return false;
  Walked w;
  iso8825_tlv_t tlv;
  int r = 0;
  while ((r = iso8825_ber_itr_next(&itr, &tlv)) > 0) {
    touch(w, tlv.tag, tlv.length, tlv.value);
    if (iso8825_ber_is_constructed(&tlv)) {
      Walked inner;
      const bool ok = walk_emv_utils(tlv.value, tlv.length, inner);
      w += inner;
      if (!ok) return false;
    }
  }
  out += w;
  return r == 0;
}

// Ours, one pass: TlvReader::next() per object, contents() per constructed one.
bool walk_reader(TlvReader reader, Walked& out) {
  Walked w;
  TlvObject object;
  while (reader.next(object)) {
    touch(w, object.tag, object.value.size(), object.value.data());
    if (object.constructed()) {
      Walked inner;
      const bool ok = walk_reader(reader.contents(object), inner);
      w += inner;
      if (!ok) return false;
    }
  }
  out += w;
  return reader.done();
}

// Ours as the kernel's response parsers use it: walk() visits every object at every
// level in one pass and says at the end whether all of it was well formed.
bool walk_kernel(tender::ByteView data, Walked& out) {
  Walked w;
  const auto walked = walk(data, [&w](const TlvObject& object, TlvParent) {
    touch(w, object.tag, object.value.size(), object.value.data());
  });
  out += w;
  return walked.has_value();
}

// Ours as the tools use it: the tree of decode(), then a walk of it.
void walk_tree(std::span<const TlvNode> nodes, Walked& out) {
  Walked w;
  for (const TlvNode& node : nodes) {
    touch(w, node.tag, node.value.size(), node.value.data());
    if (!node.children.empty()) {
      Walked inner;
      walk_tree(node.children, inner);
      w += inner;
    }
  }
  out += w;
}

bool walk_tree(tender::ByteView data, Walked& w) {
  auto nodes = decode(data);
  if (!nodes) return false;
  walk_tree(*nodes, w);
  return true;
}

struct Kind {
  const char* name;
  Bytes bytes;
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all{
      {"READ RECORD", tender::bench::read_record_response()},
      {"FCI", tender::bench::fci_response()},
      {"GPO format 2", tender::bench::gpo_format2_response()},
  };
  return all;
}

template <bool (*Walk)(tender::ByteView, Walked&)>
void run(benchmark::State& state) {
  const Bytes& bytes = kinds()[static_cast<std::size_t>(state.range(0))].bytes;
  for (auto _ : state) {
    Walked w;
    if (!Walk(bytes, w)) state.SkipWithError("walk failed");
    benchmark::DoNotOptimize(w);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

bool emv_utils(tender::ByteView data, Walked& w) { return walk_emv_utils(data.data(), data.size(), w); }
bool reader(tender::ByteView data, Walked& w) { return walk_reader(TlvReader{data}, w); }
bool kernel(tender::ByteView data, Walked& w) { return walk_kernel(data, w); }
bool tree(tender::ByteView data, Walked& w) { return walk_tree(data, w); }

BENCHMARK(run<emv_utils>)->Name("emv_utils_iterator")->DenseRange(0, 2);
BENCHMARK(run<reader>)->Name("tender_reader")->DenseRange(0, 2);
BENCHMARK(run<kernel>)->Name("tender_walk")->DenseRange(0, 2);
BENCHMARK(run<tree>)->Name("tender_tree")->DenseRange(0, 2);

// Proves the four walks do the same work before any is timed.
bool same_work() {
  bool same = true;
  for (const Kind& kind : kinds()) {
    Walked theirs;
    Walked ours[3];
    const bool ok = emv_utils(kind.bytes, theirs) && reader(kind.bytes, ours[0]) &&
                    kernel(kind.bytes, ours[1]) && tree(kind.bytes, ours[2]);
    if (!ok || ours[0] != theirs || ours[1] != theirs || ours[2] != theirs) {
      std::fprintf(stderr, "%s: the walks disagree (emv-utils %zu objects, ours %zu)\n", kind.name,
                   theirs.objects, ours[0].objects);
      same = false;
    }
  }
  return same;
}

// The console output as usual, and the median (or only) CPU time of each
// benchmark kept for the summary.
class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
      if (run.error_occurred || !(median || single)) continue;
      const double ns = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
      ns_[{run.run_name.function_name, std::stoi(run.run_name.args)}] = ns;
    }
  }

  void summary() const {
    std::printf("\nBER-TLV walk of every object at every level, median CPU time per response\n");
    std::printf("%-13s %5s %7s  %-19s %9s %9s %7s\n", "record", "bytes", "objects", "decoder", "ns", "MB/s",
                "ratio");
    for (std::size_t i = 0; i < kinds().size(); ++i) {
      const Kind& kind = kinds()[i];
      Walked w;
      (void)reader(kind.bytes, w);
      const auto base = ns_.find({"emv_utils_iterator", static_cast<int>(i)});
      for (const char* name : {"emv_utils_iterator", "tender_reader", "tender_walk", "tender_tree"}) {
        const auto it = ns_.find({name, static_cast<int>(i)});
        if (it == ns_.end()) continue;
        const double mbps = static_cast<double>(kind.bytes.size()) / it->second * 1e3;
        // ours/emv-utils throughput: above 1 means faster than emv-utils.
        const double ratio = base == ns_.end() ? 0.0 : base->second / it->second;
        std::printf("%-13s %5zu %7zu  %-19s %9.1f %9.1f %6.2fx\n", kind.name, kind.bytes.size(), w.objects,
                    name, it->second, mbps, ratio);
      }
    }
  }

 private:
  std::map<std::pair<std::string, int>, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (!same_work()) return 1;
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  collector.summary();
  benchmark::Shutdown();
  return 0;
}
