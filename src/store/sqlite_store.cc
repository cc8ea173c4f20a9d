#include "vouch/store/sqlite_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <numeric>

#include "store/core_schema.h"
#include "vouch/store/rows.h"

namespace vouch {

using store::FirstRow;
using store::FirstValue;
using store::ForEachRow;
using store::Statement;

const char* IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kHandle: return "handle";
    case IdentityKind::kEmail: return "email";
    case IdentityKind::kCustomer: return "customer";
  }
  return "handle";
}

std::optional<IdentityKind> ParseIdentityKind(std::string_view name) {
  if (name == "handle") return IdentityKind::kHandle;
  if (name == "email") return IdentityKind::kEmail;
  if (name == "customer") return IdentityKind::kCustomer;
  return std::nullopt;
}

namespace {

// ["a","b"] with JSON string escaping, into a reused buffer: the same text nlohmann::json(items).dump() writes
// for valid UTF-8 (which every reader guarantees), without building a JSON tree per post.
void AppendJsonArray(std::string& out, const std::vector<std::string>& items) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.clear();
  out.push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (u < 0x20) {
            out += "\\u00";
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 0xF]);
          } else {
            out.push_back(c);
          }
      }
    }
    out.push_back('"');
  }
  out.push_back(']');
}

// Resets every statement of the connection left mid-way (a caller that stopped reading early): DROP INDEX and
// CREATE INDEX are refused while one is still running.
void ResetBusyStatements(sqlite3* db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr; s = sqlite3_next_stmt(db, s)) {
    if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
  }
}

std::vector<std::string> ParseJsonArray(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> OptText(const Statement& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  return q.Text(column);
}

std::optional<int64_t> OptInt(const Statement& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  return q.Int(column);
}

// Every statement passed here selects: id, kind, scope, value, display, person_id.
Result<Identity> ReadIdentityRow(const Statement& row) {
  Identity identity;
  identity.id = row.Int(0);
  auto kind = ParseIdentityKind(row.Text(1));
  if (!kind) return Status::Corruption(fmt::format("identity {} has unknown kind '{}'", identity.id, row.Text(1)));
  identity.key = {*kind, row.Text(2), row.Text(3)};
  identity.display = row.Text(4);
  identity.person = row.Int(5);
  return identity;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool create_if_missing,
                                                       const Clock& clock) {
  VOUCH_ASSIGN_OR_RETURN(auto db, store::SqliteDb::Open(path, create_if_missing));
  VOUCH_TRY(db->Migrate("core", store::CoreMigrations()));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), clock));
  // A bulk load of posts that was killed before EndPostLoad left the posts' indexes suspended: rebuild them now.
  // Best effort: when another process holds the database (that load, still running), it rebuilds them itself.
  VOUCH_ASSIGN_OR_RETURN(bool present, store->PostIndexesPresent());
  if (!present) (void)store->EndPostLoad();
  return store;
}

Result<bool> SqliteStore::PostIndexesPresent() {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare(store::kCountPostIndexesSql));
  VOUCH_ASSIGN_OR_RETURN(bool row, q->Step());
  bool present = row && q->Int(0) == 2;
  q->Reset();
  return present;
}

Result<bool> SqliteStore::BeginPostLoad(uint64_t incoming) {
  if (in_transaction_) return Status::Internal("Store::BeginPostLoad inside an open transaction");
  // MAX(id) is the table's size to within deleted rows, read from the end of the B-tree (COUNT(*) would scan it).
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("SELECT COALESCE(MAX(id), 0) FROM posts"));
  VOUCH_ASSIGN_OR_RETURN(bool row, q->Step());
  const int64_t held = row ? q->Int(0) : 0;
  q->Reset();
  if (incoming == 0 || static_cast<uint64_t>(held) > incoming) return false;
  ResetBusyStatements(db_->raw());
  VOUCH_TRY(Begin());
  Status s = db_->Exec(store::kDropPostIndexesSql);
  if (!s.ok()) {
    Rollback();
    return s;
  }
  VOUCH_TRY(Commit());
  // The load's posts reference authors it has just resolved, and its mentions the posts it has just stored, in
  // the same transaction: the foreign-key lookup SQLite makes for every row (a descent of identities' B-tree per
  // post) can only succeed. Off for the load; EndPostLoad turns it back on.
  VOUCH_TRY(db_->Exec("PRAGMA foreign_keys=OFF"));
  return true;
}

