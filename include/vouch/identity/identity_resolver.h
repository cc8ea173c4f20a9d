// IdentityResolver: turns identifiers into identities and people, and links the identifiers that a record brings
// together (an order's customer id and e-mail, a CRM contact's e-mail and handles) into one person.
//
// Rules (docs/identity.md):
//  - Identifiers are normalised first (normalize.h): identifiers that normalise alike are one identity.
//  - Linking makes the people of several identities one person. The person kept is the oldest (lowest id), so a
//    person's id stays valid as more of their identifiers turn up; each absorbed person is one recorded merge with
//    its reason ("orders.csv:12: customer C-1 and e-mail jane@example.com on one order") and can be undone
//    (Undo, Store::UndoMerge).
//  - A user's correction wins over automatic linking: two people whose merge was undone are never linked again
//    automatically (Link leaves them apart and says so); a manual Merge still joins them.
//  - Manual merges keep the older person too, for the same reason.
//
// The resolver caches identifier -> identity so that a large ingest asks the store once per identifier. The cache
// holds identity ids only (people move when merged; identities do not), but identities created inside a
// transaction that is rolled back are gone: call ClearCache() after a rollback.
//
// The store must outlive the resolver. Not thread safe (neither is a Store).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/store.h"

namespace vouch::identity {

struct ResolvedIdentity {
  IdentityId identity = 0;
  bool created = false;  // new identity (with a new person of its own)
};

struct LinkOutcome {
  PersonId person = 0;             // the person the identities now belong to (the oldest of theirs)
  std::vector<int64_t> merges;     // merges recorded by this call
  std::vector<PersonId> kept_apart;  // people left apart because a merge of theirs with person was undone
};

class IdentityResolver final {
 public:
  static constexpr size_t kDefaultCacheEntries = size_t{1} << 18;  // about 25 MB of identifiers

  explicit IdentityResolver(Store& store, size_t cache_entries = kDefaultCacheEntries);

  // The identity of key, created (with a new person named display) when the store has none. key must be
  // normalised (normalize.h: HandleKey, EmailKey, CustomerKey).
  Result<ResolvedIdentity> Resolve(const IdentityKey& key, std::string_view display);

  // Makes the people of identities one person (automatic merges, each recorded with reason). Identities already
  // on one person change nothing.
  Result<LinkOutcome> Link(std::span<const IdentityId> identities, std::string_view reason);

  // A user's merge of two people; the older (lower id) is kept. Returns the merge id (0 when a == b).
  Result<int64_t> Merge(PersonId a, PersonId b, std::string_view reason);
  // Moves one identity into a new person of its own (when its person has other identities); returns the person
  // it is on afterwards. FailedPrecondition when the identity is its person's only one.
  Result<PersonId> Split(IdentityId identity);
  // Undoes a merge (Store::UndoMerge: refused when an identity it moved has moved since).
  Status Undo(int64_t merge_id);

  // A person named by the user: a person id ("42") or an identifier ("email:jane@example.com"). NotFound names
  // what was not found.
  Result<PersonId> FindPerson(std::string_view reference);
  // The stored identity for an identifier; NotFound when there is none.
  Result<Identity> FindIdentity(std::string_view identifier);

  void ClearCache() { cache_.clear(); }
  uint64_t cache_hits() const { return hits_; }
  uint64_t cache_misses() const { return misses_; }

 private:
  Result<bool> MergeWasUndone(PersonId a, PersonId b);

  Store& store_;
  size_t cache_entries_;
  std::unordered_map<std::string, IdentityId> cache_;
  // Pairs (lower, higher) of people whose merge was undone; loaded on first need.
  std::optional<std::vector<std::pair<PersonId, PersonId>>> undone_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace vouch::identity
