// Store: the Foundation's storage interface. The verbs and the library modules talk to this, never to SQLite, so
// that a PostgreSQL backend can be added without touching them. SqliteStore (sqlite_store.h) is the embedded
// default.
//
// Writes are grouped by the caller: Begin() ... Commit(). A batch either lands whole or not at all, so an
// interrupted ingest leaves every committed batch and nothing half-written; because every Insert* is idempotent
// on the record's natural key, running the ingest again completes it.
//
// Thread safety: a Store is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/records.h"

namespace vouch {

// Where a resolved identity stands.
struct IdentityRef {
  IdentityId identity = 0;
  PersonId person = 0;
  bool created = false;   // the identity (and a new person for it) was created by this call
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- transactions ----
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;  // safe to call when no transaction is open

  // ---- identity ----
  // The identity for key, creating it and a new person (named display) when it does not exist.
  virtual Result<IdentityRef> ResolveIdentity(const IdentityKey& key, std::string_view display) = 0;
  // Many at once: refs[i] is what ResolveIdentity(keys[i], displays[i]) gives. A key listed twice resolves to one
  // identity (created with its first display; only that entry says created). Every key needs a non-empty value.
  // Backends look the keys up and create the missing ones in key order, which keeps their index writes local: a
  // bulk load (a graph's nodes, a batch of posts' new authors) costs a few microseconds a key instead of tens.
  // New identities and people are numbered in that order.
  virtual Status ResolveIdentities(std::span<const IdentityKey> keys, std::span<const std::string_view> displays,
                                   std::vector<IdentityRef>& refs) {
    if (displays.size() != keys.size()) return Status::InvalidArgument("ResolveIdentities: one display per key");
    refs.clear();
    refs.reserve(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      VOUCH_ASSIGN_OR_RETURN(IdentityRef ref, ResolveIdentity(keys[i], displays[i]));
      refs.push_back(ref);
    }
    return Status::Ok();
  }
  virtual Result<std::optional<Identity>> FindIdentity(const IdentityKey& key) = 0;
  virtual Result<std::optional<Identity>> GetIdentity(IdentityId id) = 0;
  virtual Result<std::optional<Person>> GetPerson(PersonId id) = 0;
  // Moves every identity of absorbed to kept and records the merge. Merging a person with itself is a no-op
  // returning 0.
  virtual Result<int64_t> MergePeople(PersonId kept, PersonId absorbed, std::string_view reason, bool automatic) = 0;
  // Moves the merge's identities back to the person they came from (which is kept, empty, for this). Fails when
  // already undone or when one of those identities has moved since.
  virtual Status UndoMerge(int64_t merge_id) = 0;
  // Moves one identity into a new person of its own; returns that person.
  virtual Result<PersonId> SplitIdentity(IdentityId identity) = 0;
  virtual Result<std::vector<Merge>> ListMerges(std::optional<PersonId> involving) = 0;

  // ---- records; each returns true when stored, false when its natural key was there already ----
  virtual Result<bool> InsertPost(const Post& post, IdentityId author) = 0;            // key: platform, id
  // Many posts at once, in order: stored[i] is what InsertPost(*posts[i], authors[i]) would say in that order (a
  // post whose key is already there, or listed earlier in posts, is not stored). Backends may write several rows
  // per statement: this is the bulk path of ingest.
  virtual Status InsertPosts(std::span<const Post* const> posts, std::span<const IdentityId> authors,
                             std::vector<uint8_t>& stored) {
    if (authors.size() != posts.size()) return Status::InvalidArgument("InsertPosts: one author per post");
    stored.assign(posts.size(), 0);
    for (size_t i = 0; i < posts.size(); ++i) {
      VOUCH_ASSIGN_OR_RETURN(bool s, InsertPost(*posts[i], authors[i]));
      stored[i] = s ? 1 : 0;
    }
    return Status::Ok();
  }
  virtual Result<bool> InsertRating(const Rating& rating, IdentityId rater, IdentityId ratee) = 0;  // rater, ratee, time
  virtual Result<bool> InsertOrder(const Order& order, IdentityId customer) = 0;       // order_id
  // Bulk loads of posts. BeginPostLoad(incoming), called before the load's first transaction with about how many
  // posts are coming, lets the backend prepare for a large load (the SQLite store skips its foreign-key lookups,
  // since the load's rows reference what it has just written), and EndPostLoad() undoes that, however the load
  // ended. Returns whether the backend changed anything. Backends may do nothing.
  virtual Result<bool> BeginPostLoad(uint64_t /*incoming*/) { return false; }
  virtual Status EndPostLoad() { return Status::Ok(); }

  // ---- reading back, in storage order; the callback returns false to stop early ----
  struct StoredPost {
    int64_t row = 0;
    PersonId author_person = 0;
    IdentityId author_identity = 0;
    Post post;
  };
  virtual Status ForEachPost(const std::function<bool(const StoredPost&)>& fn) = 0;
  struct StoredRating {
    PersonId rater = 0, ratee = 0;
    Rating rating;
  };
  virtual Status ForEachRating(const std::function<bool(const StoredRating&)>& fn) = 0;
  struct StoredOrder {
    PersonId customer = 0;
    Order order;
  };
  virtual Status ForEachOrder(const std::function<bool(const StoredOrder&)>& fn) = 0;

  // ---- people: what the identity module needs beyond the above (added by identity; keep together) ----
  // Sets a person's display name (a CRM contact's name).
  virtual Status RenamePerson(PersonId person, std::string_view display_name) = 0;
  // Posts, ratings and orders of a person, through all of their identities.
  virtual Result<PersonActivity> CountActivity(PersonId person) = 0;
  // Every merge that was undone, oldest first: automatic linking leaves those pairs of people apart.
  virtual Result<std::vector<Merge>> ListUndoneMerges() = 0;

  virtual Result<WorkspaceCounts> Counts() = 0;
  // Schema component -> version, e.g. {"core", 1}.
  virtual Result<std::vector<std::pair<std::string, int>>> SchemaVersions() = 0;
};

}  // namespace vouch
