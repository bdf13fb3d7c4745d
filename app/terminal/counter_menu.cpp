#include "app/terminal/counter_menu.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include "app/terminal/menu_rows.hpp"
#include "app/terminal/screens.hpp"
#include "app/terminal/settlement_report.hpp"
#include "common/log.hpp"
#include "common/secure_zero.hpp"
#include "drivers/printer/escpos.hpp"

namespace tender::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kComponent = "menu";
constexpr std::size_t kMaxAmountDigits = 9;
constexpr std::size_t kMaxPanDigits = 19;  // ISO/IEC 7812

struct ActionInfo {
  MenuAction action;
  std::string_view name;   // to_string
  std::string_view label;  // the menu's line (and the title of its screens)
};
constexpr std::array<ActionInfo, 12> kActions{{
    {MenuAction::sale, "sale", "SALE"},
    {MenuAction::refund, "refund", "REFUND"},
    {MenuAction::refund_card_present, "refund_card_present", "REFUND, CARD ONLY"},
    {MenuAction::void_, "void", "VOID"},
    {MenuAction::preauth, "preauth", "PRE-AUTH"},
    {MenuAction::capture, "capture", "CAPTURE"},
    {MenuAction::tip_adjust, "tip_adjust", "TIP ADJUST"},
    {MenuAction::keyed_sale, "keyed_sale", "KEYED SALE"},
    {MenuAction::reprint, "reprint", "REPRINT"},
    {MenuAction::journal, "journal", "JOURNAL"},
    {MenuAction::settle, "settle", "SETTLE BATCH"},
    {MenuAction::queue, "queue", "OFFLINE QUEUE"},
}};

const ActionInfo& info(MenuAction a) {
  for (const auto& i : kActions) {
    if (i.action == a) return i;
  }
  return kActions.front();
}

// Where the menu is. Each mode is one screen and one key handler (on_key's table).
enum class Mode { idle, main, amount, pick, pan, expiry, copy, view, detail, outcome, printer_error, running };

// A key list's marker: Up/Down move it, a digit N puts it on entry N (0 is the tenth).
std::optional<int> moved(ui::Key key, int selected, int count) {
  if (count <= 0) return std::nullopt;
  if (key == ui::Key::up) return selected == 0 ? count - 1 : selected - 1;
  if (key == ui::Key::down) return (selected + 1) % count;
  if (const auto d = ui::key_digit(key)) {
    const int index = *d == 0 ? 9 : *d - 1;
    if (index < count) return index;
  }
  return std::nullopt;
}

// The keyed PAN as the display may show it: every digit a '*' but the last four.
std::string masked_entry(const std::string& digits) {
  std::string shown(digits.size(), '*');
  for (std::size_t i = digits.size() >= 4 ? digits.size() - 4 : 0; i < digits.size(); ++i) shown[i] = digits[i];
  return shown;
}

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf.data(), n);
}

}  // namespace

std::string_view to_string(MenuAction action) noexcept { return info(action).name; }

struct CounterMenu::State {
  State(Engine& e, Journal& j, Counter& c, ui::Display& d, MenuHost k, MenuOptions o)
      : engine(e), journal(j), counter(c), display(d), caps(k), options(std::move(o)) {
    if (!options.now) options.now = [] { return Clock::now(); };
  }
  ~State() { wipe_keyed(); }

  Engine& engine;
  Journal& journal;
  Counter& counter;
  ui::Display& display;
  MenuHost caps;
  MenuOptions options;

  Mode mode = Mode::idle;
  MenuAction action = MenuAction::sale;
  std::vector<MenuAction> offered;
  int selected = 0;
  std::string digits;                 // an amount being keyed (minor units)
  std::string pan;                    // a PAN being keyed: wiped when done
  std::string expiry;                 // MMYY as printed on the card
  std::vector<JournalEntry> rows;     // the list being picked from
  std::vector<std::string> items;
  std::optional<JournalEntry> picked;
  std::string reprint_reference;      // the receipt the printer failed on
  Clock::time_point outcome_until{};
  bool pending = false;               // an engine operation is out
  bool quit = false;

  std::vector<MenuAction> actions() const {
    std::vector<MenuAction> out;
    for (const auto& i : kActions) {
      if (i.action == MenuAction::tip_adjust && !caps.tip_adjust) continue;
      if (i.action == MenuAction::refund_card_present && !caps.unreferenced_refund) continue;
      out.push_back(i.action);
    }
    return out;
  }

  Currency currency() const { return engine.config().currency; }
  Money keyed_amount() const { return Money{digits.empty() ? 0 : std::stoll(digits), currency()}; }

