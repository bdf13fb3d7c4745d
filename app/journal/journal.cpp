#include "app/journal/journal.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <limits>
#include <span>
#include <utility>

#include "app/journal/lifecycle.hpp"
#include "common/crypto/aead.hpp"

namespace tender::app {
namespace {

// Enum names: one table per enum, so the stored text and the parser cannot drift apart.

template <class E>
struct Named {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
std::string_view name_in(const std::array<Named<E>, N>& table, E value) noexcept {
  for (const auto& row : table)
    if (row.value == value) return row.name;
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_in(const std::array<Named<E>, N>& table, std::string_view text) noexcept {
  for (const auto& row : table)
    if (row.name == text) return row.value;
  return std::nullopt;
}

constexpr std::array<Named<TxnKind>, 7> kKinds{{
    {TxnKind::sale, "sale"}, {TxnKind::preauth, "preauth"}, {TxnKind::capture, "capture"},
    {TxnKind::void_, "void"}, {TxnKind::refund, "refund"}, {TxnKind::tip_adjust, "tip_adjust"},
    {TxnKind::verify, "verify"},
}};

constexpr std::array<Named<TxnState>, 13> kStates{{
    {TxnState::created, "created"}, {TxnState::sent, "sent"}, {TxnState::approved, "approved"},
    {TxnState::completed, "completed"}, {TxnState::declined, "declined"},
    {TxnState::failed, "failed"}, {TxnState::cancelled, "cancelled"},
    {TxnState::reversal_pending, "reversal_pending"}, {TxnState::reversed, "reversed"},
    {TxnState::offline_approved, "offline_approved"}, {TxnState::forwarded, "forwarded"},
    {TxnState::forward_declined, "forward_declined"}, {TxnState::in_doubt, "in_doubt"},
}};

constexpr std::array<TxnState, 7> kFinalStates{
    TxnState::completed, TxnState::declined,  TxnState::failed,          TxnState::cancelled,
    TxnState::reversed,  TxnState::forwarded, TxnState::forward_declined};

// The states a settlement batch carries.
constexpr std::array<TxnState, 3> kSettlingStates{TxnState::completed, TxnState::forwarded,
                                                  TxnState::approved};

constexpr std::array<Named<StoredEntryMode>, 5> kEntryModes{{
    {StoredEntryMode::keyed, "keyed"}, {StoredEntryMode::swiped, "swiped"},
    {StoredEntryMode::chip, "chip"}, {StoredEntryMode::fallback_swipe, "fallback_swipe"},
    {StoredEntryMode::contactless, "contactless"},
}};

constexpr std::array<Named<Cvm>, 4> kCvms{{
    {Cvm::none, "none"}, {Cvm::online_pin, "online_pin"}, {Cvm::offline_pin, "offline_pin"},
    {Cvm::signature, "signature"},
}};

constexpr std::array<Named<QueueKind>, 3> kQueueKinds{{
    {QueueKind::forward, "forward"}, {QueueKind::reversal, "reversal"}, {QueueKind::resolve, "resolve"},
}};

// Sealing

constexpr std::string_view kAadPrefix = "tender-journal-v1|";

// Binding the reference id into the tag is what makes a blob copied to another row fail.
Bytes row_aad(std::string_view reference_id) {
  std::string aad(kAadPrefix);
  aad += reference_id;
  return Bytes(aad.begin(), aad.end());
}

// SQLite

// One statement, finalized on every path; values only ever enter through bind().
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  [[nodiscard]] bool ok() const { return rc_ == SQLITE_OK; }
  [[nodiscard]] int prepare_code() const { return rc_; }

  // A null data pointer would bind SQL NULL, which the NOT NULL columns refuse: an empty
  // std::string_view may well have one.
  void bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void bind(int index, ByteView blob) {
    sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int index) { sqlite3_bind_null(stmt_, index); }
  int step() { return sqlite3_step(stmt_); }

  std::int64_t int_at(int col) { return sqlite3_column_int64(stmt_, col); }
  bool null_at(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text_at(int col) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (text == nullptr) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  ByteView blob_at(int col) {
    const auto* data = static_cast<const Byte*>(sqlite3_column_blob(stmt_, col));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col));
    return data == nullptr ? ByteView{} : ByteView{data, size};
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// Messages name the operation and SQLite's generic reason, never a value: a bound value
// could be anything the caller put in a row.
Error db_error(std::string_view operation, int rc) {
  std::string message = "journal: ";
  message += operation;
  message += " failed (";
  message += sqlite3_errstr(rc);
  message += ')';
  return make_error(Errc::io_error, std::move(message));
}

Error damaged() { return make_error(Errc::malformed, "journal: a stored row is damaged"); }

constexpr int kBusyTimeoutMs = 5000;
// 2: sent_unix (when the latest request left: a host's recovery window is counted from it).
// 3: receipt_reference (the host's number for the customer, when it is not its transaction id).
constexpr int kSchemaVersion = 3;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS journal("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, reference_id TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL, state TEXT NOT NULL, entry_mode TEXT NOT NULL,"
    " amount_minor INTEGER NOT NULL, amount_currency INTEGER NOT NULL,"
    " tip_minor INTEGER, tip_currency INTEGER, surcharge_minor INTEGER, surcharge_currency INTEGER,"
    " approved_minor INTEGER, approved_currency INTEGER,"
    " original_reference TEXT NOT NULL, masked_pan TEXT NOT NULL, card_label TEXT NOT NULL,"
    " aid TEXT NOT NULL, tvr TEXT NOT NULL, tsi TEXT NOT NULL, cvm TEXT NOT NULL,"
    " auth_code TEXT NOT NULL, host_reference TEXT NOT NULL, response_code TEXT NOT NULL,"
    " response_message TEXT NOT NULL, reason TEXT NOT NULL, offline INTEGER NOT NULL,"
    " batch TEXT NOT NULL, created_unix INTEGER NOT NULL, updated_unix INTEGER NOT NULL,"
    " sealed BLOB, sent_unix INTEGER NOT NULL DEFAULT 0, receipt_reference TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS journal_state ON journal(state);"
    "CREATE INDEX IF NOT EXISTS journal_batch ON journal(batch, state);"
    "CREATE TABLE IF NOT EXISTS queue("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, reference_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');"
    "PRAGMA user_version = 3;";
// A version 1 row does not say whether it was ever sent: every one counts as sent when it was
// created, so a forward asks the host's recovery before sending it (sent_unix 0 = never sent).
constexpr const char* kMigrateFrom1 =
    "ALTER TABLE journal ADD COLUMN sent_unix INTEGER NOT NULL DEFAULT 0;"
    "UPDATE journal SET sent_unix = created_unix;"
    "ALTER TABLE journal ADD COLUMN receipt_reference TEXT NOT NULL DEFAULT '';"
    "PRAGMA user_version = 3;";
// Version 2 rows printed the host's transaction id: they have no other number to show.
constexpr const char* kMigrateFrom2 =
    "ALTER TABLE journal ADD COLUMN receipt_reference TEXT NOT NULL DEFAULT '';"
    "PRAGMA user_version = 3;";

// Parameter ?1..?30 of the row writers and column 1..30 of the readers (0 is id), in this
// order, so the statements cannot disagree about a field's place.
constexpr std::array<std::string_view, 30> kColumns{
    "reference_id",   "kind",           "state",           "entry_mode",         "amount_minor",
    "amount_currency", "tip_minor",     "tip_currency",    "surcharge_minor",    "surcharge_currency",
    "approved_minor", "approved_currency", "original_reference", "masked_pan",   "card_label",
    "aid",            "tvr",            "tsi",             "cvm",                "auth_code",
    "host_reference", "response_code",  "response_message", "reason",            "offline",
    "batch",          "created_unix",   "updated_unix",    "sent_unix",          "receipt_reference"};

// "?first, ?first+1, ...": values enter through bind(), only numbers go into the SQL text.
std::string params(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ", ";
    out += '?';
    out += std::to_string(first + i);
  }
  return out;
}

struct RowSql {
  std::string select, insert, update;
};

// Built once. update writes every column; the caller passes the stored created_unix back.
const RowSql& row_sql() {
  static const RowSql sql = [] {
    std::string columns;
    for (auto c : kColumns) {
      if (!columns.empty()) columns += ", ";
      columns += c;
    }
    const std::string values = params(1, kColumns.size());
    return RowSql{"SELECT id, " + columns + " FROM journal ",
                  "INSERT INTO journal(" + columns + ") VALUES(" + values + ")",
                  "UPDATE journal SET (" + columns + ") = (" + values + ") WHERE reference_id = ?1"};
  }();
  return sql;
}

// Values for ?1, ?2, ... in order; a state list takes one parameter per state.
void bind_next(Statement& st, int& index, std::string_view text) { st.bind(index++, text); }
void bind_next(Statement& st, int& index, std::int64_t value) { st.bind(index++, value); }
template <std::size_t N>
void bind_next(Statement& st, int& index, const std::array<TxnState, N>& states) {
  for (TxnState state : states) st.bind(index++, to_string(state));
}
// Money as two columns: minor units and the ISO 4217 numeric code; both NULL when absent.
void bind_next(Statement& st, int& index, const std::optional<Money>& money) {
  if (money) {
    st.bind(index++, money->minor_units());
    st.bind(index++, std::int64_t{money->currency().numeric});
  } else {
    st.bind_null(index++);
    st.bind_null(index++);
  }
}
template <class... Values>
void bind_all(Statement& st, const Values&... values) {
  int index = 1;
  (bind_next(st, index, values), ...);
}

std::int64_t now_unix() { return static_cast<std::int64_t>(std::time(nullptr)); }

void bind_entry(Statement& st, const JournalEntry& e, std::int64_t created, std::int64_t updated) {
  bind_all(st, e.reference_id, to_string(e.kind), to_string(e.state), to_string(e.entry_mode),
           std::optional<Money>{e.amount}, e.tip, e.surcharge, e.approved_amount, e.original_reference,
           e.masked_pan, e.card_label, e.aid, e.tvr, e.tsi, to_string(e.cvm), e.auth_code, e.host_reference,
           e.response_code, e.response_message, e.reason, std::int64_t{e.offline ? 1 : 0}, e.batch, created,
           updated, e.sent_unix, e.receipt_reference);
}

bool money_at(Statement& st, int col, std::optional<Money>& out) {
  out.reset();
  if (st.null_at(col) || st.null_at(col + 1)) return true;
  const std::int64_t numeric = st.int_at(col + 1);
  if (numeric < 0 || numeric > std::numeric_limits<std::uint16_t>::max()) return false;
  const auto currency = currency_by_numeric(static_cast<std::uint16_t>(numeric));
  if (!currency) return false;
  out.emplace(st.int_at(col), *currency);
  return true;
}

Result<JournalEntry> entry_at(Statement& st) {
  JournalEntry e;
  e.id = st.int_at(0);
  e.reference_id = st.text_at(1);
  const auto kind = txn_kind_from_string(st.text_at(2));
  const auto state = txn_state_from_string(st.text_at(3));
  const auto mode = stored_entry_mode_from_string(st.text_at(4));
  const auto cvm = cvm_from_string(st.text_at(19));
  std::optional<Money> amount;
  const bool money_ok = money_at(st, 5, amount) && money_at(st, 7, e.tip) &&
                        money_at(st, 9, e.surcharge) && money_at(st, 11, e.approved_amount);
  if (!kind || !state || !mode || !cvm || !money_ok || !amount) return damaged();
  e.kind = *kind;
  e.state = *state;
  e.entry_mode = *mode;
  e.cvm = *cvm;
  e.amount = *amount;
  int col = 13;
  for (std::string* text : {&e.original_reference, &e.masked_pan, &e.card_label, &e.aid, &e.tvr, &e.tsi})
    *text = st.text_at(col++);
  col = 20;
  for (std::string* text : {&e.auth_code, &e.host_reference, &e.response_code, &e.response_message, &e.reason})
    *text = st.text_at(col++);
  e.offline = st.int_at(25) != 0;
  e.batch = st.text_at(26);
  e.created_unix = st.int_at(27);
  e.updated_unix = st.int_at(28);
  e.sent_unix = st.int_at(29);
  e.receipt_reference = st.text_at(30);
  return e;
}

}  // namespace

// Enum names

std::string_view to_string(TxnKind kind) noexcept { return name_in(kKinds, kind); }
std::optional<TxnKind> txn_kind_from_string(std::string_view text) noexcept { return value_in(kKinds, text); }
std::string_view to_string(TxnState state) noexcept { return name_in(kStates, state); }
std::optional<TxnState> txn_state_from_string(std::string_view text) noexcept { return value_in(kStates, text); }
bool is_final(TxnState state) noexcept {
  for (TxnState s : kFinalStates)
    if (s == state) return true;
  return false;
}
std::string_view to_string(StoredEntryMode mode) noexcept { return name_in(kEntryModes, mode); }
std::optional<StoredEntryMode> stored_entry_mode_from_string(std::string_view text) noexcept {
  return value_in(kEntryModes, text);
}
std::string_view to_string(Cvm cvm) noexcept { return name_in(kCvms, cvm); }
std::optional<Cvm> cvm_from_string(std::string_view text) noexcept { return value_in(kCvms, text); }
std::string_view to_string(QueueKind kind) noexcept { return name_in(kQueueKinds, kind); }

// Sealing

// AES-256-GCM, nonce | ciphertext | tag (common/crypto/aead.hpp): the layout rows sealed
// before the crypto module existed also have, so they still open.
Result<Bytes> seal_bytes(const DeviceKey& key, ByteView aad, ByteView plaintext) {
  auto sealed = crypto::seal(key.reveal(), aad, plaintext);
  if (!sealed) return make_error(sealed.error().code, "journal: sealing failed");
  return sealed;
}

Result<SecretBytes> open_sealed(const DeviceKey& key, ByteView aad, ByteView sealed) {
  // Too short, altered, moved to another row or under another key: one case for callers.
  auto plain = crypto::open(key.reveal(), aad, sealed);
  if (!plain) return make_error(Errc::crypto_error, "journal: sealed data does not open (wrong device key, damaged or moved)");
  return plain;
}

// Journal

struct Journal::Impl {
  sqlite3* db = nullptr;
  DeviceKey key;
  JournalOptions options;
  std::uint64_t commits = 0;
  int writer_lock = -1;    // the flock'd `file`.lock; -1 on a read-only handle
  bool read_only = false;

