#include "app/journal/journal.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <iterator>
#include <string>
#include <vector>

#include "app/journal/lifecycle.hpp"

namespace tender::app {
namespace {

namespace fs = std::filesystem;

DeviceKey key_of(Byte fill) {
  Bytes raw(32);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<Byte>(fill + i);
  return DeviceKey{ByteView{raw}};
}

Currency currency(std::string_view alpha) { return currency_by_alpha(alpha).value(); }

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

const Bytes kSealed{0x01, 0x02};

// The moves that take a new row to `state` (lifecycle.hpp); `created` is an older version's
// state, written by hand below.
std::vector<RowEvent> path_to(TxnState state) {
  using E = RowEvent;
  switch (state) {
    case TxnState::created:
    case TxnState::sent: return {E::send};
    case TxnState::approved: return {E::send, E::approve};
    case TxnState::completed: return {E::send, E::approve, E::complete};
    case TxnState::declined: return {E::decline};
    case TxnState::failed: return {E::fail};
    case TxnState::cancelled: return {E::cancel};
    case TxnState::reversal_pending: return {E::send, E::reverse};
    case TxnState::reversed: return {E::send, E::reverse, E::reversal_done};
    case TxnState::offline_approved: return {E::approve_offline};
    case TxnState::forwarded: return {E::approve_offline, E::forward_approved};
    case TxnState::forward_declined: return {E::approve_offline, E::forward_declined};
    case TxnState::in_doubt: return {E::send_follow_on, E::doubt};
  }
  return {};
}

// Direct SQLite access to the journal's file, for what the API must not allow: moving a
// blob between rows, damaging bytes, forcing a schema version.
class RawDb {
 public:
  explicit RawDb(const fs::path& file) {
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

  std::optional<Bytes> sealed(const std::string& reference) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT sealed FROM journal WHERE reference_id = ?1", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, reference.c_str(), -1, SQLITE_TRANSIENT);
    std::optional<Bytes> out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
      const auto* p = static_cast<const Byte*>(sqlite3_column_blob(st, 0));
      out = Bytes(p, p + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }

  void set_sealed(const std::string& reference, const Bytes& blob) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "UPDATE journal SET sealed = ?1 WHERE reference_id = ?2", -1, &st, nullptr);
    sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, reference.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }

 private:
  sqlite3* db_ = nullptr;
};

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tender-journal-" + std::string(info->name()) + "-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = dir_ / "journal.db";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Journal open_journal(const DeviceKey& key, JournalOptions options = {}) {
    auto j = Journal::open(file_, key, options);
    EXPECT_TRUE(j.has_value()) << (j ? "" : j.error().describe());
    return std::move(j).value();
  }

  // A row in `state`, by the lifecycle's moves (those that seal seal kSealed).
  JournalEntry write_in(Journal& j, JournalEntry e, TxnState state) {
    for (RowEvent event : path_to(state)) {
      const bool seals = event == RowEvent::send || event == RowEvent::approve_offline;
      auto r = j.apply(event, e, seals ? ByteView{kSealed} : ByteView{});
      EXPECT_TRUE(r) << to_string(event) << ": " << (r ? "" : r.error().describe());
    }
    if (state == TxnState::created) {
      RawDb raw(file_);
      EXPECT_EQ(raw.exec(("UPDATE journal SET state = 'created' WHERE reference_id = '" + e.reference_id + "'").c_str()),
                SQLITE_OK);
      e.state = TxnState::created;
    }
    return e;
  }

  fs::path dir_;
  fs::path file_;
  DeviceKey key_ = key_of(0x10);
};

// ---------------------------------------------------------------------------------------

TEST(JournalNames, EveryEnumRoundTripsThroughItsName) {
  for (auto k : {TxnKind::sale, TxnKind::preauth, TxnKind::capture, TxnKind::void_, TxnKind::refund,
                 TxnKind::tip_adjust, TxnKind::verify})
    EXPECT_EQ(txn_kind_from_string(to_string(k)), k);
  EXPECT_EQ(to_string(TxnKind::void_), "void");
  EXPECT_EQ(to_string(TxnKind::tip_adjust), "tip_adjust");
  EXPECT_FALSE(txn_kind_from_string("void_"));
  EXPECT_FALSE(txn_kind_from_string(""));

  int finals = 0;
  for (int i = 0; i <= static_cast<int>(TxnState::forward_declined); ++i) {
    const auto s = static_cast<TxnState>(i);
    EXPECT_EQ(txn_state_from_string(to_string(s)), s);
    finals += is_final(s) ? 1 : 0;
  }
  EXPECT_EQ(finals, 7);
  EXPECT_EQ(to_string(TxnState::reversal_pending), "reversal_pending");
  EXPECT_FALSE(is_final(TxnState::offline_approved));
  EXPECT_TRUE(is_final(TxnState::forward_declined));
  EXPECT_FALSE(txn_state_from_string("Created"));

  for (auto m : {StoredEntryMode::keyed, StoredEntryMode::swiped, StoredEntryMode::chip,
                 StoredEntryMode::fallback_swipe, StoredEntryMode::contactless})
    EXPECT_EQ(stored_entry_mode_from_string(to_string(m)), m);
  for (auto c : {Cvm::none, Cvm::online_pin, Cvm::offline_pin, Cvm::signature})
    EXPECT_EQ(cvm_from_string(to_string(c)), c);
  EXPECT_EQ(to_string(QueueKind::forward), "forward");
  EXPECT_EQ(to_string(QueueKind::reversal), "reversal");
}

