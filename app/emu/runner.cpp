#include "app/emu/runner.hpp"

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cctype>
#include <unistd.h>

#include "app/emu/emu_counter.hpp"
#include "app/terminal/screens.hpp"
#include "app/emu/terminal.hpp"
#include "app/engine/engine.hpp"
#include "app/emu/settlement_check.hpp"
#include "app/sim/test_terminal.hpp"
#include "common/log.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// `subset` holds in `actual`: every key of an object with a matching value, recursively. A
// null asks that the field was not sent (absent, or null); "*" that it was, whatever its value
// (a host's id, a sequence number, masked card data of any length).
bool json_contains(const Json& actual, const Json& subset) {
  if (subset.is_object() && subset.empty()) return true;  // no body asked for: any body, or none
  if (subset.is_object()) {
    if (!actual.is_object()) return false;
    for (const auto& [k, v] : subset.items()) {
      const bool sent = actual.contains(k) && !actual[k].is_null();
      if (v.is_null()) {
        if (sent) return false;
        continue;
      }
      if (!sent || !json_contains(actual[k], v)) return false;
    }
    return true;
  }
  if (subset.is_string() && subset.get_ref<const std::string&>() == "*") return !actual.is_null();
  return actual == subset;
}

// A request path against a pattern in which '*' stands for one path segment (a host's id).
bool path_matches(std::string_view path, std::string_view pattern) {
  while (!pattern.empty()) {
    if (pattern.front() == '*') {
      const auto end = path.find('/');
      path.remove_prefix(end == std::string_view::npos ? path.size() : end);
      pattern.remove_prefix(1);
      continue;
    }
    if (path.empty() || path.front() != pattern.front()) return false;
    path.remove_prefix(1);
    pattern.remove_prefix(1);
  }
  return path.empty();
}

// The outcome words of scenario files, from a journal row (after a restart the report of
// the cut transaction is gone; the journal says how it ended).
std::string outcome_of_state(TxnState s, bool offline) {
  switch (s) {
    case TxnState::completed:
    case TxnState::forwarded:
      return offline ? "approved_offline" : "approved";
    case TxnState::offline_approved:
      return "approved_offline";
    case TxnState::declined:
    case TxnState::forward_declined:
      return "declined";
    case TxnState::reversed:
    case TxnState::reversal_pending:
      return "reversed";
    case TxnState::cancelled:
      return "cancelled";
    default:
      return std::string(to_string(s));
  }
}

std::string outcome_word(TxnOutcome o) {
  // Scenario files name a partial approval "approved" too (the card paid something).
  return o == TxnOutcome::partially_approved ? "approved" : std::string(to_string(o));
}

// How much longer than a configured host's deadline the engine's own guard waits.
constexpr std::chrono::milliseconds kGuardOverDeadline{5000};

class ScenarioRun {
 public:
  ScenarioRun(EmuHost* host, const RunnerOptions& options, const Scenario& scenario, fs::path state, ScenarioFiles& files)
      : host_(host), options_(options), scenario_(scenario), state_(std::move(state)), files_(files) {
    result_.name = scenario.name;
    result_.file = scenario.file;
    result_.host = std::string(to_string(scenario.host));
    result_.folder = files.relative();
    counter_.on_screen = [this](Screen s, const ScreenArgs& a) {
      display_ = screen_text(s, a);
      files_.display(display_);
    };
  }

  ScenarioResult run() {
    const auto start = std::chrono::steady_clock::now();
    if (host_ != nullptr) {
      host_->clear_requests();
      host_->clear_scripts();
      (void)host_->set_reachable(true);
    }
    if (auto r = configure(); !r) {
      fail(0, "config", r.error().message);
    } else if (auto t = boot(); !t) {
      fail(0, "start", t.error().message);
    } else {
      for (const Step& step : scenario_.steps) {
        const bool go_on = do_step(step);
        spill();
        if (!go_on) break;  // a step that could not run ends the scenario
      }
    }
    if (auto m = counter_.mismatch()) fail(0, "input", *m);
    // An input nothing asked for means the terminal did not do what the script expected.
    if (terminal_ && counter_.queued() > 0) {
      fail(0, "input", std::to_string(counter_.queued()) + " input step(s) never used by the terminal");
    }
    cut();
    spill();
    if (auto closed = files_.close(); !closed) fail(0, "report", closed.error().message);
    result_.receipts = files_.receipts();
    result_.host_requests = files_.requests();
    result_.screens = files_.screens();
    result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result_.passed = result_.failures.empty();
    return std::move(result_);
  }