  void wipe_keyed() {
    secure_zero(pan.data(), pan.size());
    pan.clear();
    secure_zero(expiry.data(), expiry.size());
    expiry.clear();
  }

  void show(ui::ScreenData d) { display.show(d); }
  void message(std::string headline, std::string second = {}) {
    show(ui::ScreenData{.id = ui::ScreenId::message, .other = std::move(second), .text = std::move(headline)});
  }

  // ---- screens ----
  void idle() {
    mode = Mode::idle;
    digits.clear();
    wipe_keyed();
    picked.reset();
    ui::ScreenData d{.id = ui::ScreenId::idle, .text = options.title};
    if (auto queued = journal.queue(); queued && !queued->empty()) {
      d.other = "QUEUED " + std::to_string(queued->size());
    } else {
      d.other = options.status;
    }
    show(d);
  }
  void main_menu() {
    mode = Mode::main;
    offered = actions();
    items.clear();
    for (const MenuAction a : offered) items.emplace_back(info(a).label);
    selected = std::clamp(selected, 0, static_cast<int>(items.size()) - 1);
    show_list("MENU");
  }
  void show_list(std::string title) {
    show(ui::ScreenData{.id = ui::ScreenId::menu, .text = std::move(title), .items = items, .selected = selected});
  }
  void amount_screen() {
    std::string title = std::string(info(action).label);
    if (action == MenuAction::tip_adjust) title = "TIP AMOUNT";
    show(ui::ScreenData{.id = ui::ScreenId::enter_amount, .amount = amount_text(keyed_amount()), .text = title});
  }
  void pan_screen() {
    show(ui::ScreenData{.id = ui::ScreenId::entry, .other = masked_entry(pan), .text = "CARD NUMBER"});
  }
  void expiry_screen() {
    std::string shown = expiry;
    if (shown.size() > 2) shown.insert(2, "/");
    show(ui::ScreenData{.id = ui::ScreenId::entry, .other = shown.empty() ? "MM/YY" : shown, .text = "EXPIRY MMYY"});
  }

  // ---- starting things ----
  void choose(MenuAction a) {
    action = a;
    selected = 0;
    digits.clear();
    switch (a) {
      case MenuAction::sale:
      case MenuAction::preauth:
      case MenuAction::keyed_sale:
      case MenuAction::refund_card_present:
        mode = Mode::amount;
        amount_screen();
        return;
      case MenuAction::refund:
      case MenuAction::void_:
      case MenuAction::capture:
      case MenuAction::tip_adjust:
        start_pick(a);
        return;
      case MenuAction::reprint:
        mode = Mode::copy;
        items = {"MERCHANT COPY", "CUSTOMER COPY"};
        show_list("REPRINT");
        return;
      case MenuAction::journal:
      case MenuAction::queue:
        start_view(a);
        return;
      case MenuAction::settle:
        settle();
        return;
    }
  }

  void start_pick(MenuAction a) {
    auto candidates = pickable_rows(journal, a);
    if (!candidates) {
      log::error(kComponent, "journal: ", candidates.error().message);
      notice("JOURNAL ERROR");
      return;
    }
    rows = std::move(*candidates);
    if (rows.empty()) {
      notice("NOTHING TO " + std::string(info(a).label));
      return;
    }
    items.clear();
    for (const auto& row : rows) items.push_back(row_item(row));
    mode = Mode::pick;
    show_list("PICK FOR " + std::string(info(a).label));
  }

  void start_view(MenuAction a) {
    action = a;
    if (a == MenuAction::journal) {
      auto listed = journal.list(options.journal_rows);
      rows = listed ? std::move(*listed) : std::vector<JournalEntry>{};
      items.clear();
      for (const auto& row : rows) items.push_back(row_item(row));
      if (items.empty()) {
        notice("JOURNAL EMPTY");
        return;
      }
      mode = Mode::view;
      show_list("JOURNAL");
      return;
    }
    auto queued = queue_rows(journal);
    rows = queued ? std::move(*queued) : std::vector<JournalEntry>{};
    items.clear();
    for (const auto& row : rows) items.push_back(row_item(row));
    if (items.empty()) {
      notice("QUEUE EMPTY");
      return;
    }
    mode = Mode::view;
    items.insert(items.begin(), "SEND " + std::to_string(rows.size()) + " NOW");
    show_list("OFFLINE QUEUE");
  }

  // A message that stays up like an outcome, then the idle screen.
  void notice(std::string headline, std::string second = {}) {
    message(std::move(headline), std::move(second));
    mode = Mode::outcome;
    outcome_until = options.now() + options.outcome_shown;
  }

