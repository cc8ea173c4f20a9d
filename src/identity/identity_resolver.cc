#include "vouch/identity/identity_resolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "vouch/identity/identifier.h"

namespace vouch::identity {
namespace {

std::string CacheKey(const IdentityKey& key) {
  std::string out;
  out.reserve(key.scope.size() + key.value.size() + 3);
  out.push_back(static_cast<char>('0' + static_cast<int>(key.kind)));
  out += key.scope;
  out.push_back('\0');  // scopes and values never hold NUL, so the joined key is unambiguous
  out += key.value;
  return out;
}

}  // namespace

IdentityResolver::IdentityResolver(Store& store, size_t cache_entries)
    : store_(store), cache_entries_(cache_entries) {}

Result<ResolvedIdentity> IdentityResolver::Resolve(const IdentityKey& key, std::string_view display) {
  std::string ck = CacheKey(key);
  if (auto it = cache_.find(ck); it != cache_.end()) {
    ++hits_;
    return ResolvedIdentity{it->second, false};
  }
  ++misses_;
  VOUCH_ASSIGN_OR_RETURN(IdentityRef ref, store_.ResolveIdentity(key, display));
  // A full cache starts over rather than tracking recency: identifiers of a big file rarely repeat far apart, and
  // a miss costs only one indexed lookup.
  if (cache_.size() >= cache_entries_) cache_.clear();
  cache_.emplace(std::move(ck), ref.identity);
  return ResolvedIdentity{ref.identity, ref.created};
}

Result<bool> IdentityResolver::MergeWasUndone(PersonId a, PersonId b) {
  if (!undone_) {
    VOUCH_ASSIGN_OR_RETURN(auto merges, store_.ListUndoneMerges());
    undone_.emplace();
    for (const auto& m : merges) {
      undone_->emplace_back(std::min(m.kept, m.absorbed), std::max(m.kept, m.absorbed));
    }
    std::sort(undone_->begin(), undone_->end());
  }
  return std::binary_search(undone_->begin(), undone_->end(), std::make_pair(std::min(a, b), std::max(a, b)));
}

Result<LinkOutcome> IdentityResolver::Link(std::span<const IdentityId> identities, std::string_view reason) {
  std::vector<PersonId> people;
  for (IdentityId id : identities) {
    VOUCH_ASSIGN_OR_RETURN(auto identity, store_.GetIdentity(id));
    if (!identity) return Status::NotFound(fmt::format("no identity {}", id));
    people.push_back(identity->person);
  }
  LinkOutcome out;
  if (people.empty()) return out;
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  out.person = people.front();
  for (size_t i = 1; i < people.size(); ++i) {
    VOUCH_ASSIGN_OR_RETURN(bool undone, MergeWasUndone(out.person, people[i]));
    if (undone) {
      out.kept_apart.push_back(people[i]);
      continue;
    }
    VOUCH_ASSIGN_OR_RETURN(int64_t merge, store_.MergePeople(out.person, people[i], reason, /*automatic=*/true));
    out.merges.push_back(merge);
  }
  return out;
}

Result<int64_t> IdentityResolver::Merge(PersonId a, PersonId b, std::string_view reason) {
  return store_.MergePeople(std::min(a, b), std::max(a, b), reason, /*automatic=*/false);
}

Result<PersonId> IdentityResolver::Split(IdentityId identity_id) {
  VOUCH_ASSIGN_OR_RETURN(auto identity, store_.GetIdentity(identity_id));
  if (!identity) return Status::NotFound(fmt::format("no identity {}", identity_id));
  VOUCH_ASSIGN_OR_RETURN(auto person, store_.GetPerson(identity->person));
  if (person && person->identities.size() <= 1) {
    return Status::FailedPrecondition(fmt::format("{} is the only identity of person {}: nothing to split",
                                                  FormatIdentifier(identity->key), identity->person));
  }
  return store_.SplitIdentity(identity_id);
}

Status IdentityResolver::Undo(int64_t merge_id) {
  VOUCH_TRY(store_.UndoMerge(merge_id));
  undone_.reset();  // the pair it separated must now stay apart
  return Status::Ok();
}

Result<Identity> IdentityResolver::FindIdentity(std::string_view identifier) {
  VOUCH_ASSIGN_OR_RETURN(IdentityKey key, ParseIdentifier(identifier));
  VOUCH_ASSIGN_OR_RETURN(auto identity, store_.FindIdentity(key));
  if (!identity) return Status::NotFound(fmt::format("no identity {} in this workspace", FormatIdentifier(key)));
  return std::move(*identity);
}

Result<PersonId> IdentityResolver::FindPerson(std::string_view reference) {
  PersonId id = 0;
  auto [end, ec] = std::from_chars(reference.data(), reference.data() + reference.size(), id);
  if (!reference.empty() && ec == std::errc() && end == reference.data() + reference.size()) {
    VOUCH_ASSIGN_OR_RETURN(auto person, store_.GetPerson(id));
    if (!person || person->identities.empty()) {
      // A person emptied by a merge is not one any more: name where they went.
      return Status::NotFound(person ? fmt::format("person {} has no identities (merged into another person; "
                                                   "see `vouch people merges --person {}`)", id, id)
                                     : fmt::format("no person {} in this workspace", id));
    }
    return id;
  }
  VOUCH_ASSIGN_OR_RETURN(Identity identity, FindIdentity(reference));
  return identity.person;
}

}  // namespace vouch::identity