  Impl(sqlite3* handle, const DeviceKey& device_key, JournalOptions opts)
      : db(handle), key(device_key), options(opts) {}
  ~Impl() {
    sqlite3_close_v2(db);
    if (writer_lock >= 0) ::close(writer_lock);  // releases the lock after the database is closed
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  int exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

  // One public call, one SQLite transaction. IMMEDIATE takes the write lock up front, so a
  // reader elsewhere (tenderctl) can make us wait (busy timeout) but never fail half way.
  template <class F>
  auto write(std::string_view operation, F&& body) -> decltype(body()) {
    if (read_only) return make_error(Errc::unsupported, "journal: opened read-only");
    if (const int rc = exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) return db_error(operation, rc);
    auto result = body();
    if (!result) {
      exec("ROLLBACK");
      return result;
    }
    if (const int rc = exec("COMMIT"); rc != SQLITE_OK) {
      exec("ROLLBACK");
      return db_error(operation, rc);
    }
    ++commits;
    return result;
  }

  // A statement that answers no rows; with `missing` set, matching no row is not_found.
  template <class... Values>
  Result<void> run(std::string_view operation, std::string_view sql, std::string_view missing,
                   const Values&... values) {
    Statement st(db, sql);
    if (!st.ok()) return db_error(operation, st.prepare_code());
    bind_all(st, values...);
    if (const int rc = st.step(); rc != SQLITE_DONE) return db_error(operation, rc);
    if (!missing.empty() && sqlite3_changes(db) == 0)
      return make_error(Errc::not_found, "journal: " + std::string(missing));
    return ok();
  }

  // Reads run as single statements (their own implicit transaction) so they never take the
  // write lock a concurrent terminal needs.
  template <class... Values>
  Result<std::vector<JournalEntry>> select(std::string_view operation, std::string_view where,
                                           const Values&... values) {
    Statement st(db, row_sql().select + std::string(where));
    if (!st.ok()) return db_error(operation, st.prepare_code());
    bind_all(st, values...);
    std::vector<JournalEntry> out;
    int rc = SQLITE_ROW;
    while ((rc = st.step()) == SQLITE_ROW) {
      auto entry = entry_at(st);
      if (!entry) return std::move(entry).error();
      out.push_back(std::move(*entry));
    }
    if (rc != SQLITE_DONE) return db_error(operation, rc);
    return out;
  }

  Result<std::size_t> count_queued(std::string_view operation, QueueKind kind) {
    Statement st(db, "SELECT count(*) FROM queue WHERE kind = ?1");
    if (!st.ok()) return db_error(operation, st.prepare_code());
    bind_all(st, to_string(kind));
    if (const int rc = st.step(); rc != SQLITE_ROW) return db_error(operation, rc);
    return static_cast<std::size_t>(st.int_at(0));
  }

  Result<std::int64_t> enqueue_row(std::string_view operation, std::string_view reference_id, QueueKind kind) {
    if (reference_id.empty())
      return make_error(Errc::invalid_argument, "journal: a queue item needs a reference id");
    if (kind == QueueKind::forward) {
      auto count = count_queued(operation, kind);
      if (!count) return std::move(count).error();
      if (*count >= options.offline_queue_cap)
        return make_error(Errc::exhausted, "journal: the offline forwarding queue is full");
    }
    auto done = run(operation, "INSERT INTO queue(reference_id, kind) VALUES(?1, ?2)", {}, reference_id,
                    to_string(kind));
    if (!done) return std::move(done).error();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db));
  }

