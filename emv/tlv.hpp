// ISO/IEC 8825-1 BER-TLV, as EMV Book 3 Annex B restricts it: tags of up to four
// bytes, definite lengths of up to three bytes, '00' (and, from real cards, 'FF')
// padding between objects. Every byte here may come from a card, so decoding never
// reads past its buffer, never recurses without bound, and never quotes a value in
// an error message (values can be a PAN or track data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::emv {

// The tag's bytes read big-endian: 0x9F02, 0x5F2A, 0x70, 0xBF0C, 0x9F8101.
// The first tag byte is the highest non-zero byte, so the form is unambiguous.
using Tag = std::uint32_t;

// EMV Book 3 B1 allows tags of one to three bytes; four leaves room for
// proprietary tags seen in the field without letting a fuzzed tag run on.
inline constexpr std::size_t kMaxTagBytes = 4;
// The largest length the 83 form carries (Annex B2 stops at three length bytes).
inline constexpr std::size_t kMaxLength = 0xFFFFFF;

// Number of bytes the tag occupies when encoded (1..4; 1 for tag 0).
[[nodiscard]] std::size_t tag_size(Tag tag) noexcept;
// Bit 6 of the first tag byte: the value is itself a sequence of TLV objects.
[[nodiscard]] bool is_constructed(Tag tag) noexcept;

// "9F02": upper case, as many bytes as the tag has.
std::string tag_to_hex(Tag tag);
// One well-formed tag and nothing else ("9f02" is accepted; "9F", "9F0201", "00" are not).
Result<Tag> tag_from_hex(std::string_view hex);

struct TlvNode {
  Tag tag = 0;
  // A view into the buffer given to decode(): the caller keeps that buffer alive.
  // For a constructed object this is the whole contents, padding included.
  ByteView value;
  // Filled for constructed objects only.
  std::vector<TlvNode> children;

  [[nodiscard]] bool constructed() const noexcept { return is_constructed(tag); }
};

struct DecodeOptions {
  // Deepest nesting decoded, the top level being 1. Bounds the recursion, so a
  // fuzzed "70 xx 70 xx 70 ..." cannot exhaust the stack.
  std::size_t max_depth = 8;
  // Skip '00' and 'FF' before, between and after objects (Book 3 B1). Note: with
  // padding allowed, a tag whose first byte is 'FF' cannot be decoded.
  bool allow_padding = true;
};

// Decodes a sequence of TLV objects into a tree; constructed objects are decoded
// recursively. A vector per level: for tools and for code that keeps the tree. Code
// that only reads a response uses walk() or TlvReader (tlv_view.hpp), which apply
// the same rules, with the same errors, in place.
// Errc::truncated when the data ends inside an object, Errc::malformed for an
// indefinite or over-long length, an over-long tag, or nesting beyond max_depth
// (which counts up to 127, TlvReader::kMaxDepth). Errc::out_of_range for data of
// more than kMaxLength bytes (16 MiB): the readers count in 24 bits.
Result<std::vector<TlvNode>> decode(ByteView data, const DecodeOptions& options = {});
// Decoding a temporary buffer would leave every TlvNode::value dangling.
Result<std::vector<TlvNode>> decode(Bytes&& data, const DecodeOptions& options = {}) = delete;

// Low level. On success `in` is advanced past what was read; on failure it is left
// unchanged. read_tag rejects '00' (padding, never a tag in EMV). read_length does
// not check that `in` holds that many bytes: decode() does.
Result<Tag> read_tag(ByteView& in);
Result<std::size_t> read_length(ByteView& in);

// Depth-first, in encoding order: the first node with `tag`, or nullptr.
const TlvNode* find(std::span<const TlvNode> nodes, Tag tag);

// Shortest length form: one byte below 128, then 81 xx, 82 xx xx, 83 xx xx xx.
// A value longer than kMaxLength (never seen in EMV) gets a longer, still valid
// BER length that decode() rejects rather than a silently wrong one.
// `value` must not view `out` (appending may reallocate it).
void append_tlv(Bytes& out, Tag tag, ByteView value);
Bytes encode_tlv(Tag tag, ByteView value);
// Re-encodes a tree: a constructed node from its children, or from its value when
// it has no children (so a template built by hand from encoded contents works).
// Padding that decode() skipped is not reproduced.
Bytes encode(std::span<const TlvNode> nodes);

}  // namespace tender::emv
