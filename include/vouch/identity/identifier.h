// Identifiers as people type them: "email:jane@example.com", "customer:C-1", "x:@jane" (PLATFORM:HANDLE). The
// CLI and the service name identities this way; FormatIdentifier writes them back in the same form.
//
// Pure and thread safe.
#pragma once

#include <string>
#include <string_view>

#include "vouch/core/status.h"
#include "vouch/store/records.h"

namespace vouch::identity {

// The normalised key for text (see normalize.h). InvalidArgument naming text when it has no "KIND:" prefix, an
// empty value, or an e-mail that is not one.
Result<IdentityKey> ParseIdentifier(std::string_view text);

// "email:jane@example.com", "customer:C-1", "x:jane".
std::string FormatIdentifier(const IdentityKey& key);

}  // namespace vouch::identity
