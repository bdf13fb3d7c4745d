#include "app/terminal/settlement_report.hpp"

#include <algorithm>
#include <array>

namespace tender::app {
namespace {

constexpr std::array kKindWords{
    std::pair{TxnKind::sale, "SALE"},       std::pair{TxnKind::preauth, "PRE-AUTH"},
    std::pair{TxnKind::capture, "CAPTURE"}, std::pair{TxnKind::void_, "VOID"},
    std::pair{TxnKind::refund, "REFUND"},   std::pair{TxnKind::tip_adjust, "TIP ADJUST"},
    std::pair{TxnKind::verify, "VERIFY"},
};

std::string kind_word(TxnKind kind) {
  for (const auto& [k, word] : kKindWords) {
    if (k == kind) return word;
  }
  return "?";
}

std::string money_text(const Money& m) { return std::string(m.currency().alpha) + " " + m.format(); }

void add_to(std::vector<SettlementGroup>& groups, const std::string& card, TxnKind kind, const Money& amount) {
  auto it = std::find_if(groups.begin(), groups.end(),
                         [&](const SettlementGroup& g) { return g.card == card && g.kind == kind; });
  if (it == groups.end()) {
    groups.push_back(SettlementGroup{card, kind, 0, Money{0, amount.currency()}});
    it = std::prev(groups.end());
  }
  ++it->count;
  it->total = Money{it->total.minor_units() + amount.minor_units(), amount.currency()};
}

// "LABEL ... VALUE" on one line, or the value on the next line at the right when both do not fit.
void pair_line(printer::Document& doc, const std::string& left, const std::string& right, std::size_t width) {
  if (left.size() + 1 + right.size() <= width) {
    doc.line(left + std::string(width - left.size() - right.size(), ' ') + right);
  } else {
    doc.line(left);
    doc.line(right, printer::Align::right);
  }
}

}  // namespace

SettlementSummary summarize(std::span<const JournalEntry> rows, Currency currency) {
  SettlementSummary s;
  for (const JournalEntry& row : rows) {
    const Money amount = row.approved_amount.value_or(row.amount);
    if (amount.currency() != currency) continue;  // a journal holds one currency; never mixed in a sum
    add_to(s.by_card, row.card_label.empty() ? std::string{"CARD"} : row.card_label, row.kind, amount);
    ++s.transactions;
  }
  for (const auto& [kind, word] : kKindWords) {
    for (const SettlementGroup& g : s.by_card) {
      if (g.kind != kind) continue;
      auto it = std::find_if(s.by_kind.begin(), s.by_kind.end(), [&](const SettlementGroup& k) { return k.kind == kind; });
      if (it == s.by_kind.end()) {
        s.by_kind.push_back(SettlementGroup{"", kind, 0, Money{0, currency}});
        it = std::prev(s.by_kind.end());
      }
      it->count += g.count;
      it->total = Money{it->total.minor_units() + g.total.minor_units(), currency};
    }
  }
  return s;
}

printer::Document settlement_document(const SettlementSummary& summary, const SettlementHeader& header, int width) {
  const auto w = static_cast<std::size_t>(std::max(width, 24));
  printer::Document doc;
  doc.line(header.merchant.name, printer::Align::center, true);
  pair_line(doc, "MID", header.merchant.merchant_id, w);
  pair_line(doc, "TID", header.merchant.terminal_id, w);
  doc.line(header.timestamp);
  doc.rule();
  doc.line("SETTLEMENT REPORT", printer::Align::center, true);
  if (header.accepted) {
    pair_line(doc, "BATCH", header.batch, w);
  } else {
    doc.line("NOT SETTLED", printer::Align::center, true);
    if (!header.response.empty()) doc.line(header.response, printer::Align::center);
  }
  doc.rule();
  doc.line("BY CARD TYPE", printer::Align::left, true);
  for (const SettlementGroup& g : summary.by_card) {
    doc.line(g.card);
    pair_line(doc, "  " + kind_word(g.kind) + " x" + std::to_string(g.count), money_text(g.total), w);
  }
  if (summary.by_card.empty()) doc.line("NO TRANSACTIONS", printer::Align::center);
  doc.rule();
  doc.line("BY KIND", printer::Align::left, true);
  for (const SettlementGroup& g : summary.by_kind)
    pair_line(doc, kind_word(g.kind) + " x" + std::to_string(g.count), money_text(g.total), w);
  pair_line(doc, "TRANSACTIONS", std::to_string(summary.transactions), w);
  doc.rule();
  doc.feed(2);
  doc.cut();
  return doc;
}

}  // namespace tender::app
