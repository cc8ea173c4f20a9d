// SqliteStore: the Store on an embedded SQLite database file (the default; one machine needs no server).
// Prepared statements only; schema migrations for the "core" component applied on open.
//
// Posts: the row (table posts) keeps what SQL filters and joins on; the rest of each post (its text, reply and
// reshare targets, lists, metrics) lies in an append-only side file beside the database, "<database>.body"
// (src/store/post_body_file.h), made durable before each commit. Anything that copies a database must copy that
// file with it. Modules whose SQL joins posts read the text and reply target with the connection's functions
// vouch_post_text(p.id, p.body_offset, p.body_length) and vouch_post_reply_to(...) (same arguments), which only
// the store's own connection (db()) has.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "vouch/core/clock.h"
#include "vouch/store/sqlite_db.h"
#include "vouch/store/store.h"

namespace vouch {

namespace store {
class PostBodyFile;
}

class SqliteStore final : public Store {
 public:
  // Opens path (":memory:" for a throwaway database), creating it when create_if_missing, and migrates it.
  // clock stamps merges; it must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, bool create_if_missing = true,
                                                   const Clock& clock = SystemClock::Instance());
  ~SqliteStore() override;

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

  Result<IdentityRef> ResolveIdentity(const IdentityKey& key, std::string_view display) override;
  Status ResolveIdentities(std::span<const IdentityKey> keys, std::span<const std::string_view> displays,
                           std::vector<IdentityRef>& refs) override;
  Result<std::optional<Identity>> FindIdentity(const IdentityKey& key) override;
  Result<std::optional<Identity>> GetIdentity(IdentityId id) override;
  Result<std::optional<Person>> GetPerson(PersonId id) override;
  Result<int64_t> MergePeople(PersonId kept, PersonId absorbed, std::string_view reason, bool automatic) override;
  Status UndoMerge(int64_t merge_id) override;
  Result<PersonId> SplitIdentity(IdentityId identity) override;
  Result<std::vector<Merge>> ListMerges(std::optional<PersonId> involving) override;

  Result<bool> InsertPost(const Post& post, IdentityId author) override;
  // kRowsPerInsert posts per INSERT statement (the rest one by one): the statement's fixed cost (cursors opened
  // and closed, the VM started and halted) is paid once per group instead of once per post.
  Status InsertPosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                     std::vector<uint8_t>& stored) override;
  static constexpr size_t kRowsPerInsert = 32;
  Result<bool> InsertRating(const Rating& rating, IdentityId rater, IdentityId ratee) override;
  Result<bool> InsertOrder(const Order& order, IdentityId customer) override;
  // Turns foreign-key checks off for the load (its rows reference what it has just written) and EndPostLoad back
  // on. Posts have no secondary index to suspend.
  Result<bool> BeginPostLoad(uint64_t incoming) override;
  Status EndPostLoad() override;

  Status ForEachPost(const std::function<bool(const StoredPost&)>& fn) override;
  Status ForEachRating(const std::function<bool(const StoredRating&)>& fn) override;
  Status ForEachOrder(const std::function<bool(const StoredOrder&)>& fn) override;

  Status RenamePerson(PersonId person, std::string_view display_name) override;
  Result<PersonActivity> CountActivity(PersonId person) override;
  Result<std::vector<Merge>> ListUndoneMerges() override;

  Result<WorkspaceCounts> Counts() override;
  Result<std::vector<std::pair<std::string, int>>> SchemaVersions() override;

  // The connection, for modules that keep tables of their own in the same file (they migrate their own
  // component through SqliteDb::Migrate).
  store::SqliteDb& db() { return *db_; }

 private:
  SqliteStore(std::unique_ptr<store::SqliteDb> db, std::unique_ptr<store::PostBodyFile> bodies, const Clock& clock);
  Result<PersonId> NewPerson(std::string_view display);
  Result<std::vector<Merge>> ReadMerges(store::Statement& q);
  // Where the last committed post's body ends, and that post (for messages).
  Result<std::pair<uint64_t, std::string>> LastPostBody();
  // Readies the body file for appending (once per write transaction).
  Status StartBodies();
  // Runs write (which stores posts) inside the store's transaction, or in one of its own when none is open.
  Status WritePosts(const std::function<Status()>& write);
  Result<bool> StorePost(const Post& post, IdentityId author);
  Status StorePosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                    std::vector<uint8_t>& stored);

  // Declared before db_ so that it outlives the connection, whose SQL functions point to it.
  std::unique_ptr<store::PostBodyFile> bodies_;
  std::unique_ptr<store::SqliteDb> db_;
  const Clock& clock_;
  bool in_transaction_ = false;
  // InsertPost is the hot path of ingest (hundreds of thousands a second): its statement is prepared once and
  // held here (no cache lookup by SQL text), its strings bound without copies, its body appended to the body
  // file's reused buffer. Declared after db_, so it is finalized before the connection closes.
  struct StatementDeleter {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  // Appends post's body to the body file and binds its row's 6 columns from parameter first on.
  Status BindPost(sqlite3_stmt* q, int first, const Post& post, IdentityId author);
  // The statement inserting rows posts at once (1 or kRowsPerInsert), prepared on first use.
  Result<sqlite3_stmt*> PostInsert(size_t rows);

  std::unique_ptr<sqlite3_stmt, StatementDeleter> insert_post_, insert_posts_;
};

}  // namespace vouch
