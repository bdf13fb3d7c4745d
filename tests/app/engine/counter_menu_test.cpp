// The merchant's menu (app/terminal/counter_menu) on the engine rig: every function driven by
// keys, as tender and the emulator drive it, against the host simulator. What the display
// shows is read back from the screens the menu drew (never a clear PAN), what the printer got
// from the rig's counter.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/tender/menu_host.hpp"
#include "app/terminal/counter_menu.hpp"
#include "tests/app/engine/engine_rig.hpp"
#include "ui/screen.hpp"

namespace tender::test {
namespace {

using app::MenuAction;
using ui::Key;

const std::string kSwipe = "4111111111111111=30121010000000000000";
constexpr std::string_view kPan = "4111111111111111";

class RecordingDisplay final : public ui::Display {
 public:
  void show(const ui::ScreenData& screen) override { screens.push_back(screen); }
  std::vector<ui::ScreenData> screens;
  [[nodiscard]] std::string text() const {
    if (screens.empty()) return {};
    std::string out;
    for (const auto& row : ui::layout(screens.back(), ui::DisplaySize::lines4x20)) out += row + "\n";
    return out;
  }
};

struct MenuRig {
  explicit MenuRig(RigOptions options = {}) : rig(std::move(options)) {
    app::MenuOptions o;
    o.title = "TENDER TEST STORE";
    o.now = [this] { return now; };
    menu = std::make_unique<app::CounterMenu>(*rig.engine, *rig.journal, rig.counter, display,
                                              app::menu_host(rig.tweaked().capabilities()), o);
    menu->show_idle();
  }
  // Keys, each followed by the io_context until the menu's operation (if one started) answers.
  void press(std::initializer_list<Key> keys) {
    for (const Key k : keys) {
      menu->on_key(k);
      settle();
    }
  }
  void digits(std::string_view text) {
    for (const char c : text) press({static_cast<Key>(static_cast<int>(Key::digit0) + (c - '0'))});
  }
  void settle() {
    const auto end = std::chrono::steady_clock::now() + 20s;
    rig.io_->restart();
    while (menu->running() && std::chrono::steady_clock::now() < end) rig.io_->run_for(5ms);
    EXPECT_FALSE(menu->running()) << "the menu's operation did not answer within 20 s";
    menu->tick();
  }
  // ENTER opens the menu; Down to the function; ENTER takes it.
  void open(MenuAction action) {
    const auto offered = menu->actions();
    const auto it = std::find(offered.begin(), offered.end(), action);
    ASSERT_NE(it, offered.end()) << app::to_string(action) << " is not offered";
    press({Key::enter});
    ASSERT_EQ(display.screens.back().id, ui::ScreenId::menu);
    for (auto i = offered.begin(); i != it; ++i) press({Key::down});
    press({Key::enter});
  }
  // A swiped sale from idle: F1, the amount, ENTER, the stripe card.
  app::JournalEntry swiped_sale(std::string_view cents) {
    rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
    press({Key::f1});
    digits(cents);
    press({Key::enter});
    auto rows = rig.journal->list(1);
    EXPECT_TRUE(rows && !rows->empty());
    return rows && !rows->empty() ? rows->front() : app::JournalEntry{};
  }
  void later() {
    now += 10s;
    menu->tick();
  }
  bool no_clear_pan_shown() const {
    for (const auto& s : display.screens) {
      for (const auto& row : ui::layout(s, ui::DisplaySize::qvga)) {
        if (row.find(kPan) != std::string::npos) return false;
      }
    }
    return true;
  }

