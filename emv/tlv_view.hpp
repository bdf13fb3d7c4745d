// BER-TLV read in place (ISO/IEC 8825-1 8.1, as EMV Book 3 Annex B restricts it):
// the kernel's decoder. Where decode() in tlv.hpp builds a tree of vectors, these
// walk the card's bytes where they lie and allocate nothing, which is what the
// kernel needs for every READ RECORD, FCI and GPO response.
//
//  - TlvReader: one level, one object at a time, each checked as it is reached
//    (the shape of openemv/emv-utils' BER iterator). contents() reads a
//    constructed object one level deeper. One pass, no up-front validation.
//  - walk(): every object at every level in one pass, handed to a visitor with the
//    object that holds it, then whether all of it was well formed. For code that
//    must reject a malformed response as a whole before using any of it: the
//    kernel's response parsers.
//
// The rules, and the Error (code and message) for every malformed input, are the
// tree decoder's: decode() is built on TlvReader.
#pragma once

#include <algorithm>
#include <cstddef>
#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/tlv.hpp"

namespace tender::emv {

// One data object as ISO/IEC 8825-1 8.1.1 lays it out, viewed in the decoded buffer:
// identifier octets (the tag), length octets, contents octets (the value).
struct TlvObject {
  Tag tag = 0;
  ByteView value;  // the contents octets; for a constructed object, padding included
  // Identifier and length octets together: 2 to 7 bytes under Annex B.
  std::uint8_t header_size = 0;
  // b6 of the first identifier octet (8.1.2.5), kept so that asking does not
  // re-read the tag.
  bool constructed_form = false;

  [[nodiscard]] bool constructed() const noexcept { return constructed_form; }
  // The object as the card encoded it (its own, possibly non-minimal, length form):
  // what ODA hashes.
  [[nodiscard]] ByteView encoding() const noexcept {
    return ByteView{value.data() - header_size, header_size + value.size()};
  }
};

namespace tlv_detail {

inline bool is_padding(Byte b) noexcept { return b == 0x00 || b == 0xFF; }

// Reads the object starting at `p` (p < end, *p not padding) into `out`. False when
// its identifier or length octets break Annex B or its contents run past `end`;
// describe_fault() then says how, in words. Reads nothing at or beyond `end`.
inline bool read_object(const Byte* p, const Byte* end, TlvObject& out) noexcept {
  const Byte* const start = p;
  Byte octet = *p++;
  // '00' would be end-of-contents (8.1.5), which only follows an indefinite length.
  if (octet == 0x00) return false;
  Tag tag = octet;
  const bool constructed = (octet & 0x20) != 0;
  if ((octet & 0x1F) == 0x1F) {  // 8.1.2.4: subsequent octets while b8 is set
    // Unrolled to kMaxTagBytes: EMV's tags of two bytes then take one test.
    static_assert(kMaxTagBytes == 4);
    if (p == end) return false;
    octet = *p++;
    tag = (tag << 8) | octet;
    if ((octet & 0x80) != 0) {
      if (p == end) return false;
      octet = *p++;
      tag = (tag << 8) | octet;
      if ((octet & 0x80) != 0) {
        if (p == end) return false;
        octet = *p++;
        tag = (tag << 8) | octet;
        if ((octet & 0x80) != 0) return false;  // a fifth byte would follow
      }
    }
  }
  if (p == end) return false;
  std::size_t length = *p++;
  if ((length & 0x80) != 0) {  // 8.1.3.5 long form; 80 (indefinite, 8.1.3.6) is not EMV
    const std::size_t count = length & 0x7F;
    if (count == 0 || count > 3 || static_cast<std::size_t>(end - p) < count) return false;
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | *p++;
  }
  if (length > static_cast<std::size_t>(end - p)) return false;
  out.tag = tag;
  out.value = ByteView{p, length};
  out.header_size = static_cast<std::uint8_t>(p - start);
  out.constructed_form = constructed;
  return true;
}

// The Error for the object at `at` that read_object() refused, `offset` bytes from
// the start of the decoded buffer. Kept out of line: only malformed input pays for
// the message.
Error describe_fault(ByteView at, std::size_t offset);
Error depth_fault(std::size_t offset, std::size_t max_depth);
// walk() asked to nest deeper than it can (Errc::invalid_argument).
Error walk_too_deep(std::size_t max_depth);

}  // namespace tlv_detail

// The objects of one level, read as they are reached.
//
// Sixteen bytes, so that the recursive walks it is made for (contents() handed down
// by value) pass it in two registers (x86-64 SysV, AAPCS64): the same reader at 48
// bytes, passed through memory, took 1.7 to 3 times as long over the bench
// records (bench/tlv_vs_emv_utils). So no
// root pointer and no end pointer: the level is counted in bytes left, and where it
// ends within the data first given (for error offsets), packed with the nesting
// state and the padding option into one word.
class TlvReader {
 public:
  // The most data one reader takes: 24 bits, the largest length Annex B can state.
  // A longer buffer is refused (Errc::out_of_range) by the first next(); no card
  // response or host message comes near it.
  static constexpr std::size_t kMaxData = kMaxLength;
  // max_depth above this counts as this: the level count has 7 bits.
  static constexpr std::size_t kMaxDepth = 127;