Status SqliteStore::EndPostLoad() {
  if (in_transaction_) return Status::Internal("Store::EndPostLoad inside an open transaction");
  ResetBusyStatements(db_->raw());
  VOUCH_TRY(db_->Exec("PRAGMA foreign_keys=ON"));
  VOUCH_ASSIGN_OR_RETURN(bool present, PostIndexesPresent());
  if (present) return Status::Ok();
  // CREATE INDEX reads the table once and sorts: far cheaper than the random index writes it replaces. Its sort
  // spills to temporary files, which temp_store=MEMORY (the connection's setting) would keep in memory, growing
  // with the table: on disk for the rebuild. SQLite sorts in memory up to the page cache's size before it spills,
  // and the cache is full after a load, so the rebuild could double the peak; a small cache while it runs keeps
  // the peak where the load left it, the same for a million posts as for ten.
  VOUCH_ASSIGN_OR_RETURN(Statement * cache, db_->Prepare("PRAGMA cache_size"));
  VOUCH_ASSIGN_OR_RETURN(bool row, cache->Step());
  const int64_t cache_size = row ? cache->Int(0) : -2000;
  cache->Reset();
  VOUCH_TRY(db_->Exec("PRAGMA temp_store=FILE"));
  Status s = db_->Exec(fmt::format("PRAGMA cache_size={}", kRebuildCacheKiB));
  if (s.ok()) s = Begin();
  if (s.ok()) {
    s = db_->Exec(store::kPostIndexesSql);
    if (s.ok()) s = Commit();
    else Rollback();
  }
  Status restored = db_->Exec(fmt::format("PRAGMA temp_store=MEMORY; PRAGMA cache_size={}", cache_size));
  return s.ok() ? restored : s;
}

Status SqliteStore::Begin() {
  if (in_transaction_) return Status::Internal("Store::Begin inside an open transaction");
  VOUCH_TRY(db_->Exec("BEGIN IMMEDIATE"));
  in_transaction_ = true;
  return Status::Ok();
}

Status SqliteStore::Commit() {
  if (!in_transaction_) return Status::Internal("Store::Commit without Begin");
  VOUCH_TRY(db_->Exec("COMMIT"));
  in_transaction_ = false;
  return Status::Ok();
}

void SqliteStore::Rollback() {
  if (!in_transaction_) return;
  (void)db_->Exec("ROLLBACK");
  in_transaction_ = false;
}

Result<PersonId> SqliteStore::NewPerson(std::string_view display) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("INSERT INTO people (display_name) VALUES (?)"));
  VOUCH_TRY(q->Bind(1, display).Run());
  return db_->LastInsertId();
}

Result<std::optional<Identity>> SqliteStore::FindIdentity(const IdentityKey& key) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT id, kind, scope, value, display, person_id FROM identities "
                                      "WHERE kind = ? AND scope = ? AND value = ?"));
  q->Bind(1, IdentityKindName(key.kind)).Bind(2, key.scope).Bind(3, key.value);
  return FirstRow(*q, ReadIdentityRow);
}

Result<std::optional<Identity>> SqliteStore::GetIdentity(IdentityId id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("SELECT id, kind, scope, value, display, person_id "
                                                     "FROM identities WHERE id = ?"));
  q->Bind(1, id);
  return FirstRow(*q, ReadIdentityRow);
}

Result<IdentityRef> SqliteStore::ResolveIdentity(const IdentityKey& key, std::string_view display) {
  if (key.value.empty()) return Status::InvalidArgument("an identity needs a non-empty value");
  VOUCH_ASSIGN_OR_RETURN(auto found, FindIdentity(key));
  if (found) return IdentityRef{found->id, found->person, false};
  VOUCH_ASSIGN_OR_RETURN(PersonId person, NewPerson(display.empty() ? std::string_view(key.value) : display));
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("INSERT INTO identities (kind, scope, value, display, "
                                                     "person_id) VALUES (?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, IdentityKindName(key.kind)).Bind(2, key.scope).Bind(3, key.value).Bind(4, display)
                .Bind(5, person).Run());
  return IdentityRef{db_->LastInsertId(), person, true};
}

