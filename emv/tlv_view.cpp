#include "emv/tlv_view.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace tender::emv {
Error tlv_detail::walk_too_deep(std::size_t max_depth) {
  return make_error(Errc::invalid_argument, "walk() nests at most " + std::to_string(kWalkMaxDepth) +
                                                " levels; max_depth " + std::to_string(max_depth) + " asks for more");
}

Result<void> TlvReader::status_of(const Byte* pos, std::uint64_t state) {
  if ((state & kLeftMask) != 0) {
    // Stopped at an object, or not stopped at all: read it again to tell.
    TlvReader probe{pos, state};
    TlvObject object;
    if (probe.next(object)) return ok();
    if ((probe.state_ & kLeftMask) != 0) return fault(probe.pos_, probe.state_);
  }
  if ((state & kRefused) != 0) return refusal(state);
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

}  // namespace tender::emv