  explicit TlvReader(ByteView data, const DecodeOptions& options = {}) noexcept
      : TlvReader{start(data, options)} {}

  // true with `out` set to the next object of this level; false at the end of the
  // level (padding aside) and at a malformed object, which status() tells apart.
  // A failed read does not advance: reading again fails the same way. (No
  // Result<bool> here: its variant, kept in memory for the error path, cost up to a
  // tenth of the walk; the Error is worked out only when asked for.)
  [[nodiscard]] bool next(TlvObject& out) noexcept {
    std::size_t left = 0;
    for (;;) {
      left = state_ & kLeftMask;
      if (left == 0) return false;
      // The option is looked at only on a padding byte, which real data rarely has.
      if (!tlv_detail::is_padding(*pos_) || (state_ & kAllowPadding) == 0) break;
      ++pos_;
      --state_;  // one byte fewer left: the low field, never zero here
    }
    if (!tlv_detail::read_object(pos_, pos_ + left, out)) return false;
    const Byte* const after = out.value.data() + out.value.size();
    state_ -= static_cast<std::size_t>(after - pos_);  // no borrow: the object fit in `left`
    pos_ = after;
    return true;
  }

  // Why next() returned false: ok() at the end of the level, or the Error decode()
  // gives for the same bytes (the object it stopped at, a level nested too deep,
  // data over kMaxData). Asked earlier, it is about the object next() would read.
  [[nodiscard]] Result<void> status() const { return status_of(pos_, state_); }
  // Read to the end of the level, nothing wrong: status() is ok() and next() has
  // nothing more. Cheaper than status(), which words the Error.
  [[nodiscard]] bool done() const noexcept { return (state_ & (kLeftMask | kRefused)) == 0; }

  // The contents of a constructed object from this reader, one level deeper (where
  // max_depth applies). Empty for a primitive object: its value is not TLV.
  [[nodiscard]] TlvReader contents(const TlvObject& object) const noexcept {
    const std::size_t size = object.constructed() ? object.value.size() : 0;
    // Where the contents end in the first data: pos_'s offset, moved to the
    // object's end (for the object just read, the same place).
    const std::size_t pos_offset = end_offset(state_) - (state_ & kLeftMask);
    const std::size_t end =
        pos_offset + static_cast<std::size_t>((object.value.data() + object.value.size()) - pos_);
    if ((state_ & kLevelsMask) > kOneLevel && size <= kMaxData) [[likely]] {
      // One level fewer, max_depth and padding as they are.
      const std::uint64_t kept = (state_ & ~(kLeftMask | kEndMask | kRefused)) - kOneLevel;
      return TlvReader{object.value.data(), kept | size | (end & kLeftMask) << kEndShift};
    }
    return deeper(object.value.first(size), end, state_);
  }

