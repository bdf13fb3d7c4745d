// The data element dictionary of EMV 4.4 Book 3 Annex A (Table 33), for the
// tagged elements: names, formats, sources and lengths as the table gives them.
// The kernel uses it for DOL padding rules (Book 3 5.4) and the tools to name tags.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "emv/tlv.hpp"

namespace tender::emv {

// Book 3 4.3 data element formats; `var` for elements Annex A gives as "var."
// (templates, the AFL, the SDA tag list) or leaves to the payment system.
enum class TagFormat { a, an, ans, b, cn, n, var };

// Annex A "Source" column: who provides the value.
enum class TagSource { icc, terminal, issuer };

struct TagInfo {
  Tag tag;
  std::string_view name;  // as Annex A writes it (ASCII '-' for its en dash)
  TagFormat format;
  TagSource source;
  std::uint16_t min_length;  // bytes; where Annex A gives only "var." the range is 0..255
  std::uint16_t max_length;
};

// nullptr when the tag is not in Annex A (scheme-proprietary tags are not).
const TagInfo* tag_info(Tag tag);

// Sorted by tag, no duplicates.
std::span<const TagInfo> all_tags();

std::string_view to_string(TagFormat format) noexcept;
std::string_view to_string(TagSource source) noexcept;

}  // namespace tender::emv
