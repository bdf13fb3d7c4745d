#include "app/tenderctl/mask.hpp"

#include <array>

namespace tender::ctl {

bool is_card_data_tag(emv::Tag tag) noexcept {
  static constexpr std::array<emv::Tag, 7> kCardDataTags = {0x56, 0x57, 0x5A, 0x99, 0x9F1F, 0x9F20, 0x9F6B};
  for (auto t : kCardDataTags)
    if (t == tag) return true;
  return false;
}

std::string masked_card_data_hex(ByteView value) {
  std::string hex = to_hex(value);
  std::size_t pan_end = 0;
  while (pan_end < hex.size() && hex[pan_end] >= '0' && hex[pan_end] <= '9') ++pan_end;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const bool keep = pan_end >= 11 && (i < 6 || (i >= pan_end - 4 && i < pan_end));
    if (!keep) hex[i] = '*';
  }
  return hex;
}

}  // namespace tender::ctl
