// libFuzzer target for the BER-TLV decoders and the DOL parser: all read bytes
// straight from the card. Beyond "no crash, no leak", it checks that decoding is
// stable: what decode() accepts, encode() writes in a form decode() reads back to
// the same tree; and that the view decoders the kernel uses (TlvView, TlvReader)
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
using tender::emv::TlvView;

// An object as a depth-first walk meets it.
struct Visit {
  tender::emv::Tag tag;
  const tender::Byte* value;
  std::size_t size;
  std::size_t depth;
  bool operator==(const Visit&) const = default;
};

void walk(std::span<const TlvNode> nodes, std::size_t depth, std::vector<Visit>& out) {
  for (const TlvNode& node : nodes) {
    out.push_back({node.tag, node.value.data(), node.value.size(), depth});
    walk(node.children, depth + 1, out);
  }
}

void walk(const TlvView& view, std::size_t depth, std::vector<Visit>& out) {
  for (const TlvObject& object : view) {
    out.push_back({object.tag, object.value.data(), object.value.size(), depth});
    walk(view.contents(object), depth + 1, out);
  }
}

tender::Result<void> walk(TlvReader reader, std::size_t depth, std::vector<Visit>& out) {
  TlvObject object;
  while (reader.next(object)) {
    out.push_back({object.tag, object.value.data(), object.value.size(), depth});
    if (auto inner = walk(reader.contents(object), depth + 1, out); !inner) return inner;
  }
  auto status = reader.status();
  if (status.has_value() != reader.done()) std::abort();
  return status;
}

bool same_error(const tender::Error& a, const tender::Error& b) {
  return a.code == b.code && a.message == b.message;
}

// The view and the single-pass reader against the tree decoder.
void cross_check(ByteView input, const DecodeOptions& options) {
  auto tree = tender::emv::decode(input, options);
  auto view = TlvView::decode(input, options);
  std::vector<Visit> read;
  auto walked = walk(TlvReader{input, options}, 1, read);
  if (tree.has_value() != view.has_value() || tree.has_value() != walked.has_value()) std::abort();
  if (!tree) {
    if (!same_error(tree.error(), view.error()) || !same_error(tree.error(), walked.error())) std::abort();
    return;
  }
  std::vector<Visit> from_tree;
  std::vector<Visit> from_view;
  walk(*tree, 1, from_tree);
  walk(*view, 1, from_view);
  if (from_view != from_tree || read != from_tree) std::abort();
  for (const tender::emv::Tag tag : {0x5AU, 0x70U, 0x9F4BU}) {
    const TlvNode* node = tender::emv::find(*tree, tag);
    const auto object = view->find(tag, TlvView::Search::depth_first);
    if ((node == nullptr) != !object.has_value()) std::abort();
    if (node != nullptr && node->value.data() != object->value.data()) std::abort();
  }
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