  Result<void> dequeue_row(std::string_view operation, std::int64_t seq) {
    return run(operation, "DELETE FROM queue WHERE seq = ?1", "no such queue item", seq);
  }
};

namespace {

// Created before SQLite sees the path so the file is never readable by others, not even
// for the moment between creation and a chmod. SQLite gives -wal and -shm the same mode.
Result<void> create_private_file(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return ok();
    return make_error(Errc::io_error, "journal: cannot create the database file");
  }
  // The umask may have taken bits away; set exactly owner read/write.
  const bool chmod_ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  ::close(fd);
  if (!chmod_ok) return make_error(Errc::io_error, "journal: cannot set the database file mode");
  return ok();
}

// SQLite only finds out that a file is not a database when it first reads a page.
Error open_error(int rc, std::string_view what) {
  if ((rc & 0xFF) == SQLITE_NOTADB || (rc & 0xFF) == SQLITE_CORRUPT)
    return make_error(Errc::malformed, "journal: the file is not a journal database");
  return db_error(what, rc);
}

// flock, not SQLite's own locks: those are per transaction, and two engines interleaving
// their transactions on one queue is exactly what must not happen. The lock dies with the
// process, so a power cut or a kill never leaves a stale lock behind.
Result<int> take_writer_lock(const std::filesystem::path& file) {
  const std::filesystem::path lock_file = file.string() + ".lock";
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io_error, "journal: cannot open the lock file " + lock_file.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return make_error(Errc::busy, "journal: " + file.string() + " is in use by another process (is tender running?)");
    return make_error(Errc::io_error, "journal: cannot lock " + lock_file.string());
  }
  return fd;
}

}  // namespace

