// ISO/IEC 7813 financial card track data: track 1 (IATA, alphanumeric), track 2
// (ABA, numeric) and its EMV twin, the Track 2 Equivalent Data of tag 57.
//
//   track 1   %B<PAN>^<NAME>^<YYMM><SVC><discretionary>?<LRC>   at most 79 characters
//   track 2   ;<PAN>=<YYMM><SVC><discretionary>?<LRC>           at most 40 characters
//   tag 57    <PAN>D<YYMM><SVC><discretionary>[F]  (BCD)        at most 19 bytes
//
// Readers differ in what they pass on: the start sentinel, the end sentinel and
// the LRC are each optional here. The length limits count them anyway: the data
// between the sentinels may be at most 76 (track 1) or 37 (track 2) characters,
// whether or not the reader delivered the sentinels.
//
// Every error message gives lengths and offsets only, never the data: a track
// holds the PAN and the discretionary data (PVV, CVV) and must not reach a log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/pan.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "drivers/msr/service_code.hpp"

namespace tender::msr {

enum class Track { one = 1, two = 2 };

struct TrackData {
  Track track;
  Pan pan;  // masks itself when printed
  std::optional<std::string>
      name;            // track 1 only; trailing spaces trimmed; empty when blank on the card
  std::string expiry;  // "YYMM" as encoded
  ServiceCode service_code;
  SecretString discretionary;  // may hold PVV/CVV: secret
  SecretString raw;            // the track without sentinels and LRC (tag 57: digits and '=')
};

// Limits of ISO/IEC 7813, sentinels and LRC included.
inline constexpr std::size_t kTrack1MaxLength = 79;
inline constexpr std::size_t kTrack2MaxLength = 40;
inline constexpr std::size_t kTag57MaxLength = 19;  // bytes
inline constexpr std::size_t kNameMinLength = 2;
inline constexpr std::size_t kNameMaxLength = 26;

// "%B<PAN>^<NAME>^<YYMM><SVC><DD>?<LRC>", sentinels and LRC optional.
Result<TrackData> parse_track1(std::string_view data);

// ";<PAN>=<YYMM><SVC><DD>?<LRC>", sentinels and LRC optional.
Result<TrackData> parse_track2(std::string_view data);

// EMV tag 57 value: BCD nibbles, 'D' as the separator, one trailing 'F' pad nibble
// when the digit count is odd. Reported as Track::two; `raw` is given in track 2
// form (digits and '='), so a host that wants "track 2" gets the same text from
// chip and stripe.
Result<TrackData> parse_track2_equivalent(ByteView tag57);
Result<TrackData> parse_track2_equivalent_hex(std::string_view hex);

// Auto-detection for the CLI and the emulator:
//   '%' or 'B' first                  -> track 1
//   ';' first, or contains '='        -> track 2
//   all hex digits, contains 'D'/'d'  -> track 2 equivalent (Track::two)
//   anything else                     -> Errc::malformed
Result<TrackData> parse_track(std::string_view data);

}  // namespace tender::msr
