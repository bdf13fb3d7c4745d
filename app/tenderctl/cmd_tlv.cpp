// tenderctl tlv decode HEX
#include <array>

#include "app/tenderctl/cli.hpp"
#include "common/bytes.hpp"
#include "common/pan.hpp"
#include "emv/tags.hpp"
#include "emv/tlv.hpp"

namespace tender::ctl {
namespace {

// Tags whose values carry a PAN or track data. The tool never prints them in
// clear: its output lands in terminals, tickets and test logs.
constexpr std::array<emv::Tag, 7> kCardDataTags = {0x56, 0x57, 0x5A, 0x99, 0x9F1F, 0x9F20, 0x9F6B};

bool is_card_data(emv::Tag tag) {
  for (auto t : kCardDataTags)
    if (t == tag) return true;
  return false;
}

// The PAN digits are the leading BCD nibbles up to a separator ('D'), pad ('F')
// or the end; keep the first 6 and last 4 of them and star every other nibble.
std::string masked_value(ByteView value) {
  std::string hex = to_hex(value);
  std::size_t pan_end = 0;
  while (pan_end < hex.size() && hex[pan_end] >= '0' && hex[pan_end] <= '9') ++pan_end;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const bool keep = pan_end >= 11 && (i < 6 || (i >= pan_end - 4 && i < pan_end));
    if (!keep) hex[i] = '*';
  }
  return hex;
}

Json to_json(const emv::TlvNode& node) {
  Json j;
  j["tag"] = emv::tag_to_hex(node.tag);
  const emv::TagInfo* info = emv::tag_info(node.tag);
  j["name"] = info ? std::string(info->name) : std::string("Unknown");
  j["length"] = node.value.size();
  if (node.constructed()) {
    Json children = Json::array();
    for (const auto& child : node.children) children.push_back(to_json(child));
    j["children"] = std::move(children);
  } else if (is_card_data(node.tag)) {
    j["value"] = masked_value(node.value);
    j["masked"] = true;
  } else {
    j["value"] = to_hex(node.value);
  }
  return j;
}

}  // namespace

CommandResult tlv_decode(const std::vector<std::string>& words) {
  auto args = parse_args(words, {});
  if (!args) return std::move(args).error();
  if (args->positional.size() != 1)
    return make_error(Errc::invalid_argument, "usage: tenderctl tlv decode HEX");
  auto bytes = from_hex(args->positional[0]);
  if (!bytes) return std::move(bytes).error();
  auto nodes = emv::decode(*bytes);
  if (!nodes) return std::move(nodes).error();
  Json out = Json::array();
  for (const auto& node : *nodes) out.push_back(to_json(node));
  return out;
}

}  // namespace tender::ctl