Result<Journal> Journal::open_read_only(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return make_error(Errc::not_found, "journal: " + file.string() + " does not exist");
  sqlite3* db = nullptr;
  const int open_rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  auto impl = std::make_unique<Impl>(db, DeviceKey{}, JournalOptions{});
  impl->read_only = true;
  if (open_rc != SQLITE_OK) return open_error(open_rc, "open");
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  Statement st(db, "PRAGMA user_version");
  if (!st.ok()) return open_error(st.prepare_code(), "read the schema version");
  if (const int rc = st.step(); rc != SQLITE_ROW) return open_error(rc, "read the schema version");
  const std::string version = st.text_at(0);
  if (version == "0") return make_error(Errc::not_found, "journal: " + file.string() + " holds no journal yet");
  if (version != std::to_string(kSchemaVersion))
    return make_error(Errc::unsupported, "journal: written by another version; open it once with tender to migrate it");
  return Journal(std::move(impl));
}

Result<Journal> Journal::open(const std::filesystem::path& file, const DeviceKey& key, JournalOptions options) {
  if (auto r = create_private_file(file); !r) return std::move(r).error();
  auto lock = take_writer_lock(file);
  if (!lock) return std::move(lock).error();
  sqlite3* db = nullptr;
  const int open_rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  // Owned from here, so every early return below closes the handle and releases the lock.
  auto impl = std::make_unique<Impl>(db, key, options);
  impl->writer_lock = *lock;
  if (open_rc != SQLITE_OK) return open_error(open_rc, "open");
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);

  // A pragma that answers one row: its first column as text.
  const auto pragma = [&](const char* sql, std::string_view what) -> Result<std::string> {
    Statement st(db, sql);
    if (!st.ok()) return open_error(st.prepare_code(), what);
    if (const int rc = st.step(); rc != SQLITE_ROW) return open_error(rc, what);
    return st.text_at(0);
  };
  auto version = pragma("PRAGMA user_version", "read the schema version");
  if (!version) return std::move(version).error();
  if (*version != "0" && *version != "1" && *version != "2" && *version != std::to_string(kSchemaVersion))
    return make_error(Errc::unsupported, "journal: the database has an unknown schema version");

  // journal_mode is stored in the file; synchronous and secure_delete belong to the
  // connection and must be set on every open.
  auto mode = pragma("PRAGMA journal_mode=WAL", "set WAL mode");
  if (!mode) return std::move(mode).error();
  if (*mode != "wal") return make_error(Errc::io_error, "journal: the database refused WAL mode");
  if (const int rc = impl->exec("PRAGMA synchronous=FULL; PRAGMA secure_delete=ON"); rc != SQLITE_OK)
    return open_error(rc, "set the durability pragmas");

  if (*version == "0") {
    // Another process may be creating the schema at the same moment: IF NOT EXISTS under
    // the write lock makes the second one a no-op.
    auto created = impl->write("create the schema", [&]() -> Result<void> {
      if (const int rc = impl->exec(kSchema); rc != SQLITE_OK) return db_error("create the schema", rc);
      return ok();
    });
    if (!created) return std::move(created).error();
  } else if (*version == "1" || *version == "2") {
    const char* migration = *version == "1" ? kMigrateFrom1 : kMigrateFrom2;
    auto migrated = impl->write("migrate the schema", [&]() -> Result<void> {
      if (const int rc = impl->exec(migration); rc != SQLITE_OK) return db_error("migrate the schema", rc);
      return ok();
    });
    if (!migrated) return std::move(migrated).error();
  }
  return Journal(std::move(impl));
}