 private:
  // state_: bits 0-23 bytes left at this level; 24-47 where this level ends, counted
  // from the start of the data first given; 48-54 levels that may still hold
  // objects, this one included; 55-61 max_depth, for the message; 62 allow_padding;
  // 63 refused: nothing is left to read and status() says why (data longer than
  // kMaxData, or an object nested too deep, then at the offset where the level ends).
  static constexpr std::uint64_t kLeftMask = 0xFFFFFF;
  static constexpr int kEndShift = 24;
  static constexpr int kLevelsShift = 48;
  static constexpr int kMaxDepthShift = 55;
  static constexpr std::uint64_t kDepthBits = 0x7F;
  static constexpr std::uint64_t kLevelsMask = kDepthBits << kLevelsShift;
  static constexpr std::uint64_t kOneLevel = std::uint64_t{1} << kLevelsShift;
  static constexpr std::uint64_t kEndMask = kLeftMask << kEndShift;
  static constexpr std::uint64_t kAllowPadding = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kRefused = std::uint64_t{1} << 63;

  static constexpr std::uint64_t pack(std::size_t left, std::size_t end, std::uint64_t levels,
                                      std::uint64_t max_depth, bool allow_padding) noexcept {
    const std::uint64_t refused = left > kMaxData ? kRefused : 0;
    return (refused != 0 ? 0 : left) | (end & kLeftMask) << kEndShift | levels << kLevelsShift |
           max_depth << kMaxDepthShift | (allow_padding ? kAllowPadding : 0) | refused;
  }
  // A level below max_depth: it may hold padding only. Checked here, once per level,
  // so that next() does not test the depth on every object.
  static TlvReader too_deep(ByteView contents, std::size_t end, std::uint64_t max_depth,
                            bool allow_padding) noexcept;
  // contents() off its fast path: the level below the last, or contents too long
  // (only an object from elsewhere can have them).
  static TlvReader deeper(ByteView contents, std::size_t end, std::uint64_t state) noexcept;

  TlvReader(const Byte* pos, std::uint64_t state) noexcept : pos_(pos), state_(state) {}

  static TlvReader start(ByteView data, const DecodeOptions& options) noexcept {
    const std::uint64_t max_depth = std::min(options.max_depth, kMaxDepth);
    if (data.size() > kMaxData) {
      return TlvReader{data.data(), kRefused | kLevelsMask | max_depth << kMaxDepthShift};
    }
    if (max_depth == 0) return too_deep(data, data.size(), 0, options.allow_padding);
    return TlvReader{data.data(),
                     pack(data.size(), data.size(), max_depth, max_depth, options.allow_padding)};
  }

  static std::size_t end_offset(std::uint64_t state) noexcept { return (state >> kEndShift) & kLeftMask; }

  // Static, taking values: were `this` to escape into an out-of-line call, the reader
  // would live in memory, and every next() would store and reload it.
  static Result<void> status_of(const Byte* pos, std::uint64_t state);
  static Error fault(const Byte* pos, std::uint64_t state);
  static Error refusal(std::uint64_t state);

  const Byte* pos_;
  std::uint64_t state_;
};
static_assert(sizeof(TlvReader) <= 16, "two registers, or the walks slow down: see above");

// The object that holds another, as walk() names it to the visitor: its tag and where
// its contents start in the walked data, so that a visitor tells two templates of the
// same tag apart. At the top level it is TlvParent{} (top_level()).
struct TlvParent {
  Tag tag = 0;
  const Byte* contents = nullptr;