 private:
  void fail(std::size_t step, std::string_view kind, const std::string& what) {
    result_.failures.push_back((step ? "step " + std::to_string(step) + " (" + std::string(kind) + "): " : std::string(kind) + ": ") +
                               log::scrub(what));
  }

  // Hands what is new to the scenario's files and forgets it, so a long scenario holds no
  // more than its last two receipts and the exchanges still waiting for an answer: the
  // receipts printed, and what the host received (the built-in simulator's record) or what
  // the terminal itself sent to a configured host and what came back (that host serves the
  // whole run, so its own memory holds the other scenarios' requests too).
  void spill() {
    auto& printed = counter_.printed;
    for (std::size_t i = receipts_written_; i < printed.size(); ++i) files_.receipt(printed[i]);
    constexpr std::size_t kKept = 2;  // expect_receipt reads the last two copies
    if (printed.size() > kKept) printed.erase(printed.begin(), printed.end() - kKept);
    auto& escpos = counter_.printed_escpos;
    if (escpos.size() > kKept) escpos.erase(escpos.begin(), escpos.end() - kKept);
    receipts_written_ = printed.size();
    for (const HostRequest& r : host_ != nullptr ? host_->take_requests() : host_log_.take_finished()) files_.host(r);
  }

  // Every request of this scenario so far: host.log, then what still waits for its answer.
  Result<void> for_each_request(const std::function<void(const HostRequest&)>& visit) {
    spill();
    if (auto r = files_.for_each_request(visit); !r) return r;
    for (const HostRequest& r : host_log_.entries()) visit(r);
    return ok();
  }

  Result<void> configure() {
    if (options_.configured_host != nullptr) {
      configured_ = *options_.configured_host;
      // The scenario's deadline when it names one; else the configuration's, which suits its host.
      if (scenario_.config.host_deadline) configured_->timeout = *scenario_.config.host_deadline;
    }
    config_ = emulator_engine_config();
    if (configured_) {
      // The engine's guard must outlast the adapter's deadline (the configuration's rule).
      config_.host_timeout = std::max(config_.host_timeout, configured_->timeout + kGuardOverDeadline);
    }
    const ScenarioConfig& c = scenario_.config;  // typed and checked by the parser
    if (c.surcharge) config_.surcharge = *c.surcharge;
    if (c.partial) {
      switch (*c.partial) {
        case ScenarioConfig::Partial::ask: config_.partial = PartialPolicy::ask; break;
        case ScenarioConfig::Partial::accept: config_.partial = PartialPolicy::accept; break;
        case ScenarioConfig::Partial::reverse: config_.partial = PartialPolicy::reverse; break;
      }
    }
    if (c.offline_swipe_limit) config_.offline_swipe_limit = *c.offline_swipe_limit;
    if (c.floor_limit) floor_limit_ = *c.floor_limit;
    if (c.prompt_timeout) config_.prompt_timeout = *c.prompt_timeout;
    if (c.host_deadline) host_deadline_ = *c.host_deadline;
    if (c.print_customer_copy) config_.print_customer_copy = *c.print_customer_copy;
    auto terminal = builtin_test_terminal(floor_limit_);
    if (!terminal) return std::move(terminal).error();
    kernel_config_ = std::move(*terminal);
    return ok();
  }

  // Power on: a new terminal on the same state folder.
  Result<void> boot() {
    TerminalSetup setup;
    setup.host = scenario_.host;
    setup.state_dir = state_;
    setup.engine = config_;
    setup.host_deadline = host_deadline_;
    if (configured_) {
      setup.configured_host = &*configured_;
      setup.host_log = &host_log_;
    }
    if (host_ != nullptr) setup.env.unix_now = [this] { return host_->unix_now(); };  // the world's clock (advance_clock)
    setup.env.journaled = [this](const JournalEntry& e) {
      last_reference_ = e.reference_id;
      if (cut_at_ && to_string(e.state) == *cut_at_) {
        cut_now_ = true;
        terminal_->io.stop();  // nothing after this write runs: the power is gone
      }
    };
    auto t = EmuTerminal::boot(host_, setup, kernel_config_, counter_);
    if (!t) return std::move(t).error();
    terminal_ = std::move(*t);
    return ok();
  }

  void cut() {
    if (!terminal_) return;
    // The counter outlives the terminal: a prompt's handler it holds (a sale waiting for the
    // card) may keep the engine alive, whose timers must go before their io_context does.
    counter_.reset();
    terminal_.reset();  // the io_context goes with every pending handler, unrun
    host_log_.power_off();
    cut_at_.reset();
    cut_now_ = false;
    pending_.reset();
  }

