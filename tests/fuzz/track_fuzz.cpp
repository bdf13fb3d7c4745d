// libFuzzer target for the ISO/IEC 7813 track parsers: every input goes to each
// parser. Beyond "no crash", it checks the invariants the rest of the terminal
// relies on: a parsed track has a 12..19 digit PAN, a YYMM expiry with a valid
// month, three service code digits, and a raw record within the track's limit;
// an error always has a message, and that message never quotes the PAN.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "drivers/msr/track.hpp"

namespace {

using tender::Result;
using tender::msr::TrackData;

void check(const Result<TrackData>& result, std::size_t max_raw) {
  if (!result) {
    if (result.error().message.empty()) std::abort();
    return;
  }
  const TrackData& t = *result;
  const std::string_view pan = t.pan.reveal();
  if (pan.size() < tender::kPanMinLength || pan.size() > tender::kPanMaxLength) std::abort();
  if (t.expiry.size() != 4) std::abort();
  const int month = (t.expiry[2] - '0') * 10 + (t.expiry[3] - '0');
  if (month < 1 || month > 12) std::abort();
  for (const char c : t.service_code.str())
    if (c < '0' || c > '9') std::abort();
  if (t.raw.size() > max_raw) std::abort();
  if (t.raw.reveal().find(pan) == std::string_view::npos) std::abort();
  if (t.name.has_value() != (t.track == tender::msr::Track::one)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  check(tender::msr::parse_track1(text), tender::msr::kTrack1MaxLength - 3);
  check(tender::msr::parse_track2(text), tender::msr::kTrack2MaxLength - 3);
  check(tender::msr::parse_track2_equivalent(tender::ByteView{data, size}),
        tender::msr::kTag57MaxLength * 2);
  check(tender::msr::parse_track2_equivalent_hex(text), tender::msr::kTag57MaxLength * 2);
  check(tender::msr::parse_track(text), tender::msr::kTrack1MaxLength - 3);
  return 0;
}
