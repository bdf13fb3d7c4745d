// The journal row's lifecycle (app/journal/lifecycle.hpp) on a real journal: every move of
// the table is made and does exactly what its row says (end state, sealed column, queue
// items) in one commit; every move the table does not have is refused with
// Errc::invalid_argument and changes nothing.
#include "app/journal/lifecycle.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tender::app {
namespace {

namespace fs = std::filesystem;

constexpr std::array kAllStates{
    TxnState::created,   TxnState::sent,      TxnState::approved,         TxnState::completed,
    TxnState::declined,  TxnState::failed,    TxnState::cancelled,        TxnState::reversal_pending,
    TxnState::reversed,  TxnState::offline_approved, TxnState::forwarded, TxnState::forward_declined,
    TxnState::in_doubt,
};
constexpr std::array kAllEvents{
    RowEvent::send,          RowEvent::send_follow_on, RowEvent::resend,        RowEvent::approve,
    RowEvent::approve_offline, RowEvent::complete,     RowEvent::decline,       RowEvent::fail,
    RowEvent::cancel,        RowEvent::reverse,        RowEvent::doubt,         RowEvent::reversal_done,
    RowEvent::forward_approved, RowEvent::forward_declined, RowEvent::requeue,
};

std::string from_name(std::optional<TxnState> from) { return from ? std::string(to_string(*from)) : "(no row)"; }
std::string move_name(const RowMove& m) {
  return from_name(m.from) + " on " + std::string(to_string(m.event)) + " -> " + std::string(to_string(m.to));
}

// The shortest way from no row to `state` through the table (empty when there is none).
std::optional<std::vector<RowMove>> path_to(TxnState state) {
  std::map<TxnState, std::vector<RowMove>> reached;
  std::deque<std::pair<std::optional<TxnState>, std::vector<RowMove>>> open{{std::nullopt, {}}};
  while (!open.empty()) {
    auto [at, path] = open.front();
    open.pop_front();
    for (const RowMove& m : row_moves()) {
      if (m.from != at || reached.contains(m.to) || m.from == m.to) continue;
      auto longer = path;
      longer.push_back(m);
      reached[m.to] = longer;
      open.emplace_back(m.to, std::move(longer));
    }
  }
  if (!reached.contains(state)) return std::nullopt;
  return reached[state];
}

const Bytes kRequest{0x5A, 0x08, 0x47, 0x61, 0x73, 0x00, 0x00, 0x00, 0x00, 0x10};  // a stand-in, not card data

JournalEntry sample(std::string reference) {
  JournalEntry e;
  e.reference_id = std::move(reference);
  e.kind = TxnKind::sale;
  e.entry_mode = StoredEntryMode::chip;
  e.amount = Money{1234, usd()};
  e.masked_pan = "476173******0010";
  e.card_label = "VISA CREDIT";
  return e;
}

class JournalLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / ("tender-lifecycle-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Bytes raw(32);
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<Byte>(0x20 + i);
    auto j = Journal::open(dir_ / "journal.db", DeviceKey{ByteView{raw}});
    ASSERT_TRUE(j) << j.error().describe();
    journal_.emplace(std::move(*j));
    EXPECT_EQ(sqlite3_open_v2((dir_ / "journal.db").c_str(), &raw_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(raw_, 5000);
  }
  void TearDown() override {
    sqlite3_close_v2(raw_);
    journal_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Result<std::optional<std::int64_t>> apply(RowEvent event, JournalEntry& entry) {
    const auto move = find_row_move(stored_state(entry.reference_id), event);
    const bool seals = move && move->sealed == Sealed::write;
    return journal_->apply(event, entry, seals ? ByteView{kRequest} : ByteView{});
  }

  // A row in `state`, reached by legal moves only (a `created` row is an older version's:
  // written through SQLite, as that version did).
  JournalEntry row_in(TxnState state, const std::string& reference) {
    JournalEntry e = sample(reference);
    if (state == TxnState::created) {
      EXPECT_TRUE(apply(RowEvent::send, e));
      sql("UPDATE journal SET state = 'created' WHERE reference_id = '" + reference + "'");
      e.state = TxnState::created;
      return e;
    }
    const auto path = path_to(state);
    EXPECT_TRUE(path.has_value()) << to_string(state) << " cannot be reached";
    if (!path) return e;
    for (const RowMove& m : *path) {
      auto r = apply(m.event, e);
      EXPECT_TRUE(r) << move_name(m) << ": " << (r ? "" : r.error().describe());
    }
    return e;
  }

  std::optional<TxnState> stored_state(const std::string& reference) {
    auto row = journal_->find(reference);
    if (!row || !*row) return std::nullopt;
    return (*row)->state;
  }

  void sql(const std::string& text) { EXPECT_EQ(sqlite3_exec(raw_, text.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << text; }

  std::optional<Bytes> sealed_blob(const std::string& reference) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(raw_, "SELECT sealed FROM journal WHERE reference_id = ?1", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, reference.c_str(), -1, SQLITE_TRANSIENT);
    std::optional<Bytes> out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
      const auto* p = static_cast<const Byte*>(sqlite3_column_blob(st, 0));
      out = Bytes(p, p + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }

  std::vector<QueueItem> items_of(const std::string& reference) {
    std::vector<QueueItem> out;
    auto q = journal_->queue();
    EXPECT_TRUE(q);
    if (!q) return out;
    for (const auto& item : *q) {
      if (item.reference_id == reference) out.push_back(item);
    }
    return out;
  }

  std::optional<Journal> journal_;
  sqlite3* raw_ = nullptr;
  fs::path dir_;
};

TEST(JournalLifecycleTable, NamesAreUniqueAndEveryEventHasOne) {
  std::set<std::string_view> names;
  for (RowEvent e : kAllEvents) {
    EXPECT_NE(to_string(e), "?");
    EXPECT_TRUE(names.insert(to_string(e)).second) << to_string(e);
  }
}

TEST(JournalLifecycleTable, OneMovePerStateAndEventAndTheTableKeepsItsRules) {
  std::set<std::pair<std::optional<TxnState>, RowEvent>> seen;
  for (const RowMove& m : row_moves()) {
    EXPECT_TRUE(seen.insert({m.from, m.event}).second) << "twice: " << move_name(m);
    EXPECT_FALSE(m.from && is_final(*m.from)) << "a final row never changes: " << move_name(m);
    if (is_final(m.to)) {
      // The end and the wipe are one commit: no card data and no queue item survive a final
      // row. (A row written final at once never had either.)
      EXPECT_FALSE(m.enqueue) << move_name(m);
      EXPECT_EQ(m.sealed, m.from ? Sealed::wipe : Sealed::keep) << move_name(m);
      EXPECT_TRUE(m.dequeue || !m.from) << move_name(m);
    }
    // The request is sealed once, with the row that says it is about to leave.
    EXPECT_TRUE(m.sealed != Sealed::write || !m.from) << move_name(m);
    // Nothing new is ever written in `created` (an older version's state).
    EXPECT_NE(m.to, TxnState::created) << move_name(m);
  }
}

// Every state a transaction can be left in reaches an end, so recovery always has a move.
TEST(JournalLifecycleTable, EveryUnfinishedStateCanEnd) {
  for (TxnState s : kAllStates) {
    if (is_final(s)) continue;
    std::set<TxnState> seen{s};
    std::deque<TxnState> open{s};
    bool ends = false;
    while (!open.empty() && !ends) {
      const TxnState at = open.front();
      open.pop_front();
      for (const RowMove& m : row_moves()) {
        if (m.from != at) continue;
        if (is_final(m.to)) ends = true;
        if (seen.insert(m.to).second) open.push_back(m.to);
      }
    }
    EXPECT_TRUE(ends) << to_string(s) << " has no way to a final state";
  }
}

// Every row of the table, made on a journal: the end state, the sealed column and the queue
// exactly as the row says, in one commit.
TEST_F(JournalLifecycle, EveryMoveOfTheTableDoesWhatItsRowSays) {
  int n = 0;
  for (const RowMove& m : row_moves()) {
    SCOPED_TRACE(move_name(m));
    const std::string ref = "move-" + std::to_string(n++);
    JournalEntry e = m.from ? row_in(*m.from, ref) : sample(ref);
    ASSERT_EQ(stored_state(ref), m.from);
    const auto blob_before = sealed_blob(ref);
    const auto items_before = items_of(ref);
    const auto commits_before = journal_->commits();
    e.reason = "after " + std::string(to_string(m.event));
    auto r = apply(m.event, e);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(journal_->commits(), commits_before + 1) << "one move, one commit";
    EXPECT_EQ(e.state, m.to);
    auto row = journal_->find(ref);
    ASSERT_TRUE(row && *row);
    EXPECT_EQ((*row)->state, m.to);
    EXPECT_EQ((*row)->reason, e.reason) << "the row is written with the move";
    EXPECT_EQ((*row)->id, e.id);
    switch (m.sealed) {
      case Sealed::write: {
        auto plain = journal_->unseal(ref);
        ASSERT_TRUE(plain) << plain.error().describe();
        EXPECT_EQ(Bytes(plain->reveal().begin(), plain->reveal().end()), kRequest);
        break;
      }
      case Sealed::wipe:
        EXPECT_FALSE(sealed_blob(ref).has_value());
        EXPECT_EQ(journal_->unseal(ref).error().code, Errc::not_found);
        break;
      case Sealed::keep:
        EXPECT_EQ(sealed_blob(ref), blob_before);
        break;
    }
    const auto items = items_of(ref);
    std::vector<QueueItem> kept = m.dequeue ? std::vector<QueueItem>{} : items_before;
    if (m.enqueue) {
      ASSERT_TRUE(*r) << "the move queued: its item's seq is the answer";
      ASSERT_EQ(items.size(), kept.size() + 1);
      EXPECT_EQ(items.back().seq, **r);
      EXPECT_EQ(items.back().kind, *m.enqueue);
    } else {
      EXPECT_FALSE(r->has_value());
      EXPECT_EQ(items.size(), kept.size());
    }
    for (std::size_t i = 0; i < kept.size() && i < items.size(); ++i) EXPECT_EQ(items[i].seq, kept[i].seq);
  }
}

// Every (state, event) the table does not have, from every state a row can be in (and from no
// row): refused as a caller's bug, and nothing changes, not even a commit.
TEST_F(JournalLifecycle, EveryMoveTheTableDoesNotHaveIsRefusedAndChangesNothing) {
  std::vector<std::optional<TxnState>> froms{std::nullopt};
  for (TxnState s : kAllStates) froms.emplace_back(s);
  int n = 0;
  int refused = 0;
  for (const auto& from : froms) {
    for (RowEvent event : kAllEvents) {
      if (find_row_move(from, event)) continue;
      SCOPED_TRACE(from_name(from) + " on " + std::string(to_string(event)));
      const std::string ref = "illegal-" + std::to_string(n++);
      JournalEntry e = from ? row_in(*from, ref) : sample(ref);
      ASSERT_EQ(stored_state(ref), from);
      const auto blob_before = sealed_blob(ref);
      const auto items_before = items_of(ref);
      const auto commits_before = journal_->commits();
      const auto id_before = e.id;
      // With and without a request to seal: neither makes a move the table does not have.
      for (const ByteView sealed : {ByteView{}, ByteView{kRequest}}) {
        auto r = journal_->apply(event, e, sealed);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::invalid_argument) << r.error().describe();
      }
      ++refused;
      EXPECT_EQ(stored_state(ref), from);
      EXPECT_EQ(e.state, from.value_or(TxnState::created)) << "the caller's entry keeps its state";
      EXPECT_EQ(e.id, id_before);
      EXPECT_EQ(sealed_blob(ref), blob_before);
      EXPECT_EQ(items_of(ref).size(), items_before.size());
      EXPECT_EQ(journal_->commits(), commits_before);
    }
  }
  EXPECT_GT(refused, 100);
}

TEST_F(JournalLifecycle, ASealingMoveNeedsTheRequestAndNoOtherTakesOne) {
  JournalEntry e = sample("seal");
  auto none = journal_->apply(RowEvent::send, e);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::invalid_argument);
  EXPECT_FALSE(stored_state("seal"));
  ASSERT_TRUE(journal_->apply(RowEvent::send, e, kRequest));
  auto extra = journal_->apply(RowEvent::approve, e, kRequest);
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, Errc::invalid_argument);
  EXPECT_EQ(stored_state("seal"), TxnState::sent);
  JournalEntry f = sample("follow-on");
  f.kind = TxnKind::void_;
  EXPECT_FALSE(journal_->apply(RowEvent::send_follow_on, f, kRequest));
  EXPECT_TRUE(journal_->apply(RowEvent::send_follow_on, f));
  EXPECT_EQ(journal_->unseal("follow-on").error().code, Errc::not_found);
}

// A move is all or nothing: a full forwarding queue refuses the offline approval, and the
// row its move would have inserted is not there either.
TEST_F(JournalLifecycle, AMoveThatCannotQueueWritesNothing) {
  JournalOptions options;
  options.offline_queue_cap = 1;
  Bytes raw(32, 0x33);
  auto j = Journal::open(dir_ / "capped.db", DeviceKey{ByteView{raw}}, options);
  ASSERT_TRUE(j);
  JournalEntry first = sample("first");
  ASSERT_TRUE(j->apply(RowEvent::approve_offline, first, kRequest));
  JournalEntry second = sample("second");
  const auto commits = j->commits();
  auto full = j->apply(RowEvent::approve_offline, second, kRequest);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::exhausted);
  EXPECT_EQ(j->commits(), commits);
  auto row = j->find("second");
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->has_value());
  EXPECT_EQ(second.id, 0);
  // A sent sale that cannot be stored and forwarded stays sent (its reversal is the engine's).
  JournalEntry third = sample("third");
  ASSERT_TRUE(j->apply(RowEvent::send, third, kRequest));
  EXPECT_EQ(j->apply(RowEvent::approve_offline, third).error().code, Errc::exhausted);
  EXPECT_EQ((*j->find("third"))->state, TxnState::sent);
  EXPECT_TRUE(j->unseal("third"));
}

// The id a row will get is known before it is written (the chip's sequence counter), and the
// row gets it.
TEST_F(JournalLifecycle, NextIdIsTheIdTheNextRowGets) {
  for (int i = 0; i < 3; ++i) {
    auto next = journal_->next_id();
    ASSERT_TRUE(next);
    JournalEntry e = sample("n" + std::to_string(i));
    ASSERT_TRUE(journal_->apply(RowEvent::cancel, e));
    EXPECT_EQ(e.id, *next);
  }
}

}  // namespace
}  // namespace tender::app