  // Runs the terminal until `done` holds, the power is cut, or the deadline passes.
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + options_.step_deadline;
    while (terminal_ && !cut_now_) {
      terminal_->io.restart();
      terminal_->io.poll();
      if (cut_now_) break;
      if (done()) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      terminal_->io.run_one_for(std::chrono::milliseconds{5});
    }
    if (cut_now_) cut();
    return true;
  }
  bool settle_down() {
    return run_until([this] { return !terminal_->engine().busy() || counter_.waiting_for_input(); });
  }
  bool finish_transaction() {
    return run_until([this] { return !terminal_->engine().busy() && !pending_; });
  }

  bool need_terminal(const Step& step) {
    if (terminal_) return true;
    fail(step.index, to_string(step.kind), "the terminal is off (power cut without restart)");
    return false;
  }

  void start(std::function<void(Engine&, std::function<void(TxnReport)>)> begin) {
    pending_ = true;
    last_report_.reset();
    ++result_.transactions;
    begin(terminal_->engine(), [this](TxnReport r) {
      pending_.reset();
      last_report_ = std::move(r);
    });
  }

  bool do_step(const Step& step) {
    const std::string kind(to_string(step.kind));
    const auto money = [&]() { return Money::parse(step.amount.value_or("0"), usd()).value(); };
    switch (step.kind) {
      case StepKind::sale:
      case StepKind::preauth:
      case StepKind::verify: {
        if (!need_terminal(step)) return false;
        if (!settle_down() || terminal_->engine().busy()) {
          fail(step.index, kind, "a transaction is still running");
          return false;
        }
        SaleRequest r;
        r.kind = step.kind == StepKind::sale ? TxnKind::sale : step.kind == StepKind::preauth ? TxnKind::preauth : TxnKind::verify;
        r.amount = step.kind == StepKind::verify ? Money{0, usd()} : money();
        start([r](Engine& e, auto done) { e.sale(r, done); });
        return true;
      }
      case StepKind::refund:
      case StepKind::void_:
      case StepKind::capture:
      case StepKind::tip_adjust: {
        if (!need_terminal(step)) return false;
        if (!finish_transaction()) {
          fail(step.index, kind, "the previous transaction did not end");
          return false;
        }
        FollowOnRequest f;
        f.kind = step.kind == StepKind::refund    ? TxnKind::refund
                 : step.kind == StepKind::void_   ? TxnKind::void_
                 : step.kind == StepKind::capture ? TxnKind::capture
                                                  : TxnKind::tip_adjust;
        f.original_reference = step.text;
        if (step.amount) f.amount = money();
        start([f](Engine& e, auto done) { e.follow_on(f, done); });
        return true;
      }
      case StepKind::settle:
      case StepKind::flush: {
        if (!need_terminal(step)) return false;
        if (!finish_transaction()) {
          fail(step.index, kind, "the previous transaction did not end");
          return false;
        }
        bool done = false;
        if (step.kind == StepKind::settle) {
          settlement_.reset();
          terminal_->engine().settle([this, &done, step](Result<SettleReport> r) {
            done = true;
            last_outcome_ = r && r->accepted ? "approved" : "declined";
            if (!r) {
              fail(step.index, "settle", r.error().message);
              return;
            }
            settlement_ = settled_batch(terminal_->journal(), *r);
          });
        } else {
          terminal_->engine().flush_queue([&done](QueueReport) { done = true; });
        }
        if (!run_until([&] { return done; })) fail(step.index, kind, "no end within the deadline");
        last_report_.reset();
        return true;
      }
      case StepKind::insert:
        counter_.push({Input::Kind::insert, step.text, step.index});
        return true;
      case StepKind::swipe:
        counter_.push({Input::Kind::swipe, step.text, step.index});
        return true;
      case StepKind::keyed:
        counter_.push({Input::Kind::keyed, step.text, step.index});
        return true;
      case StepKind::key:
        counter_.push({Input::Kind::key, step.text, step.index});
        return true;
      case StepKind::pin:
        counter_.push({Input::Kind::pin, step.text, step.index});
        return true;
      case StepKind::remove_card:
        if (terminal_) settle_down();
        counter_.remove_card();
        return true;
      case StepKind::host_behaviour: {
        if (host_ == nullptr) {  // needs_builtin_host() keeps such a scenario from running
          fail(step.index, kind, "needs the built-in host simulator");
          return false;
        }
        if (terminal_) settle_down();
        if (step.text == "unreachable") {
          if (auto r = host_->set_reachable(false); !r) fail(step.index, kind, r.error().message);
          return true;
        }
        if (auto r = host_->set_reachable(true); !r) fail(step.index, kind, r.error().message);
        if (step.text == "reachable") return true;
        auto script = net::hostsim::parse_behaviour(step.text);  // the parser checked it
        if (!script) {
          fail(step.index, kind, script.error().message);
          return false;
        }
        host_->script(*script, static_cast<int>(step.number));
        return true;
      }
      case StepKind::advance_clock:
      case StepKind::other_terminal_sale:
        if (host_ == nullptr) {  // needs_builtin_host() keeps such a scenario from running
          fail(step.index, kind, "needs the built-in host simulator");
          return false;
        }
        if (terminal_) settle_down();
        if (step.kind == StepKind::advance_clock) {
          host_->advance_clock(std::chrono::seconds{step.number});
        } else if (auto r = host_->other_terminal_sale(scenario_.host, money()); !r) {
          fail(step.index, kind, r.error().message);
        }
        return true;
      case StepKind::power_cut:
        if (!step.text.empty()) {
          if (!txn_state_from_string(step.text)) {
            fail(step.index, kind, "not a journal state");
            return false;
          }
          cut_at_ = step.text;  // the next journal write of this state cuts the power
          return true;
        }
        if (terminal_) settle_down();
        cut();
        return true;
      case StepKind::restart: {
        if (terminal_) {
          if (cut_at_) run_until([] { return false; });  // let the armed cut happen
          cut();
        }
        if (auto r = boot(); !r) {
          fail(step.index, kind, r.error().message);
          return false;
        }
        bool done = false;
        terminal_->engine().recover([&done](RecoveryReport) { done = true; });
        if (!run_until([&] { return done; })) fail(step.index, kind, "recovery did not end");
        return true;
      }
      case StepKind::expect_outcome: {
        std::string got;
        if (terminal_ && (pending_ || last_report_)) {
          if (!finish_transaction()) {
            fail(step.index, kind, "the transaction did not end within the deadline");
            return true;
          }
        }
        if (last_report_) {
          got = outcome_word(last_report_->outcome);
        } else if (!last_outcome_.empty()) {
          got = last_outcome_;
        } else if (terminal_ && !last_reference_.empty()) {
          auto row = terminal_->journal().find(last_reference_);
          if (row && *row) got = outcome_of_state((*row)->state, (*row)->offline);
        }
        if (got != step.text) {
          std::string why = last_report_ ? " (" + last_report_->reason + ")" : "";
          fail(step.index, kind, "expected " + step.text + ", got " + (got.empty() ? "nothing" : got) + why);
        }
        last_outcome_.clear();
        return true;
      }
      case StepKind::expect_display:
        if (terminal_) settle_down();
        if (lower(display_).find(lower(step.text)) == std::string::npos) {
          fail(step.index, kind, "\"" + step.text + "\" not on the display: " + display_);
        }
        return true;
      case StepKind::expect_receipt: {
        if (terminal_) finish_transaction();
        const std::vector<std::string>& printed = counter_.printed;
        const std::size_t from = printed.size() >= 2 ? printed.size() - 2 : 0;
        std::string recent;
        for (std::size_t i = from; i < printed.size(); ++i) recent += printed[i];
        for (const auto& want : step.texts) {
          if (recent.find(want) == std::string::npos) fail(step.index, kind, "\"" + want + "\" not on the last receipt");
        }
        return true;
      }
      case StepKind::expect_queue: {
        if (!need_terminal(step)) return false;
        settle_down();
        auto q = terminal_->journal().queue();
        const std::size_t n = q ? q->size() : 0;
        if (n != static_cast<std::size_t>(step.number)) {
          fail(step.index, kind, "expected " + std::to_string(step.number) + " queued, found " + std::to_string(n));
        }
        return true;
      }
      case StepKind::expect_settlement:
        check_settlement(step);
        return true;
      case StepKind::expect_host_request: {
        if (terminal_) settle_down();
        const std::string& path = step.path;
        static const Json kAnyBody = Json::object();
        const Json& subset = step.json.is_null() ? kAnyBody : step.json;
        const std::string& method = step.method;
        std::int64_t found = 0;
        const auto counted = for_each_request([&](const HostRequest& r) {
          if (path_matches(r.path, path) && (method.empty() || r.method == method) && json_contains(r.body, subset)) ++found;
        });
        if (!counted) {
          fail(step.index, kind, counted.error().message);
          return true;
        }
        const std::string shown = subset.dump(-1, ' ', false, Json::error_handler_t::replace);
        if (step.count && found != *step.count) {
          fail(step.index, kind, std::to_string(found) + " request(s) to " + path + " matching " + shown + ", expected " +
                                     std::to_string(*step.count));
        } else if (!step.count && found == 0) {
          fail(step.index, kind, "no request to " + path + " matching " + shown);
        }
        return true;
      }
    }
    return true;
  }

  void check_settlement(const Step& step) {
    const std::string kind(to_string(step.kind));
    if (!settlement_) {
      fail(step.index, kind, "no settlement ended in this scenario before this step");
      return;
    }
    for (const std::string& what : settlement_mismatches(step.settlement, *settlement_)) fail(step.index, kind, what);
  }

  EmuHost* host_;
  const RunnerOptions& options_;
  const Scenario& scenario_;
  fs::path state_;
  ScenarioFiles& files_;
  std::size_t receipts_written_ = 0;  // of counter_.printed, those already in receipts.txt
  std::optional<SettledBatch> settlement_;  // what the last settle step closed
  std::optional<HostSettings> configured_;  // the configured host, with the scenario's deadline
  HostLog host_log_;                        // declared before the terminal: it outlives it
  ScenarioResult result_;
  EngineConfig config_;
  emv::TerminalConfig kernel_config_;
  std::int64_t floor_limit_ = 0;
  std::chrono::milliseconds host_deadline_{2000};
  EmuCounter counter_;
  std::unique_ptr<EmuTerminal> terminal_;
  std::string display_;
  std::optional<bool> pending_;
  std::optional<TxnReport> last_report_;
  std::string last_outcome_;
  std::string last_reference_;
  std::optional<std::string> cut_at_;
  bool cut_now_ = false;
};

}  // namespace

