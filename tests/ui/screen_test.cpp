#include "ui/screen.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tender::ui {
namespace {

constexpr DisplaySize kSizes[] = {DisplaySize::lines4x20, DisplaySize::qvga};

std::vector<ScreenId> all_screens() {
  std::vector<ScreenId> ids;
  for (int i = 0; i < kScreenCount; ++i) ids.push_back(static_cast<ScreenId>(i));
  return ids;
}

ScreenData full(ScreenId id) {
  ScreenData s;
  s.id = id;
  s.amount = "$12.34";
  s.other = "$0.50";
  s.text = "Corner Shop";
  s.items = {"Visa Credit", "Visa Debit"};
  s.pin_digits = 4;
  return s;
}

std::string joined(const std::vector<std::string>& rows) {
  std::string all;
  for (const auto& r : rows) all += r + "\n";
  return all;
}

void expect_grid(const std::vector<std::string>& rows, DisplaySize size, const std::string& what) {
  const auto g = geometry(size);
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(g.rows)) << what;
  for (const auto& row : rows) {
    EXPECT_EQ(row.size(), static_cast<std::size_t>(g.cols)) << what << ": [" << row << "]";
    for (const char c : row) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7F) << what << ": byte " << int(static_cast<unsigned char>(c));
      EXPECT_FALSE(c >= 'a' && c <= 'z') << what << ": lower case in [" << row << "]";
    }
  }
}

TEST(Screen, GeometryOfBothDisplays) {
  EXPECT_EQ(geometry(DisplaySize::lines4x20).rows, 4);
  EXPECT_EQ(geometry(DisplaySize::lines4x20).cols, 20);
  EXPECT_EQ(geometry(DisplaySize::qvga).rows, 15);  // 240 / 16
  EXPECT_EQ(geometry(DisplaySize::qvga).cols, 40);  // 320 / 8
}

TEST(Screen, TableHasOneEntryPerScreenPerSize) {
  const auto table = screen_table();
  EXPECT_EQ(table.size(), static_cast<std::size_t>(2 * kScreenCount));
  for (const auto id : all_screens()) {
    for (const auto size : kSizes) {
      EXPECT_EQ(std::count_if(table.begin(), table.end(), [&](const ScreenTemplate& t) { return t.id == id && t.size == size; }), 1)
          << to_string(id);
    }
  }
}

TEST(Screen, EveryScreenFillsTheGridExactly) {
  for (const auto id : all_screens()) {
    for (const auto size : kSizes) {
      expect_grid(layout(full(id), size), size, std::string(to_string(id)));
      expect_grid(layout(ScreenData{.id = id}, size), size, std::string(to_string(id)) + " (empty)");
    }
  }
}

TEST(Screen, NamesRoundTrip) {
  for (const auto id : all_screens()) {
    EXPECT_NE(to_string(id), "unknown");
    EXPECT_EQ(screen_from_name(to_string(id)), id);
  }
  EXPECT_FALSE(screen_from_name("no_such_screen"));
}

TEST(Screen, PresentCardOnFourLines) {
  ScreenData s{.id = ScreenId::present_card, .amount = "$12.34"};
  const std::vector<std::string> want{
      "TOTAL         $12.34",
      "   INSERT, SWIPE    ",
      "    OR KEY CARD     ",
      "   CANCEL = STOP    ",
  };
  EXPECT_EQ(layout(s, DisplaySize::lines4x20), want);
}

TEST(Screen, CardScreensCarryTheKeyHintAtTheBottomOfQvga) {
  const auto rows = layout(ScreenData{.id = ScreenId::present_card, .amount = "$9.99"}, DisplaySize::qvga);
  EXPECT_NE(rows.back().find("CANCEL = STOP"), std::string::npos);
  EXPECT_NE(joined(rows).find("TOTAL $9.99"), std::string::npos);
}

TEST(Screen, AmountAppearsWhereTheScreenIsAboutMoney) {
  for (const auto id : {ScreenId::confirm_amount, ScreenId::present_card, ScreenId::insert_card, ScreenId::swipe_card,
                        ScreenId::fallback_swipe, ScreenId::enter_pin, ScreenId::processing, ScreenId::approved,
                        ScreenId::declined, ScreenId::partial_approval, ScreenId::signature, ScreenId::tip_prompt,
                        ScreenId::cancelled, ScreenId::enter_amount, ScreenId::message}) {
    for (const auto size : kSizes) {
      EXPECT_NE(joined(layout(full(id), size)).find("$12.34"), std::string::npos) << to_string(id);
    }
  }
}