Status SqliteStore::ResolveIdentities(std::span<const IdentityKey> keys, std::span<const std::string_view> displays,
                                      std::vector<IdentityRef>& refs) {
  if (displays.size() != keys.size()) return Status::InvalidArgument("ResolveIdentities: one display per key");
  refs.assign(keys.size(), IdentityRef{});
  // Key order, as the UNIQUE (kind, scope, value) index sorts (kind by its name): lookups and inserts then walk
  // the index once from left to right, and the new rows (people, identities, identities_person) are appended.
  // Stable, so that among equal keys the first listed comes first and gets created.
  std::vector<uint32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const IdentityKey& x = keys[a];
    const IdentityKey& y = keys[b];
    if (x.kind != y.kind) return std::string_view(IdentityKindName(x.kind)) < IdentityKindName(y.kind);
    if (x.scope != y.scope) return x.scope < y.scope;
    return x.value < y.value;
  });
  VOUCH_ASSIGN_OR_RETURN(Statement * find, db_->Prepare("SELECT id, person_id FROM identities "
                                                        "WHERE kind = ? AND scope = ? AND value = ?"));
  VOUCH_ASSIGN_OR_RETURN(Statement * person, db_->Prepare("INSERT INTO people (display_name) VALUES (?)"));
  VOUCH_ASSIGN_OR_RETURN(Statement * identity, db_->Prepare("INSERT INTO identities (kind, scope, value, display, "
                                                            "person_id) VALUES (?, ?, ?, ?, ?)"));
  auto read_found = [](const Statement& row) { return IdentityRef{row.Int(0), row.Int(1), false}; };
  for (size_t k = 0; k < order.size();) {
    const uint32_t first = order[k];
    const IdentityKey& key = keys[first];
    if (key.value.empty()) return Status::InvalidArgument("an identity needs a non-empty value");
    const char* kind = IdentityKindName(key.kind);
    find->Bind(1, std::string_view(kind)).Bind(2, key.scope).Bind(3, key.value);
    VOUCH_ASSIGN_OR_RETURN(std::optional<IdentityRef> found, FirstRow(*find, read_found));
    IdentityRef ref;
    if (found) {
      ref = *found;
    } else {
      const std::string_view display = displays[first];
      VOUCH_TRY(person->Reset().Bind(1, display.empty() ? std::string_view(key.value) : display).Run());
      const PersonId person_id = db_->LastInsertId();
      VOUCH_TRY(identity->Reset().Bind(1, std::string_view(kind)).Bind(2, key.scope).Bind(3, key.value)
                    .Bind(4, display).Bind(5, person_id).Run());
      ref = IdentityRef{db_->LastInsertId(), person_id, true};
    }
    refs[first] = ref;
    ref.created = false;
    for (++k; k < order.size(); ++k) {
      if (!(keys[order[k]] == key)) break;
      refs[order[k]] = ref;
    }
  }
  return Status::Ok();
}

Result<std::optional<Person>> SqliteStore::GetPerson(PersonId id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * p, db_->Prepare("SELECT display_name FROM people WHERE id = ?"));
  p->Bind(1, id);
  VOUCH_ASSIGN_OR_RETURN(auto display_name, FirstRow(*p, [](const Statement& row) { return row.Text(0); }));
  if (!display_name) return std::optional<Person>();
  Person person;
  person.id = id;
  person.display_name = std::move(*display_name);
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("SELECT id, kind, scope, value, display, person_id "
                                                     "FROM identities WHERE person_id = ? ORDER BY id"));
  q->Bind(1, id);
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) -> Status {
    VOUCH_ASSIGN_OR_RETURN(Identity identity, ReadIdentityRow(row));
    person.identities.push_back(std::move(identity));
    return Status::Ok();
  }));
  return std::optional<Person>(std::move(person));
}