  Rig rig;
  RecordingDisplay display;
  std::chrono::steady_clock::time_point now{};
  std::unique_ptr<app::CounterMenu> menu;
};

TEST(CounterMenu, SaleShowsTheAmountEntryThenComesBackToIdle) {
  MenuRig m;
  m.rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  m.press({Key::f1});
  m.digits("1234");
  EXPECT_EQ(m.display.screens.back().id, ui::ScreenId::enter_amount);
  EXPECT_NE(m.display.text().find("SALE"), std::string::npos) << m.display.text();
  EXPECT_NE(m.display.text().find("USD 12.34"), std::string::npos) << m.display.text();
  EXPECT_EQ(m.display.text().find("TIP"), std::string::npos) << m.display.text();
  m.press({Key::enter});
  auto rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ(rows->front().state, app::TxnState::completed);
  EXPECT_FALSE(m.menu->at_idle());  // the outcome is still up
  m.later();
  EXPECT_TRUE(m.menu->at_idle());
  EXPECT_EQ(m.display.screens.back().id, ui::ScreenId::idle);
  // And a second sale starts from there.
  m.swiped_sale("500");
  m.later();
  EXPECT_TRUE(m.menu->at_idle());
  EXPECT_EQ(m.rig.journal->list(0)->size(), 2u);
}

TEST(CounterMenu, VoidPicksAnySaleOfTheOpenBatchFromAList) {
  MenuRig m;
  const auto first = m.swiped_sale("1000");
  m.later();
  const auto second = m.swiped_sale("2000");
  m.later();
  m.open(MenuAction::void_);
  ASSERT_EQ(m.display.screens.back().id, ui::ScreenId::menu);
  ASSERT_EQ(m.display.screens.back().items.size(), 2u);
  EXPECT_NE(m.display.screens.back().items[1].find("10.00"), std::string::npos);
  EXPECT_NE(m.display.screens.back().items[1].find("*1111"), std::string::npos);
  m.press({Key::digit2, Key::enter});  // the older one
  auto rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && !rows->empty());
  EXPECT_EQ(rows->front().kind, app::TxnKind::void_);
  EXPECT_EQ(rows->front().original_reference, first.reference_id);
  EXPECT_EQ(rows->front().state, app::TxnState::completed);
  m.later();
  // Voided: no longer offered for a void.
  m.open(MenuAction::void_);
  ASSERT_EQ(m.display.screens.back().items.size(), 1u);
  EXPECT_NE(m.display.screens.back().items[0].find("20.00"), std::string::npos);
  (void)second;
  EXPECT_TRUE(m.no_clear_pan_shown());
}

TEST(CounterMenu, PreauthThenCaptureOfThePickedPreauth) {
  MenuRig m;
  m.rig.counter.cards.push_back({CardStep::swipe_raw, {}, kSwipe, {}, {}});
  m.open(MenuAction::preauth);
  m.digits("5000");
  m.press({Key::enter});
  auto rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && !rows->empty());
  const auto preauth = rows->front();
  ASSERT_EQ(preauth.kind, app::TxnKind::preauth);
  ASSERT_EQ(preauth.state, app::TxnState::completed) << preauth.reason;
  m.later();
  m.open(MenuAction::capture);
  ASSERT_EQ(m.display.screens.back().items.size(), 1u);
  m.press({Key::enter});
  // The amount starts at the pre-authorization's: CLEAR, then a smaller one.
  EXPECT_NE(m.display.text().find("USD 50.00"), std::string::npos) << m.display.text();
  m.press({Key::clear});
  m.digits("4200");
  m.press({Key::enter});
  rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && !rows->empty());
  EXPECT_EQ(rows->front().kind, app::TxnKind::capture);
  EXPECT_EQ(rows->front().original_reference, preauth.reference_id);
  EXPECT_EQ(rows->front().state, app::TxnState::completed) << rows->front().reason;
  EXPECT_EQ(rows->front().amount.minor_units(), 4200);
}

