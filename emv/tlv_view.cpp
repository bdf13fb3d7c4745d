#include "emv/tlv_view.hpp"

#include <utility>

namespace tender::emv {
namespace {

// Depth first, as decode() goes, so the error reported is the first in encoding
// order. The recursion is bounded by max_depth, which the reader enforces.
Result<void> validate(TlvReader reader) {
  TlvObject object;
  for (;;) {
    auto more = reader.next(object);
    if (!more) return std::move(more).error();
    if (!*more) return ok();
    if (object.constructed()) {
      if (auto inner = validate(reader.contents(object)); !inner) return inner;
    }
  }
}

}  // namespace

Error TlvReader::fault() const {
  const auto offset = static_cast<std::size_t>(pos_ - root_);
  if (depth_ > max_depth_) return tlv_detail::depth_fault(offset, max_depth_);
  return tlv_detail::describe_fault(ByteView{pos_, end_}, offset);
}

Result<TlvView> TlvView::decode(ByteView data, const DecodeOptions& options) {
  if (auto valid = validate(TlvReader{data, options}); !valid) return std::move(valid).error();
  return TlvView{data, options.allow_padding, options.max_depth};
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
