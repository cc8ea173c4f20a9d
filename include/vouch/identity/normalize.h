// Identifier normalisation: the rules that decide when two spellings are the same identity.
//
//  - Handles are per platform. "@JaneDoe", "janedoe" and " @janedoe " are one X handle; Reddit's "u/Jane" is
//    "jane"; a Mastodon "@jane@Mastodon.Social" is "jane@mastodon.social" (the instance is part of the handle).
//    Handles are compared case-insensitively on every platform Vouch knows (X, Reddit and Mastodon all are).
//  - E-mails are trimmed and lower-cased; for providers that ignore them, sub-address tags ("+news") are dropped,
//    and for Gmail dots in the local part too (jane.doe+x@googlemail.com == janedoe@gmail.com).
//  - Customer ids are the shop's: trimmed, otherwise compared exactly.
//
// All functions are pure and thread safe.
#pragma once

#include <string>
#include <string_view>

#include "vouch/core/status.h"
#include "vouch/store/records.h"

namespace vouch::identity {

// Empty when nothing is left of the handle (such a record is invalid).
std::string NormalizeHandle(std::string_view platform, std::string_view handle);
// InvalidArgument naming the value when it is not an e-mail address (no single '@', empty parts, spaces).
Result<std::string> NormalizeEmail(std::string_view email);
std::string NormalizeCustomerId(std::string_view id);

// Keys ready for the store. HandleKey lower-cases the platform too.
IdentityKey HandleKey(std::string_view platform, std::string_view handle);
Result<IdentityKey> EmailKey(std::string_view email);
IdentityKey CustomerKey(std::string_view id);

}  // namespace vouch::identity
