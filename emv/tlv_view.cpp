#include "emv/tlv_view.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace tender::emv {
namespace {

// Depth first, as decode() goes, so the error reported is the first in encoding
// order. The recursion is bounded by max_depth, which the reader enforces. Only
// whether: the Error is worked out once, for the reader that stopped (`failed`).
bool valid(TlvReader reader, TlvReader& failed) {
  TlvObject object;
  while (reader.next(object)) {
    if (object.constructed() && !valid(reader.contents(object), failed)) return false;
  }
  if (!reader.done()) {
    failed = reader;
    return false;
  }
  return true;
}

}  // namespace

Result<void> TlvReader::status() const {
  if ((state_ & kLeftMask) != 0) {
    // Stopped at an object, or not stopped at all: read it again to tell.
    TlvReader probe = *this;
    TlvObject object;
    if (probe.next(object)) return ok();
    if ((probe.state_ & kLeftMask) != 0) return fault(probe.pos_, probe.state_);
  }
  if ((state_ & kRefused) != 0) return refusal(state_);
  return ok();
}

Error TlvReader::fault(const Byte* pos, std::uint64_t state) {
  const std::size_t left = state & kLeftMask;
  return tlv_detail::describe_fault(ByteView{pos, left}, end_offset(state) - left);
}

Error TlvReader::refusal(std::uint64_t state) {
  if ((state & kLevelsMask) == 0) {
    return tlv_detail::depth_fault(end_offset(state), (state >> kMaxDepthShift) & kDepthBits);
  }
  return make_error(Errc::out_of_range, "BER-TLV data of more than " + std::to_string(kMaxData) +
                                            " bytes; the decoder reads at most that");
}

TlvReader TlvReader::too_deep(ByteView contents, std::size_t end, std::uint64_t max_depth,
                              bool allow_padding) noexcept {
  std::size_t skip = 0;
  if (allow_padding) {
    while (skip < contents.size() && tlv_detail::is_padding(contents[skip])) ++skip;
  }
  const Byte* const first = contents.data() + skip;
  if (skip == contents.size()) return TlvReader{first, pack(0, end, 0, max_depth, allow_padding)};
  // An object where none may be: refused, the offset it starts at kept as the
  // level's end (with nothing left, that is where the error points).
  const std::size_t offset = end - (contents.size() - skip);
  return TlvReader{first, pack(0, offset, 0, max_depth, allow_padding) | kRefused};
}

TlvReader TlvReader::deeper(ByteView contents, std::size_t end, std::uint64_t state) noexcept {
  const std::uint64_t levels = (state & kLevelsMask) >> kLevelsShift;
  const std::uint64_t max_depth = (state >> kMaxDepthShift) & kDepthBits;
  const bool allow_padding = (state & kAllowPadding) != 0;
  if (levels <= 1) return too_deep(contents, end, max_depth, allow_padding);
  return TlvReader{contents.data(), pack(contents.size(), end, levels - 1, max_depth, allow_padding)};
}

Result<TlvView> TlvView::decode(ByteView data, const DecodeOptions& options) {
  const TlvReader reader{data, options};
  if (TlvReader failed = reader; !valid(reader, failed)) return failed.status().error();
  return TlvView{data, options.allow_padding, std::min(options.max_depth, TlvReader::kMaxDepth)};
}

std::size_t TlvView::size() const noexcept {
  std::size_t count = 0;
  for (auto it = begin(); it != end(); ++it) ++count;
  return count;
}

std::optional<TlvObject> TlvView::single() const noexcept {
  auto it = begin();
  if (it == end()) return std::nullopt;
  const TlvObject first = *it;
  if (++it != end()) return std::nullopt;
  return first;
}

std::optional<TlvObject> TlvView::find(Tag tag, Search search) const noexcept {
  for (const TlvObject& object : *this) {
    if (object.tag == tag) return object;
    if (search == Search::depth_first && object.constructed()) {
      if (auto inner = contents(object).find(tag, search)) return inner;
    }
  }
  return std::nullopt;
}

TlvView TlvView::contents(const TlvObject& object) const noexcept {
  if (!object.constructed() || levels_ <= 1) return TlvView{ByteView{}, allow_padding_, 0};
  return TlvView{object.value, allow_padding_, levels_ - 1};
}

}  // namespace tender::emv
