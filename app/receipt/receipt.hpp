// Receipts: merchant and customer copies rendered from a template (issue 5, Receipts).
// The engine fills a ReceiptData from the journal row and the kernel's result; rendering
// turns it into plain text (emulator, reports, tests) or into a printer::Document that the
// ESC/POS encoder turns into printer bytes. Only masked card data ever reaches a receipt.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "drivers/printer/document.hpp"

namespace tender::app {

enum class ReceiptCopy { merchant, customer };
enum class ReceiptVerdict { approved, partially_approved, declined, reversed, voided };
enum class ReceiptCvm { none, pin_verified, signature };

struct MerchantInfo {
  std::string name;
  std::vector<std::string> address;  // one line each
  std::string merchant_id;
  std::string terminal_id;
};

struct ReceiptData {
  MerchantInfo merchant;
  std::string timestamp;           // "2026-11-21 07:45:07", the terminal's local time
  std::string transaction_type;    // "SALE", "REFUND", "VOID", "PRE-AUTH", "CAPTURE", "TIP ADJUST", "VERIFY"
  Money amount{0, usd()};          // base amount
  std::optional<Money> tip;
  std::optional<Money> surcharge;
  Money total{0, usd()};           // what the card pays (approved amount when partially approved)
  std::optional<Money> requested;  // partial approval: what was asked
  std::string masked_pan;          // first 6 / last 4 at most
  std::string entry_mode;          // "CHIP", "SWIPE", "FALLBACK SWIPE", "KEYED", "CONTACTLESS"
  std::string card_label;          // brand / application label
  std::string aid;                 // hex, chip only
  std::string tvr;                 // hex, chip only
  std::string tsi;                 // hex, chip only
  std::string auth_code;
  std::string host_reference;
  std::string reference_id;
  std::string response_message;    // decline text
  ReceiptCvm cvm = ReceiptCvm::none;
  ReceiptVerdict verdict = ReceiptVerdict::approved;
  bool offline = false;            // approved offline: "OFFLINE" marker
};

// A template is lines of text with {field} placeholders; a line whose placeholders are all
// empty is left out, so optional parts (tip, AID, TVR) vanish when absent. Directives at
// the start of a line: "@center ", "@bold ", "@double ", "@rule" (a full-width line),
// "@cut"; also "@right " and "@feed N". "{>}" splits a line: what follows it is set flush
// against the right edge ("AMOUNT{>}{amount}"). Fields: see receipt.cpp's field table
// (merchant_name, address, timestamp, type, amount, tip, surcharge, total, masked_pan,
// entry_mode, card_label, aid, tvr, tsi, auth_code, host_reference, reference_id,
// verdict, cvm_line, offline, copy, ...).
struct ReceiptTemplate {
  std::vector<std::string> lines;
  static const ReceiptTemplate& standard();
  // One line per template line, as above. Errc::malformed for an unknown {field} or directive.
  static Result<ReceiptTemplate> parse(std::string_view text);
};

// The receipt as a printer document (width in characters: 32 for 58 mm paper, 42 for 80 mm).
printer::Document render(const ReceiptData& data, ReceiptCopy copy,
                         const ReceiptTemplate& tmpl = ReceiptTemplate::standard(), int width = 32);
// The same as plain text: one line per document line, centred by spaces, "\n" line ends.
std::string render_text(const ReceiptData& data, ReceiptCopy copy,
                        const ReceiptTemplate& tmpl = ReceiptTemplate::standard(), int width = 32);

// Any printer document as that plain text: wrapped as the printer wraps it, centred and
// right-aligned lines padded with spaces, no trailing spaces, a rule as `width` dashes,
// a feed as blank lines, a cut as nothing. Double-size lines print as normal text.
std::string document_text(const printer::Document& doc, int width = 32);

}  // namespace tender::app
