// Screens as data: what the terminal shows is a ScreenData value, and how it looks on each
// display is a table of line templates (screen.cpp), so a new screen or a new display size is
// a table entry, not code. ui knows no Money and no card: amounts arrive formatted, and the
// data has no field that could hold a PAN, a track or a PIN digit.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tender::ui {

enum class ScreenId {
  idle,                // text: merchant name, other: a status word (clock, "OFFLINE")
  confirm_amount,      // amount: total incl. surcharge, other: the surcharge; ENTER / CANCEL
  present_card,        // insert, swipe or key in
  insert_card,         // a chip card was swiped: insert it instead
  swipe_card,          // this host takes no chip data: swipe the card
  fallback_swipe,      // the chip could not be read: swipe the card
  select_application,  // items: the candidate labels, selected: the highlighted one
  enter_pin,           // pin_digits: how many digits are in; text: "INCORRECT PIN", "LAST TRY"
  processing,
  approved,            // text: e.g. the approval code or "APPROVED OFFLINE"
  declined,            // text: the reason
  partial_approval,    // amount: approved part, other: what is still due; ENTER accepts
  remove_card,         // text: the outcome to keep showing while the card comes out
  signature,           // sign the merchant copy
  tip_prompt,          // amount: the sale, other: the tip typed so far (formatted)
  cancelled,           // text: why
  enter_amount,        // text: what the amount is for ("SALE", "REFUND"; default ENTER AMOUNT), amount: typed so far
  menu,                // text: the menu's title, items: its entries, selected: the marked one
  entry,               // text: what to key ("CARD NUMBER"), other: what is keyed, already masked by the caller
  message,             // text: the headline ("PRINTER ERROR"), other: a second line, amount; ENTER = OK
};
inline constexpr int kScreenCount = static_cast<int>(ScreenId::message) + 1;

std::string_view to_string(ScreenId id) noexcept;
// The inverse of to_string, for scenario files ("expect_screen approved").
std::optional<ScreenId> screen_from_name(std::string_view name) noexcept;

// Every member has an initializer so designated initializers may name only what a screen
// uses (ScreenData{.id = ScreenId::processing, .amount = "$5.00"}).
struct ScreenData {
  ScreenId id = ScreenId::idle;
  std::string amount{};              // formatted by the caller ("$12.34"): ui has no Money
  std::string other{};
  std::string text{};                // extra words; never card data
  std::vector<std::string> items{};  // select_application's labels
  int pin_digits = 0;               // only a count: the digits never reach ui
  int selected = 0;                 // index into items
};

enum class DisplaySize {
  lines4x20,  // the character LCD of countertop terminals and PIN pads
  qvga,       // 320x240 colour screens, drawn as a text grid of 8x16-pixel cells
};

struct Geometry {
  int rows;
  int cols;
};

// 320x240 at an 8x16 font is 40 columns by 15 rows: the text grid the table is written for.
constexpr Geometry geometry(DisplaySize size) noexcept {
  return size == DisplaySize::lines4x20 ? Geometry{4, 20} : Geometry{15, 40};
}

// One table entry; the syntax of `lines` is in screen.cpp above the table and in README.md.
struct ScreenTemplate {
  ScreenId id;
  DisplaySize size;
  std::string_view lines;
};

// The whole table, one entry per ScreenId per DisplaySize (checked when compiled).
std::span<const ScreenTemplate> screen_table() noexcept;

// The screen as exactly rows strings of exactly cols printable ASCII characters, upper case.
// Text that does not fit is cut at the display's edge; a list longer than its rows shows the
// page holding `selected`.
std::vector<std::string> layout(const ScreenData& screen, DisplaySize size);

}  // namespace tender::ui