Journal::Journal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

Result<std::optional<std::int64_t>> Journal::apply(RowEvent event, JournalEntry& entry, ByteView sealed) {
  constexpr std::string_view op = "apply a move";
  if (entry.reference_id.empty())
    return make_error(Errc::invalid_argument, "journal: a transaction needs a reference id");
  // Sealed before the write lock is taken: the cipher needs no database.
  std::optional<Bytes> blob;
  if (!sealed.empty()) {
    auto b = seal_bytes(impl_->key, row_aad(entry.reference_id), sealed);
    if (!b) return std::move(b).error();
    blob = std::move(*b);
  }
  JournalEntry row = entry;
  auto done = impl_->write(op, [&]() -> Result<std::optional<std::int64_t>> {
    auto found = impl_->select(op, "WHERE reference_id = ?1", entry.reference_id);
    if (!found) return std::move(found).error();
    const std::optional<JournalEntry> stored =
        found->empty() ? std::nullopt : std::optional<JournalEntry>{std::move(found->front())};
    auto move = find_row_move(stored ? std::optional<TxnState>{stored->state} : std::nullopt, event);
    if (!move) return std::move(move).error();
    if ((move->sealed == Sealed::write) != blob.has_value())
      return make_error(Errc::invalid_argument, blob ? "journal: this move seals nothing" : "journal: this move seals the request");
    const std::int64_t now = now_unix();
    row.state = move->to;
    row.updated_unix = now;
    if (stored) {
      row.id = stored->id;
      row.created_unix = stored->created_unix;
      Statement st(impl_->db, row_sql().update);
      if (!st.ok()) return db_error(op, st.prepare_code());
      bind_entry(st, row, row.created_unix, now);
      if (const int rc = st.step(); rc != SQLITE_DONE) return db_error(op, rc);
    } else {
      if (row.created_unix == 0) row.created_unix = now;
      Statement st(impl_->db, row_sql().insert);
      if (!st.ok()) return db_error(op, st.prepare_code());
      bind_entry(st, row, row.created_unix, now);
      if (const int rc = st.step(); rc != SQLITE_DONE) return db_error(op, rc);
      row.id = static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl_->db));
    }
    if (move->sealed != Sealed::keep) {
      const std::string_view sql = "UPDATE journal SET sealed = ?1 WHERE reference_id = ?2";
      Statement st(impl_->db, sql);
      if (!st.ok()) return db_error(op, st.prepare_code());
      if (blob) st.bind(1, ByteView{*blob});
      else st.bind_null(1);
      st.bind(2, row.reference_id);
      if (const int rc = st.step(); rc != SQLITE_DONE) return db_error(op, rc);
    }
    if (move->dequeue) {
      if (auto r = impl_->run(op, "DELETE FROM queue WHERE reference_id = ?1", {}, row.reference_id); !r)
        return std::move(r).error();
    }
    if (!move->enqueue) return std::optional<std::int64_t>{};
    auto seq = impl_->enqueue_row(op, row.reference_id, *move->enqueue);
    if (!seq) return std::move(seq).error();
    return std::optional<std::int64_t>{*seq};
  });
  if (done) entry = std::move(row);
  return done;
}

