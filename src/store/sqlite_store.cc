#include "vouch/store/sqlite_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <numeric>

#include "store/core_schema.h"
#include "store/post_body_file.h"
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

// Where post row's body lies, from its row's body_offset and body_length.
Result<store::PostBodyRef> BodyRef(int64_t row, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0) {
    return Status::Corruption(fmt::format("post {} has a negative body offset or length", row));
  }
  return store::PostBodyRef{static_cast<uint64_t>(offset), static_cast<uint64_t>(length)};
}

// The SQL functions vouch_post_text(id, body_offset, body_length) and vouch_post_reply_to(...): a post's text and
// reply target read from the body file, for the modules whose queries join posts (listen). Registered on the
// store's connection only.
struct BodyFunctions {
  store::PostBodyFile* bodies;
  Post scratch;  // reused: one connection is used by one thread at a time
};

void ReadBodyField(sqlite3_context* ctx, sqlite3_value** args, bool text) {
  auto* f = static_cast<BodyFunctions*>(sqlite3_user_data(ctx));
  const int64_t row = sqlite3_value_int64(args[0]);
  Result<store::PostBodyRef> ref = BodyRef(row, sqlite3_value_int64(args[1]), sqlite3_value_int64(args[2]));
  Status s = ref.ok() ? f->bodies->Read(row, *ref, f->scratch) : ref.status();
  if (!s.ok()) {
    sqlite3_result_error(ctx, s.message().c_str(), -1);
    return;
  }
  const std::string* value = text ? &f->scratch.text : f->scratch.reply_to ? &*f->scratch.reply_to : nullptr;
  if (value == nullptr) {
    sqlite3_result_null(ctx);
  } else {
    sqlite3_result_text64(ctx, value->data(), value->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool create_if_missing,
                                                       const Clock& clock) {
  VOUCH_ASSIGN_OR_RETURN(auto db, store::SqliteDb::Open(path, create_if_missing));
  // The bodies' file sits beside the database's ("vouch.db.body"); an in-memory database keeps them in memory.
  const bool in_memory = path.empty() || path == ":memory:" || path.starts_with("file::memory:");
  VOUCH_ASSIGN_OR_RETURN(auto bodies, store::PostBodyFile::Open(in_memory ? std::string() : path + ".body"));
  VOUCH_TRY(db->Migrate("core", store::CoreMigrations(*bodies)));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), std::move(bodies), clock));
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
  for (bool text : {true, false}) {
    auto fn = text ? +[](sqlite3_context* c, int, sqlite3_value** v) { ReadBodyField(c, v, true); }
                   : +[](sqlite3_context* c, int, sqlite3_value** v) { ReadBodyField(c, v, false); };
    // The connection owns each function's state (deleted when it closes); bodies_ outlives the connection.
    auto* state = new BodyFunctions{store->bodies_.get(), {}};
    if (sqlite3_create_function_v2(store->db_->raw(), text ? "vouch_post_text" : "vouch_post_reply_to", 3, kFlags,
                                   state, fn, nullptr, nullptr,
                                   [](void* p) { delete static_cast<BodyFunctions*>(p); }) != SQLITE_OK) {
      return store->db_->Error("registering the post body functions");
    }
  }
  // The file must hold every committed post's record; a longer one (a killed load's tail) is cut by the next
  // write transaction, under the write lock (another process may be appending right now).
  VOUCH_ASSIGN_OR_RETURN(auto last, store->LastPostBody());
  VOUCH_TRY(store->bodies_->CheckHolds(last.first, last.second).status());
  return store;
}

SqliteStore::~SqliteStore() = default;

SqliteStore::SqliteStore(std::unique_ptr<store::SqliteDb> db, std::unique_ptr<store::PostBodyFile> bodies,
                         const Clock& clock)
    : bodies_(std::move(bodies)), db_(std::move(db)), clock_(clock) {}

Result<std::pair<uint64_t, std::string>> SqliteStore::LastPostBody() {
  // Records are appended in row order under the write lock, so the last row's ends last (found from the end of
  // the table's B-tree; no index needed).
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_->Prepare("SELECT id, platform, external_id, body_offset + body_length "
                                                     "FROM posts ORDER BY id DESC LIMIT 1"));
  VOUCH_ASSIGN_OR_RETURN(bool row, q->Step());
  std::pair<uint64_t, std::string> last{0, "none"};
  if (row) last = {static_cast<uint64_t>(q->Int(3)), fmt::format("{} ({}/{})", q->Int(0), q->Text(1), q->Text(2))};
  q->Reset();
  return last;
}

Status SqliteStore::StartBodies() {
  if (bodies_->appending()) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(auto last, LastPostBody());
  return bodies_->StartAppending(last.first, last.second);
}

