// The TLV hot path: every card response is decoded, every command built from a DOL.
#include <benchmark/benchmark.h>

#include <map>
#include <optional>

#include "emv/dol.hpp"
#include "emv/tlv.hpp"

namespace {

using tender::Byte;
using tender::Bytes;
using tender::ByteView;
using namespace tender::emv;

Bytes hex(const char* text) { return tender::from_hex(text).value(); }

// A READ RECORD response of 242 bytes: the risk management and ODA record of a
// contact card (CDOL1/2, CVM list, IACs, dates, PAN, issuer certificate).
Bytes read_record_response() {
  Bytes body;
  append_tlv(body, 0x8C, hex("9F02069F03069F1A0295055F2A029A039C019F3704"));
  append_tlv(body, 0x8D, hex("8A029F02069F03069F1A0295055F2A029A039C019F3704"));
  append_tlv(body, 0x8E, hex("000000000000000042031E031F00"));
  append_tlv(body, 0x9F0D, hex("B060240000"));
  append_tlv(body, 0x9F0E, hex("0010000000"));
  append_tlv(body, 0x9F0F, hex("B060249800"));
  append_tlv(body, 0x5F25, hex("200101"));
  append_tlv(body, 0x5F24, hex("221231"));
  append_tlv(body, 0x5A, hex("4761739001010010"));
  append_tlv(body, 0x5F34, hex("01"));
  append_tlv(body, 0x9F07, hex("FF00"));
  append_tlv(body, 0x9F08, hex("0096"));
  append_tlv(body, 0x5F28, hex("0840"));
  append_tlv(body, 0x9F42, hex("0840"));
  append_tlv(body, 0x8F, hex("92"));
  Bytes certificate(96);
  for (std::size_t i = 0; i < certificate.size(); ++i) certificate[i] = static_cast<Byte>(0x10 + i);
  append_tlv(body, 0x90, certificate);
  append_tlv(body, 0x9F32, hex("03"));
  return encode_tlv(0x70, body);
}

void BM_TlvDecode(benchmark::State& state) {
  const Bytes response = read_record_response();
  for (auto _ : state) {
    auto nodes = decode(response);
    benchmark::DoNotOptimize(nodes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * response.size()));
  state.counters["bytes"] = static_cast<double>(response.size());
}
BENCHMARK(BM_TlvDecode);

void BM_TlvEncode(benchmark::State& state) {
  const Bytes response = read_record_response();
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