TEST(CounterMenu, TipAdjustIsOfferedOnlyWhereTheHostHasIt) {
  {
    MenuRig aurora;
    const auto offered = aurora.menu->actions();
    ASSERT_NE(std::find(offered.begin(), offered.end(), MenuAction::tip_adjust), offered.end());
    const auto sale = aurora.swiped_sale("2000");
    aurora.later();
    aurora.open(MenuAction::tip_adjust);
    aurora.press({Key::enter});
    EXPECT_NE(aurora.display.text().find("TIP AMOUNT"), std::string::npos) << aurora.display.text();
    aurora.digits("300");
    aurora.press({Key::enter});
    auto rows = aurora.rig.journal->list(1);
    ASSERT_TRUE(rows && !rows->empty());
    EXPECT_EQ(rows->front().kind, app::TxnKind::tip_adjust);
    EXPECT_EQ(rows->front().original_reference, sale.reference_id);
    EXPECT_EQ(rows->front().state, app::TxnState::completed) << rows->front().reason;
  }
  RigOptions fullstack;
  fullstack.host = HostKind::fullstack;
  MenuRig fs(fullstack);
  const auto offered = fs.menu->actions();
  EXPECT_EQ(std::find(offered.begin(), offered.end(), MenuAction::tip_adjust), offered.end());
  // No host carries a refund without its sale yet: not offered.
  EXPECT_EQ(std::find(offered.begin(), offered.end(), MenuAction::refund_card_present), offered.end());
}

TEST(CounterMenu, KeyedSaleShowsTheCardNumberMaskedAndIsKeyed) {
  MenuRig m;
  m.open(MenuAction::keyed_sale);
  m.digits("1500");
  m.press({Key::enter});
  m.digits(kPan);
  EXPECT_EQ(m.display.screens.back().id, ui::ScreenId::entry);
  EXPECT_EQ(m.display.screens.back().other, "************1111");
  m.press({Key::enter});
  m.digits("1230");
  m.press({Key::enter});
  auto rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && !rows->empty());
  EXPECT_EQ(rows->front().entry_mode, app::StoredEntryMode::keyed);
  EXPECT_EQ(rows->front().state, app::TxnState::completed) << rows->front().reason;
  EXPECT_EQ(rows->front().masked_pan.find(kPan), std::string::npos);
  EXPECT_TRUE(m.rig.counter.cards.empty());
  EXPECT_TRUE(m.no_clear_pan_shown());
}

TEST(CounterMenu, ReprintGivesTheChosenCopyOfTheLastReceipt) {
  MenuRig m;
  m.swiped_sale("1234");
  m.later();
  const std::size_t before = m.rig.counter.printed.size();
  m.open(MenuAction::reprint);
  m.press({Key::digit2, Key::enter});
  ASSERT_EQ(m.rig.counter.printed.size(), before + 1);
  EXPECT_NE(m.rig.counter.printed.back().find("CUSTOMER COPY"), std::string::npos);
  m.later();
  m.open(MenuAction::reprint);
  m.press({Key::digit1, Key::enter});
  ASSERT_EQ(m.rig.counter.printed.size(), before + 2);
  EXPECT_NE(m.rig.counter.printed.back().find("MERCHANT COPY"), std::string::npos);
  EXPECT_NE(m.rig.counter.printed.back().find("SIGNATURE"), std::string::npos);
}

TEST(CounterMenu, PrinterFailureIsShownAndTheReceiptPrintsOnceItIsBack) {
  MenuRig m;
  m.rig.counter.printer_down = true;
  m.swiped_sale("1234");
  EXPECT_NE(m.display.text().find("PRINTER ERROR"), std::string::npos) << m.display.text();
  m.later();  // the error stays until the merchant acts
  EXPECT_NE(m.display.text().find("PRINTER ERROR"), std::string::npos) << m.display.text();
  m.press({Key::enter});  // still down
  EXPECT_NE(m.display.text().find("PRINTER ERROR"), std::string::npos) << m.display.text();
  m.rig.counter.printer_down = false;
  m.press({Key::enter});
  ASSERT_EQ(m.rig.counter.printed.size(), 2u);
  EXPECT_NE(m.rig.counter.printed[0].find("MERCHANT COPY"), std::string::npos);
  EXPECT_NE(m.rig.counter.printed[1].find("CUSTOMER COPY"), std::string::npos);
  m.later();
  EXPECT_TRUE(m.menu->at_idle());
}

