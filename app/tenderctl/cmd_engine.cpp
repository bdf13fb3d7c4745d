// tenderctl journal list / queue list / queue flush / settle: the back office's view of a
// terminal's journal and its offline queue, and the two host operations that need no card,
// run by the real engine against the host the terminal's config file names.
//
// Only the journal's public columns are printed: nothing here ever unseals card data.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "app/config/settings.hpp"
#include "app/engine/engine.hpp"
#include "app/tenderctl/cli.hpp"
#include "common/log.hpp"
#include "drivers/icc/empty_slot.hpp"
#include "drivers/pinpad/soft_ped.hpp"

namespace tender::ctl {
namespace {

using namespace std::chrono_literals;

OperationResult bad_input(Error e) { return {std::move(e), kExitBadInput}; }
OperationResult failed(Error e) { return {std::move(e), kExitFailed}; }

// The engine and adapters log to stderr; the contract allows one line there on failure,
// so their diagnostics are dropped unless --verbose asks for them.
class DiscardSink final : public log::Sink {
 public:
  void write(log::Level, std::string_view, std::string_view) override {}
};

void quiet_unless_verbose(const Args& args) {
  static DiscardSink discard;
  if (!args.flags.contains("--verbose")) log::set_sink(&discard);
}

// The config file is input: a file that does not load is exit 2, like any bad argument.
Result<app::TerminalSettings> settings_from(const Args& args) {
  if (!args.positional.empty()) return make_error(Errc::invalid_argument, "unexpected argument");
  auto path = args.required("--config");
  if (!path) return std::move(path).error();
  return app::load_settings(std::filesystem::path{std::string(*path)});
}

// The writers (queue flush, settle) open the journal as tender does, key and lock: while
// tender runs, the lock refuses them (Errc::busy) rather than let two engines forward one queue.
Result<app::Journal> open_journal(const app::TerminalSettings& settings) {
  std::error_code ec;
  if (!std::filesystem::is_directory(settings.state_dir, ec))
    return make_error(Errc::not_found, "state_dir " + settings.state_dir.string() + " is not a directory");
  return app::Journal::open(settings.journal_file(), settings.device_key, settings.journal);
}

// The readers (journal list, queue list) need no key and take no lock: they work beside a
// running tender and from an operator's shell that holds no secret. No journal yet (a
// terminal that never ran) reads as empty.
Result<std::filesystem::path> journal_file_from(const Args& args) {
  if (!args.positional.empty()) return make_error(Errc::invalid_argument, "unexpected argument");
  auto path = args.required("--config");
  if (!path) return std::move(path).error();
  return app::load_journal_file(std::filesystem::path{std::string(*path)});
}

Result<std::optional<app::Journal>> open_journal_to_read(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_directory(file.parent_path(), ec))
    return make_error(Errc::not_found, "state_dir " + file.parent_path().string() + " is not a directory");
  auto journal = app::Journal::open_read_only(file);
  if (!journal && journal.error().code == Errc::not_found) return std::optional<app::Journal>{};
  if (!journal) return std::move(journal).error();
  return std::optional<app::Journal>{std::move(*journal)};
}

Json money_or_null(const std::optional<Money>& m) { return m ? Json(m->format()) : Json(nullptr); }
Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// The journal stores 6+4 only; a row that somehow holds more is masked again here.
std::string masked(const std::string& pan) {
  std::size_t digits = 0;
  for (char c : pan) digits += (c >= '0' && c <= '9') ? 1 : 0;
  if (digits <= 10) return pan;
  std::string out = pan;
  std::size_t seen = 0;
  for (char& c : out) {
    if (c < '0' || c > '9') continue;
    if (seen >= 6 && seen < digits - 4) c = '*';
    ++seen;
  }
  return out;
}

std::string iso8601_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buffer[32];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer, n);
}

Json row_json(const app::JournalEntry& e) {
  Json row;
  row["reference_id"] = e.reference_id;
  row["kind"] = app::to_string(e.kind);
  row["state"] = app::to_string(e.state);
  row["entry_mode"] = app::to_string(e.entry_mode);
  row["amount"] = e.amount.format();
  row["tip"] = money_or_null(e.tip);
  row["surcharge"] = money_or_null(e.surcharge);
  row["approved_amount"] = money_or_null(e.approved_amount);
  row["masked_pan"] = text_or_null(masked(e.masked_pan));
  row["card_label"] = text_or_null(e.card_label);
  row["auth_code"] = text_or_null(e.auth_code);
  row["host_reference"] = text_or_null(e.host_reference);
  row["response_code"] = text_or_null(e.response_code);
  row["reason"] = text_or_null(log::scrub(e.reason));
  row["offline"] = e.offline;
  row["batch"] = text_or_null(e.batch);
  row["created"] = iso8601_utc(e.created_unix);
  return row;
}

