#include "vouch/identity/person_profile.h"

#include <fmt/format.h>

namespace vouch::identity {

Result<PersonProfile> DescribePerson(Store& store, PersonId id) {
  VOUCH_ASSIGN_OR_RETURN(auto person, store.GetPerson(id));
  if (!person) return Status::NotFound(fmt::format("no person {} in this workspace", id));
  PersonProfile profile;
  profile.person = std::move(*person);
  VOUCH_ASSIGN_OR_RETURN(profile.merges, store.ListMerges(id));
  VOUCH_ASSIGN_OR_RETURN(profile.activity, store.CountActivity(id));
  return profile;
}

}  // namespace vouch::identity
