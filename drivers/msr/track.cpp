#include "drivers/msr/track.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "common/secure_zero.hpp"

namespace tender::msr {
namespace {

constexpr char kEndSentinel = '?';
constexpr std::size_t kFraming = 3;  // start sentinel, end sentinel, LRC
constexpr std::size_t kExpiryLength = 4;
constexpr std::size_t kServiceCodeLength = 3;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// ISO/IEC 7811-2 track 1: the 6-bit alphanumeric set, 0x20..0x5F. Inside the
// data the sentinels '%' and '?' cannot occur (they frame the record).
constexpr bool track1_set(char c) noexcept { return c >= 0x20 && c <= 0x5F; }
constexpr bool track1_data(char c) noexcept { return track1_set(c) && c != '%' && c != '?'; }

// ISO/IEC 7811-2 track 2: the 4-bit numeric set, 0x30..0x3F ('0'-'9' : ; < = > ?).
// A financial track 2 (ISO/IEC 7813) uses only digits and the '=' separator.
constexpr bool track2_set(char c) noexcept { return c >= 0x30 && c <= 0x3F; }
constexpr bool track2_data(char c) noexcept { return is_digit(c) || c == '='; }

// What differs between the three encodings; the field grammar after the PAN is shared.
struct Layout {
  Track track;
  std::string_view label;  // starts every error message
  std::string_view unit;   // what error offsets count
  char start_sentinel;
  char separator;
  std::size_t max_data;  // characters between the sentinels
  bool has_name;
  bool (*data_char)(char) noexcept;
  bool (*lrc_char)(char) noexcept;
};

constexpr Layout kTrack1{.track = Track::one,
                         .label = "track 1",
                         .unit = "offset",
                         .start_sentinel = '%',
                         .separator = '^',
                         .max_data = kTrack1MaxLength - kFraming,
                         .has_name = true,
                         .data_char = track1_data,
                         .lrc_char = track1_set};

constexpr Layout kTrack2{.track = Track::two,
                         .label = "track 2",
                         .unit = "offset",
                         .start_sentinel = ';',
                         .separator = '=',
                         .max_data = kTrack2MaxLength - kFraming,
                         .has_name = false,
                         .data_char = track2_data,
                         .lrc_char = track2_set};

// Tag 57 is decoded to track 2 characters first (nibble D -> '='), then parsed as
// a track 2 record without framing; its error offsets count nibbles, which are
// also the characters of its hex form.
constexpr Layout kTag57{.track = Track::two,
                        .label = "track 2 equivalent",
                        .unit = "nibble",
                        .start_sentinel = '\0',  // none: tag 57 has no sentinels
                        .separator = '=',
                        .max_data = kTag57MaxLength * 2 - 1,
                        .has_name = false,
                        .data_char = track2_data,
                        .lrc_char = track2_set};

Error fail(const Layout& layout, Errc code, std::string_view what) {
  std::string message{layout.label};
  message += ": ";
  message += what;
  return make_error(code, std::move(message));
}

Error fail_at(const Layout& layout, Errc code, std::string_view what, std::size_t offset) {
  return fail(layout, code,
              std::string{what} + " at " + std::string{layout.unit} + " " + std::to_string(offset));
}

std::string length_text(std::string_view field, std::size_t length, std::size_t min,
                        std::size_t max) {
  return std::string{field} + " length " + std::to_string(length) + " outside " +
         std::to_string(min) + ".." + std::to_string(max);
}

// The record between the sentinels, and where it starts in the caller's text.
struct Record {
  std::string_view data;
  std::size_t offset;
};

// Strips the optional start sentinel, end sentinel and LRC, and checks the length
// limit and character set of what is left.
//
// The LRC is accepted but not verified. ISO/IEC 7811-2 computes it over the
// 6-bit (track 1) or 4-bit (track 2) codes as recorded on the stripe, each with
// its parity bit; the reader head sees those bits and checks parity and LRC
// itself, reporting a bad read instead of passing data on. What reaches us is a
// translation to ASCII that most readers deliver without the LRC and some with a
// character that is not the LRC at all, so a check here would only reject good
// swipes.
Result<Record> frame(const Layout& layout, std::string_view text) {
  Record record{text, 0};
  if (!record.data.empty() && record.data.front() == layout.start_sentinel) {
    record.data.remove_prefix(1);
    record.offset = 1;
  }
  if (const std::size_t end = record.data.find(kEndSentinel); end != std::string_view::npos) {
    const std::size_t after = record.offset + end + 1;
    if (text.size() > after + 1)
      return fail_at(layout, Errc::malformed, "data after the end sentinel and LRC", after + 1);
    if (text.size() == after + 1 && !layout.lrc_char(text[after]))
      return fail_at(layout, Errc::malformed, "LRC outside the track character set", after);
    record.data = record.data.substr(0, end);
  }
  if (record.data.size() > layout.max_data) {
    return fail(layout, Errc::out_of_range,
                "too long: " + std::to_string(record.data.size()) +
                    " characters between the sentinels, at most " +
                    std::to_string(layout.max_data));
  }
  for (std::size_t i = 0; i < record.data.size(); ++i) {
    if (!layout.data_char(record.data[i]))
      return fail_at(layout, Errc::malformed, "illegal character", record.offset + i);
  }
  if (record.data.empty()) return fail(layout, Errc::truncated, "no data between the sentinels");
  return record;
}

// A cursor over the record that reports positions in the caller's text.
struct Cursor {
  std::string_view rest;
  std::size_t offset;