Result<int64_t> SqliteStore::MergePeople(PersonId kept, PersonId absorbed, std::string_view reason,
                                         bool automatic) {
  if (kept == absorbed) return int64_t{0};
  VOUCH_ASSIGN_OR_RETURN(auto keep_person, GetPerson(kept));
  VOUCH_ASSIGN_OR_RETURN(auto gone_person, GetPerson(absorbed));
  if (!keep_person) return Status::NotFound(fmt::format("no person {}", kept));
  if (!gone_person) return Status::NotFound(fmt::format("no person {}", absorbed));
  std::vector<int64_t> moved;
  for (const auto& identity : gone_person->identities) moved.push_back(identity.id);
  VOUCH_ASSIGN_OR_RETURN(Statement * up, db_->Prepare("UPDATE identities SET person_id = ? WHERE person_id = ?"));
  VOUCH_TRY(up->Bind(1, kept).Bind(2, absorbed).Run());
  VOUCH_ASSIGN_OR_RETURN(Statement * ins,
                         db_->Prepare("INSERT INTO merges (at, kept_person, absorbed_person, reason, automatic, "
                                      "moved_identities) VALUES (?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(ins->Bind(1, clock_.NowSeconds()).Bind(2, kept).Bind(3, absorbed).Bind(4, reason)
                .Bind(5, automatic ? 1 : 0).Bind(6, nlohmann::json(moved).dump()).Run());
  return db_->LastInsertId();
}

// Every statement passed here selects: id, at, kept_person, absorbed_person, reason, automatic,
// moved_identities, undone_at.
Result<std::vector<Merge>> SqliteStore::ReadMerges(Statement& q) {
  std::vector<Merge> out;
  VOUCH_TRY(ForEachRow(q, [&](const Statement& row) -> Status {
    Merge m;
    m.id = row.Int(0);
    m.at = row.Int(1);
    m.kept = row.Int(2);
    m.absorbed = row.Int(3);
    m.reason = row.Text(4);
    m.automatic = row.Int(5) != 0;
    auto ids = nlohmann::json::parse(row.Text(6), nullptr, false);
    if (!ids.is_array()) return Status::Corruption(fmt::format("merge {} has unreadable identities", m.id));
    for (const auto& id : ids) m.moved.push_back(id.get<int64_t>());
    m.undone_at = OptInt(row, 7);
    out.push_back(std::move(m));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Merge>> SqliteStore::ListMerges(std::optional<PersonId> involving) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT id, at, kept_person, absorbed_person, reason, automatic, "
                                      "moved_identities, undone_at FROM merges "
                                      "WHERE ?1 IS NULL OR kept_person = ?1 OR absorbed_person = ?1 ORDER BY id"));
  q->Bind(1, involving);
  return ReadMerges(*q);
}

Status SqliteStore::UndoMerge(int64_t merge_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT id, at, kept_person, absorbed_person, reason, automatic, "
                                      "moved_identities, undone_at FROM merges WHERE id = ?"));
  q->Bind(1, merge_id);
  VOUCH_ASSIGN_OR_RETURN(auto merges, ReadMerges(*q));
  if (merges.empty()) return Status::NotFound(fmt::format("no merge {}", merge_id));
  const Merge* merge = &merges.front();
  if (merge->undone_at) return Status::FailedPrecondition(fmt::format("merge {} was already undone", merge_id));
  for (IdentityId id : merge->moved) {
    VOUCH_ASSIGN_OR_RETURN(auto identity, GetIdentity(id));
    if (!identity || identity->person != merge->kept) {
      return Status::FailedPrecondition(fmt::format(
          "merge {} cannot be undone: identity {} has moved since (undo the later change first)", merge_id, id));
    }
  }
  VOUCH_ASSIGN_OR_RETURN(Statement * up, db_->Prepare("UPDATE identities SET person_id = ? WHERE id = ?"));
  for (IdentityId id : merge->moved) VOUCH_TRY(up->Reset().Bind(1, merge->absorbed).Bind(2, id).Run());
  VOUCH_ASSIGN_OR_RETURN(Statement * done, db_->Prepare("UPDATE merges SET undone_at = ? WHERE id = ?"));
  return done->Bind(1, clock_.NowSeconds()).Bind(2, merge_id).Run();
}

Result<PersonId> SqliteStore::SplitIdentity(IdentityId identity_id) {
  VOUCH_ASSIGN_OR_RETURN(auto identity, GetIdentity(identity_id));
  if (!identity) return Status::NotFound(fmt::format("no identity {}", identity_id));
  VOUCH_ASSIGN_OR_RETURN(PersonId person,
                         NewPerson(identity->display.empty() ? identity->key.value : identity->display));
  VOUCH_ASSIGN_OR_RETURN(Statement * up, db_->Prepare("UPDATE identities SET person_id = ? WHERE id = ?"));
  VOUCH_TRY(up->Bind(1, person).Bind(2, identity_id).Run());
  return person;
}

namespace {

constexpr std::string_view kPostColumns =
    "INSERT INTO posts (platform, external_id, author_identity, author_name, time, text, reply_to, reshare_of, "
    "quote_of, lang, mentions, hashtags, urls, likes, reshares, replies, quotes) VALUES ";
constexpr int kPostParameters = 17;

}  // namespace