  void begin_running() {
    mode = Mode::running;
    pending = true;
  }

  void after_transaction(const TxnReport& report) {
    pending = false;
    log::info(kComponent, to_string(report.entry.kind), " ", report.entry.reference_id, ": ",
              to_string(report.outcome), report.reason.empty() ? "" : " (", log::scrub(report.reason),
              report.reason.empty() ? "" : ")");
    if (report.printer_failed && !report.entry.reference_id.empty()) {
      reprint_reference = report.entry.reference_id;
      printer_error();
      return;
    }
    // The engine's own outcome screen stays up, then the idle screen comes back.
    mode = Mode::outcome;
    outcome_until = options.now() + options.outcome_shown;
  }

  void printer_error() {
    mode = Mode::printer_error;
    message("PRINTER ERROR", "ENTER = PRINT AGAIN");
  }

  void run_sale(TxnKind kind, std::optional<CardEvent> keyed) {
    SaleRequest request;
    request.kind = kind;
    request.amount = keyed_amount();
    request.keyed = std::move(keyed);
    begin_running();
    engine.sale(std::move(request), [this](TxnReport r) { after_transaction(r); });
  }

  void run_follow_on(TxnKind kind, const JournalEntry& original, std::optional<Money> amount) {
    FollowOnRequest request;
    request.kind = kind;
    request.original_reference = original.reference_id;
    request.amount = amount;
    begin_running();
    engine.follow_on(std::move(request), [this](TxnReport r) { after_transaction(r); });
  }

  void settle() {
    // The report is the batch as the journal has it before the host closes it.
    auto open = journal.open_batch();
    std::vector<JournalEntry> batch = open ? std::move(*open) : std::vector<JournalEntry>{};
    message("SETTLING", "PLEASE WAIT");
    begin_running();
    engine.settle([this, batch = std::move(batch)](Result<SettleReport> report) {
      pending = false;
      SettlementHeader header;
      header.merchant = engine.config().merchant;
      if (header.merchant.terminal_id.empty()) header.merchant.terminal_id = engine.config().terminal_id;
      header.timestamp = now_text();
      if (!report) {
        log::warn(kComponent, "settlement: ", report.error().message);
        notice("SETTLEMENT FAILED", "BATCH STILL OPEN");
        return;
      }
      header.accepted = report->accepted;
      header.batch = report->batch;
      header.response = report->response_code + " " + report->response_message;
      log::info(kComponent, "settlement: ", report->accepted ? "accepted" : "refused", ", ", report->transactions,
                " transactions, batch ", report->batch);
      const auto summary = summarize(batch, currency());
      const printer::Document doc = settlement_document(summary, header, options.receipt_width);
      if (!print(doc)) {
        reprint_reference.clear();
        last_report = doc;
        printer_error();
        return;
      }
      notice(report->accepted ? "BATCH SETTLED" : "SETTLEMENT REFUSED",
             std::to_string(summary.transactions) + " TRANSACTIONS");
    });
  }
  std::optional<printer::Document> last_report;  // a settlement report the printer failed on

  void flush() {
    message("SENDING QUEUE", "PLEASE WAIT");
    begin_running();
    engine.flush_queue([this](QueueReport report) {
      pending = false;
      log::info(kComponent, "queue: ", report.forwarded, " forwarded, ", report.forward_declined, " declined, ",
                report.reversed, " reversed, ", report.remaining, " left");
      notice(report.remaining == 0 ? "QUEUE SENT" : "QUEUE NOT EMPTY", "LEFT " + std::to_string(report.remaining));
    });
  }

  bool print(const printer::Document& doc) {
    printer::EscPosOptions escpos;
    escpos.width = options.receipt_width;
    const Bytes bytes = printer::encode_escpos(doc, escpos);
    auto printed = counter.print(bytes, document_text(doc, options.receipt_width));
    if (!printed) log::warn(kComponent, "printer: ", printed.error().message);
    return static_cast<bool>(printed);
  }

  // Both copies of a transaction's receipt again (after a printer error), or one of them.
  bool print_receipt(const JournalEntry& row, std::optional<ReceiptCopy> only) {
    const ReceiptData data = receipt_data(row, engine.config());
    for (const ReceiptCopy copy : {ReceiptCopy::merchant, ReceiptCopy::customer}) {
      if (only && *only != copy) continue;
      if (!print(render(data, copy, ReceiptTemplate::standard(), options.receipt_width))) return false;
    }
    return true;
  }