Result<bool> SqliteStore::BeginPostLoad(uint64_t incoming) {
  if (in_transaction_) return Status::Internal("Store::BeginPostLoad inside an open transaction");
  if (incoming == 0) return false;
  // The load's posts reference authors it has just resolved, and its mentions the posts it has just stored, in
  // the same transaction: the foreign-key lookup SQLite makes for every row (a descent of identities' B-tree per
  // post) can only succeed. Off for the load; EndPostLoad turns it back on.
  VOUCH_TRY(db_->Exec("PRAGMA foreign_keys=OFF"));
  return true;
}

Status SqliteStore::EndPostLoad() {
  if (in_transaction_) return Status::Internal("Store::EndPostLoad inside an open transaction");
  return db_->Exec("PRAGMA foreign_keys=ON");
}

Status SqliteStore::Begin() {
  if (in_transaction_) return Status::Internal("Store::Begin inside an open transaction");
  VOUCH_TRY(db_->Exec("BEGIN IMMEDIATE"));
  in_transaction_ = true;
  return Status::Ok();
}

Status SqliteStore::Commit() {
  if (!in_transaction_) return Status::Internal("Store::Commit without Begin");
  // The transaction's post bodies are durable before its rows commit: a committed row never points past the
  // file's durable end.
  Status synced = bodies_->Sync();
  if (!synced.ok()) {
    Rollback();
    return synced;
  }
  VOUCH_TRY(db_->Exec("COMMIT"));
  in_transaction_ = false;
  return Status::Ok();
}

void SqliteStore::Rollback() {
  bodies_->Abandon();
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
    "INSERT INTO posts (platform, external_id, author_identity, time, body_offset, body_length) VALUES ";
constexpr int kPostParameters = 6;

}  // namespace