Result<sqlite3_stmt*> SqliteStore::PostInsert(size_t rows) {
  auto& held = rows == 1 ? insert_post_ : insert_posts_;
  if (held) return held.get();
  std::string sql(kPostColumns);
  for (size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  }
  sql += " ON CONFLICT (platform, external_id) DO NOTHING";
  sqlite3* raw = db_->raw();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(raw, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    return Status::Internal(
        fmt::format("{}: cannot prepare the post insert: {}", db_->path(), sqlite3_errmsg(raw)));
  }
  held.reset(stmt);
  return stmt;
}

void SqliteStore::BindPost(sqlite3_stmt* q, int first, const Post& post, IdentityId author, size_t slot) {
  // SQLITE_STATIC: post and the JSON buffers outlive the sqlite3_step that follows, so SQLite need not copy them.
  auto text = [q](int i, std::string_view v) {
    sqlite3_bind_text64(q, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  };
  auto opt_text = [&](int i, const std::optional<std::string>& v) {
    if (v) text(i, *v);
    else sqlite3_bind_null(q, i);
  };
  auto opt_int = [q](int i, const std::optional<int64_t>& v) {
    if (v) sqlite3_bind_int64(q, i, *v);
    else sqlite3_bind_null(q, i);
  };
  assert(json_.size() >= 3 * (slot + 1) && "BindPost: the caller sizes json_ before binding (SQLITE_STATIC)");
  std::string& mentions = json_[3 * slot];
  std::string& hashtags = json_[3 * slot + 1];
  std::string& urls = json_[3 * slot + 2];
  AppendJsonArray(mentions, post.mentions);
  AppendJsonArray(hashtags, post.hashtags);
  AppendJsonArray(urls, post.urls);
  const int f = first - 1;
  text(f + 1, post.platform);
  text(f + 2, post.id);
  sqlite3_bind_int64(q, f + 3, author);
  text(f + 4, post.author_name);
  sqlite3_bind_int64(q, f + 5, post.time);
  text(f + 6, post.text);
  opt_text(f + 7, post.reply_to);
  opt_text(f + 8, post.reshare_of);
  opt_text(f + 9, post.quote_of);
  text(f + 10, post.lang);
  text(f + 11, mentions);
  text(f + 12, hashtags);
  text(f + 13, urls);
  opt_int(f + 14, post.metrics.likes);
  opt_int(f + 15, post.metrics.reshares);
  opt_int(f + 16, post.metrics.replies);
  opt_int(f + 17, post.metrics.quotes);
}

Result<bool> SqliteStore::InsertPost(const Post& post, IdentityId author) {
  VOUCH_ASSIGN_OR_RETURN(sqlite3_stmt * q, PostInsert(1));
  sqlite3_reset(q);
  if (json_.empty()) json_.resize(3);
  BindPost(q, 1, post, author, 0);
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) {
    return Status::IoError(fmt::format("{}: storing post {}/{}: {}", db_->path(), post.platform, post.id,
                                       sqlite3_errmsg(db_->raw())));
  }
  return sqlite3_changes64(db_->raw()) > 0;
}