TEST(JournalSealBytes, LayoutIsNonceCiphertextTagAndAadBinds) {
  const DeviceKey key = key_of(1);
  const Bytes plain{1, 2, 3, 4, 5};
  const Bytes aad{'a'};
  auto a = seal_bytes(key, aad, plain);
  auto b = seal_bytes(key, aad, plain);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 12 + plain.size() + 16);
  EXPECT_NE(*a, *b) << "each seal draws a fresh nonce";
  auto opened = open_sealed(key, aad, *a);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(std::equal(opened->reveal().begin(), opened->reveal().end(), plain.begin(), plain.end()));
  EXPECT_EQ(open_sealed(key, Bytes{'b'}, *a).error().code, Errc::crypto_error);
  EXPECT_EQ(open_sealed(key, aad, ByteView{a->data(), 27}).error().code, Errc::crypto_error);
  auto empty = seal_bytes(key, aad, {});
  ASSERT_TRUE(empty);
  auto opened_empty = open_sealed(key, aad, *empty);
  ASSERT_TRUE(opened_empty);
  EXPECT_TRUE(opened_empty->empty());
}

// ---------------------------------------------------------------------------------------

// Every field a caller sets; id, created_unix and updated_unix are the journal's own.
void expect_same_fields(const JournalEntry& got, const JournalEntry& want) {
  EXPECT_EQ(got.reference_id, want.reference_id);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.entry_mode, want.entry_mode);
  EXPECT_EQ(got.amount, want.amount);
  EXPECT_EQ(got.amount.currency().exponent, want.amount.currency().exponent);
  EXPECT_EQ(got.tip, want.tip);
  EXPECT_EQ(got.surcharge, want.surcharge);
  EXPECT_EQ(got.approved_amount, want.approved_amount);
  EXPECT_EQ(got.cvm, want.cvm);
  EXPECT_EQ(got.offline, want.offline);
  const auto texts = [](const JournalEntry& e) {
    return std::vector<std::string>{e.original_reference, e.masked_pan, e.card_label, e.aid,
                                    e.tvr, e.tsi, e.auth_code, e.host_reference, e.response_code,
                                    e.response_message, e.reason, e.batch};
  };
  EXPECT_EQ(texts(got), texts(want));
}