std::uint64_t Journal::commits() const noexcept { return impl_->commits; }

Result<std::int64_t> Journal::next_id() const {
  // sqlite_sequence exists from the schema's first AUTOINCREMENT table on; no entry yet: 1.
  Statement st(impl_->db, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'journal'), 0) + 1");
  if (!st.ok()) return db_error("read the next id", st.prepare_code());
  if (const int rc = st.step(); rc != SQLITE_ROW) return db_error("read the next id", rc);
  return st.int_at(0);
}

Result<std::optional<JournalEntry>> Journal::find(std::string_view reference_id) const {
  auto rows = impl_->select("find", "WHERE reference_id = ?1", reference_id);
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<JournalEntry>{};
  return std::optional<JournalEntry>{std::move(rows->front())};
}

Result<std::vector<JournalEntry>> Journal::list(std::size_t limit) const {
  // A negative LIMIT is SQLite's "no limit".
  const bool bounded = limit != 0 && limit <= static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return impl_->select("list", "ORDER BY id DESC LIMIT ?1", bounded ? static_cast<std::int64_t>(limit) : -1);
}

Result<std::vector<JournalEntry>> Journal::unfinished() const {
  return impl_->select("list unfinished", "WHERE state NOT IN (" + params(1, kFinalStates.size()) + ") ORDER BY id",
                       kFinalStates);
}