  std::string_view take(std::size_t n) {
    const std::string_view head = rest.substr(0, n);
    rest.remove_prefix(head.size());
    offset += head.size();
    return head;
  }
};

// Primary account number up to the first field separator.
Result<Pan> take_pan(const Layout& layout, Cursor& cur) {
  const std::size_t sep = cur.rest.find(layout.separator);
  if (sep == std::string_view::npos)
    return fail(layout, Errc::malformed, "missing field separator after the PAN");
  const std::size_t start = cur.offset;
  const std::string_view digits = cur.take(sep);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (!is_digit(digits[i]))
      return fail_at(layout, Errc::malformed, "non-digit in PAN", start + i);
  }
  if (digits.size() < kPanMinLength || digits.size() > kPanMaxLength) {
    return fail(layout, Errc::out_of_range,
                length_text("PAN", digits.size(), kPanMinLength, kPanMaxLength));
  }
  cur.take(1);  // the separator
  auto pan = Pan::parse(digits);
  if (!pan) return fail(layout, pan.error().code, pan.error().message);
  return pan;
}

// Track 1 name field: 2..26 characters up to the second separator. ISO/IEC 7813
// pads it with spaces; "SURNAME/FIRST" punctuation is kept as recorded.
Result<std::string> take_name(const Layout& layout, Cursor& cur) {
  const std::size_t sep = cur.rest.find(layout.separator);
  if (sep == std::string_view::npos)
    return fail(layout, Errc::malformed, "missing field separator after the name");
  if (sep < kNameMinLength || sep > kNameMaxLength)
    return fail(layout, Errc::out_of_range,
                length_text("name", sep, kNameMinLength, kNameMaxLength));
  std::string_view name = cur.take(sep);
  cur.take(1);
  const std::size_t last = name.find_last_not_of(' ');
  name = last == std::string_view::npos ? std::string_view{} : name.substr(0, last + 1);
  return std::string{name};
}

// YYMM. The year is any two digits (the card's own century); the month is 01..12.
Result<std::string> take_expiry(const Layout& layout, Cursor& cur) {
  if (cur.rest.size() < kExpiryLength)
    return fail(layout, Errc::truncated, "data ends before the expiry date");
  const std::size_t start = cur.offset;
  const std::string_view yymm = cur.take(kExpiryLength);
  for (std::size_t i = 0; i < yymm.size(); ++i) {
    if (!is_digit(yymm[i]))
      return fail_at(layout, Errc::malformed, "expiry date is not 4 digits: non-digit", start + i);
  }
  const int month = (yymm[2] - '0') * 10 + (yymm[3] - '0');
  if (month < 1 || month > 12)
    return fail(layout, Errc::out_of_range, "expiry month outside 01..12");
  return std::string{yymm};
}

Result<ServiceCode> take_service_code(const Layout& layout, Cursor& cur) {
  if (cur.rest.size() < kServiceCodeLength)
    return fail(layout, Errc::truncated, "data ends before the end of the service code");
  const std::size_t start = cur.offset;
  const std::string_view svc = cur.take(kServiceCodeLength);
  for (std::size_t i = 0; i < svc.size(); ++i) {
    if (!is_digit(svc[i]))
      return fail_at(layout, Errc::malformed, "non-digit in service code", start + i);
  }
  auto code = parse_service_code(svc);
  if (!code) return fail(layout, code.error().code, code.error().message);
  return code;
}

// The issuer's discretionary data runs to the end of the record. A field
// separator there is rejected: ISO/IEC 7813 gives the track exactly two (track 1)
// or one (track 2) separators, and a record with more is not one we can trust to
// have been split the way the issuer meant.
Result<SecretString> take_discretionary(const Layout& layout, Cursor& cur) {
  if (const std::size_t sep = cur.rest.find(layout.separator); sep != std::string_view::npos)
    return fail_at(layout, Errc::malformed, "field separator in discretionary data",
                   cur.offset + sep);
  return SecretString{cur.take(cur.rest.size())};
}

// The fields of a record whose sentinels are gone and whose characters are in the set.
Result<TrackData> parse_record(const Layout& layout, Record record) {
  Cursor cur{record.data, record.offset};
  if (layout.has_name) {
    // Format code: 'B' is the only one ISO/IEC 7813 defines for financial cards.
    if (cur.rest.front() != 'B')
      return fail_at(layout, Errc::malformed, "format code is not 'B'", cur.offset);
    cur.take(1);
  }
  auto pan = take_pan(layout, cur);
  if (!pan) return std::move(pan).error();
  std::optional<std::string> name;
  if (layout.has_name) {
    auto n = take_name(layout, cur);
    if (!n) return std::move(n).error();
    name = std::move(*n);
  }
  auto expiry = take_expiry(layout, cur);
  if (!expiry) return std::move(expiry).error();
  auto service_code = take_service_code(layout, cur);
  if (!service_code) return std::move(service_code).error();
  auto discretionary = take_discretionary(layout, cur);
  if (!discretionary) return std::move(discretionary).error();
  return TrackData{.track = layout.track,
                   .pan = std::move(*pan),
                   .name = std::move(name),
                   .expiry = std::move(*expiry),
                   .service_code = *service_code,
                   .discretionary = std::move(*discretionary),
                   .raw = SecretString{record.data}};
}

Result<TrackData> parse_framed(const Layout& layout, std::string_view text) {
  auto record = frame(layout, text);
  if (!record) return std::move(record).error();
  return parse_record(layout, *record);
}

// Tag 57 nibbles as track 2 characters: 0-9 stay digits, D becomes '='. One F may
// pad the last byte; any other nibble value, or an F elsewhere, is malformed.
constexpr std::array<char, 16> kNibbleChar = {'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 0,   0,   0,   '=', 0,   0};
constexpr unsigned kPadNibble = 0xF;

// Wipes the decoded copy of tag 57 however the parse ends.
template <std::size_t N>
struct WipedBuffer {
  std::array<char, N> chars{};
  ~WipedBuffer() { secure_zero(chars.data(), chars.size()); }
};

}  // namespace

Result<TrackData> parse_track1(std::string_view data) { return parse_framed(kTrack1, data); }

Result<TrackData> parse_track2(std::string_view data) { return parse_framed(kTrack2, data); }

Result<TrackData> parse_track2_equivalent(ByteView tag57) {
  if (tag57.empty()) return fail(kTag57, Errc::truncated, "no data");
  if (tag57.size() > kTag57MaxLength) {
    return fail(kTag57, Errc::out_of_range,
                "too long: " + std::to_string(tag57.size()) + " bytes, at most " +
                    std::to_string(kTag57MaxLength));
  }
  WipedBuffer<kTag57MaxLength * 2> buffer;
  const std::size_t nibbles = tag57.size() * 2;
  std::size_t length = 0;
  for (std::size_t i = 0; i < nibbles; ++i) {
    const unsigned v = (i % 2 == 0) ? (tag57[i / 2] >> 4) : (tag57[i / 2] & 0x0Fu);
    if (v == kPadNibble && i == nibbles - 1) break;
    if (kNibbleChar[v] == 0) {
      return fail_at(kTag57, Errc::malformed,
                     v == kPadNibble ? "pad nibble F before the end" : "illegal nibble value", i);
    }
    buffer.chars[length++] = kNibbleChar[v];
  }
  return parse_record(kTag57, Record{std::string_view{buffer.chars.data(), length}, 0});
}

Result<TrackData> parse_track2_equivalent_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes) return fail(kTag57, bytes.error().code, bytes.error().message);
  auto result = parse_track2_equivalent(*bytes);
  secure_zero(bytes->data(), bytes->size());
  return result;
}

Result<TrackData> parse_track(std::string_view data) {
  if (data.empty()) return make_error(Errc::malformed, "empty track data");
  const char first = data.front();
  if (first == kTrack1.start_sentinel || first == 'B') return parse_track1(data);
  if (first == kTrack2.start_sentinel || data.find('=') != std::string_view::npos)
    return parse_track2(data);
  bool hex = true;
  bool separator = false;
  for (const char c : data) {
    const bool digit = is_digit(c);
    const bool letter = (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    hex = hex && (digit || letter);
    separator = separator || c == 'D' || c == 'd';
  }
  if (hex && separator) return parse_track2_equivalent_hex(data);
  return make_error(Errc::malformed, "not track 1, track 2 or track 2 equivalent data");
}

}  // namespace tender::msr