TEST_F(JournalTest, MovesWriteEveryFieldAndKeepIdAndCreated) {
  Journal j = open_journal(key_);
  JournalEntry e = sample("3f9c1a52-0000-4000-8000-000000000001");
  e.kind = TxnKind::tip_adjust;
  e.entry_mode = StoredEntryMode::fallback_swipe;
  e.amount = Money{150000, currency("JPY")};
  e.tip = Money{200, currency("JPY")};
  e.surcharge = Money{0, currency("JPY")};
  e.original_reference = "orig-ref";
  e.aid = "A0000000031010";
  e.tvr = "0000008000";
  e.tsi = "E800";
  e.cvm = Cvm::online_pin;
  e.auth_code = "A1B2C3";
  e.host_reference = "host-77";
  e.response_code = "00";
  e.response_message = "APPROVAL";
  e.offline = true;
  e.created_unix = 1700000000;
  e.updated_unix = 5;  // ignored: every write sets it
  e.state = TxnState::completed;  // ignored: the move decides

  ASSERT_TRUE(j.apply(RowEvent::send_follow_on, e));
  EXPECT_GT(e.id, 0);
  EXPECT_EQ(e.state, TxnState::sent);
  auto found = j.find(e.reference_id);
  ASSERT_TRUE(found && found->has_value());
  const JournalEntry got = **found;
  expect_same_fields(got, e);
  EXPECT_FALSE(got.approved_amount);
  EXPECT_EQ(got.id, e.id);
  EXPECT_EQ(got.created_unix, 1700000000);
  EXPECT_GT(got.updated_unix, 1700000000);

  // Every field changes with a move, except id and created_unix which the row keeps.
  JournalEntry u = got;
  u.id = 999;
  u.created_unix = 42;
  u.kind = TxnKind::refund;
  u.entry_mode = StoredEntryMode::contactless;
  u.amount = Money{-5005, currency("KWD")};
  u.tip = std::nullopt;
  u.surcharge = Money{25, currency("EUR")};
  u.approved_amount = Money{-5000, currency("KWD")};
  u.original_reference = "";
  u.masked_pan = "541333******4111";
  u.card_label = "MASTERCARD";
  u.aid = "A0000000041010";
  u.tvr = "8000048000";
  u.tsi = "6800";
  u.cvm = Cvm::signature;
  u.auth_code = "";
  u.host_reference = "host-78";
  u.response_code = "10";
  u.response_message = "PARTIAL APPROVAL";
  u.reason = "partial";
  u.offline = false;
  u.batch = "B-7";
  ASSERT_TRUE(j.apply(RowEvent::approve, u));
  EXPECT_EQ(u.state, TxnState::approved);
  EXPECT_EQ(u.id, got.id);
  EXPECT_EQ(u.created_unix, 1700000000);
  auto again = j.find(u.reference_id);
  ASSERT_TRUE(again && again->has_value());
  expect_same_fields(**again, u);
  EXPECT_EQ((*again)->id, got.id);
  EXPECT_EQ((*again)->created_unix, 1700000000);
  EXPECT_GE((*again)->updated_unix, got.updated_unix);

  auto missing = j.find("no-such-ref");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(JournalTest, NewRowsGetCreatedWhenZeroAndIncreasingIds) {
  Journal j = open_journal(key_);
  JournalEntry a = sample("a");
  JournalEntry b = sample("b");
  ASSERT_TRUE(j.apply(RowEvent::cancel, a));
  ASSERT_TRUE(j.apply(RowEvent::cancel, b));
  EXPECT_LT(a.id, b.id);
  EXPECT_GT((*j.find("a"))->created_unix, 1600000000);
}

TEST_F(JournalTest, ASecondNewRowOfAReferenceOrAnEmptyOneIsInvalidArgument) {
  Journal j = open_journal(key_);
  JournalEntry first = sample("ref-secret-42");
  ASSERT_TRUE(j.apply(RowEvent::send, first, kSealed));
  JournalEntry dup = sample("ref-secret-42");
  dup.reason = "should not stick";
  auto r = j.apply(RowEvent::send, dup, kSealed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_EQ(r.error().message.find("ref-secret-42"), std::string::npos) << "messages never quote values";
  EXPECT_EQ((*j.find("ref-secret-42"))->reason, "") << "the first row is untouched";
  JournalEntry empty = sample("");
  auto e = j.apply(RowEvent::cancel, empty);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::invalid_argument);
  EXPECT_EQ(j.list()->size(), 1u);
}

TEST_F(JournalTest, AMoveOfARowThatIsNotThereIsRefused) {
  Journal j = open_journal(key_);
  JournalEntry ghost = sample("ghost");
  auto r = j.apply(RowEvent::approve, ghost);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_TRUE(j.list()->empty());
}

TEST_F(JournalTest, FinalRowsNeverChange) {
  Journal j = open_journal(key_);
  int n = 0;
  for (int i = 0; i <= static_cast<int>(TxnState::in_doubt); ++i) {
    const auto state = static_cast<TxnState>(i);
    if (!is_final(state)) continue;
    const std::string ref = "final-" + std::to_string(n++);
    JournalEntry change = write_in(j, sample(ref), state);
    change.reason = "should not stick";
    for (RowEvent event : {RowEvent::reverse, RowEvent::requeue, RowEvent::complete, RowEvent::cancel}) {
      auto r = j.apply(event, change);
      ASSERT_FALSE(r) << to_string(state);
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
    }
    const auto row = **j.find(ref);
    EXPECT_EQ(row.state, state);
    EXPECT_EQ(row.reason, "");
  }
  EXPECT_EQ(n, 7);
  EXPECT_TRUE(j.queue()->empty());
}

TEST_F(JournalTest, ListIsNewestFirstAndHonoursLimit) {
  Journal j = open_journal(key_);
  for (int i = 0; i < 5; ++i) write_in(j, sample("r" + std::to_string(i)), TxnState::cancelled);
  auto all = j.list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*all)[static_cast<std::size_t>(i)].reference_id, "r" + std::to_string(4 - i));
  auto two = j.list(2);
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].reference_id, "r4");
  EXPECT_EQ((*two)[1].reference_id, "r3");
  EXPECT_EQ(j.list(50)->size(), 5u);
}

