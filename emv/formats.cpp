#include "emv/formats.hpp"

#include <cstdint>

namespace tender::emv {
namespace {

int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int expand_year(int yy) { return yy < 50 ? 2000 + yy : 1900 + yy; }

}  // namespace

std::optional<std::uint64_t> decode_n(ByteView bcd) {
  constexpr std::uint64_t kLimit = (UINT64_MAX - 99) / 100;
  std::uint64_t value = 0;
  for (Byte b : bcd) {
    const unsigned hi = b >> 4;
    const unsigned lo = b & 0x0F;
    if (hi > 9 || lo > 9 || value > kLimit) return std::nullopt;
    value = value * 100 + hi * 10 + lo;
  }
  return value;
}

Bytes encode_n(std::uint64_t value, std::size_t length) {
  Bytes out(length, 0);
  for (std::size_t i = length; i-- > 0;) {
    const auto lo = static_cast<Byte>(value % 10);
    value /= 10;
    const auto hi = static_cast<Byte>(value % 10);
    value /= 10;
    out[i] = static_cast<Byte>((hi << 4) | lo);
  }
  return out;
}

std::optional<SecretString> decode_cn(ByteView cn) {
  SecretString digits;
  bool padding = false;
  for (Byte b : cn) {
    for (const unsigned nibble : {static_cast<unsigned>(b >> 4), static_cast<unsigned>(b & 0x0F)}) {
      if (nibble == 0x0F) {
        padding = true;
      } else if (padding || nibble > 9) {
        return std::nullopt;
      } else {
        digits.push_back(static_cast<char>('0' + nibble));
      }
    }
  }
  return digits;
}

Bytes encode_text(std::string_view text, std::size_t length) {
  Bytes out(length, Byte{' '});
  for (std::size_t i = 0; i < length && i < text.size(); ++i) out[i] = static_cast<Byte>(text[i]);
  return out;
}

std::optional<Date> parse_yymmdd(ByteView bcd) {
  if (bcd.size() != 3) return std::nullopt;
  const auto yy = decode_n(bcd.first(1));
  const auto mm = decode_n(bcd.subspan(1, 1));
  const auto dd = decode_n(bcd.subspan(2, 1));
  if (!yy || !mm || !dd || *mm < 1 || *mm > 12) return std::nullopt;
  Date date{expand_year(static_cast<int>(*yy)), static_cast<int>(*mm), static_cast<int>(*dd)};
  if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
  return date;
}

std::optional<Date> parse_mmyy_end_of_month(ByteView bcd) {
  if (bcd.size() != 2) return std::nullopt;
  const auto mm = decode_n(bcd.first(1));
  const auto yy = decode_n(bcd.subspan(1, 1));
  if (!mm || !yy || *mm < 1 || *mm > 12) return std::nullopt;
  Date date{expand_year(static_cast<int>(*yy)), static_cast<int>(*mm), 0};
  date.day = days_in_month(date.year, date.month);
  return date;
}

}  // namespace tender::emv
