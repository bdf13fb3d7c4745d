// libFuzzer target for the BER-TLV decoder and the DOL parser: both read bytes
// straight from the card. Beyond "no crash, no leak", it checks that decoding is
// stable: what decode() accepts, encode() writes in a form decode() reads back to
// the same tree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "emv/dol.hpp"
#include "emv/tlv.hpp"

namespace {

using tender::emv::TlvNode;

bool same_tree(std::span<const TlvNode> a, std::span<const TlvNode> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].tag != b[i].tag || a[i].children.size() != b[i].children.size()) return false;
    if (a[i].children.empty()) {
      if (!std::equal(a[i].value.begin(), a[i].value.end(), b[i].value.begin(),
                      b[i].value.end())) {
        return false;
      }
    } else if (!same_tree(a[i].children, b[i].children)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tender::ByteView input{data, size};

  auto nodes = tender::emv::decode(input);
  if (nodes) {
    const tender::Bytes encoded = tender::emv::encode(*nodes);
    auto again = tender::emv::decode(encoded);
    // Re-encoding only drops padding and shortens lengths, so it must decode,
    // to the same tree.
    if (!again || !same_tree(*nodes, *again)) std::abort();
    (void)tender::emv::find(*nodes, 0x5A);
  }

  auto dol = tender::emv::parse_dol(input);
  if (dol) {
    // Build only what a command could carry: a card's DOL may ask for megabytes.
    if (tender::emv::dol_data_length(*dol) <= 4096) {
      const tender::Bytes built = tender::emv::build_dol_data(
          *dol, [&](tender::emv::Tag) { return std::optional<tender::ByteView>{input}; });
      auto split = tender::emv::split_dol_data(*dol, built);
      if (!split || split->size() != dol->size()) std::abort();
    }
  }
  return 0;
}