TEST_F(JournalTest, UnfinishedIsOldestFirstWithoutFinalStates) {
  Journal j = open_journal(key_);
  const TxnState states[] = {TxnState::completed, TxnState::sent,      TxnState::declined,
                             TxnState::created,   TxnState::reversed,  TxnState::reversal_pending,
                             TxnState::approved,  TxnState::forwarded, TxnState::offline_approved,
                             TxnState::cancelled, TxnState::failed,    TxnState::forward_declined,
                             TxnState::in_doubt};
  int i = 0;
  for (auto s : states) write_in(j, sample("u" + std::to_string(i++)), s);
  auto open = j.unfinished();
  ASSERT_TRUE(open);
  std::vector<std::string> refs;
  for (const auto& e : *open) refs.push_back(e.reference_id);
  EXPECT_EQ(refs, (std::vector<std::string>{"u1", "u3", "u5", "u6", "u8", "u12"}));
}

TEST_F(JournalTest, TheSealedRequestRoundTripsPerRow) {
  Journal j = open_journal(key_);
  const Bytes first{0xDE, 0xAD, 0xBE, 0xEF};
  JournalEntry a = sample("s1");
  ASSERT_TRUE(j.apply(RowEvent::send, a, first));
  auto opened = j.unseal("s1");
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_TRUE(*opened == SecretBytes{ByteView{first}});
  const Bytes second(300, 0x5A);
  JournalEntry b = sample("s2");
  ASSERT_TRUE(j.apply(RowEvent::approve_offline, b, second));
  EXPECT_TRUE(*j.unseal("s2") == SecretBytes{ByteView{second}});
  EXPECT_TRUE(*j.unseal("s1") == SecretBytes{ByteView{first}});
}

TEST_F(JournalTest, UnsealNotFoundWhenNothingSealedOrWiped) {
  Journal j = open_journal(key_);
  JournalEntry f = sample("f");
  f.kind = TxnKind::void_;
  ASSERT_TRUE(j.apply(RowEvent::send_follow_on, f));
  EXPECT_EQ(j.unseal("f").error().code, Errc::not_found);
  EXPECT_EQ(j.unseal("no-row").error().code, Errc::not_found);
  JournalEntry w = sample("w");
  ASSERT_TRUE(j.apply(RowEvent::send, w, Bytes{1, 2, 3}));
  ASSERT_TRUE(j.unseal("w"));
  ASSERT_TRUE(j.apply(RowEvent::approve, w));
  ASSERT_TRUE(j.unseal("w")) << "kept until the end";
  ASSERT_TRUE(j.apply(RowEvent::complete, w));
  EXPECT_EQ(j.unseal("w").error().code, Errc::not_found);
  EXPECT_FALSE(RawDb(file_).sealed("w").has_value());
}

TEST_F(JournalTest, UnsealWithAnotherDeviceKeyIsCryptoError) {
  {
    Journal j = open_journal(key_);
    JournalEntry k = sample("k");
    ASSERT_TRUE(j.apply(RowEvent::send, k, Bytes{9, 9, 9}));
  }
  Journal other = open_journal(key_of(0x77));
  auto r = other.unseal("k");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto_error);
}

TEST_F(JournalTest, BlobMovedToAnotherRowDoesNotOpen) {
  Journal j = open_journal(key_);
  JournalEntry from = sample("from");
  JournalEntry to = sample("to");
  ASSERT_TRUE(j.apply(RowEvent::send, from, Bytes{1, 2, 3, 4}));
  ASSERT_TRUE(j.apply(RowEvent::send, to, Bytes{5, 6, 7, 8}));
  {
    RawDb raw(file_);
    const auto blob = raw.sealed("from");
    ASSERT_TRUE(blob);
    raw.set_sealed("to", *blob);
  }
  auto r = j.unseal("to");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::crypto_error);
  EXPECT_TRUE(j.unseal("from")) << "the original row still opens";
}

TEST_F(JournalTest, AnyDamagedByteIsCryptoError) {
  Journal j = open_journal(key_);
  JournalEntry t = sample("t");
  ASSERT_TRUE(j.apply(RowEvent::send, t, Bytes(40, 0x33)));
  RawDb raw(file_);
  const Bytes good = raw.sealed("t").value();
  ASSERT_EQ(good.size(), 12u + 40u + 16u);
  for (std::size_t at : {std::size_t{0}, std::size_t{11}, std::size_t{12}, std::size_t{30},
                         good.size() - 16, good.size() - 1}) {
    Bytes bad = good;
    bad[at] ^= 0x01;
    raw.set_sealed("t", bad);
    auto r = j.unseal("t");
    ASSERT_FALSE(r) << "byte " << at;
    EXPECT_EQ(r.error().code, Errc::crypto_error);
  }
  raw.set_sealed("t", Bytes(good.begin(), good.begin() + 20));
  EXPECT_EQ(j.unseal("t").error().code, Errc::crypto_error);
  raw.set_sealed("t", good);
  EXPECT_TRUE(j.unseal("t"));
}