Result<std::size_t> limit_option(const Args& args) {
  const auto text = args.option("--limit");
  if (!text) return std::size_t{0};
  if (text->empty() || text->size() > 6 || text->find_first_not_of("0123456789") != std::string_view::npos)
    return make_error(Errc::invalid_argument, "--limit must be a number from 1 to 999999");
  std::size_t n = 0;
  for (char c : *text) n = n * 10 + static_cast<std::size_t>(c - '0');
  if (n == 0) return make_error(Errc::invalid_argument, "--limit must be a number from 1 to 999999");
  return n;
}

// The counter of a terminal with no devices: the queue and the settlement never prompt,
// and if the engine ever asked, the answer would be CANCEL rather than a hang.
class NoDeviceCounter final : public app::Counter {
 public:
  void show(app::Screen, const app::ScreenArgs&) override {}
  void async_card(app::Screen, const app::ScreenArgs&, std::function<void(Result<app::CardEvent>)> handler) override {
    handler(make_error(Errc::cancelled, "tenderctl has no card reader"));
  }
  void async_confirm(app::Screen, const app::ScreenArgs&, std::function<void(Result<bool>)> handler) override {
    handler(make_error(Errc::cancelled, "tenderctl has no keypad"));
  }
  void cancel_prompt() override {}
  icc::CardReader& chip_reader() override { return reader_; }
  pinpad::PinPad& pin_pad() override { return pin_pad_; }
  void release_card() override {}
  Result<void> print(ByteView, std::string_view) override {
    return make_error(Errc::unsupported, "tenderctl has no printer");
  }

 private:
  icc::EmptySlot reader_;
  pinpad::AbsentPinPad pin_pad_;
};

// An engine over the configured journal and host. Members are destroyed in reverse:
// the engine first, then what it refers to, the io_context last.
struct EngineSession {
  boost::asio::io_context io;
  std::optional<app::HostConnection> host;
  std::optional<app::Journal> journal;
  NoDeviceCounter counter;
  emv::TerminalConfig terminal;
  std::unique_ptr<app::Engine> engine;
};

// Every failure here happens after the input was accepted: exit 1.
Result<std::unique_ptr<EngineSession>> start_session(const app::TerminalSettings& settings) {
  auto session = std::make_unique<EngineSession>();
  auto journal = open_journal(settings);
  if (!journal) return std::move(journal).error();
  session->journal.emplace(std::move(*journal));
  auto host = app::connect_host(session->io, settings.host);
  if (!host) return std::move(host).error();
  session->host.emplace(std::move(*host));
  // Flushing and settling never read a card: the kernel's configuration stays empty (no
  // AID, no CAPK).
  session->engine = std::make_unique<app::Engine>(session->io, settings.engine, session->terminal,
                                                  session->host->adapter(), *session->journal, session->counter);
  return session;
}

// Runs the io_context until `start`'s handler ran or the deadline passed.
template <class T>
std::optional<T> run_until_done(boost::asio::io_context& io, std::chrono::steady_clock::duration budget,
                                const std::function<void(std::function<void(T)>)>& start) {
  std::optional<T> result;
  start([&result](T value) { result.emplace(std::move(value)); });
  const auto deadline = std::chrono::steady_clock::now() + budget;
  io.restart();
  while (!result && std::chrono::steady_clock::now() < deadline) {
    io.run_for(20ms);
    if (!result && io.stopped()) break;  // out of work: nothing is left to call the handler
  }
  return result;
}

// Each queued item takes at most two host exchanges (Aurora's lookup, then void), each
// under the engine's guard; settling adds one more. A margin covers the journal's fsyncs.
std::chrono::steady_clock::duration budget(const app::TerminalSettings& settings, const EngineSession& session,
                                           std::size_t extra_exchanges) {
  const auto queued = session.journal->queue();
  const std::size_t items = queued ? queued->size() : 0;
  return settings.engine.host_timeout * static_cast<long>(2 * items + extra_exchanges) + 5s;
}

