// expect_settlement: what a settlement closed, as the terminal's settlement report counts the
// journal's batch, against what a scenario step expects of it.
#pragma once

#include <string>
#include <vector>

#include "app/emu/scenario.hpp"
#include "app/engine/engine.hpp"
#include "app/journal/journal.hpp"
#include "app/terminal/settlement_report.hpp"

namespace tender::app::emu {

struct SettledBatch {
  bool accepted = false;
  std::size_t transactions = 0;  // the engine's count of the batch's rows
  SettlementSummary summary;     // per kind: count and total
};

// The batch the host just answered for: the rows now carrying its id when it was accepted,
// else those still open.
SettledBatch settled_batch(const Journal& journal, const SettleReport& report);

// What differs, one message per difference ("sale total expected 22.00, got 27.00"); none
// when everything given matches.
std::vector<std::string> settlement_mismatches(const SettlementCheck& want, const SettledBatch& got);

}  // namespace tender::app::emu