  void reprint(std::optional<ReceiptCopy> only, const std::string& reference) {
    std::optional<JournalEntry> row;
    if (!reference.empty()) {
      if (auto found = journal.find(reference); found && *found) row = **found;
    } else if (auto last = last_receipt_row(journal); last) {
      row = *last;
    }
    if (!row) {
      notice("NO RECEIPT");
      return;
    }
    if (!print_receipt(*row, only)) {
      reprint_reference = row->reference_id;
      printer_error();
      return;
    }
    reprint_reference.clear();
    notice("PRINTED");
  }

  // ---- keys, one handler per mode ----
  void key_idle(ui::Key key) {
    if (key == ui::Key::f1) return choose(MenuAction::sale);
    if (key == ui::Key::enter || key == ui::Key::f4) {
      selected = 0;
      return main_menu();
    }
    if (options.function_shortcuts && key == ui::Key::f2) return choose(MenuAction::settle);
    if (options.function_shortcuts && key == ui::Key::f3) return flush();
    if (key == ui::Key::cancel) quit = true;
  }

  void key_main(ui::Key key) {
    if (key == ui::Key::cancel) return idle();
    if (key == ui::Key::enter && !offered.empty()) return choose(offered[static_cast<std::size_t>(selected)]);
    if (const auto to = moved(key, selected, static_cast<int>(items.size()))) {
      selected = *to;
      show_list("MENU");
    }
  }

  void key_amount(ui::Key key) {
    if (const auto d = ui::key_digit(key); d && digits.size() < kMaxAmountDigits) {
      if (!(digits.empty() && *d == 0)) digits.push_back(static_cast<char>('0' + *d));
    } else if (key == ui::Key::backspace && !digits.empty()) {
      digits.pop_back();
    } else if (key == ui::Key::clear) {
      digits.clear();
    } else if (key == ui::Key::cancel) {
      return idle();
    } else if (key == ui::Key::enter && !digits.empty()) {
      return amount_entered();
    }
    amount_screen();
  }

  void amount_entered() {
    switch (action) {
      case MenuAction::sale: return run_sale(TxnKind::sale, std::nullopt);
      case MenuAction::preauth: return run_sale(TxnKind::preauth, std::nullopt);
      case MenuAction::refund_card_present: return run_sale(TxnKind::refund, std::nullopt);
      case MenuAction::keyed_sale:
        mode = Mode::pan;
        return pan_screen();
      case MenuAction::refund: return run_follow_on(TxnKind::refund, *picked, keyed_amount());
      case MenuAction::capture: return run_follow_on(TxnKind::capture, *picked, keyed_amount());
      case MenuAction::tip_adjust: return run_follow_on(TxnKind::tip_adjust, *picked, keyed_amount());
      default: return idle();
    }
  }

  void key_pick(ui::Key key) {
    if (key == ui::Key::cancel) return idle();
    if (key == ui::Key::enter) {
      picked = rows[static_cast<std::size_t>(selected)];
      if (action == MenuAction::void_) return run_follow_on(TxnKind::void_, *picked, std::nullopt);
      // The amount starts at the original's (a capture of all of it, a full refund); the tip at none.
      const Money base = picked->approved_amount.value_or(picked->amount);
      digits = action == MenuAction::tip_adjust ? std::string{} : std::to_string(base.minor_units());
      mode = Mode::amount;
      return amount_screen();
    }
    if (const auto to = moved(key, selected, static_cast<int>(items.size()))) {
      selected = *to;
      show_list("PICK FOR " + std::string(info(action).label));
    }
  }

  void key_pan(ui::Key key) {
    if (const auto d = ui::key_digit(key); d && pan.size() < kMaxPanDigits) {
      pan.push_back(static_cast<char>('0' + *d));
    } else if (key == ui::Key::backspace && !pan.empty()) {
      pan.back() = '\0';
      pan.pop_back();
    } else if (key == ui::Key::clear) {
      wipe_keyed();
    } else if (key == ui::Key::cancel) {
      return idle();
    } else if (key == ui::Key::enter) {
      if (pan.size() < 12) return pan_screen();  // too short to be a card number: keep keying
      mode = Mode::expiry;
      return expiry_screen();
    }
    pan_screen();
  }