Result<std::vector<JournalEntry>> Journal::open_batch() const {
  return impl_->select("list the open batch",
                       "WHERE batch = '' AND state IN (" + params(1, kSettlingStates.size()) + ") ORDER BY id",
                       kSettlingStates);
}

Result<void> Journal::close_batch(std::string_view batch) {
  // "" is the open batch itself; closing into it would change nothing and hide a bug.
  if (batch.empty()) return make_error(Errc::invalid_argument, "journal: a closed batch needs a name");
  const std::string sql = "UPDATE journal SET batch = ?1, updated_unix = ?2 WHERE batch = '' AND state IN (" +
                          params(3, kSettlingStates.size()) + ")";
  return impl_->write("close the batch",
                      [&] { return impl_->run("close the batch", sql, {}, batch, now_unix(), kSettlingStates); });
}

Result<SecretBytes> Journal::unseal(std::string_view reference_id) const {
  if (impl_->read_only) return make_error(Errc::unsupported, "journal: opened read-only");
  Statement st(impl_->db, "SELECT sealed FROM journal WHERE reference_id = ?1");
  if (!st.ok()) return db_error("unseal", st.prepare_code());
  bind_all(st, reference_id);
  const int rc = st.step();
  if (rc == SQLITE_DONE) return make_error(Errc::not_found, "journal: no such transaction");
  if (rc != SQLITE_ROW) return db_error("unseal", rc);
  if (st.null_at(0)) return make_error(Errc::not_found, "journal: nothing sealed for the transaction");
  return open_sealed(impl_->key, row_aad(reference_id), st.blob_at(0));
}

