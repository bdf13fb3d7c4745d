// tenderctl track parse DATA
#include "app/tenderctl/cli.hpp"
#include "drivers/msr/track.hpp"

namespace tender::ctl {

CommandResult track_parse(const std::vector<std::string>& words) {
  auto args = parse_args(words, {});
  if (!args) return std::move(args).error();
  if (args->positional.size() != 1)
    return make_error(Errc::invalid_argument, "usage: tenderctl track parse DATA");
  auto track = msr::parse_track(args->positional[0]);
  if (!track) return std::move(track).error();
  Json out;
  out["track"] = static_cast<int>(track->track);
  out["pan"] = track->pan.masked();
  out["pan_length"] = track->pan.length();
  out["luhn_ok"] = track->pan.luhn_ok();
  out["expiry"] = track->expiry;
  out["service_code"] = std::string(track->service_code.str());
  out["chip_card"] = track->service_code.chip_card();
  out["name"] = track->name ? Json(*track->name) : Json(nullptr);
  return out;
}

}  // namespace tender::ctl
