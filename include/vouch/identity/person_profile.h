// A person as `vouch people show` presents them: their identities, the merges that involve them and what they
// did (posts, ratings, orders) through all of their identities.
#pragma once

#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/store.h"

namespace vouch::identity {

struct PersonProfile {
  Person person;              // with identities, oldest first
  std::vector<Merge> merges;  // kept or absorbed this person, oldest first (undone ones included)
  PersonActivity activity;
};

// NotFound when there is no such person.
Result<PersonProfile> DescribePerson(Store& store, PersonId person);

}  // namespace vouch::identity