  void key_expiry(ui::Key key) {
    if (const auto d = ui::key_digit(key); d && expiry.size() < 4) {
      expiry.push_back(static_cast<char>('0' + *d));
    } else if (key == ui::Key::backspace && !expiry.empty()) {
      expiry.pop_back();
    } else if (key == ui::Key::clear) {
      expiry.clear();
    } else if (key == ui::Key::cancel) {
      return idle();
    } else if (key == ui::Key::enter && expiry.size() == 4) {
      CardEvent keyed;
      keyed.presentation = CardPresentation::keyed;
      keyed.pan = SecretString{pan};
      // MMYY as the card prints it; the engine takes YYMM (ISO/IEC 7813's order).
      keyed.expiry_yymm = SecretString{expiry.substr(2, 2) + expiry.substr(0, 2)};
      wipe_keyed();
      return run_sale(TxnKind::sale, std::move(keyed));
    }
    expiry_screen();
  }

  void key_copy(ui::Key key) {
    if (key == ui::Key::cancel) return idle();
    if (key == ui::Key::enter) {
      return reprint(selected == 0 ? ReceiptCopy::merchant : ReceiptCopy::customer, std::string{});
    }
    if (const auto to = moved(key, selected, static_cast<int>(items.size()))) {
      selected = *to;
      show_list("REPRINT");
    }
  }

  void key_view(ui::Key key) {
    const bool queue = action == MenuAction::queue;
    if (key == ui::Key::cancel) return idle();
    if (key == ui::Key::enter) {
      if (queue && selected == 0) return flush();
      const std::size_t index = static_cast<std::size_t>(selected) - (queue ? 1 : 0);
      if (index >= rows.size()) return;
      const JournalEntry& row = rows[index];
      mode = Mode::detail;
      show(ui::ScreenData{.id = ui::ScreenId::message,
                          .amount = amount_text(row.approved_amount.value_or(row.amount)),
                          .other = row.masked_pan.empty() ? std::string{"NO CARD"} : row.masked_pan,
                          .text = row_headline(row)});
      return;
    }
    if (const auto to = moved(key, selected, static_cast<int>(items.size()))) {
      selected = *to;
      show_list(queue ? "OFFLINE QUEUE" : "JOURNAL");
    }
  }

  void key_detail(ui::Key key) {
    if (key == ui::Key::enter || key == ui::Key::cancel) {
      mode = Mode::view;
      show_list(action == MenuAction::queue ? "OFFLINE QUEUE" : "JOURNAL");
    }
  }

  void key_outcome(ui::Key key) {
    // Any key ends the wait; F1 and ENTER then act at once, as at idle.
    idle();
    if (key != ui::Key::cancel) key_idle(key);
  }

  void key_printer_error(ui::Key key) {
    if (key == ui::Key::cancel) return idle();
    if (key != ui::Key::enter) return;
    if (reprint_reference.empty() && last_report) {
      if (!print(*last_report)) return printer_error();
      last_report.reset();
      return notice("PRINTED");
    }
    reprint(std::nullopt, reprint_reference);
  }

  void on_key(ui::Key key) {
    using Handler = void (State::*)(ui::Key);
    static constexpr std::array<std::pair<Mode, Handler>, 11> kKeys{{
        {Mode::idle, &State::key_idle},
        {Mode::main, &State::key_main},
        {Mode::amount, &State::key_amount},
        {Mode::pick, &State::key_pick},
        {Mode::pan, &State::key_pan},
        {Mode::expiry, &State::key_expiry},
        {Mode::copy, &State::key_copy},
        {Mode::view, &State::key_view},
        {Mode::detail, &State::key_detail},
        {Mode::outcome, &State::key_outcome},
        {Mode::printer_error, &State::key_printer_error},
    }};
    if (pending) return;  // the counter's prompts have the keys
    for (const auto& [m, handler] : kKeys) {
      if (m == mode) return (this->*handler)(key);
    }
  }

  void tick() {
    if (pending) return;
    if (mode == Mode::running) {
      mode = Mode::outcome;
      outcome_until = options.now();
    }
    if (mode == Mode::outcome && options.now() >= outcome_until) idle();
  }
};

CounterMenu::CounterMenu(Engine& engine, Journal& journal, Counter& counter, ui::Display& display,
                         MenuHost caps, MenuOptions options)
    : state_(std::make_unique<State>(engine, journal, counter, display, caps, std::move(options))) {}

CounterMenu::~CounterMenu() = default;

void CounterMenu::show_idle() { state_->idle(); }
void CounterMenu::on_key(ui::Key key) { state_->on_key(key); }
void CounterMenu::tick() { state_->tick(); }
bool CounterMenu::running() const noexcept { return state_->pending; }
bool CounterMenu::at_idle() const noexcept { return state_->mode == Mode::idle; }
bool CounterMenu::quit_requested() const noexcept { return state_->quit; }
std::vector<MenuAction> CounterMenu::actions() const { return state_->actions(); }

}  // namespace tender::app