TEST_F(JournalTest, QueueKeepsOrderCapsForwardsButNeverReversals) {
  Journal j = open_journal(key_, JournalOptions{.offline_queue_cap = 20});
  std::vector<std::int64_t> seqs;
  for (int i = 0; i < 40; ++i) {
    const auto kind = i % 2 == 0 ? QueueKind::forward : QueueKind::reversal;
    auto s = j.enqueue("q" + std::to_string(i), kind);
    ASSERT_TRUE(s) << i;
    seqs.push_back(*s);
  }
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(*j.queued(QueueKind::forward), 20u);
  EXPECT_EQ(*j.queued(QueueKind::reversal), 20u);

  auto full = j.enqueue("one-more", QueueKind::forward);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::exhausted);
  EXPECT_TRUE(j.enqueue("must-reverse", QueueKind::reversal));

  auto q = j.queue();
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 41u);
  for (std::size_t i = 0; i < 40; ++i) {
    EXPECT_EQ((*q)[i].seq, seqs[i]);
    EXPECT_EQ((*q)[i].reference_id, "q" + std::to_string(i));
    EXPECT_EQ((*q)[i].kind, i % 2 == 0 ? QueueKind::forward : QueueKind::reversal);
    EXPECT_EQ((*q)[i].attempts, 0);
    EXPECT_EQ((*q)[i].last_error, "");
  }
  EXPECT_EQ(q->back().reference_id, "must-reverse");

  // A dequeued forward frees a place; seq keeps increasing (AUTOINCREMENT never reuses).
  ASSERT_TRUE(j.dequeue(seqs[0]));
  auto again = j.enqueue("later", QueueKind::forward);
  ASSERT_TRUE(again);
  EXPECT_GT(*again, q->back().seq);
  EXPECT_EQ(j.dequeue(seqs[0]).error().code, Errc::not_found);
  EXPECT_EQ(j.enqueue("", QueueKind::reversal).error().code, Errc::invalid_argument);
}

TEST_F(JournalTest, RecordAttemptCountsAndKeepsLastError) {
  Journal j = open_journal(key_);
  auto s = j.enqueue("r", QueueKind::reversal);
  ASSERT_TRUE(s);
  ASSERT_TRUE(j.record_attempt(*s, "timeout"));
  ASSERT_TRUE(j.record_attempt(*s, "host said 96"));
  auto q = j.queue();
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ(q->front().attempts, 2);
  EXPECT_EQ(q->front().last_error, "host said 96");
  EXPECT_EQ(j.record_attempt(*s + 100, "x").error().code, Errc::not_found);
}

TEST_F(JournalTest, AMoveAndItsQueueItemAreBothOrNeither) {
  Journal j = open_journal(key_, JournalOptions{.offline_queue_cap = 1});
  JournalEntry a = sample("a");
  auto first = j.apply(RowEvent::approve_offline, a, kSealed);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*j.find("a"))->state, TxnState::offline_approved);

  // The queue is full: the enqueue fails, so the row must not be on disk either.
  JournalEntry b = sample("b");
  ASSERT_TRUE(j.apply(RowEvent::send, b, kSealed));
  auto second = j.apply(RowEvent::approve_offline, b);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::exhausted);
  EXPECT_EQ((*j.find("b"))->state, TxnState::sent);
  EXPECT_EQ(b.state, TxnState::sent);
  EXPECT_EQ(j.queue()->size(), 1u);

  auto rev = j.apply(RowEvent::reverse, b);
  ASSERT_TRUE(rev && rev->has_value());
  const auto q = *j.queue();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].seq, **rev);
  EXPECT_EQ(q[1].reference_id, "b");
  EXPECT_EQ(q[1].kind, QueueKind::reversal);
}

TEST_F(JournalTest, TheEndOfAQueuedRowDropsItsItemInTheSameCommit) {
  Journal j = open_journal(key_);
  JournalEntry f = sample("f");
  ASSERT_TRUE(j.apply(RowEvent::approve_offline, f, kSealed));
  EXPECT_EQ(*j.queued(QueueKind::forward), 1u);
  const auto commits = j.commits();
  ASSERT_TRUE(j.apply(RowEvent::forward_approved, f));
  EXPECT_EQ(j.commits(), commits + 1);
  EXPECT_EQ((*j.find("f"))->state, TxnState::forwarded);
  EXPECT_TRUE(j.queue()->empty());
  EXPECT_EQ(j.unseal("f").error().code, Errc::not_found);
}

