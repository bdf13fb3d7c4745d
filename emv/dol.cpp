#include "emv/dol.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "emv/tags.hpp"

namespace tender::emv {
namespace {

TagFormat format_of(Tag tag) {
  const TagInfo* info = tag_info(tag);
  return info != nullptr ? info->format : TagFormat::b;
}

// Writes `value` into `field` (already zero-filled, field.size() bytes) by the
// Book 3 5.4 rules for its format.
void fit_value(std::span<Byte> field, ByteView value, TagFormat format) {
  const std::size_t length = field.size();
  if (value.size() >= length) {
    // Numeric values are right-justified, so their significant digits are on the
    // right; everything else is left-justified.
    const ByteView kept = format == TagFormat::n ? value.last(length) : value.first(length);
    std::copy(kept.begin(), kept.end(), field.begin());
    return;
  }
  switch (format) {
    case TagFormat::n:
      std::copy(value.begin(), value.end(), field.last(value.size()).begin());
      break;
    case TagFormat::cn:
      // Compressed numeric is padded with F nibbles, which read as "no digit".
      std::copy(value.begin(), value.end(), field.begin());
      std::ranges::fill(field.subspan(value.size()), Byte{0xFF});
      break;
    default:
      std::copy(value.begin(), value.end(), field.begin());
      break;
  }
}

}  // namespace

Result<std::vector<DolEntry>> parse_dol(ByteView dol) {
  std::vector<DolEntry> entries;
  ByteView in = dol;
  while (!in.empty()) {
    const std::size_t offset = dol.size() - in.size();
    auto tag = read_tag(in);
    if (!tag) {
      return make_error(tag.error().code, "DOL entry at offset " + std::to_string(offset) + ": " +
                                              tag.error().message);
    }
    auto length = read_length(in);
    if (!length) {
      return make_error(length.error().code, "DOL entry " + tag_to_hex(*tag) + " at offset " +
                                                 std::to_string(offset) + ": " +
                                                 length.error().message);
    }
    entries.push_back(DolEntry{*tag, *length});
  }
  return entries;
}

std::size_t dol_data_length(std::span<const DolEntry> entries) {
  // Saturates, so entries built by hand cannot wrap the sum and defeat the size
  // checks in split_dol_data.
  std::size_t total = 0;
  for (const auto& entry : entries) {
    total = entry.length > SIZE_MAX - total ? SIZE_MAX : total + entry.length;
  }
  return total;
}

Bytes build_dol_data(std::span<const DolEntry> entries, const DolLookup& lookup) {
  Bytes out(dol_data_length(entries), Byte{0x00});
  std::size_t pos = 0;
  for (const auto& entry : entries) {
    const std::span<Byte> field = std::span<Byte>{out}.subspan(pos, entry.length);
    pos += entry.length;
    // A constructed object cannot be cut or padded meaningfully; Book 3 sends zeros.
    if (is_constructed(entry.tag)) continue;
    const std::optional<ByteView> value = lookup ? lookup(entry.tag) : std::nullopt;
    if (!value) continue;
    fit_value(field, *value, format_of(entry.tag));
  }
  return out;
}

Result<std::vector<std::pair<Tag, ByteView>>> split_dol_data(std::span<const DolEntry> entries,
                                                             ByteView data) {
  const std::size_t needed = dol_data_length(entries);
  if (data.size() < needed) {
    return make_error(Errc::truncated, "DOL data is " + std::to_string(data.size()) +
                                           " bytes; the DOL asks for " + std::to_string(needed));
  }
  if (data.size() > needed) {
    return make_error(Errc::malformed, "DOL data is " + std::to_string(data.size()) +
                                           " bytes; the DOL asks for only " +
                                           std::to_string(needed));
  }
  std::vector<std::pair<Tag, ByteView>> values;
  values.reserve(entries.size());
  std::size_t pos = 0;
  for (const auto& entry : entries) {
    values.emplace_back(entry.tag, data.subspan(pos, entry.length));
    pos += entry.length;
  }
  return values;
}

}  // namespace tender::emv
