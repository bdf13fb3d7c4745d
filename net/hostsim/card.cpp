#include "net/hostsim/card.hpp"

#include <algorithm>
#include <cstddef>

#include "common/pan.hpp"

namespace tender::net::hostsim {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int two_digits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

Result<CardData> make_card(std::string_view pan, std::string_view yymm) {
  if (pan.size() < 12 || pan.size() > 19 || !all_digits(pan))
    return make_error(Errc::malformed, "card number must be 12 to 19 digits");
  if (yymm.size() != 4 || !all_digits(yymm)) return make_error(Errc::malformed, "card expiry must be YYMM");
  const int month = two_digits(yymm.substr(2));
  if (month < 1 || month > 12) return make_error(Errc::out_of_range, "card expiry month must be 01..12");
  CardData card;
  card.pan = SecretString(pan);
  card.expiry_year = 2000 + two_digits(yymm);
  card.expiry_month = month;
  return card;
}

// One BER-TLV element at `pos` (EMV Book 3 Annex B): tag, length, value span.
struct Tlv {
  unsigned tag = 0;
  bool constructed = false;
  ByteView value;
};

std::optional<Tlv> next_tlv(ByteView data, std::size_t& pos) {
  while (pos < data.size() && (data[pos] == 0x00 || data[pos] == 0xFF)) ++pos;  // padding
  if (pos >= data.size()) return std::nullopt;
  Tlv tlv;
  const Byte first = data[pos++];
  tlv.constructed = (first & 0x20) != 0;
  tlv.tag = first;
  if ((first & 0x1F) == 0x1F) {
    for (int i = 0; i < 3; ++i) {
      if (pos >= data.size()) return std::nullopt;
      const Byte b = data[pos++];
      tlv.tag = (tlv.tag << 8) | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (pos >= data.size()) return std::nullopt;
  std::size_t length = data[pos++];
  if (length & 0x80) {
    const std::size_t count = length & 0x7F;
    if (count == 0 || count > 2 || pos + count > data.size()) return std::nullopt;
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | data[pos++];
  }
  if (length > data.size() - pos) return std::nullopt;
  tlv.value = data.subspan(pos, length);
  pos += length;
  return tlv;
}

// Finds a primitive tag at the top level or one template deep.
std::optional<ByteView> find_tag(ByteView data, unsigned wanted, int depth = 0) {
  std::size_t pos = 0;
  while (auto tlv = next_tlv(data, pos)) {
    if (tlv->tag == wanted) return tlv->value;
    if (tlv->constructed && depth < 2)
      if (auto inner = find_tag(tlv->value, wanted, depth + 1)) return inner;
  }
  return std::nullopt;
}

std::string bcd_digits(ByteView bytes) {
  std::string out;
  for (Byte b : bytes) {
    for (int shift : {4, 0}) {
      const int nibble = (b >> shift) & 0x0F;
      out += nibble < 10 ? static_cast<char>('0' + nibble) : static_cast<char>('A' + nibble - 10);
    }
  }
  return out;
}

}  // namespace

std::string emv_tag_hex(ByteView tags, unsigned tag) {
  const auto value = find_tag(tags, tag);
  return value ? to_hex(*value) : std::string();
}

Result<CardData> parse_track1(std::string_view track) {
  if (!track.empty() && track.front() == '%') track.remove_prefix(1);
  if (const auto end = track.find('?'); end != std::string_view::npos) track = track.substr(0, end);
  if (track.empty() || track.front() != 'B') return make_error(Errc::malformed, "track 1 must have format code B");
  const auto first = track.find('^');
  const auto second = first == std::string_view::npos ? first : track.find('^', first + 1);
  if (second == std::string_view::npos || track.size() < second + 5)
    return make_error(Errc::malformed, "track 1 lacks its separators or expiry");
  return make_card(track.substr(1, first - 1), track.substr(second + 1, 4));
}

Result<CardData> parse_track2(std::string_view track) {
  if (!track.empty() && track.front() == ';') track.remove_prefix(1);
  if (const auto end = track.find('?'); end != std::string_view::npos) track = track.substr(0, end);
  const auto sep = track.find_first_of("=D");
  if (sep == std::string_view::npos || track.size() < sep + 5)
    return make_error(Errc::malformed, "track 2 lacks its separator or expiry");
  return make_card(track.substr(0, sep), track.substr(sep + 1, 4));
}

Result<CardData> keyed_card(std::string_view pan, int month, int year) {
  if (month < 1 || month > 12) return make_error(Errc::out_of_range, "expiration month must be 1..12");
  if (year >= 2000 && year <= 2099) year -= 2000;
  if (year < 0 || year > 99) return make_error(Errc::out_of_range, "expiration year must be YY or YYYY");
  const char yymm[4] = {static_cast<char>('0' + year / 10), static_cast<char>('0' + year % 10),
                        static_cast<char>('0' + month / 10), static_cast<char>('0' + month % 10)};
  return make_card(pan, std::string_view(yymm, 4));
}

Result<CardData> keyed_card_mmyy(std::string_view pan, std::string_view mm_yy) {
  if (mm_yy.size() != 5 || mm_yy[2] != '/' || !all_digits(mm_yy.substr(0, 2)) || !all_digits(mm_yy.substr(3)))
    return make_error(Errc::malformed, "expiration_date must be MM/YY");
  return keyed_card(pan, two_digits(mm_yy), two_digits(mm_yy.substr(3)));
}

Result<CardData> card_from_emv_tags(ByteView tags) {
  Result<CardData> card = make_error(Errc::not_found, "EMV tags carry neither 57 nor 5A + 5F24");
  if (auto t57 = find_tag(tags, 0x57)) {
    std::string digits = bcd_digits(*t57);
    if (!digits.empty() && digits.back() == 'F') digits.pop_back();
    card = parse_track2(digits);
    std::fill(digits.begin(), digits.end(), '0');
  } else if (auto pan = find_tag(tags, 0x5A); pan && find_tag(tags, 0x5F24)) {
    std::string digits = bcd_digits(*pan);
    while (!digits.empty() && digits.back() == 'F') digits.pop_back();
    const std::string expiry = bcd_digits(*find_tag(tags, 0x5F24));  // YYMMDD
    card = make_card(digits, std::string_view(expiry).substr(0, 4));
    std::fill(digits.begin(), digits.end(), '0');
  }
  if (card)
    if (auto psn = find_tag(tags, 0x5F34)) card->psn.assign(psn->begin(), psn->end());
  return card;
}

bool expired(const CardData& card, std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const year_month_day today{floor<days>(now)};
  const int y = static_cast<int>(today.year());
  const int m = static_cast<int>(static_cast<unsigned>(today.month()));
  return y > card.expiry_year || (y == card.expiry_year && m > card.expiry_month);
}

std::string masked(const CardData& card) { return mask_pan(card.pan.reveal()); }
std::string first_six(const CardData& card) { return std::string(card.pan.reveal().substr(0, 6)); }
std::string last_four(const CardData& card) {
  const auto pan = card.pan.reveal();
  return std::string(pan.substr(pan.size() - 4));
}

}  // namespace tender::net::hostsim
