#include "app/emu/settlement_check.hpp"

#include <algorithm>
#include <iterator>

namespace tender::app::emu {

SettledBatch settled_batch(const Journal& journal, const SettleReport& report) {
  SettledBatch out{report.accepted, report.transactions, {}};
  std::vector<JournalEntry> rows;
  if (report.accepted) {
    if (auto all = journal.list(); all) {
      std::copy_if(all->begin(), all->end(), std::back_inserter(rows),
                   [&](const JournalEntry& e) { return e.batch == report.batch; });
    }
  } else if (auto open = journal.open_batch(); open) {
    rows = std::move(*open);
  }
  out.summary = summarize(rows, usd());
  return out;
}

std::vector<std::string> settlement_mismatches(const SettlementCheck& want, const SettledBatch& got) {
  std::vector<std::string> out;
  if (want.accepted && *want.accepted != got.accepted) {
    out.push_back(std::string("expected the batch ") + (*want.accepted ? "accepted" : "refused") + ", it was " +
                  (got.accepted ? "accepted" : "refused"));
  }
  if (want.transactions && static_cast<std::size_t>(*want.transactions) != got.transactions) {
    out.push_back("expected " + std::to_string(*want.transactions) + " transactions, got " + std::to_string(got.transactions));
  }
  for (const SettlementKindCheck& k : want.kinds) {
    // A kind with no rows in the batch: count 0, total 0.00.
    std::size_t count = 0;
    Money total{0, usd()};
    for (const SettlementGroup& g : got.summary.by_kind) {
      if (g.kind != k.kind) continue;
      count = g.count;
      total = g.total;
    }
    const std::string name(to_string(k.kind));
    if (k.count && static_cast<std::size_t>(*k.count) != count) {
      out.push_back(name + " count expected " + std::to_string(*k.count) + ", got " + std::to_string(count));
    }
    if (k.total && *k.total != total) {
      out.push_back(name + " total expected " + k.total->format() + ", got " + total.format());
    }
  }
  return out;
}

}  // namespace tender::app::emu