TEST_F(JournalTest, EverythingSurvivesCloseAndReopen) {
  std::int64_t seq = 0;
  {
    Journal j = open_journal(key_);
    JournalEntry e = sample("p1");
    e.tip = Money{100, currency("GBP")};
    e.amount = Money{1100, currency("GBP")};
    ASSERT_TRUE(j.apply(RowEvent::send, e, Bytes{4, 2}));
    write_in(j, sample("p2"), TxnState::completed);
    auto s = j.apply(RowEvent::reverse, e);
    ASSERT_TRUE(s && s->has_value());
    seq = **s;
    ASSERT_TRUE(j.record_attempt(seq, "no route"));
    // A moved journal keeps working and closes once.
    Journal moved = std::move(j);
    JournalEntry p3 = sample("p3");
    ASSERT_TRUE(moved.apply(RowEvent::send, p3, kSealed));
  }
  Journal j = open_journal(key_);
  const auto all = *j.list();
  ASSERT_EQ(all.size(), 3u);
  const auto p1 = **j.find("p1");
  EXPECT_EQ(p1.state, TxnState::reversal_pending);
  EXPECT_EQ(p1.amount, (Money{1100, currency("GBP")}));
  EXPECT_EQ(p1.tip, (Money{100, currency("GBP")}));
  EXPECT_TRUE((*j.unseal("p1") == SecretBytes{ByteView{Bytes{4, 2}}}));
  const auto q = *j.queue();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].seq, seq);
  EXPECT_EQ(q[0].attempts, 1);
  EXPECT_EQ(q[0].last_error, "no route");
  EXPECT_EQ(j.unfinished()->size(), 2u);
}

TEST_F(JournalTest, AReaderSeesCommittedWritesAndAStaleCopyCannotMoveTwice) {
  // tenderctl's journal list reads the file while the terminal has it open.
  Journal terminal = open_journal(key_);
  auto tool = Journal::open_read_only(file_);
  ASSERT_TRUE(tool) << tool.error().describe();
  JournalEntry shared = sample("shared");
  ASSERT_TRUE(terminal.apply(RowEvent::send, shared, kSealed));
  auto seen = tool->find("shared");
  ASSERT_TRUE(seen && seen->has_value());
  JournalEntry stale = shared;
  ASSERT_TRUE(terminal.apply(RowEvent::approve, shared));
  EXPECT_EQ((*tool->find("shared"))->state, TxnState::approved);
  // The move is looked up from the row on disk: a stale copy cannot approve twice.
  EXPECT_EQ(terminal.apply(RowEvent::approve, stale).error().code, Errc::invalid_argument);
}

TEST_F(JournalTest, NewFileIsOwnerReadWriteOnly) {
  const mode_t old = ::umask(0);  // the most permissive umask must still give 0600
  Journal j = open_journal(key_);
  ::umask(old);
  write_in(j, sample("m"), TxnState::sent);
  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const fs::path wal = file_.string() + "-wal";
  if (fs::exists(wal)) {
    ASSERT_EQ(::stat(wal.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
}

TEST_F(JournalTest, GarbageFileIsMalformed) {
  {
    std::ofstream out(file_, std::ios::binary);
    std::string junk(4096, 'x');
    out << "this is not a database\n" << junk;
  }
  auto j = Journal::open(file_, key_);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, Errc::malformed) << j.error().describe();

  const fs::path small = dir_ / "small.db";
  { std::ofstream(small, std::ios::binary) << "hello"; }
  auto s = Journal::open(small, key_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::malformed) << s.error().describe();
}

// A version 1 journal never recorded whether a row was sent: after the upgrade every row counts
// as sent when it was created, so a forward asks the host before it sends (sent_unix 0 would
// mean "never sent" and skip that question).
TEST_F(JournalTest, VersionOneRowsCountAsSentWhenCreated) {
  {
    Journal j = open_journal(key_);
    JournalEntry e = sample("11111111-1111-4111-8111-111111111111");
    e.created_unix = 1700000000;
    ASSERT_TRUE(j.apply(RowEvent::approve_offline, e, kSealed));
  }
  {
    RawDb raw(file_);
    ASSERT_EQ(raw.exec("ALTER TABLE journal DROP COLUMN sent_unix; ALTER TABLE journal DROP COLUMN receipt_reference;"
                       " PRAGMA user_version = 1"),
              SQLITE_OK);
  }
  Journal j = open_journal(key_);
  auto row = j.find("11111111-1111-4111-8111-111111111111");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->sent_unix, 1700000000);
  JournalEntry fresh = sample("22222222-2222-4222-8222-222222222222");
  ASSERT_TRUE(j.apply(RowEvent::cancel, fresh));
  EXPECT_EQ((*j.find("22222222-2222-4222-8222-222222222222"))->sent_unix, 0);
}

// A version 2 journal has no receipt reference: its rows keep printing the host's id, and a new
// row keeps the one it is given.
TEST_F(JournalTest, VersionTwoRowsHaveNoReceiptReference) {
  {
    Journal j = open_journal(key_);
    JournalEntry e = sample("33333333-3333-4333-8333-333333333333");
    e.host_reference = "59344814-87c2-4a62-9859-9b0f5ecadf1e";
    ASSERT_TRUE(j.apply(RowEvent::approve_offline, e, kSealed));
  }
  {
    RawDb raw(file_);
    ASSERT_EQ(raw.exec("ALTER TABLE journal DROP COLUMN receipt_reference; PRAGMA user_version = 2"), SQLITE_OK);
  }
  Journal j = open_journal(key_);
  auto row = j.find("33333333-3333-4333-8333-333333333333");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->host_reference, "59344814-87c2-4a62-9859-9b0f5ecadf1e");
  EXPECT_TRUE((*row)->receipt_reference.empty());
  JournalEntry fresh = sample("44444444-4444-4444-8444-444444444444");
  fresh.receipt_reference = "16286858";
  ASSERT_TRUE(j.apply(RowEvent::cancel, fresh));
  EXPECT_EQ((*j.find("44444444-4444-4444-8444-444444444444"))->receipt_reference, "16286858");
}