// flush and settle: the same arguments, an engine on the configured journal and host, one
// operation run to its end within the budget (`exchanges` host exchanges beyond the queue's),
// then its answer as JSON.
template <class T>
OperationResult engine_operation(const std::vector<std::string>& words, std::size_t exchanges, std::string_view what,
                                 const std::function<void(app::Engine&, std::function<void(T)>)>& start,
                                 const std::function<OperationResult(T&)>& to_json) {
  auto args = parse_args(words, {"--config"}, {"--verbose"});
  if (!args) return bad_input(std::move(args).error());
  quiet_unless_verbose(*args);
  auto settings = settings_from(*args);
  if (!settings) return bad_input(std::move(settings).error());
  // The published test key is simulation's: tenderctl carries none, as tender carries none.
  if (settings->test_device_key)
    return bad_input(make_error(Errc::invalid_argument,
                                "device_key \"test\" is for the emulator; tenderctl needs file:, credential: or env:"));
  auto session = start_session(*settings);
  if (!session) return failed(std::move(session).error());
  EngineSession& s = **session;
  auto result = run_until_done<T>(s.io, budget(*settings, s, exchanges),
                                  [&](std::function<void(T)> done) { start(*s.engine, std::move(done)); });
  if (!result) return failed(make_error(Errc::timeout, std::string(what) + " did not finish before its deadline"));
  return to_json(*result);
}

}  // namespace

OperationResult journal_list(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--config", "--limit"}, {"--verbose"});
  if (!args) return bad_input(std::move(args).error());
  quiet_unless_verbose(*args);
  auto limit = limit_option(*args);
  if (!limit) return bad_input(std::move(limit).error());
  auto file = journal_file_from(*args);
  if (!file) return bad_input(std::move(file).error());
  auto journal = open_journal_to_read(*file);
  if (!journal) return failed(std::move(journal).error());
  Json out = Json::array();
  if (!*journal) return {std::move(out)};
  auto rows = (*journal)->list(*limit);
  if (!rows) return failed(std::move(rows).error());
  for (const auto& e : *rows) out.push_back(row_json(e));
  return {std::move(out)};
}

OperationResult queue_list(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--config"}, {"--verbose"});
  if (!args) return bad_input(std::move(args).error());
  quiet_unless_verbose(*args);
  auto file = journal_file_from(*args);
  if (!file) return bad_input(std::move(file).error());
  auto opened = open_journal_to_read(*file);
  if (!opened) return failed(std::move(opened).error());
  Json out = Json::array();
  if (!*opened) return {std::move(out)};
  const app::Journal* journal = &**opened;
  auto items = journal->queue();
  if (!items) return failed(std::move(items).error());
  for (const auto& q : *items) {
    Json item;
    item["seq"] = q.seq;
    item["reference_id"] = q.reference_id;
    item["kind"] = app::to_string(q.kind);
    item["attempts"] = q.attempts;
    item["last_error"] = text_or_null(log::scrub(q.last_error));
    auto row = journal->find(q.reference_id);
    if (!row) return failed(std::move(row).error());
    item["amount"] = *row ? Json((*row)->amount.format()) : Json(nullptr);
    item["state"] = *row ? Json(app::to_string((*row)->state)) : Json(nullptr);
    out.push_back(std::move(item));
  }
  return {std::move(out)};
}

OperationResult queue_flush(const std::vector<std::string>& words) {
  return engine_operation<app::QueueReport>(
      words, 1, "queue flush", [](app::Engine& engine, auto done) { engine.flush_queue(std::move(done)); },
      [](app::QueueReport& report) -> OperationResult {
        Json out;
        out["forwarded"] = report.forwarded;
        out["forward_declined"] = report.forward_declined;
        out["reversed"] = report.reversed;
        out["remaining"] = report.remaining;
        out["stopped_because"] = text_or_null(log::scrub(report.stopped_because));
        return {std::move(out)};
      });
}

OperationResult settle(const std::vector<std::string>& words) {
  return engine_operation<Result<app::SettleReport>>(
      words, 2, "settlement", [](app::Engine& engine, auto done) { engine.settle(std::move(done)); },
      [](Result<app::SettleReport>& result) -> OperationResult {
        if (!result) return failed(std::move(result).error());
        const app::SettleReport& r = *result;
        Json out;
        out["accepted"] = r.accepted;
        out["transactions"] = r.transactions;
        out["batch"] = text_or_null(r.batch);
        out["response_code"] = text_or_null(r.response_code);
        out["response_message"] = text_or_null(log::scrub(r.response_message));
        return {std::move(out)};
      });
}

}  // namespace tender::ctl