Status SqliteStore::InsertPosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                                std::vector<uint8_t>& stored) {
  if (authors.size() != posts.size()) return Status::InvalidArgument("InsertPosts: one author per post");
  stored.assign(posts.size(), 0);
  sqlite3* raw = db_->raw();
  // Sized before any binding: the rows' JSON arrays are bound without copies, so their buffers must not move.
  if (json_.size() < 3 * kRowsPerInsert) json_.resize(3 * kRowsPerInsert);
  size_t i = 0;
  for (; i + kRowsPerInsert <= posts.size(); i += kRowsPerInsert) {
    VOUCH_ASSIGN_OR_RETURN(sqlite3_stmt * q, PostInsert(kRowsPerInsert));
    sqlite3_reset(q);
    for (size_t r = 0; r < kRowsPerInsert; ++r) {
      BindPost(q, static_cast<int>(r) * kPostParameters + 1, *posts[i + r], authors[i + r], r);
    }
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
      return Status::IoError(fmt::format("{}: storing posts {}/{} to {}/{}: {}", db_->path(), posts[i]->platform,
                                         posts[i]->id, posts[i + kRowsPerInsert - 1]->platform,
                                         posts[i + kRowsPerInsert - 1]->id, sqlite3_errmsg(raw)));
    }
    const int64_t changes = sqlite3_changes64(raw);
    if (changes == static_cast<int64_t>(kRowsPerInsert)) {
      std::fill_n(stored.begin() + static_cast<std::ptrdiff_t>(i), kRowsPerInsert, 1);
      continue;
    }
    if (changes == 0) continue;  // all there already (a rerun)
    // Some stored, some not. The stored rows took consecutive rowids (one more than the table's largest, each
    // in turn), ending at the last insert's; the others' keys lead to older rows, or, for a key listed twice, to
    // the row its first listing took. So a row was stored exactly when its key leads to the next of those rowids.
    VOUCH_ASSIGN_OR_RETURN(Statement * find,
                           db_->Prepare("SELECT id FROM posts WHERE platform = ? AND external_id = ?"));
    int64_t next = sqlite3_last_insert_rowid(raw) - changes + 1;
    for (size_t r = 0; r < kRowsPerInsert; ++r) {
      const Post& post = *posts[i + r];
      find->Reset().Bind(1, std::string_view(post.platform)).Bind(2, std::string_view(post.id));
      VOUCH_ASSIGN_OR_RETURN(bool row, find->Step());
      if (!row) {
        return Status::Internal(fmt::format("post {}/{} vanished while being stored", post.platform, post.id));
      }
      if (find->Int(0) == next) {
        stored[i + r] = 1;
        ++next;
      }
      find->Reset();
    }
  }
  for (; i < posts.size(); ++i) {
    VOUCH_ASSIGN_OR_RETURN(bool s, InsertPost(*posts[i], authors[i]));
    stored[i] = s ? 1 : 0;
  }
  return Status::Ok();
}

Result<bool> SqliteStore::InsertRating(const Rating& rating, IdentityId rater, IdentityId ratee) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("INSERT INTO ratings (rater_identity, ratee_identity, time, raw, value) "
                                      "VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING"));
  VOUCH_TRY(q->Bind(1, rater).Bind(2, ratee).Bind(3, rating.time).Bind(4, rating.raw).Bind(5, rating.value).Run());
  return db_->Changes() > 0;
}

Result<bool> SqliteStore::InsertOrder(const Order& order, IdentityId customer) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("INSERT INTO orders (order_id, customer_identity, amount_minor, currency, "
                                      "time, referral_code) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING"));
  VOUCH_TRY(q->Bind(1, order.order_id).Bind(2, customer).Bind(3, order.amount_minor).Bind(4, order.currency)
                .Bind(5, order.time).Bind(6, order.referral_code).Run());
  return db_->Changes() > 0;
}

Status SqliteStore::ForEachPost(const std::function<bool(const StoredPost&)>& fn) {
  VOUCH_ASSIGN_OR_RETURN(
      Statement * q,
      db_->Prepare("SELECT p.id, i.person_id, p.author_identity, p.platform, p.external_id, i.display, "
                   "p.author_name, p.time, p.text, p.reply_to, p.reshare_of, p.quote_of, p.lang, p.mentions, "
                   "p.hashtags, p.urls, p.likes, p.reshares, p.replies, p.quotes "
                   "FROM posts p JOIN identities i ON i.id = p.author_identity ORDER BY p.id"));
  StoredPost s;  // reused row after row
  return ForEachRow(*q, [&](const Statement& row) {
    s.row = row.Int(0);
    s.author_person = row.Int(1);
    s.author_identity = row.Int(2);
    Post& p = s.post;
    p.platform = row.Text(3);
    p.id = row.Text(4);
    p.author = row.Text(5);
    p.author_name = row.Text(6);
    p.time = row.Int(7);
    p.text = row.Text(8);
    p.reply_to = OptText(row, 9);
    p.reshare_of = OptText(row, 10);
    p.quote_of = OptText(row, 11);
    p.lang = row.Text(12);
    p.mentions = ParseJsonArray(row.Text(13));
    p.hashtags = ParseJsonArray(row.Text(14));
    p.urls = ParseJsonArray(row.Text(15));
    p.metrics = {OptInt(row, 16), OptInt(row, 17), OptInt(row, 18), OptInt(row, 19)};
    return fn(s);
  });
}

