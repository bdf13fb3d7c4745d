// The TLV hot path: every card response is decoded, every command built from a DOL.
#include <benchmark/benchmark.h>

#include <map>
#include <optional>

#include "bench/tlv_records.hpp"
#include "emv/dol.hpp"
#include "emv/tlv.hpp"
#include "emv/tlv_view.hpp"

namespace {

using tender::Byte;
using tender::Bytes;
using tender::ByteView;
using namespace tender::emv;

using tender::bench::hex;

enum Record { kReadRecord, kFci, kGpo };

Bytes record(std::int64_t kind) {
  switch (kind) {
    case kFci:
      return tender::bench::fci_response();
    case kGpo:
      return tender::bench::gpo_format2_response();
    default:
      return tender::bench::read_record_response();
  }
}

void label(benchmark::State& state, const Bytes& response) {
  static constexpr const char* kNames[] = {"READ RECORD", "FCI", "GPO format 2"};
  state.SetLabel(kNames[state.range(0)]);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * response.size()));
  state.counters["bytes"] = static_cast<double>(response.size());
}

// The tree, as tools use it: a vector of nodes per level.
void BM_TlvDecode(benchmark::State& state) {
  const Bytes response = record(state.range(0));
  for (auto _ : state) {
    auto nodes = decode(response);
    benchmark::DoNotOptimize(nodes);
  }
  label(state, response);
}
BENCHMARK(BM_TlvDecode)->DenseRange(kReadRecord, kGpo);

// What the kernel does with a response: one walk() that checks every level in place
// and keeps the object it wants (PAN, PDOL, AFL), used only if the walk is ok.
void BM_TlvWalkFind(benchmark::State& state) {
  const Bytes response = record(state.range(0));
  static constexpr Tag kWanted[] = {0x5A, 0x9F38, 0x94};
  const Tag wanted = kWanted[state.range(0)];
  for (auto _ : state) {
    TlvObject found;
    auto walked = walk(response, [&](const TlvObject& object, TlvParent) {
      if (object.tag == wanted && found.tag == 0) found = object;
    });
    benchmark::DoNotOptimize(walked);
    benchmark::DoNotOptimize(found);
  }
  label(state, response);
}
BENCHMARK(BM_TlvWalkFind)->DenseRange(kReadRecord, kGpo);

// One pass with TlvReader over every object at every level, each checked as it is
// reached: the work bench/tlv_vs_emv_utils times against emv-utils' iterator.
std::uint64_t walk(TlvReader reader) {
  std::uint64_t sum = 0;
  TlvObject object;
  while (reader.next(object)) {
    sum += object.tag + object.value.size() + (object.value.empty() ? 0U : object.value[0]);
    if (object.constructed()) sum += walk(reader.contents(object));
  }
  return reader.done() ? sum : 0;
}

void BM_TlvReaderWalk(benchmark::State& state) {
  const Bytes response = record(state.range(0));
  for (auto _ : state) {
    std::uint64_t sum = walk(TlvReader{response});
    benchmark::DoNotOptimize(sum);
  }
  label(state, response);
}
BENCHMARK(BM_TlvReaderWalk)->DenseRange(kReadRecord, kGpo);

void BM_TlvEncode(benchmark::State& state) {
  const Bytes response = tender::bench::read_record_response();
  const auto nodes = decode(response).value();
  for (auto _ : state) {
    Bytes out = encode(nodes);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * response.size()));
}
BENCHMARK(BM_TlvEncode);

void BM_DolBuild(benchmark::State& state) {
  const auto cdol1 =
      parse_dol(hex("9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403"))
          .value();
  const std::map<Tag, Bytes> store{
      {0x9F02, hex("000000001000")}, {0x9F03, hex("000000000000")}, {0x9F1A, hex("0840")},
      {0x95, hex("0000000000")},     {0x5F2A, hex("0840")},         {0x9A, hex("240115")},
      {0x9C, hex("00")},             {0x9F37, hex("1A2B3C4D")},     {0x9F35, hex("22")},
      {0x9F34, hex("1E0300")},
  };
  const DolLookup lookup = [&store](Tag tag) -> std::optional<ByteView> {
    auto it = store.find(tag);
    if (it == store.end()) return std::nullopt;
    return ByteView{it->second};
  };
  for (auto _ : state) {
    Bytes data = build_dol_data(cdol1, lookup);
    benchmark::DoNotOptimize(data);
  }
}
BENCHMARK(BM_DolBuild);

}  // namespace
