// tenderctl tlv decode HEX
#include "app/tenderctl/cli.hpp"
#include "app/tenderctl/mask.hpp"
#include "common/bytes.hpp"
#include "common/pan.hpp"
#include "emv/tags.hpp"
#include "emv/tlv.hpp"

namespace tender::ctl {
namespace {

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
  } else if (is_card_data_tag(node.tag)) {
    j["value"] = masked_card_data_hex(node.value);
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