Result<sqlite3_stmt*> SqliteStore::PostInsert(size_t rows) {
  auto& held = rows == 1 ? insert_post_ : insert_posts_;
  if (held) return held.get();
  std::string sql(kPostColumns);
  for (size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += "(?,?,?,?,?,?)";
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

Status SqliteStore::BindPost(sqlite3_stmt* q, int first, const Post& post, IdentityId author) {
  VOUCH_ASSIGN_OR_RETURN(store::PostBodyRef body, bodies_->Append(post));
  // SQLITE_STATIC: post outlives the sqlite3_step that follows, so SQLite need not copy its strings.
  const int f = first - 1;
  sqlite3_bind_text64(q, f + 1, post.platform.data(), post.platform.size(), SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text64(q, f + 2, post.id.data(), post.id.size(), SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_int64(q, f + 3, author);
  sqlite3_bind_int64(q, f + 4, post.time);
  sqlite3_bind_int64(q, f + 5, static_cast<int64_t>(body.offset));
  sqlite3_bind_int64(q, f + 6, static_cast<int64_t>(body.length));
  return Status::Ok();
}

Status SqliteStore::WritePosts(const std::function<Status()>& write) {
  // Appending to the body file needs the write lock: inside the store's transaction, or in one of its own.
  const bool own = !in_transaction_ && sqlite3_get_autocommit(db_->raw()) != 0;
  if (own) VOUCH_TRY(Begin());
  Status s = StartBodies();
  if (s.ok()) s = write();
  // Inside a transaction begun on the connection directly (not through Begin): durable now, before its COMMIT.
  if (s.ok() && !in_transaction_) s = bodies_->Sync();
  if (own) {
    if (s.ok()) return Commit();
    Rollback();
  } else if (!s.ok() && !in_transaction_) {
    bodies_->Abandon();
  }
  return s;
}

Result<bool> SqliteStore::StorePost(const Post& post, IdentityId author) {
  VOUCH_ASSIGN_OR_RETURN(sqlite3_stmt * q, PostInsert(1));
  sqlite3_reset(q);
  const uint64_t mark = bodies_->end();
  VOUCH_TRY(BindPost(q, 1, post, author));
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) {
    return Status::IoError(fmt::format("{}: storing post {}/{}: {}", db_->path(), post.platform, post.id,
                                       sqlite3_errmsg(db_->raw())));
  }
  const bool stored = sqlite3_changes64(db_->raw()) > 0;
  if (!stored) (void)bodies_->RewindTo(mark);  // stored before: its body is not needed twice
  return stored;
}

Result<bool> SqliteStore::InsertPost(const Post& post, IdentityId author) {
  bool stored = false;
  VOUCH_TRY(WritePosts([&]() -> Status {
    VOUCH_ASSIGN_OR_RETURN(stored, StorePost(post, author));
    return Status::Ok();
  }));
  return stored;
}

Status SqliteStore::InsertPosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                                std::vector<uint8_t>& stored) {
  if (authors.size() != posts.size()) return Status::InvalidArgument("InsertPosts: one author per post");
  stored.assign(posts.size(), 0);
  return WritePosts([&] { return StorePosts(posts, authors, stored); });
}

Status SqliteStore::StorePosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                               std::vector<uint8_t>& stored) {
  sqlite3* raw = db_->raw();
  size_t i = 0;
  for (; i + kRowsPerInsert <= posts.size(); i += kRowsPerInsert) {
    VOUCH_ASSIGN_OR_RETURN(sqlite3_stmt * q, PostInsert(kRowsPerInsert));
    sqlite3_reset(q);
    const uint64_t mark = bodies_->end();
    for (size_t r = 0; r < kRowsPerInsert; ++r) {
      VOUCH_TRY(BindPost(q, static_cast<int>(r) * kPostParameters + 1, *posts[i + r], authors[i + r]));
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
    if (changes == 0) {  // all there already (a rerun): their bodies are not needed twice
      (void)bodies_->RewindTo(mark);
      continue;
    }
    // Some stored, some not (the others' bodies stay as unreferenced bytes). The stored rows took consecutive
    // rowids (one more than the table's largest, each in turn), ending at the last insert's; the others' keys
    // lead to older rows, or, for a key listed twice, to the row its first listing took. So a row was stored
    // exactly when its key leads to the next of those rowids.
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
    VOUCH_ASSIGN_OR_RETURN(bool s, StorePost(*posts[i], authors[i]));
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
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_->Prepare("SELECT p.id, i.person_id, p.author_identity, p.platform, p.external_id, "
                                      "i.display, p.time, p.body_offset, p.body_length "
                                      "FROM posts p JOIN identities i ON i.id = p.author_identity ORDER BY p.id"));
  StoredPost s;  // reused row after row
  return ForEachRow(*q, [&](const Statement& row) -> Result<bool> {
    s.row = row.Int(0);
    s.author_person = row.Int(1);
    s.author_identity = row.Int(2);
    Post& p = s.post;
    p.platform = row.Text(3);
    p.id = row.Text(4);
    p.author = row.Text(5);
    p.time = row.Int(6);
    VOUCH_ASSIGN_OR_RETURN(store::PostBodyRef body, BodyRef(s.row, row.Int(7), row.Int(8)));
    VOUCH_TRY(bodies_->Read(s.row, body, p));
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

namespace store {

Status MovePostBodiesToFile(SqliteDb& db, PostBodyFile& bodies) {
  // No row points into the file yet (under step 1 there is none): whatever it holds is cut.
  VOUCH_TRY(bodies.StartAppending(0, "none"));
  // The narrow rows gather in a table of the database (not in memory, however many posts there are).
  VOUCH_TRY(db.Exec("CREATE TABLE posts_step2 (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, external_id TEXT "
                    "NOT NULL, author_identity INTEGER NOT NULL, time INTEGER NOT NULL, body_offset INTEGER NOT "
                    "NULL, body_length INTEGER NOT NULL)"));
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db.Prepare("SELECT id, platform, external_id, author_identity, time, author_name, text, "
                                    "reply_to, reshare_of, quote_of, lang, mentions, hashtags, urls, likes, "
                                    "reshares, replies, quotes FROM posts ORDER BY id"));
  VOUCH_ASSIGN_OR_RETURN(Statement * add, db.Prepare("INSERT INTO posts_step2 VALUES (?, ?, ?, ?, ?, ?, ?)"));
  Post p;
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) -> Status {
    p.author_name = row.Text(5);
    p.text = row.Text(6);
    p.reply_to = OptText(row, 7);
    p.reshare_of = OptText(row, 8);
    p.quote_of = OptText(row, 9);
    p.lang = row.Text(10);
    p.mentions = ParseJsonArray(row.Text(11));
    p.hashtags = ParseJsonArray(row.Text(12));
    p.urls = ParseJsonArray(row.Text(13));
    p.metrics = {OptInt(row, 14), OptInt(row, 15), OptInt(row, 16), OptInt(row, 17)};
    VOUCH_ASSIGN_OR_RETURN(PostBodyRef body, bodies.Append(p));
    return add->Reset()
        .Bind(1, row.Int(0))
        .Bind(2, row.Text(1))
        .Bind(3, row.Text(2))
        .Bind(4, row.Int(3))
        .Bind(5, row.Int(4))
        .Bind(6, static_cast<int64_t>(body.offset))
        .Bind(7, static_cast<int64_t>(body.length))
        .Run();
  }));
  VOUCH_TRY(bodies.Sync());  // durable before the step commits
  // Foreign-key checks cannot be turned off inside the step's transaction, but they can wait for its end:
  // dropping posts orphans the mentions until the same rows are back in the new posts table.
  VOUCH_TRY(db.Exec("PRAGMA defer_foreign_keys=ON; DROP TABLE posts;"));
  VOUCH_TRY(db.Exec(kPostsStep2Sql));
  return db.Exec("INSERT INTO posts SELECT * FROM posts_step2 ORDER BY id; DROP TABLE posts_step2;");
}

}  // namespace store

}  // namespace vouch
