// The journal as the counter's menu lists it: which rows each function may pick (the sales of
// the open batch for a void, the pre-authorizations not captured yet...), and each row as one
// line of the display, masked (the card's last four digits at most).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/journal/journal.hpp"
#include "app/terminal/counter_menu.hpp"

namespace tender::app {

// The rows `action` (refund, void_, capture, tip_adjust) can act on, newest first.
Result<std::vector<JournalEntry>> pickable_rows(const Journal& journal, MenuAction action);
// The rows the offline queue will send (forwards, reversals, resolves), in its order.
Result<std::vector<JournalEntry>> queue_rows(const Journal& journal);
// The newest row that printed a receipt (what "reprint" prints again).
std::optional<JournalEntry> last_receipt_row(const Journal& journal);

// "SALE 12.34 *1111 APPROVED": kind, amount, the card's last four, the state; the 4x20
// display shows what fits of it.
std::string row_item(const JournalEntry& row);
// "SALE APPROVED": the journal view's detail title.
std::string row_headline(const JournalEntry& row);

}  // namespace tender::app
