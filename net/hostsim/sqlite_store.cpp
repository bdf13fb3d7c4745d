#include "net/hostsim/sqlite_store.hpp"

#include <sqlite3.h>

#include "net/hostsim/json_util.hpp"

namespace tender::net::hostsim {
namespace {

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS txn(seq INTEGER PRIMARY KEY AUTOINCREMENT, api INTEGER NOT NULL,"
    " id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS batch(seq INTEGER PRIMARY KEY AUTOINCREMENT, api INTEGER NOT NULL,"
    " id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);";

// One statement, finalized on every path.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) { rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  [[nodiscard]] bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

Error db_error(std::string_view what) { return make_error(Errc::io_error, "hostsim store: " + std::string(what)); }

// Field lists of the records, one place for both directions.
Json to_json(const Txn& t) {
  return Json{{"id", t.id}, {"type", static_cast<int>(t.type)}, {"status", static_cast<int>(t.status)},
              {"outcome", static_cast<int>(t.outcome)}, {"requested", t.requested}, {"authorized", t.authorized},
              {"captured", t.captured}, {"tip", t.tip}, {"settled", t.settled}, {"refunded", t.refunded},
              {"owner", t.owner}, {"parent_id", t.parent_id}, {"batch_id", t.batch_id}, {"first6", t.first6},
              {"last4", t.last4}, {"expiry", t.expiry_mmyy}, {"auth_code", t.auth_code},
              {"reference", t.reference}, {"created_at", t.created_at}, {"emv", t.emv_response_hex},
              {"idempotency_key", t.idempotency_key}, {"idempotency_time", t.idempotency_time},
              {"po_number", t.po_number}, {"processor_id", t.processor_id}, {"tip_in_amount", t.tip_in_amount},
              {"gateway_code", t.gateway_code},
              {"surcharge", t.surcharge}, {"discount", t.discount}, {"card_data_source", t.card_data_source},
              {"created_by", t.created_by}, {"create_method", t.create_method}, {"emv_ac", t.emv_ac},
              {"emv_tvr", t.emv_tvr}, {"emv_aid", t.emv_aid},
              {"sequence_number", t.sequence_number}, {"void_reason", t.void_reason}, {"related_id", t.related_id}};
}

template <class E>
bool read_enum(const Json& j, std::string_view key, E& out, int max) {
  bool ok = true;
  const auto v = int_member(j, key, ok);
  if (!ok || !v || *v < 0 || *v > max) return false;
  out = static_cast<E>(*v);
  return true;
}

std::optional<Txn> txn_from(const Json& j, Api api) {
  Txn t;
  t.api = api;
  bool ok = read_enum(j, "type", t.type, static_cast<int>(TxnType::void_record)) && read_enum(j, "status", t.status, 5) &&
            read_enum(j, "outcome", t.outcome, 6);
  for (auto [key, field] : {std::pair{"requested", &t.requested}, {"authorized", &t.authorized},
                            {"captured", &t.captured}, {"tip", &t.tip}, {"settled", &t.settled},
                            {"refunded", &t.refunded}, {"idempotency_time", &t.idempotency_time},
                            {"tip_in_amount", &t.tip_in_amount},
                            {"surcharge", &t.surcharge}, {"discount", &t.discount},
                            {"card_data_source", &t.card_data_source}, {"create_method", &t.create_method}})
    *field = int_member(j, key, ok).value_or(0);
  t.gateway_code = static_cast<int>(int_member(j, "gateway_code", ok).value_or(0));
  for (auto [key, field] : {std::pair{"id", &t.id}, {"owner", &t.owner}, {"parent_id", &t.parent_id},
                            {"batch_id", &t.batch_id}, {"first6", &t.first6}, {"last4", &t.last4},
                            {"expiry", &t.expiry_mmyy}, {"auth_code", &t.auth_code}, {"reference", &t.reference},
                            {"created_at", &t.created_at}, {"emv", &t.emv_response_hex},
                            {"idempotency_key", &t.idempotency_key}, {"po_number", &t.po_number},
                            {"processor_id", &t.processor_id},
                            {"created_by", &t.created_by},
                            {"emv_ac", &t.emv_ac}, {"emv_tvr", &t.emv_tvr}, {"emv_aid", &t.emv_aid},
                            {"sequence_number", &t.sequence_number}, {"void_reason", &t.void_reason},
                            {"related_id", &t.related_id}})
    *field = string_member(j, key, ok).value_or("");
  if (!ok || t.id.empty()) return std::nullopt;
  return t;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return db_error("cannot open the database");
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return db_error("cannot create the schema");
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Result<void> SqliteStore::upsert(std::string_view table, Api api, const std::string& id, const std::string& body) {
  Statement st(db_, "INSERT INTO " + std::string(table) +
                        "(api, id, body) VALUES(?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET body = excluded.body");
  if (!st.ok()) return db_error("cannot prepare a write");
  sqlite3_bind_int(st.get(), 1, static_cast<int>(api));
  sqlite3_bind_text(st.get(), 2, id.c_str(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st.get(), 3, body.c_str(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return db_error("write failed");
  return ok();
}

Result<std::vector<std::string>> SqliteStore::bodies(std::string_view table, Api api) {
  Statement st(db_, "SELECT body FROM " + std::string(table) + " WHERE api = ?1 ORDER BY seq");
  if (!st.ok()) return db_error("cannot prepare a read");
  sqlite3_bind_int(st.get(), 1, static_cast<int>(api));
  std::vector<std::string> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
    out.emplace_back(text == nullptr ? "" : text, static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 0)));
  }
  if (rc != SQLITE_DONE) return db_error("read failed");
  return out;
}

Result<void> SqliteStore::put(const Txn& txn) { return upsert("txn", txn.api, txn.id, dump(to_json(txn))); }

Result<void> SqliteStore::put(const Batch& b) {
  const Json j{{"id", b.id}, {"owner", b.owner}, {"created_at", b.created_at}, {"count", b.count}, {"total", b.total}};
  return upsert("batch", b.api, b.id, dump(j));
}

Result<std::vector<Txn>> SqliteStore::transactions(Api api) {
  auto rows = bodies("txn", api);
  if (!rows) return std::move(rows).error();
  std::vector<Txn> out;
  for (const auto& row : *rows) {
    auto t = txn_from(parse_object(row), api);
    if (!t) return make_error(Errc::malformed, "hostsim store: a transaction record is damaged");
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::vector<Batch>> SqliteStore::batches(Api api) {
  auto rows = bodies("batch", api);
  if (!rows) return std::move(rows).error();
  std::vector<Batch> out;
  for (const auto& row : *rows) {
    const Json j = parse_object(row);
    bool ok = true;
    Batch b;
    b.api = api;
    b.id = string_member(j, "id", ok).value_or("");
    b.owner = string_member(j, "owner", ok).value_or("");
    b.created_at = string_member(j, "created_at", ok).value_or("");
    b.count = int_member(j, "count", ok).value_or(0);
    b.total = int_member(j, "total", ok).value_or(0);
    if (!ok || b.id.empty()) return make_error(Errc::malformed, "hostsim store: a batch record is damaged");
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace tender::net::hostsim
