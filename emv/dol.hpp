// Data Object Lists, EMV Book 3 section 5.4: the card names the data it wants in a
// command (PDOL, CDOL1, CDOL2, TDOL, DDOL) as a list of tags and lengths, and the
// terminal answers with the values concatenated, each forced to the requested length.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/tlv.hpp"

namespace tender::emv {

struct DolEntry {
  Tag tag;
  std::size_t length;

  friend bool operator==(const DolEntry&, const DolEntry&) = default;
};

// Tag and BER length pairs, with no padding between them. The DOL comes from the
// card: a caller must check dol_data_length() against what the command can carry
// (a short APDU: 255 bytes) before building, since an entry may ask for up to 16 MiB.
Result<std::vector<DolEntry>> parse_dol(ByteView dol);

std::size_t dol_data_length(std::span<const DolEntry> entries);

// Returns the value the terminal holds for a tag, or nullopt when it has none.
using DolLookup = std::function<std::optional<ByteView>(Tag)>;

// The concatenated data, dol_data_length() bytes. Per entry (Book 3 5.4):
// an absent or constructed data object gives `length` bytes of 00; a longer value
// is cut to `length` (format n keeps its rightmost bytes, all others their leftmost);
// a shorter one is padded (n: 00 on the left; cn: FF on the right; others: 00 on
// the right). The format comes from the tag dictionary; an unknown tag counts as b.
Bytes build_dol_data(std::span<const DolEntry> entries, const DolLookup& lookup);

// Splits data built from `entries` back into (tag, value) pairs viewing `data`.
// Errc::truncated if `data` is shorter than the DOL asks for, Errc::malformed if
// bytes are left over.
Result<std::vector<std::pair<Tag, ByteView>>> split_dol_data(std::span<const DolEntry> entries,
                                                             ByteView data);

}  // namespace tender::emv