std::optional<std::string> needs_builtin_host(const Scenario& scenario, HostKind kind) {
  const HostKind wanted = scenario.host;
  if (wanted != kind) {
    return "needs a " + std::string(to_string(wanted)) + " host; the configured host is " + std::string(to_string(kind));
  }
  for (const Step& step : scenario.steps) {
    if (step.kind == StepKind::advance_clock || step.kind == StepKind::other_terminal_sale) {
      return "step " + std::to_string(step.index) + " (" + std::string(to_string(step.kind)) +
             ") moves the built-in host simulator's clock or books; a configured host cannot be";
    }
    if (step.kind != StepKind::host_behaviour) continue;
    const std::string where = "step " + std::to_string(step.index) + " (host_behaviour: " + step.text + ")";
    if (step.text == "unreachable" || step.text == "reachable") {
      return where + " takes the built-in host simulator off the network and back; a configured host cannot be";
    }
    return where + " scripts the built-in host simulator's next answer; a configured host cannot be scripted";
  }
  return std::nullopt;
}

Runner::Runner(EmuHost* host, RunnerOptions options) : host_(host), options_(std::move(options)) {}

std::optional<std::string> Runner::skip_reason(const Scenario& scenario) const {
  if (options_.configured_host == nullptr) return std::nullopt;
  return needs_builtin_host(scenario, options_.configured_host->kind);
}