TEST(CounterMenu, SettlementPrintsTheReportPerCardTypeAndKind) {
  MenuRig m;
  m.swiped_sale("1000");
  m.later();
  m.swiped_sale("2500");
  m.later();
  m.open(MenuAction::settle);
  ASSERT_FALSE(m.rig.counter.printed.empty());
  const std::string& report = m.rig.counter.printed.back();
  EXPECT_NE(report.find("SETTLEMENT REPORT"), std::string::npos) << report;
  EXPECT_NE(report.find("BATCH"), std::string::npos) << report;
  EXPECT_NE(report.find("VISA"), std::string::npos) << report;
  EXPECT_NE(report.find("SALE x2"), std::string::npos) << report;
  EXPECT_NE(report.find("USD 35.00"), std::string::npos) << report;
  EXPECT_EQ(report.find(kPan), std::string::npos);
  EXPECT_NE(m.display.text().find("BATCH SETTLED"), std::string::npos) << m.display.text();
  auto open = m.rig.journal->open_batch();
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
}

TEST(CounterMenu, ReferencedRefundOfASettledSale) {
  MenuRig m;
  const auto sale = m.swiped_sale("3000");
  m.later();
  m.open(MenuAction::settle);
  m.later();
  m.open(MenuAction::refund);
  ASSERT_EQ(m.display.screens.back().items.size(), 1u);
  m.press({Key::enter, Key::clear});
  m.digits("1000");
  m.press({Key::enter});
  auto rows = m.rig.journal->list(1);
  ASSERT_TRUE(rows && !rows->empty());
  EXPECT_EQ(rows->front().kind, app::TxnKind::refund);
  EXPECT_EQ(rows->front().original_reference, sale.reference_id);
  EXPECT_EQ(rows->front().state, app::TxnState::completed) << rows->front().reason;
}

TEST(CounterMenu, JournalViewListsRowsMasked) {
  MenuRig m;
  m.swiped_sale("1234");
  m.later();
  m.open(MenuAction::journal);
  ASSERT_EQ(m.display.screens.back().id, ui::ScreenId::menu);
  ASSERT_EQ(m.display.screens.back().items.size(), 1u);
  EXPECT_NE(m.display.screens.back().items[0].find("SALE 12.34 *1111"), std::string::npos);
  m.press({Key::enter});
  EXPECT_NE(m.display.text().find("411111******1111"), std::string::npos) << m.display.text();
  m.press({Key::cancel});
  m.press({Key::cancel});
  EXPECT_TRUE(m.menu->at_idle());
  EXPECT_TRUE(m.no_clear_pan_shown());
}

TEST(CounterMenu, OfflineQueueViewAndItsFlush) {
  MenuRig m;
  m.rig.warm_up();
  m.rig.unreachable(true);
  const auto offline = m.swiped_sale("1500");
  EXPECT_EQ(offline.state, app::TxnState::offline_approved) << offline.reason;
  m.later();
  EXPECT_NE(m.display.text().find("QUEUED 1"), std::string::npos) << m.display.text();
  m.rig.unreachable(false);
  m.open(MenuAction::queue);
  ASSERT_EQ(m.display.screens.back().items.size(), 2u);
  EXPECT_NE(m.display.screens.back().items[0].find("SEND 1"), std::string::npos);
  m.press({Key::enter});
  EXPECT_NE(m.display.text().find("QUEUE SENT"), std::string::npos) << m.display.text();
  EXPECT_EQ(m.rig.queued(), 0u);
  m.later();
  m.open(MenuAction::queue);
  EXPECT_NE(m.display.text().find("QUEUE EMPTY"), std::string::npos) << m.display.text();
}

TEST(CounterMenu, CancelAtIdleAsksToQuit) {
  MenuRig m;
  EXPECT_FALSE(m.menu->quit_requested());
  m.press({Key::enter, Key::cancel});
  EXPECT_FALSE(m.menu->quit_requested());
  m.press({Key::cancel});
  EXPECT_TRUE(m.menu->quit_requested());
}

}  // namespace
}  // namespace tender::test
