// Data element formats of EMV 4.4 Book 3 section 4.3 that the kernel computes with:
// format n (BCD, right-justified, leading zeros), dates in YYMMDD and MMYY, and a
// money amount as the n12 of Amount, Authorised (9F02).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/bytes.hpp"
#include "common/secret.hpp"

namespace tender::emv {

// Format n to a number: every nibble must be 0-9 (nullopt otherwise, or on overflow).
std::optional<std::uint64_t> decode_n(ByteView bcd);
// A number as format n in `length` bytes, keeping the rightmost digits if it is too long.
Bytes encode_n(std::uint64_t value, std::size_t length);

// Format cn (PAN, Issuer Identifier): the digits up to the 'F' padding. nullopt when a
// nibble is A-E or a digit follows the padding. A secret: a cn value is usually a PAN.
std::optional<SecretString> decode_cn(ByteView cn);

// Format an/ans: the text left-justified and padded with spaces (Book 3 4.3 says 00 for
// an; terminals send spaces for 9F1C/9F16 and so does this), cut to `length`.
Bytes encode_text(std::string_view text, std::size_t length);

// A calendar date; YY 00-49 is 20YY and 50-99 is 19YY (Book 3 Annex A, dates).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// YYMMDD (n6, 3 bytes), checked as a real date (month 1-12, day 1..days in month).
std::optional<Date> parse_yymmdd(ByteView bcd);
// MMYY (n4, 2 bytes) as the last day of that month: certificates expire at its end.
std::optional<Date> parse_mmyy_end_of_month(ByteView bcd);

}  // namespace tender::emv