Result<std::int64_t> Journal::enqueue(std::string_view reference_id, QueueKind kind) {
  return impl_->write("enqueue", [&] { return impl_->enqueue_row("enqueue", reference_id, kind); });
}

Result<std::vector<QueueItem>> Journal::queue() const {
  Statement st(impl_->db, "SELECT seq, reference_id, kind, attempts, last_error FROM queue ORDER BY seq");
  if (!st.ok()) return db_error("list the queue", st.prepare_code());
  std::vector<QueueItem> out;
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    const auto kind = value_in(kQueueKinds, st.text_at(2));
    const std::int64_t attempts = st.int_at(3);
    if (!kind || attempts < 0 || attempts > std::numeric_limits<int>::max()) return damaged();
    out.push_back(QueueItem{st.int_at(0), st.text_at(1), *kind, static_cast<int>(attempts), st.text_at(4)});
  }
  if (rc != SQLITE_DONE) return db_error("list the queue", rc);
  return out;
}

Result<std::size_t> Journal::queued(QueueKind kind) const { return impl_->count_queued("count the queue", kind); }

Result<void> Journal::record_attempt(std::int64_t seq, std::string_view error) {
  return impl_->write("record an attempt", [&] {
    return impl_->run("record an attempt", "UPDATE queue SET attempts = attempts + 1, last_error = ?1 WHERE seq = ?2",
                      "no such queue item", error, seq);
  });
}

Result<void> Journal::dequeue(std::int64_t seq) {
  return impl_->write("dequeue", [&] { return impl_->dequeue_row("dequeue", seq); });
}

}  // namespace tender::app
