// TVR and TSI bit positions exactly as EMV 4.4 Book 3 Annex C5 (Table 46) and C6
// (Table 47) give them: byte number and bit number, b8 the leftmost.
#include "emv/tvr.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using test::hex;

struct Position {
  TvrBit bit;
  int byte;  // 1..5
  int b;     // 8..1
};

constexpr Position kAnnexC5[] = {
    {TvrBit::offline_data_authentication_not_performed, 1, 8},
    {TvrBit::sda_failed, 1, 7},
    {TvrBit::icc_data_missing, 1, 6},
    {TvrBit::card_appears_on_exception_file, 1, 5},
    {TvrBit::dda_failed, 1, 4},
    {TvrBit::cda_failed, 1, 3},
    {TvrBit::sda_selected, 1, 2},
    {TvrBit::different_application_versions, 2, 8},
    {TvrBit::expired_application, 2, 7},
    {TvrBit::application_not_yet_effective, 2, 6},
    {TvrBit::requested_service_not_allowed, 2, 5},
    {TvrBit::new_card, 2, 4},
    {TvrBit::cardholder_verification_not_successful, 3, 8},
    {TvrBit::unrecognised_cvm, 3, 7},
    {TvrBit::pin_try_limit_exceeded, 3, 6},
    {TvrBit::pin_pad_not_present_or_not_working, 3, 5},
    {TvrBit::pin_pad_present_pin_not_entered, 3, 4},
    {TvrBit::online_pin_entered, 3, 3},
    {TvrBit::transaction_exceeds_floor_limit, 4, 8},
    {TvrBit::lower_consecutive_offline_limit_exceeded, 4, 7},
    {TvrBit::upper_consecutive_offline_limit_exceeded, 4, 6},
    {TvrBit::transaction_selected_randomly_for_online, 4, 5},
    {TvrBit::merchant_forced_transaction_online, 4, 4},
    {TvrBit::default_tdol_used, 5, 8},
    {TvrBit::issuer_authentication_failed, 5, 7},
    {TvrBit::script_processing_failed_before_final_generate_ac, 5, 6},
    {TvrBit::script_processing_failed_after_final_generate_ac, 5, 5},
};

TEST(Tvr, EveryBitSitsWhereAnnexC5PutsIt) {
  for (const Position& p : kAnnexC5) {
    Tvr tvr;
    tvr.set(p.bit);
    Bytes expected(5, 0);
    expected[static_cast<std::size_t>(p.byte - 1)] = static_cast<Byte>(1u << (p.b - 1));
    EXPECT_EQ(to_hex(tvr.bytes()), to_hex(expected)) << name(p.bit);
    EXPECT_TRUE(tvr.test(p.bit));
  }
  EXPECT_EQ(all_tvr_bits().size(), std::size(kAnnexC5));
}

TEST(Tvr, BitsAccumulateAndReset) {
  Tvr tvr;
  EXPECT_FALSE(tvr.any());
  tvr.set(TvrBit::offline_data_authentication_not_performed);
  tvr.set(TvrBit::transaction_exceeds_floor_limit);
  tvr.set(TvrBit::script_processing_failed_after_final_generate_ac);
  EXPECT_EQ(to_hex(tvr.bytes()), "8000008010");
  EXPECT_FALSE(tvr.test(TvrBit::sda_failed));
  tvr.reset();
  EXPECT_EQ(to_hex(tvr.bytes()), "0000000000");
}

TEST(Tvr, FromBytesAndNames) {
  const Tvr tvr{hex("4000800000")};
  EXPECT_TRUE(tvr.test(TvrBit::sda_failed));
  EXPECT_TRUE(tvr.test(TvrBit::cardholder_verification_not_successful));
  const auto names = set_bit_names(tvr);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "SDA failed");
  EXPECT_EQ(names[1], "Cardholder verification was not successful");
  EXPECT_EQ(describe(tvr), "TVR 4000800000: SDA failed; Cardholder verification was not successful");
  EXPECT_EQ(name(TvrBit::pin_try_limit_exceeded), "PIN Try Limit exceeded");
}

TEST(Tsi, EveryBitSitsWhereAnnexC6PutsIt) {
  const std::pair<TsiBit, const char*> annex_c6[] = {
      {TsiBit::offline_data_authentication_performed, "8000"},
      {TsiBit::cardholder_verification_performed, "4000"},
      {TsiBit::card_risk_management_performed, "2000"},
      {TsiBit::issuer_authentication_performed, "1000"},
      {TsiBit::terminal_risk_management_performed, "0800"},
      {TsiBit::script_processing_performed, "0400"},
  };
  for (const auto& [bit, expected] : annex_c6) {
    Tsi tsi;
    tsi.set(bit);
    EXPECT_EQ(to_hex(tsi.bytes()), expected) << name(bit);
  }
  EXPECT_EQ(all_tsi_bits().size(), 6u);
  Tsi all;
  for (TsiBit bit : all_tsi_bits()) all.set(bit);
  EXPECT_EQ(to_hex(all.bytes()), "FC00");
  EXPECT_EQ(set_bit_names(all).size(), 6u);
}

}  // namespace
}  // namespace tender::emv