TEST(Screen, SurchargeRowOnlyWhenThereIsOne) {
  ScreenData s{.id = ScreenId::confirm_amount, .amount = "$10.35", .other = "$0.35"};
  auto rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], "TOTAL         $10.35");
  EXPECT_EQ(rows[1], "SURCHARGE      $0.35");
  s.other.clear();
  rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[1], std::string(20, ' '));
}

TEST(Screen, PartialApprovalShowsBothAmounts) {
  const auto rows = layout(ScreenData{.id = ScreenId::partial_approval, .amount = "$6.00", .other = "$4.00"}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], "APPROVED       $6.00");
  EXPECT_EQ(rows[1], "BALANCE DUE    $4.00");
}

TEST(Screen, LongTextIsCutAtTheEdge) {
  const std::string reason(300, 'w');
  for (const auto id : all_screens()) {
    for (const auto size : kSizes) {
      ScreenData s = full(id);
      s.text = reason;
      s.amount = std::string(100, '9');
      s.other = std::string(100, '8');
      s.items = {std::string(100, 'i')};
      expect_grid(layout(s, size), size, std::string(to_string(id)) + " long");
    }
  }
  const auto rows = layout(ScreenData{.id = ScreenId::declined, .text = reason}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[2], std::string(20, 'W'));
}

TEST(Screen, LongLabelGivesWayToTheAmount) {
  ScreenData s{.id = ScreenId::partial_approval, .amount = "$1,234,567.89", .other = "$12,345,678.90"};
  const auto rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], "APPROV $1,234,567.89");
  EXPECT_EQ(rows[1], "BALAN $12,345,678.90");
  s.amount = std::string(25, '9');  // wider than the display: cut, never wider
  EXPECT_EQ(layout(s, DisplaySize::lines4x20)[0], std::string(20, '9'));
}

TEST(Screen, TextIsUpperCasedAndMadePrintable) {
  ScreenData s{.id = ScreenId::declined, .text = "caf\xC3\xA9\nbar\t"};
  const auto rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[2], "     CAF? BAR       ");
}

TEST(Screen, PinShowsOneStarPerDigitAndNoDigits) {
  for (const auto size : kSizes) {
    for (int digits = 0; digits <= 12; ++digits) {
      ScreenData s{.id = ScreenId::enter_pin, .pin_digits = digits};
      const std::string all = joined(layout(s, size));
      EXPECT_EQ(std::count(all.begin(), all.end(), '*'), digits);
      EXPECT_EQ(all.find_first_of("0123456789"), std::string::npos) << all;
      if (digits > 0) {
        EXPECT_NE(all.find(std::string(static_cast<std::size_t>(digits), '*')), std::string::npos);
      }
    }
  }
}

TEST(Screen, PinRowHoldsOnlyStarsBesideAnAmount) {
  ScreenData s{.id = ScreenId::enter_pin, .amount = "$12.34", .pin_digits = 5};
  const auto rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], "TOTAL         $12.34");
  EXPECT_EQ(rows[1], "     ENTER PIN      ");
  EXPECT_EQ(rows[2], "       *****        ");
  EXPECT_EQ(rows[3], "ENTER=OK CANCEL=STOP");
}

TEST(Screen, PinCountIsBounded) {
  for (const int digits : {-5, 13, 1000}) {
    const std::string all = joined(layout(ScreenData{.id = ScreenId::enter_pin, .pin_digits = digits}, DisplaySize::qvga));
    EXPECT_EQ(std::count(all.begin(), all.end(), '*'), digits < 0 ? 0 : 12);
  }
}

TEST(Screen, PinPromptTextReplacesTheDefault) {
  const auto rows = layout(ScreenData{.id = ScreenId::enter_pin, .text = "Incorrect PIN"}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[1], "   INCORRECT PIN    ");
}

TEST(Screen, ApplicationsAreListedAndNumbered) {
  ScreenData s{.id = ScreenId::select_application, .items = {"Visa Credit", "Visa Debit"}, .selected = 1};
  const auto rows = layout(s, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], " SELECT APPLICATION ");
  EXPECT_EQ(rows[1], " 1 VISA CREDIT      ");
  EXPECT_EQ(rows[2], ">2 VISA DEBIT       ");
  EXPECT_EQ(rows[3], std::string(20, ' '));
}

std::vector<std::string> labels(int n) {
  std::vector<std::string> items;
  for (int i = 1; i <= n; ++i) items.push_back("App " + std::to_string(i));
  return items;
}

