// BER-TLV read in place (ISO/IEC 8825-1 8.1, as EMV Book 3 Annex B restricts it):
// the kernel's decoder. Where decode() in tlv.hpp builds a tree of vectors, these
// walk the card's bytes where they lie and allocate nothing, which is what the
// kernel needs for every READ RECORD, FCI and GPO response.
//
//  - TlvReader: one level, one object at a time, each checked as it is reached
//    (the shape of openemv/emv-utils' BER iterator). contents() reads a
//    constructed object one level deeper. One pass, no up-front validation.
//  - TlvView: bytes validated once, at every level, exactly as decode() validates
//    them; after that iterating and finding cannot fail. For code that must
//    reject a malformed response as a whole before using any of it.
//
// The rules, and the Error (code and message) for every malformed input, are the
// tree decoder's: decode() is built on TlvReader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
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
    std::size_t size = 1;
    do {
      if (size == kMaxTagBytes || p == end) return false;
      octet = *p++;
      tag = (tag << 8) | octet;
      ++size;
    } while ((octet & 0x80) != 0);
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

}  // namespace tlv_detail

// The objects of one level, read as they are reached.
class TlvReader {
 public:
  explicit TlvReader(ByteView data, const DecodeOptions& options = {}) noexcept
      : pos_(data.data()),
        end_(data.data() + data.size()),
        root_(data.data()),
        max_depth_(options.max_depth),
        allow_padding_(options.allow_padding) {}

  // true with `out` set to the next object of this level, false at the end of the
  // data (padding aside), or the Error decode() gives for the same bytes. A failed
  // read does not advance: reading again gives the same Error.
  Result<bool> next(TlvObject& out) {
    if (allow_padding_) {
      while (pos_ != end_ && tlv_detail::is_padding(*pos_)) ++pos_;
    }
    if (pos_ == end_) return false;
    if (depth_ > max_depth_ || !tlv_detail::read_object(pos_, end_, out)) return fault();
    pos_ = out.value.data() + out.value.size();
    return true;
  }

  // The contents of a constructed object from this reader, one level deeper (where
  // max_depth applies). Empty for a primitive object: its value is not TLV.
  [[nodiscard]] TlvReader contents(const TlvObject& object) const noexcept {
    TlvReader inner = *this;
    inner.pos_ = object.value.data();
    inner.end_ = object.constructed() ? object.value.data() + object.value.size() : inner.pos_;
    ++inner.depth_;
    return inner;
  }

 private:
  Error fault() const;

  const Byte* pos_;
  const Byte* end_;
  const Byte* root_;  // the buffer first given: error offsets count from here
  std::size_t depth_ = 1;
  std::size_t max_depth_;
  bool allow_padding_;
};

// Bytes that decode as BER-TLV at every level, viewed in place. Iterating yields the
// objects of one level; contents() goes down one.
class TlvView {
 public:
  class iterator;
  // Where find() looks: this level only (a template's own data objects, the usual
  // need), or depth first through every level in encoding order, like find() on a tree.
  enum class Search { this_level, depth_first };

  TlvView() = default;  // no objects

  // Validates all of `data`, recursing into constructed objects, with decode()'s
  // rules and errors; nothing is allocated on success.
  static Result<TlvView> decode(ByteView data, const DecodeOptions& options = {});
  // Viewing a temporary buffer would leave every TlvObject dangling.
  static Result<TlvView> decode(Bytes&& data, const DecodeOptions& options = {}) = delete;

  [[nodiscard]] iterator begin() const noexcept;
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
  [[nodiscard]] bool empty() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;  // objects at this level, counted
  [[nodiscard]] ByteView data() const noexcept { return data_; }

  // The only object at this level, padding aside; nullopt for none or several.
  // Most card responses must be exactly one template.
  [[nodiscard]] std::optional<TlvObject> single() const noexcept;
  // The first object with `tag`, or nullopt.
  [[nodiscard]] std::optional<TlvObject> find(Tag tag, Search search = Search::this_level) const noexcept;
  // A constructed object's contents as a view (empty for a primitive one). `object`
  // comes from this view, whose validation covered its contents.
  // Below the max_depth-th level it is empty too, which validation makes
  // true anyway; it also bounds find()'s recursion whatever `object` is.
  [[nodiscard]] TlvView contents(const TlvObject& object) const noexcept;

 private:
  TlvView(ByteView data, bool allow_padding, std::size_t levels) noexcept
      : data_(data), levels_(levels), allow_padding_(allow_padding) {}

  ByteView data_;
  std::size_t levels_ = 1;  // this one and those below it that may hold objects
  bool allow_padding_ = true;
};

// Forward iteration over a validated level. It still checks every bound, so a view
// built from bytes it did not validate (an object from elsewhere given to
// contents()) stops early instead of reading out of bounds.
class TlvView::iterator {
 public:
  using value_type = TlvObject;
  using difference_type = std::ptrdiff_t;
  using reference = const TlvObject&;
  using pointer = const TlvObject*;
  using iterator_category = std::forward_iterator_tag;

  iterator() = default;

  reference operator*() const noexcept { return current_; }
  pointer operator->() const noexcept { return &current_; }
  iterator& operator++() noexcept {
    advance();
    return *this;
  }
  iterator operator++(int) noexcept {
    iterator before = *this;
    advance();
    return before;
  }
  friend bool operator==(const iterator& a, const iterator& b) noexcept {
    return a.done_ == b.done_ && (a.done_ || a.current_.value.data() == b.current_.value.data());
  }
  friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.done_; }

 private:
  friend class TlvView;
  iterator(ByteView data, bool allow_padding) noexcept
      : pos_(data.data()), end_(data.data() + data.size()), allow_padding_(allow_padding), done_(false) {
    advance();
  }

  void advance() noexcept {
    if (allow_padding_) {
      while (pos_ != end_ && tlv_detail::is_padding(*pos_)) ++pos_;
    }
    if (pos_ == end_ || !tlv_detail::read_object(pos_, end_, current_)) {
      done_ = true;
      current_ = {};
      return;
    }
    pos_ = current_.value.data() + current_.value.size();
  }

  TlvObject current_;
  const Byte* pos_ = nullptr;
  const Byte* end_ = nullptr;
  bool allow_padding_ = true;
  bool done_ = true;
};

inline TlvView::iterator TlvView::begin() const noexcept { return iterator{data_, allow_padding_}; }
inline bool TlvView::empty() const noexcept { return begin() == end(); }

}  // namespace tender::emv