Status SqliteStore::ForEachRating(const std::function<bool(const StoredRating&)>& fn) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT a.person_id, b.person_id, a.display, b.display, r.raw, r.value, r.time "
                                      "FROM ratings r JOIN identities a ON a.id = r.rater_identity "
                                      "JOIN identities b ON b.id = r.ratee_identity"));
  StoredRating s;
  return ForEachRow(*q, [&](const Statement& row) {
    s.rater = row.Int(0);
    s.ratee = row.Int(1);
    s.rating = {row.Text(2), row.Text(3), row.Double(4), row.Double(5), row.Int(6)};
    return fn(s);
  });
}

Status SqliteStore::ForEachOrder(const std::function<bool(const StoredOrder&)>& fn) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT i.person_id, o.order_id, i.kind, i.value, o.amount_minor, o.currency, "
                                      "o.time, o.referral_code FROM orders o "
                                      "JOIN identities i ON i.id = o.customer_identity ORDER BY o.id"));
  StoredOrder s;
  return ForEachRow(*q, [&](const Statement& row) {
    s.customer = row.Int(0);
    Order& o = s.order;
    o.order_id = row.Text(1);
    bool by_email = row.Text(2) == "email";
    o.customer_id = by_email ? "" : row.Text(3);
    o.email = by_email ? row.Text(3) : "";
    o.amount_minor = row.Int(4);
    o.currency = row.Text(5);
    o.time = row.Int(6);
    o.referral_code = row.Text(7);
    return fn(s);
  });
}

// ---- people: the identity module's additions ----

Status SqliteStore::RenamePerson(PersonId person, std::string_view display_name) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("UPDATE people SET display_name = ? WHERE id = ?"));
  VOUCH_TRY(q->Bind(1, display_name).Bind(2, person).Run());
  if (db_->Changes() == 0) return Status::NotFound(fmt::format("no person {}", person));
  return Status::Ok();
}

Result<PersonActivity> SqliteStore::CountActivity(PersonId person) {
  PersonActivity a;
  struct Item {
    const char* sql;
    int64_t* out;
  };
  // Each joins through the person's identities, which the identities_person index finds.
  const Item items[] = {
      {"SELECT COUNT(*) FROM identities i JOIN posts p ON p.author_identity = i.id WHERE i.person_id = ?",
       &a.posts},
      {"SELECT COUNT(*) FROM identities i JOIN ratings r ON r.rater_identity = i.id WHERE i.person_id = ?",
       &a.ratings_given},
      {"SELECT COUNT(*) FROM identities i JOIN ratings r ON r.ratee_identity = i.id WHERE i.person_id = ?",
       &a.ratings_received},
      {"SELECT COUNT(*) FROM identities i JOIN orders o ON o.customer_identity = i.id WHERE i.person_id = ?",
       &a.orders},
  };
  for (const auto& item : items) {
    VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare(item.sql));
    q->Bind(1, person);
    VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> n, FirstValue<int64_t>(*q));
    *item.out = n.value_or(0);
  }
  return a;
}

Result<std::vector<Merge>> SqliteStore::ListUndoneMerges() {
  // Few merges are ever undone, while automatic ones may number millions: filter in SQL, not in memory.
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT id, at, kept_person, absorbed_person, reason, automatic, "
                                      "moved_identities, undone_at FROM merges WHERE undone_at IS NOT NULL "
                                      "ORDER BY id"));
  return ReadMerges(*q);
}

Result<WorkspaceCounts> SqliteStore::Counts() {
  WorkspaceCounts c;
  struct Item {
    const char* sql;
    int64_t* out;
  };
  const Item items[] = {
      {"SELECT COUNT(*) FROM people p WHERE EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id)", &c.people},
      {"SELECT COUNT(*) FROM identities", &c.identities},
      {"SELECT COUNT(*) FROM posts", &c.posts},
      {"SELECT COUNT(*) FROM mentions", &c.mentions},
      {"SELECT COUNT(*) FROM ratings", &c.ratings},
      {"SELECT COUNT(*) FROM orders", &c.orders},
      {"SELECT COUNT(*) FROM merges WHERE undone_at IS NULL", &c.merges},
  };
  for (const auto& item : items) {
    VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare(item.sql));
    VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> n, FirstValue<int64_t>(*q));
    *item.out = n.value_or(0);
  }
  return c;
}

Result<std::vector<std::pair<std::string, int>>> SqliteStore::SchemaVersions() { return db_->ComponentVersions(); }

}  // namespace vouch
