// expect_settlement against a settled batch: each figure given is compared, a kind the batch
// does not hold counts 0 for 0.00, and every difference is named.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/emu/settlement_check.hpp"

namespace tender::app::emu {
namespace {

Money usd_of(const char* text) { return Money::parse(text, usd()).value(); }

SettledBatch batch() {
  SettledBatch b;
  b.accepted = true;
  b.transactions = 4;
  b.summary.by_kind = {SettlementGroup{"", TxnKind::sale, 3, usd_of("27.00")}, SettlementGroup{"", TxnKind::void_, 1, usd_of("5.00")}};
  b.summary.transactions = 4;
  return b;
}

TEST(EmuSettlementCheck, WhatIsGivenMatchesOrIsNamed) {
  SettlementCheck right;
  right.accepted = true;
  right.transactions = 4;
  right.kinds = {{TxnKind::sale, 3, usd_of("27.00")}, {TxnKind::refund, 0, usd_of("0.00")}};
  EXPECT_TRUE(settlement_mismatches(right, batch()).empty());

  SettlementCheck wrong;
  wrong.accepted = false;
  wrong.transactions = 3;
  wrong.kinds = {{TxnKind::sale, 2, usd_of("22.00")}, {TxnKind::void_, std::nullopt, usd_of("4.00")}, {TxnKind::refund, 1, std::nullopt}};
  EXPECT_EQ(settlement_mismatches(wrong, batch()),
            (std::vector<std::string>{"expected the batch refused, it was accepted", "expected 3 transactions, got 4",
                                      "sale count expected 2, got 3", "sale total expected 22.00, got 27.00",
                                      "void total expected 4.00, got 5.00", "refund count expected 1, got 0"}));
  EXPECT_TRUE(settlement_mismatches(SettlementCheck{}, batch()).empty());  // nothing asked, nothing checked
}

}  // namespace
}  // namespace tender::app::emu
