#include "drivers/icc/sim/replay_card.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "drivers/icc/sim/card_profile.hpp"
#include "drivers/icc/sim/json_fields.hpp"

namespace tender::icc::sim {
namespace {

std::string header_hex(ByteView command) { return to_hex(command.first(std::min<std::size_t>(4, command.size()))); }

}  // namespace

ReplayCard::ReplayCard(Bytes atr, std::vector<Exchange> exchanges)
    : atr_(std::move(atr)), exchanges_(std::move(exchanges)) {}

Result<ReplayCard> ReplayCard::parse(std::string_view json_text) {
  auto json = parse_json(json_text, "replay file");
  if (!json) return std::move(json).error();
  auto o = JsonObject::of(*json, "");
  if (!o) return field_error(Errc::malformed, "replay file", "must be a JSON object");
  auto atr = o->optional_hex("atr", 2, 33);
  if (!atr) return std::move(atr).error();
  auto list = json_array(o->get("exchanges"), "exchanges");
  if (!list) return std::move(list).error();
  std::vector<Exchange> exchanges;
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    auto e = JsonObject::of((**list)[i], "exchanges[" + std::to_string(i) + "]");
    if (!e) return std::move(e).error();
    Exchange x;
    auto c = e->hex("c", 4, 261);
    if (!c) return std::move(c).error();
    x.command = std::move(*c);
    auto r = e->hex("r", 2, 258);
    if (!r) return std::move(r).error();
    x.response = std::move(*r);
    auto match = e->choice("match", {"exact", "header"}, "exact");
    if (!match) return std::move(match).error();
    x.header_only = *match == "header";
    if (auto f = e->finish(); !f) return std::move(f).error();
    exchanges.push_back(std::move(x));
  }
  if (auto f = o->finish(); !f) return std::move(f).error();
  return ReplayCard(*atr ? std::move(**atr) : default_atr(Protocol::t1), std::move(exchanges));
}

Result<ReplayCard> ReplayCard::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "cannot read replay file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

Bytes ReplayCard::process(ByteView command) {
  static const Bytes kUnexpected{0x6F, 0x00};
  if (next_ >= exchanges_.size()) {
    failures_.push_back("unexpected command " + header_hex(command) + " after the last exchange");
    return kUnexpected;
  }
  const Exchange& x = exchanges_[next_];
  const bool matches = x.header_only
                           ? command.size() >= 4 && std::equal(x.command.begin(), x.command.begin() + 4, command.begin())
                           : std::equal(command.begin(), command.end(), x.command.begin(), x.command.end());
  if (!matches) {
    if (!x.header_only && command.size() >= 4 && header_hex(command) == header_hex(x.command)) {
      failures_.push_back("exchange " + std::to_string(next_) + ": command " + header_hex(command) +
                          " differs from the recording after its header");
      return kUnexpected;
    }
    failures_.push_back("exchange " + std::to_string(next_) + ": expected command " + header_hex(x.command) +
                        (x.header_only ? " (header)" : "") + ", got " + header_hex(command));
    return kUnexpected;
  }
  ++next_;
  return x.response;
}

}  // namespace tender::icc::sim