TEST(Screen, LongListShowsThePageHoldingTheSelection) {
  for (const auto size : kSizes) {
    const int n = 40;
    for (int selected = 0; selected < n; ++selected) {
      ScreenData s{.id = ScreenId::select_application, .items = labels(n), .selected = selected};
      const auto rows = layout(s, size);
      expect_grid(rows, size, "list");
      const std::string marked = ">" + std::to_string(selected + 1) + " APP " + std::to_string(selected + 1);
      const auto hit = std::count_if(rows.begin(), rows.end(), [&](const std::string& r) { return r.rfind(marked, 0) == 0; });
      EXPECT_EQ(hit, 1) << "selected " << selected;
      const std::string all = joined(rows);
      EXPECT_EQ(std::count(all.begin(), all.end(), '>'), 1);
    }
  }
  // The 4x20 list has three rows: the eighth item is on the page of items 7 to 9.
  const auto rows = layout(ScreenData{.id = ScreenId::select_application, .items = labels(10), .selected = 7}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[1], " 7 APP 7            ");
  EXPECT_EQ(rows[2], ">8 APP 8            ");
  EXPECT_EQ(rows[3], " 9 APP 9            ");
}

TEST(Screen, QvgaListKeepsItsKeyHint) {
  const auto rows = layout(ScreenData{.id = ScreenId::select_application, .items = labels(30), .selected = 29}, DisplaySize::qvga);
  EXPECT_NE(rows.back().find("CANCEL = STOP"), std::string::npos);
  EXPECT_NE(joined(rows).find(">30 APP 30"), std::string::npos);
}

TEST(Screen, SelectionOutOfRangeIsClamped) {
  auto rows = layout(ScreenData{.id = ScreenId::select_application, .items = labels(2), .selected = 9}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[2].substr(0, 8), ">2 APP 2");
  rows = layout(ScreenData{.id = ScreenId::select_application, .items = labels(2), .selected = -3}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[1].substr(0, 8), ">1 APP 1");
  rows = layout(ScreenData{.id = ScreenId::select_application, .selected = 2}, DisplaySize::lines4x20);
  expect_grid(rows, DisplaySize::lines4x20, "no items");
}

// The trial's amount entry borrowed the tip screen and read "ENTER TIP AMOUNT": amount entry
// has a screen of its own, titled by what the amount is for.
TEST(Screen, AmountEntryIsNotTheTipScreen) {
  for (const auto size : kSizes) {
    const auto plain = joined(layout(ScreenData{.id = ScreenId::enter_amount, .amount = "USD 0.05"}, size));
    EXPECT_NE(plain.find("ENTER AMOUNT"), std::string::npos) << plain;
    EXPECT_NE(plain.find("USD 0.05"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("TIP"), std::string::npos) << plain;
    const auto refund = joined(layout(ScreenData{.id = ScreenId::enter_amount, .amount = "USD 1.00", .text = "REFUND"}, size));
    EXPECT_NE(refund.find("REFUND"), std::string::npos) << refund;
    EXPECT_EQ(refund.find("TIP"), std::string::npos) << refund;
  }
}

TEST(Screen, MenuListsItsEntriesUnderItsTitle) {
  const ScreenData menu{.id = ScreenId::menu, .text = "MENU", .items = {"SALE", "REFUND", "VOID", "PRE-AUTH"}, .selected = 3};
  const auto rows = layout(menu, DisplaySize::lines4x20);
  EXPECT_EQ(rows[0], "        MENU        ");
  EXPECT_NE(joined(rows).find(">4 PRE-AUTH"), std::string::npos) << joined(rows);
  const auto entry = layout(ScreenData{.id = ScreenId::entry, .other = "************1111", .text = "CARD NUMBER"},
                            DisplaySize::lines4x20);
  EXPECT_NE(joined(entry).find("************1111"), std::string::npos);
}

TEST(Screen, UnknownIdDrawsABlankScreen) {
  const auto rows = layout(ScreenData{.id = static_cast<ScreenId>(99)}, DisplaySize::lines4x20);
  EXPECT_EQ(rows, std::vector<std::string>(4, std::string(20, ' ')));
}

TEST(Screen, UnknownPlaceholderInDataIsNotExpanded) {
  // Field values are never re-read as templates: a reason cannot pull in another field.
  const auto rows = layout(ScreenData{.id = ScreenId::declined, .amount = "$1.00", .text = "{amount}"}, DisplaySize::lines4x20);
  EXPECT_EQ(rows[2], "      {AMOUNT}      ");
}

}  // namespace
}  // namespace tender::ui
