// SqliteDb: a thin, safe wrapper over one SQLite connection (libsqlite3), shared by every SQLite-backed store.
//
// Opens with WAL journaling, foreign keys on and a busy timeout; statements are prepared once and cached by their
// SQL text; Transaction is RAII (rolls back unless committed). Schema migrations are per component ("core",
// "refer", ...): each component lists its steps in order, the database remembers how far each component got, and
// a database written by a newer Vouch (a component version beyond what this build knows) is refused.
//
// Thread safety: one SqliteDb per thread. SQLite in WAL mode lets several connections (threads or processes) read
// while one writes.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <functional>
#include <unordered_map>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::store {

// A prepared statement. Bind parameters are 1-based as in SQLite. Step() returns true while a row is available.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Reset();  // ready to bind and step again (bindings cleared)
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);  // copied by SQLite (SQLITE_TRANSIENT)
  // Not copied (SQLITE_STATIC): value's bytes must stay unchanged until Reset() or the next Prepare of the same
  // SQL (both clear the bindings), so bind, Run, then Reset within one scope that owns the strings. For hot
  // inserts whose strings outlive the step: SQLite then does not allocate and copy each one.
  Statement& BindStatic(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& Bind(int index, const std::optional<std::string>& value);

  // true: a row is ready; false: done. Errors come back as a Status via Result.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db() const { return sqlite3_db_handle(stmt_); }
};

class SqliteDb;

struct Migration {
  int version;            // 1, 2, 3, ... within the component
  std::string_view sql;   // one or more statements
  // A step that SQL cannot express (moving data to or from a file): runs after sql, in the same transaction, so
  // the step is applied whole or not at all (as far as the database goes). Empty for SQL-only steps.
  std::function<Status(SqliteDb&)> run = nullptr;
};

class SqliteDb {
 public:
  // Opens (creating if create_if_missing) the database at path; ":memory:" for an in-memory one.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool create_if_missing = true);
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Runs SQL with no parameters and no rows (DDL, PRAGMA).
  Status Exec(std::string_view sql);
  // The cached prepared statement for sql, reset and ready to bind. The reference stays valid while the SqliteDb
  // lives; do not hold two uses of the same SQL text at once.
  Result<Statement*> Prepare(std::string_view sql);
  // Changes made by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

  // Brings component up to the last migration in steps, each (its SQL, then its run) in its own transaction.
  // Fails with FailedPrecondition when the database holds a newer version of that component than steps know.
  Status Migrate(std::string_view component, const std::vector<Migration>& steps);
  // 0 when the component has never been migrated.
  Result<int> ComponentVersion(std::string_view component);
  // Every component and its version, for `vouch status`.
  Result<std::vector<std::pair<std::string, int>>> ComponentVersions();

  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

  Status Error(std::string_view what) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  // Looked up by string_view (no allocation per Prepare on the hot path of ingest).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> cache_;
};

// RAII transaction: BEGIN IMMEDIATE on construction (so a writer waits for the lock up front rather than failing
// half-way), ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(SqliteDb& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(SqliteDb& db) : db_(db) {}
  SqliteDb& db_;
  bool open_ = true;
};

}  // namespace vouch::store
