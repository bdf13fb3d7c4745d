#include "emv/terminal_config.hpp"

#include <algorithm>

namespace tender::emv {

bool has(const TerminalConfig& config, TerminalCapability capability) {
  return TerminalCapabilities{config.capabilities}.test(capability);
}

bool has(const TerminalConfig& config, AdditionalCapability capability) {
  return AdditionalTerminalCapabilities{config.additional_capabilities}.test(capability);
}

bool online_capable(Byte terminal_type) {
  const int digit = terminal_type & 0x0F;
  return digit == 1 || digit == 2 || digit == 4 || digit == 5;
}

bool offline_only(Byte terminal_type) {
  const int digit = terminal_type & 0x0F;
  return digit == 3 || digit == 6;
}

bool unattended(Byte terminal_type) {
  const int digit = terminal_type & 0x0F;
  return digit >= 4 && digit <= 6;
}

bool is_atm(const TerminalConfig& config) {
  const Byte type = config.terminal_type;
  return (type == 0x14 || type == 0x15 || type == 0x16) && has(config, AdditionalCapability::cash);
}

const AidConfig* find_aid_config(const TerminalConfig& config, ByteView terminal_aid) {
  for (const AidConfig& aid : config.aids)
    if (std::ranges::equal(aid.aid, terminal_aid)) return &aid;
  return nullptr;
}

TerminalConfig default_test_terminal(std::int64_t floor_limit) {
  TerminalConfig config;
  const auto aid = [floor_limit](Bytes id, std::array<Byte, 5> denial, std::array<Byte, 5> online,
                                 std::array<Byte, 5> dflt) {
    AidConfig a;
    a.aid = std::move(id);
    a.tac_denial = denial;
    a.tac_online = online;
    a.tac_default = dflt;
    a.floor_limit = floor_limit;
    a.default_ddol = {0x9F, 0x37, 0x04};
    a.default_tdol = {0x9F, 0x02, 0x06};
    return a;
  };
  // Visa-like action codes.
  const std::array<Byte, 5> visa_denial{0x00, 0x10, 0x00, 0x00, 0x00};
  const std::array<Byte, 5> visa_online{0xDC, 0x40, 0x04, 0xF8, 0x00};
  const std::array<Byte, 5> visa_default{0xDC, 0x40, 0x00, 0xA8, 0x00};
  // Mastercard-like action codes.
  const std::array<Byte, 5> mc_denial{0x00, 0x00, 0x00, 0x00, 0x00};
  const std::array<Byte, 5> mc_online{0xFC, 0x50, 0xBC, 0xF8, 0x00};
  const std::array<Byte, 5> mc_default{0xFC, 0x50, 0xBC, 0xA0, 0x00};
  config.aids.push_back(aid({0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10}, visa_denial, visa_online,
                            visa_default));
  config.aids.push_back(aid({0xA0, 0x00, 0x00, 0x00, 0x03, 0x20, 0x10}, visa_denial, visa_online,
                            visa_default));
  config.aids.push_back(
      aid({0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10}, mc_denial, mc_online, mc_default));
  config.aids.push_back(
      aid({0xA0, 0x00, 0x00, 0x00, 0x04, 0x30, 0x60}, mc_denial, mc_online, mc_default));
  config.aids[2].application_version = {0x00, 0x02};
  config.aids[3].application_version = {0x00, 0x02};
  return config;
}

}  // namespace tender::emv
