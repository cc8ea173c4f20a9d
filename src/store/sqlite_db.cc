#include "vouch/store/sqlite_db.h"

#include <fmt/format.h>

#include "vouch/store/rows.h"

namespace vouch::store {

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindStatic(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status::IoError(fmt::format("database: {} (in: {})", sqlite3_errmsg(db()), sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

std::string Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool create_if_missing) {
  // By default SQLite counts every allocation under a process-wide mutex (SQLITE_CONFIG_MEMSTATUS), for statistics
  // Vouch never reads: about a tenth of a bulk load's CPU time went to that lock. Off, once, before SQLite
  // initialises (a call after that is refused, harmlessly).
  static const bool memstatus_off = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)memstatus_off;
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create_if_missing ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    if (!create_if_missing && rc == SQLITE_CANTOPEN) {
      return Status::NotFound(fmt::format("{}: no database here", path));
    }
    return Status::IoError(fmt::format("{}: cannot open database: {}", path, msg));
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 10000);
  // WAL: readers never block the writer; synchronous=NORMAL in WAL keeps every committed transaction across an
  // application crash (only an OS crash or power loss can lose the last ones; the service sets FULL where a 2xx
  // promises durability).
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536"}) {
    Status s = db->Exec(pragma);
    if (!s.ok()) {
      return Status::IoError(fmt::format("{}: not a usable Vouch database ({})", path, s.message()));
    }
  }
  return db;
}

SqliteDb::~SqliteDb() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

Status SqliteDb::Error(std::string_view what) const {
  return Status::IoError(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

Status SqliteDb::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::IoError(fmt::format("{}: {}", path_, msg));
  }
  return Status::Ok();
}

Result<Statement*> SqliteDb::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return &it->second->Reset();
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    return Status::Internal(fmt::format("{}: cannot prepare '{}': {}", path_, key, sqlite3_errmsg(db_)));
  }
  auto [pos, inserted] = cache_.emplace(std::move(key), std::make_unique<Statement>(stmt));
  return pos->second.get();
}

Result<int> SqliteDb::ComponentVersion(std::string_view component) {
  VOUCH_TRY(Exec("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  VOUCH_ASSIGN_OR_RETURN(Statement * q, Prepare("SELECT version FROM schema_version WHERE component = ?"));
  q->Bind(1, component);
  VOUCH_ASSIGN_OR_RETURN(std::optional<int> version, FirstValue<int>(*q));
  return version.value_or(0);
}

Result<std::vector<std::pair<std::string, int>>> SqliteDb::ComponentVersions() {
  VOUCH_TRY(Exec("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  VOUCH_ASSIGN_OR_RETURN(Statement * q, Prepare("SELECT component, version FROM schema_version ORDER BY component"));
  std::vector<std::pair<std::string, int>> out;
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) { out.emplace_back(row.Text(0), Column<int>(row, 1)); }));
  return out;
}

Status SqliteDb::Migrate(std::string_view component, const std::vector<Migration>& steps) {
  VOUCH_ASSIGN_OR_RETURN(int current, ComponentVersion(component));
  int latest = steps.empty() ? 0 : steps.back().version;
  if (current > latest) {
    return Status::FailedPrecondition(fmt::format(
        "{}: the database's '{}' schema is version {}, newer than this vouch ({}) knows (version {}); "
        "upgrade vouch to open it",
        path_, component, current, VOUCH_VERSION, latest));
  }
  for (const Migration& step : steps) {
    if (step.version <= current) continue;
    VOUCH_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*this));
    Status s = Exec(step.sql);
    if (s.ok() && step.run) s = step.run(*this);
    if (!s.ok()) {
      return Status(s.code(), fmt::format("migrating '{}' to version {}: {}", component, step.version, s.message()));
    }
    VOUCH_ASSIGN_OR_RETURN(Statement * up,
                           Prepare("INSERT INTO schema_version (component, version) VALUES (?, ?) "
                                   "ON CONFLICT(component) DO UPDATE SET version = excluded.version"));
    VOUCH_TRY(up->Bind(1, component).Bind(2, step.version).Run());
    VOUCH_TRY(txn->Commit());
  }
  return Status::Ok();
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(SqliteDb& db) {
  VOUCH_TRY(db.Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (open_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!open_) return Status::Internal("transaction committed twice");
  VOUCH_TRY(db_.Exec("COMMIT"));
  open_ = false;
  return Status::Ok();
}

}  // namespace vouch::store