  [[nodiscard]] bool is(const TlvObject& object) const noexcept { return contents == object.value.data(); }
  [[nodiscard]] bool top_level() const noexcept { return contents == nullptr; }
};

// The deepest nesting walk() takes: its stack of levels is on the machine's stack.
// Annex B data nest 4 deep at most; decode() and TlvReader go to kMaxDepth.
inline constexpr std::size_t kWalkMaxDepth = 16;

template <typename Visit>
Result<void> walk(ByteView data, Visit&& visit, const DecodeOptions& options = {}) {
  // A loop over a stack of the levels above, not a recursion: the whole walk then
  // inlines into its caller, so the current level's reader and whatever the visitor
  // keeps stay in registers. Through a recursive call both went to memory, and so
  // they did with a stack for every level TlvReader allows (4 KiB, a frame too large
  // for g++ to inline): either way the walk ran at about two thirds of the reader's
  // speed (bench/tlv_vs_emv_utils); as it is now, at the reader's speed or above.
  // Depth first, as decode() goes, so the fault found is the first in encoding order.
  if (options.max_depth > kWalkMaxDepth) [[unlikely]] return tlv_detail::walk_too_deep(options.max_depth);
  // A level entered: the reader to go back to, and the object whose contents are read
  // now. The parent is looked up here, not carried in a register: a visitor that does
  // not ask for it costs nothing, and the loop's registers suffice.
  struct Above {
    TlvReader reader;
    TlvParent inner;
  };
  union Slot {  // left unwritten until a level is entered
    Slot() noexcept {}
    Above above;
  };
  Slot above[kWalkMaxDepth];
  std::size_t depth = 0;
  TlvReader reader{data, options};
  TlvObject object;
  for (;;) {
    while (reader.next(object)) {
      visit(static_cast<const TlvObject&>(object), depth == 0 ? TlvParent{} : above[depth - 1].above.inner);
      if (object.constructed()) {
        // Below max_depth contents() gives a reader that reads nothing, so depth stays
        // under max_depth (<= kWalkMaxDepth).
        above[depth].above = Above{reader, TlvParent{object.tag, object.value.data()}};
        ++depth;
        reader = reader.contents(object);
      }
    }
    if (!reader.done()) [[unlikely]] return reader.status();
    if (depth == 0) return ok();
    --depth;
    reader = above[depth].above.reader;
  }
}

// Most card responses must be exactly one data object (padding aside): walk() for them.
// `inside(object, parent, top)` sees every object below the first top-level one; the
// result is that object when it is the only one, nullopt when there are none or several,
// or the walk's fault. What `inside` collected is the caller's to use only on a value.
template <typename Inside>
Result<std::optional<TlvObject>> walk_single(ByteView data, Inside&& inside, const DecodeOptions& options = {}) {
  TlvObject top;
  std::size_t count = 0;
  auto walked = walk(
      data,
      [&](const TlvObject& object, TlvParent parent) {
        if (parent.top_level()) {
          if (count++ == 0) top = object;
        } else if (count == 1) {
          inside(object, parent, static_cast<const TlvObject&>(top));
        }
      },
      options);
  if (!walked) return std::move(walked).error();
  if (count != 1) return std::optional<TlvObject>{};
  return std::optional<TlvObject>{top};
}

// The first object of each of `tags` offered, as a search of one level in encoding order
// picks it: what the response parsers keep of a template while walk() goes through it.
template <std::size_t N>
struct FirstOf {
  std::array<Tag, N> tags;
  std::array<std::optional<TlvObject>, N> found{};

  void offer(const TlvObject& object) {
    for (std::size_t i = 0; i < N; ++i) {
      if (tags[i] == object.tag) {
        if (!found[i]) found[i] = object;
        return;
      }
    }
  }
  [[nodiscard]] const std::optional<TlvObject>& operator[](Tag tag) const {
    for (std::size_t i = 0; i < N; ++i)
      if (tags[i] == tag) return found[i];
    static const std::optional<TlvObject> kNone;
    return kNone;
  }
};

}  // namespace tender::emv