ScenarioResult Runner::run(const Scenario& scenario, ScenarioFiles* files) {
  if (options_.configured_host != nullptr) {
    if (auto why = skip_reason(scenario)) {
      ScenarioResult skipped;
      skipped.name = scenario.name;
      skipped.file = scenario.file;
      skipped.host = std::string(to_string(scenario.host));
      skipped.passed = false;
      skipped.skipped = true;
      skipped.skipped_because = std::move(*why);
      return skipped;
    }
  } else if (host_ == nullptr) {
    ScenarioResult failed;
    failed.name = scenario.name;
    failed.file = scenario.file;
    failed.passed = false;
    failed.failures.push_back("start: no host: neither the built-in simulator nor a configured one");
    return failed;
  }
  if (files == nullptr) {
    ScenarioResult failed;
    failed.name = scenario.name;
    failed.file = scenario.file;
    failed.host = std::string(to_string(scenario.host));
    failed.passed = false;
    failed.failures.push_back("report: no folder for the scenario's files");
    return failed;
  }
  fs::path state;
  bool temporary = false;
  std::string folder = fs::path(scenario.file).stem().string();
  if (folder.empty()) folder = "scenario";
  if (!options_.state_dir.empty()) {
    state = options_.state_dir / folder;
  } else {
    state = fs::temp_directory_path() / ("tender-emu-" + std::to_string(::getpid()) + "-" + folder);
    temporary = true;
  }
  std::error_code ec;
  fs::remove_all(state, ec);
  fs::create_directories(state, ec);
  ScenarioResult result = ScenarioRun(host_, options_, scenario, state, *files).run();
  if (temporary) fs::remove_all(state, ec);
  return result;
}

}  // namespace tender::app::emu
