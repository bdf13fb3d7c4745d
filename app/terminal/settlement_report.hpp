// The settlement report the counter prints when the batch closes: counts and totals per card
// type (the card's label or brand) and per kind (sale, refund, ...), built from the journal's
// rows of the batch, before the host closes it. Only the journal's public columns are read.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "app/journal/journal.hpp"
#include "app/receipt/receipt.hpp"
#include "drivers/printer/document.hpp"

namespace tender::app {

struct SettlementGroup {
  std::string card;  // "VISA CREDIT", "MASTERCARD"; "" in the per-kind totals
  TxnKind kind = TxnKind::sale;
  std::size_t count = 0;
  Money total{0, usd()};
};

struct SettlementSummary {
  std::vector<SettlementGroup> by_card;  // per card type and kind, in the order first seen
  std::vector<SettlementGroup> by_kind;  // per kind, in TxnKind order
  std::size_t transactions = 0;
};

// What each row settles for: the approved amount when the host gave one, else the amount.
SettlementSummary summarize(std::span<const JournalEntry> rows, Currency currency);

struct SettlementHeader {
  MerchantInfo merchant;
  std::string timestamp;  // "2026-11-21 17:02:11"
  std::string batch;      // the host's batch id ("" when not accepted)
  bool accepted = false;
  std::string response;   // the host's code and words when it refused
};

printer::Document settlement_document(const SettlementSummary& summary, const SettlementHeader& header, int width);

}  // namespace tender::app