TEST_F(JournalTest, NewerSchemaVersionIsUnsupported) {
  { Journal j = open_journal(key_); }
  {
    RawDb raw(file_);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 99"), SQLITE_OK);
  }
  auto j = Journal::open(file_, key_);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, Errc::unsupported);
}

TEST_F(JournalTest, MissingDirectoryIsIoError) {
  auto j = Journal::open(dir_ / "no" / "such" / "journal.db", key_);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, Errc::io_error);
}

TEST_F(JournalTest, OpenBatchAndCloseBatch) {
  Journal j = open_journal(key_);
  const TxnState states[] = {TxnState::completed, TxnState::declined,  TxnState::approved,
                             TxnState::sent,      TxnState::forwarded, TxnState::offline_approved,
                             TxnState::reversed};
  int i = 0;
  for (auto s : states) write_in(j, sample("b" + std::to_string(i++)), s);
  JournalEntry already = sample("old");
  already.batch = "B-1";
  write_in(j, already, TxnState::completed);

  auto open = j.open_batch();
  ASSERT_TRUE(open);
  std::vector<std::string> refs;
  for (const auto& e : *open) refs.push_back(e.reference_id);
  EXPECT_EQ(refs, (std::vector<std::string>{"b0", "b2", "b4"}));

  ASSERT_TRUE(j.close_batch("B-2"));
  EXPECT_TRUE(j.open_batch()->empty());
  for (const char* r : {"b0", "b2", "b4"}) EXPECT_EQ((*j.find(r))->batch, "B-2");
  for (const char* r : {"b1", "b3", "b5", "b6"}) EXPECT_EQ((*j.find(r))->batch, "");
  EXPECT_EQ((*j.find("old"))->batch, "B-1");
  EXPECT_EQ(j.close_batch("").error().code, Errc::invalid_argument);
}

// ---------------------------------------------------------------------------------------
// The file scan: card data handed to the journal must never rest on disk in clear.

constexpr std::string_view kPan = "4761739001010010";
constexpr std::string_view kTrack2 = "4761739001010010=25122011143804400000";
constexpr std::string_view kPinBlockHex = "0412AC8FFEFEFEFE";

Bytes read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const Bytes& hay, ByteView needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class JournalFileScan : public JournalTest {
 protected:
  // Every file SQLite keeps for the database, whatever exists at this moment.
  std::vector<fs::path> files() const {
    std::vector<fs::path> out;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      const fs::path p = file_.string() + suffix;
      if (fs::exists(p)) out.push_back(p);
    }
    return out;
  }

  void expect_no_card_data(const std::string& when) {
    const Bytes pin_block = from_hex(kPinBlockHex).value();
    const std::string pin_hex_lower = lower(kPinBlockHex);
    const auto found = files();
    ASSERT_FALSE(found.empty());
    for (const auto& f : found) {
      const Bytes data = read_all(f);
      const std::string name = f.filename().string() + " " + when;
      EXPECT_FALSE(contains(data, as_bytes(kPan))) << "clear PAN found in " << name;
      EXPECT_FALSE(contains(data, as_bytes(kTrack2))) << "clear track 2 found in " << name;
      EXPECT_FALSE(contains(data, pin_block)) << "raw PIN block found in " << name;
      EXPECT_FALSE(contains(data, as_bytes(kPinBlockHex))) << "PIN block hex found in " << name;
      EXPECT_FALSE(contains(data, as_bytes(pin_hex_lower))) << "PIN block hex found in " << name;
    }
  }

  bool any_file_contains(ByteView needle) const {
    for (const auto& f : files())
      if (contains(read_all(f), needle)) return true;
    return false;
  }
};

