#include "app/tender/terminal.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/terminal/kernel_config.hpp"
#include "common/log.hpp"

namespace tender::app::terminal {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kComponent = "tender";
constexpr auto kStopGrace = 5s;        // beyond the host guard, for a stop mid-transaction

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }

// The curses screen owns the terminal: log lines go to a file in the state folder.
class FileSink final : public log::Sink {
 public:
  explicit FileSink(const std::filesystem::path& path) : out_(path, std::ios::app) {}
  [[nodiscard]] bool good() const { return out_.good(); }
  void write(log::Level level, std::string_view component, std::string_view line) override {
    char stamp[32] = {};
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (gmtime_r(&now, &tm) != nullptr) (void)std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    out_ << stamp << ' ' << log::to_string(level) << ' ' << component << ": " << line << '\n' << std::flush;
  }

 private:
  std::ofstream out_;
};

std::string money_text(const Money& m) { return std::string(m.currency().alpha) + " " + m.format(); }

bool approved(TxnOutcome outcome) {
  return outcome == TxnOutcome::approved || outcome == TxnOutcome::approved_offline;
}

}  // namespace

void install_signal_handlers() {
  struct sigaction stop{};
  stop.sa_handler = on_stop_signal;
  sigemptyset(&stop.sa_mask);
  stop.sa_flags = 0;  // no SA_RESTART: a blocking poll returns and the loop sees the flag
  (void)::sigaction(SIGINT, &stop, nullptr);
  (void)::sigaction(SIGTERM, &stop, nullptr);
  struct sigaction ignore{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  (void)::sigaction(SIGPIPE, &ignore, nullptr);
}

bool stop_requested() noexcept { return g_stop != 0; }

Result<std::unique_ptr<Terminal>> Terminal::start(const TerminalSettings& settings) {
  std::unique_ptr<Terminal> t{new Terminal(settings)};
  std::error_code ec;
  if (!std::filesystem::is_directory(settings.state_dir, ec))
    return make_error(Errc::not_found, "state_dir " + settings.state_dir.string() + " is not a directory");
  const DisplaySettings& shown = settings.devices.display;
  // The curses screen owns the console: its log goes to a file, unless stderr is the journal
  // (tender as a systemd service), where it belongs.
  if (shown.kind == DisplayKind::curses && !log::stderr_is_journal()) {
    auto sink = std::make_unique<FileSink>(settings.state_dir / "tender.log");
    if (!sink->good()) return make_error(Errc::io_error, "log file " + (settings.state_dir / "tender.log").string() + " cannot be opened");
    t->log_file_ = std::move(sink);
    log::set_sink(t->log_file_.get());
  }
  auto journal = Journal::open(settings.journal_file(), settings.device_key, settings.journal);
  if (!journal) return make_error(journal.error().code, "journal: " + journal.error().message);
  t->journal_.emplace(std::move(*journal));

  // The configuration's files before any device: a bad file stops the start with one line.
  auto kernel = load_kernel_config(settings);
  if (!kernel) return make_error(kernel.error().code, "EMV configuration: " + kernel.error().message);
  t->kernel_ = std::move(*kernel);
  auto devices = open_devices(settings.devices);
  if (!devices) return std::move(devices).error();
  auto host = connect_host(t->io_, settings.host);
  if (!host) return make_error(host.error().code, "host: " + host.error().message);
  t->host_.emplace(std::move(*host));

  // The display last: a start-up error above is printed on a terminal curses has not taken.
  if (shown.kind == DisplayKind::curses) {
    ui::CursesOptions options;
    options.size = shown.size;
    options.title = settings.engine.merchant.name;
    auto display = ui::CursesDisplay::open(options);
    if (!display) return make_error(display.error().code, "display (curses): " + display.error().message);
    t->curses_ = std::move(*display);
    t->display_ = t->curses_.get();
    t->keypad_ = t->curses_.get();
  } else {
    t->lines_ = std::make_unique<ui::LineDisplay>(std::cout, shown.size);
    t->stdin_keys_ = std::make_unique<FdKeypad>(STDIN_FILENO);
    t->display_ = t->lines_.get();
    t->keypad_ = t->stdin_keys_.get();
  }

  CounterOptions options;
  options.stop_requested = [] { return stop_requested(); };
  t->counter_ = std::make_unique<DeviceCounter>(t->io_, *t->display_, *t->keypad_, std::move(*devices), options);
  t->key_store_ = std::make_unique<pinpad::FileKeyStore>(settings.state_dir, ped_store_key(settings.device_key));
  auto pad = make_pin_pad(settings.devices.pin_pad, t->counter_->keypad_pin_source(), t->key_store_.get());
  if (!pad) return std::move(pad).error();
  t->counter_->set_pin_pad(std::move(*pad));
  // A swipe made before power-on belongs to no sale.
  t->counter_->discard_idle_input();

  t->engine_ = std::make_unique<Engine>(t->io_, settings.engine, t->kernel_, t->host_->adapter(), *t->journal_,
                                        *t->counter_);
  MenuOptions menu;
  menu.title = settings.engine.merchant.name;
  menu.receipt_width = settings.engine.receipt_width;
  t->menu_ = std::make_unique<CounterMenu>(*t->engine_, *t->journal_, *t->counter_, *t->display_,
                                           menu_host(t->host_->adapter().capabilities()), std::move(menu));
  return t;
}

Terminal::~Terminal() {
  // The menu and the engine before what they refer to; the counter's timer before the io_context.
  menu_.reset();
  engine_.reset();
  counter_.reset();
  curses_.reset();
  if (log_file_) log::set_sink(nullptr);
}

void Terminal::poll_io() {
  io_.restart();
  io_.poll();
}

void Terminal::run_io_for(std::chrono::milliseconds wait) {
  io_.restart();
  io_.run_for(wait);
  // Out of work before the wait was over: do not spin on an empty io_context.
  if (io_.stopped()) (void)::poll(nullptr, 0, 10);
}

bool Terminal::busy() const { return menu_->running() || engine_->busy(); }

bool Terminal::recover() {
  std::optional<RecoveryReport> report;
  const auto queued = journal_->queue();
  const std::size_t items = queued ? queued->size() : 0;
  // Each queued item takes at most two host exchanges, each under the engine's guard.
  const auto budget = settings_.engine.host_timeout * static_cast<long>(2 * items + 2) + 10s;
  engine_->recover([&report](RecoveryReport r) { report.emplace(std::move(r)); });
  const auto deadline = Clock::now() + budget;
  while (!report && !stop_requested() && Clock::now() < deadline) {
    run_io_for(50ms);
  }
  if (!report) {
    log::warn(kComponent, "recovery did not finish", stop_requested() ? " (stopping)" : " in time");
    return false;
  }
  log::info(kComponent, "recovery: ", report->completed, " completed, ", report->reversal_queued,
            " reversals queued, ", report->cancelled, " cancelled; queue: ", report->queue.forwarded, " forwarded, ",
            report->queue.remaining, " left");
  return true;
}

OnceResult Terminal::run_once(const Money& amount) {
  std::optional<TxnReport> report;
  SaleRequest request;
  request.amount = amount;
  engine_->sale(request, [&report](TxnReport r) { report.emplace(std::move(r)); });
  // Bounded even if every deadline the engine owns ran back to back.
  const auto& e = settings_.engine;
  const auto deadline = Clock::now() + 2 * e.prompt_timeout + 3 * e.host_timeout + 120s;
  std::optional<Clock::time_point> stop_by;
  while (!report && Clock::now() < deadline) {
    if (stop_requested()) {
      // Every prompt until the end is answered CANCEL, not only the one pending now.
      counter_->interrupt();
      if (!stop_by) stop_by = Clock::now() + e.host_timeout + kStopGrace;
    }
    if (stop_by && Clock::now() > *stop_by) break;
    run_io_for(50ms);
  }
  OnceResult result;
  if (!report) {
    result.err = std::string("the sale did not finish") + (stop_requested() ? " before the stop" : " in time") +
                 "; the journal has it for the next start";
    return result;
  }
  const JournalEntry& entry = report->entry;
  std::ostringstream line;
  line << "result: " << to_string(report->outcome) << ' ' << money_text(entry.approved_amount.value_or(entry.amount));
  if (!entry.auth_code.empty()) line << " auth " << entry.auth_code;
  line << " reference " << entry.reference_id;
  if (!approved(report->outcome) && !report->reason.empty()) line << " (" << log::scrub(report->reason) << ")";
  result.out = line.str();
  result.code = approved(report->outcome) ? ExitCode::ok : ExitCode::failed;
  return result;
}

ExitCode Terminal::run_interactive() {
  if (curses_) {
    curses_->panel("KEYS", {"F1     sale", "Enter  menu (digits or", "       Up/Down, Enter)", "F2     settle the batch",
                            "F3     send the offline queue", "Esc    back; quit at idle"});
  }
  menu_->show_idle();
  std::optional<Clock::time_point> stop_by;
  while (!menu_->quit_requested()) {
    if (stop_requested()) {
      if (!stop_by) {
        log::info(kComponent, "stopping");
        stop_by = Clock::now() + settings_.engine.host_timeout + kStopGrace;
      }
      counter_->interrupt();  // also a prompt the engine opens after this one
      if (!busy() || Clock::now() > *stop_by) break;
    }
    if (busy()) {
      run_io_for(50ms);
      continue;
    }
    poll_io();
    // "Remove card" stays up while the card is still in the reader.
    if (!counter_->awaiting_removal()) menu_->tick();
    // The lines display's stdin may end (a service manager gives /dev/null): the terminal
    // still waits for its keypad, its readers and SIGTERM, as a countertop terminal would.
    if (const auto key = keypad_->read_key(50ms)) menu_->on_key(*key);
    counter_->discard_idle_input();
  }
  return ExitCode::ok;
}

}  // namespace tender::app::terminal
