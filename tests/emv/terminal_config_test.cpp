#include "emv/terminal_config.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

TEST(TerminalConfig, DefaultTestTerminal) {
  const TerminalConfig config = default_test_terminal();
  EXPECT_EQ(config.terminal_type, 0x22);
  EXPECT_EQ(to_hex(config.capabilities), "E0F8C8");
  EXPECT_EQ(to_hex(config.additional_capabilities), "6000F0A001");
  EXPECT_EQ(config.country_code, 840);
  EXPECT_EQ(config.currency.numeric, 840);
  ASSERT_EQ(config.aids.size(), 4u);
  EXPECT_EQ(to_hex(config.aids[0].aid), "A0000000031010");
  EXPECT_EQ(to_hex(config.aids[1].aid), "A0000000032010");
  EXPECT_EQ(to_hex(config.aids[2].aid), "A0000000041010");
  EXPECT_EQ(to_hex(config.aids[3].aid), "A0000000043060");
  EXPECT_EQ(to_hex(config.aids[0].tac_denial), "0010000000");
  EXPECT_EQ(to_hex(config.aids[0].tac_online), "DC4004F800");
  EXPECT_EQ(to_hex(config.aids[0].tac_default), "DC4000A800");
  EXPECT_EQ(to_hex(config.aids[2].tac_denial), "0000000000");
  EXPECT_EQ(to_hex(config.aids[2].tac_online), "FC50BCF800");
  EXPECT_EQ(to_hex(config.aids[2].tac_default), "FC50BCA000");
  for (const AidConfig& aid : config.aids) {
    EXPECT_EQ(aid.floor_limit, 0);
    EXPECT_EQ(to_hex(aid.default_ddol), "9F3704");
    EXPECT_EQ(to_hex(aid.default_tdol), "9F0206");
  }
  EXPECT_EQ(default_test_terminal(5000).aids[3].floor_limit, 5000);
}

TEST(TerminalConfig, CapabilitiesAsBook4AnnexA2) {
  const TerminalConfig config = default_test_terminal();
  EXPECT_TRUE(has(config, TerminalCapability::ic_with_contacts));
  EXPECT_TRUE(has(config, TerminalCapability::plaintext_pin_for_icc_verification));
  EXPECT_TRUE(has(config, TerminalCapability::enciphered_pin_for_online_verification));
  EXPECT_TRUE(has(config, TerminalCapability::signature_paper));
  EXPECT_TRUE(has(config, TerminalCapability::enciphered_pin_for_offline_verification));
  EXPECT_TRUE(has(config, TerminalCapability::no_cvm_required));
  EXPECT_TRUE(has(config, TerminalCapability::sda));
  EXPECT_TRUE(has(config, TerminalCapability::dda));
  EXPECT_FALSE(has(config, TerminalCapability::card_capture));
  EXPECT_TRUE(has(config, TerminalCapability::cda));
  EXPECT_TRUE(has(config, AdditionalCapability::goods));
  EXPECT_TRUE(has(config, AdditionalCapability::services));
  EXPECT_FALSE(has(config, AdditionalCapability::cash));
}

TEST(TerminalConfig, TerminalTypes) {
  EXPECT_TRUE(online_capable(0x22));
  EXPECT_TRUE(online_capable(0x11));
  EXPECT_TRUE(online_capable(0x14));
  EXPECT_FALSE(online_capable(0x23));
  EXPECT_TRUE(offline_only(0x26));
  EXPECT_TRUE(unattended(0x25));
  EXPECT_FALSE(unattended(0x22));
  TerminalConfig atm = default_test_terminal();
  EXPECT_FALSE(is_atm(atm));
  atm.terminal_type = 0x14;
  atm.additional_capabilities[0] = 0x80;
  EXPECT_TRUE(is_atm(atm));
}

TEST(TerminalConfig, FindAid) {
  const TerminalConfig config = default_test_terminal();
  EXPECT_EQ(find_aid_config(config, hex("A0000000041010")), &config.aids[2]);
  EXPECT_EQ(find_aid_config(config, hex("A000000004101001")), nullptr);
}

}  // namespace
}  // namespace tender::emv