TEST_F(JournalFileScan, NoClearCardDataInAnyFile) {
  // The plaintext the engine would seal: PAN, track 2 and the PIN block, as text and raw.
  const Bytes pin_block = from_hex(kPinBlockHex).value();
  std::string text(kPan);
  text += '|';
  text += kTrack2;
  text += '|';
  text.append(pin_block.begin(), pin_block.end());
  text += '|';
  text += kPinBlockHex;
  const Bytes payload(text.begin(), text.end());

  std::vector<Bytes> sealed_blobs;
  {
    Journal j = open_journal(key_);
    for (int i = 0; i < 50; ++i) {
      JournalEntry e = sample("scan-" + std::to_string(i));
      e.offline = true;
      ASSERT_TRUE(j.apply(RowEvent::approve_offline, e, payload));
    }
    expect_no_card_data("while open");
    auto back = j.unseal("scan-7");
    ASSERT_TRUE(back);
    EXPECT_TRUE(*back == SecretBytes{ByteView{payload}});
    RawDb raw(file_);
    for (int i = 0; i < 50; ++i) sealed_blobs.push_back(raw.sealed("scan-" + std::to_string(i)).value());
  }
  expect_no_card_data("after close");

  // Once final, the ciphertext itself goes: NULL, and secure_delete overwrites the freed
  // cell, so not even the sealed bytes can be found after a checkpoint.
  {
    Journal j = open_journal(key_);
    for (int i = 0; i < 50; ++i) {
      JournalEntry e = **j.find("scan-" + std::to_string(i));
      ASSERT_TRUE(j.apply(RowEvent::forward_approved, e));
    }
    {
      RawDb raw(file_);
      ASSERT_EQ(raw.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    }
    expect_no_card_data("after wipe and checkpoint");
    EXPECT_EQ(j.unseal("scan-3").error().code, Errc::not_found);
  }
  expect_no_card_data("after wipe and close");
  std::size_t left = 0;
  for (const auto& blob : sealed_blobs) {
    // The tag alone (16 random bytes) identifies each blob.
    const ByteView tag{blob.data() + blob.size() - 16, 16};
    left += any_file_contains(tag) ? 1 : 0;
  }
  EXPECT_EQ(left, 0u) << "sealed blobs still on disk after wipe";
}

// ---------------------------------------------------------------------------------------
// One writer per journal, and the back office's read-only view.

TEST_F(JournalTest, ASecondWriterIsBusyUntilTheFirstCloses) {
  std::optional<Journal> first{open_journal(key_)};
  auto second = Journal::open(file_, key_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::busy) << second.error().describe();
  EXPECT_NE(second.error().message.find("in use by another process"), std::string::npos);
  // The refused open changed nothing: the first handle still writes.
  JournalEntry e = sample("busy-1");
  ASSERT_TRUE(first->apply(RowEvent::cancel, e));
  first.reset();
  auto third = Journal::open(file_, key_);
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_TRUE(third->find("busy-1").value().has_value());
}

TEST_F(JournalTest, AMovedHandleKeepsTheLock) {
  Journal a = open_journal(key_);
  Journal b = std::move(a);
  EXPECT_EQ(Journal::open(file_, key_).error().code, Errc::busy);
}

TEST_F(JournalTest, ReadOnlyReadsBesideTheWriterWithoutAKey) {
  Journal writer = open_journal(key_);
  JournalEntry e = sample("ro-1");
  ASSERT_TRUE(writer.apply(RowEvent::send, e, kSealed));
  ASSERT_TRUE(writer.enqueue("ro-1", QueueKind::reversal));

  auto reader = Journal::open_read_only(file_);
  ASSERT_TRUE(reader) << reader.error().describe();
  auto rows = reader->list();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().reference_id, "ro-1");
  EXPECT_EQ(reader->queue().value().size(), 1u);
  // It never opens sealed data and never writes.
  EXPECT_EQ(reader->unseal("ro-1").error().code, Errc::unsupported);
  JournalEntry other = sample("ro-2");
  EXPECT_EQ(reader->apply(RowEvent::cancel, other).error().code, Errc::unsupported);
  EXPECT_EQ(reader->enqueue("ro-1", QueueKind::reversal).error().code, Errc::unsupported);
  // The writer's later commits are visible to it.
  JournalEntry later = sample("ro-3");
  ASSERT_TRUE(writer.apply(RowEvent::cancel, later));
  EXPECT_EQ(reader->list().value().size(), 2u);
}

TEST_F(JournalTest, ReadOnlyOfNothingIsNotFoundAndOfAnOldSchemaUnsupported) {
  EXPECT_EQ(Journal::open_read_only(file_).error().code, Errc::not_found);
  { Journal j = open_journal(key_); }
  {
    RawDb raw(file_);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 2"), SQLITE_OK);
  }
  EXPECT_EQ(Journal::open_read_only(file_).error().code, Errc::unsupported);
}

}  // namespace
}  // namespace tender::app
