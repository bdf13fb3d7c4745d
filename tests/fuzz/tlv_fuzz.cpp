// libFuzzer target for the BER-TLV decoders and the DOL parser: all read bytes
// straight from the card. Beyond "no crash, no leak", it checks that decoding is
// stable: what decode() accepts, encode() writes in a form decode() reads back to
// the same tree; and that the view decoders the kernel uses (walk(), TlvReader)
// agree with the tree on every input: the same objects, or the same Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "emv/dol.hpp"
#include "emv/tlv.hpp"
#include "emv/tlv_view.hpp"

namespace {

using tender::ByteView;
using tender::emv::DecodeOptions;
using tender::emv::TlvNode;
using tender::emv::TlvObject;
using tender::emv::TlvReader;
using tender::emv::TlvParent;

// An object as a depth-first walk meets it; `parent` is where the contents of the
// object holding it start (nullptr at the top level).
struct Visit {
  tender::emv::Tag tag;
  const tender::Byte* value;
  std::size_t size;
  const tender::Byte* parent;
  bool operator==(const Visit&) const = default;
};

void walk(std::span<const TlvNode> nodes, const tender::Byte* parent, std::vector<Visit>& out) {
  for (const TlvNode& node : nodes) {
    out.push_back({node.tag, node.value.data(), node.value.size(), parent});
    walk(node.children, node.value.data(), out);
  }
}

tender::Result<void> walk(TlvReader reader, const tender::Byte* parent, std::vector<Visit>& out) {
  TlvObject object;
  while (reader.next(object)) {
    out.push_back({object.tag, object.value.data(), object.value.size(), parent});
    if (auto inner = walk(reader.contents(object), object.value.data(), out); !inner) return inner;
  }
  auto status = reader.status();
  if (status.has_value() != reader.done()) std::abort();
  return status;
}

bool same_error(const tender::Error& a, const tender::Error& b) {
  return a.code == b.code && a.message == b.message;
}

// walk() and the reader by hand against the tree decoder.
void cross_check(ByteView input, const DecodeOptions& options) {
  auto tree = tender::emv::decode(input, options);
  std::vector<Visit> read;
  auto by_hand = walk(TlvReader{input, options}, nullptr, read);
  std::vector<Visit> visited;
  auto walked = tender::emv::walk(
      input,
      [&visited](const TlvObject& object, TlvParent parent) {
        visited.push_back({object.tag, object.value.data(), object.value.size(), parent.contents});
      },
      options);
  if (tree.has_value() != by_hand.has_value() || tree.has_value() != walked.has_value()) std::abort();
  // Up to a fault, walk() showed its visitor exactly what the reader read.
  if (visited != read) std::abort();
  if (!tree) {
    if (!same_error(tree.error(), by_hand.error()) || !same_error(tree.error(), walked.error())) std::abort();
    return;
  }
  std::vector<Visit> from_tree;
  walk(*tree, nullptr, from_tree);
  if (read != from_tree) std::abort();
}

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

  cross_check(input, DecodeOptions{});
  cross_check(input, DecodeOptions{.max_depth = 3, .allow_padding = false});

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
