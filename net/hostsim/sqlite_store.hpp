// The simulator's state in one SQLite file (WAL, synchronous=FULL), so that
// `tender-hostsim --state-dir DIR` survives a restart. Only first six / last four digits of
// a card are ever in a transaction record, so nothing here needs encrypting. Separate target
// (tender_net_hostsim_sqlite) so the simulator core does not depend on SQLite.
#pragma once

#include <memory>
#include <string>

#include "net/hostsim/store.hpp"

struct sqlite3;

namespace tender::net::hostsim {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database file at `path`.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<void> put(const Txn& txn) override;
  Result<void> put(const Batch& batch) override;
  Result<std::vector<Txn>> transactions(Api api) override;
  Result<std::vector<Batch>> batches(Api api) override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Result<void> upsert(std::string_view table, Api api, const std::string& id, const std::string& body);
  Result<std::vector<std::string>> bodies(std::string_view table, Api api);

  sqlite3* db_;
};

}  // namespace tender::net::hostsim
