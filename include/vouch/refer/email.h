// E-mail addresses as the referral service compares them.
//
// NormalizeEmail is the identity form (what the Foundation's identity model stores: trimmed, lowercase). When
// vouch/identity/normalize.h lands on main this one function is the place to swap in its normaliser.
// CanonicalEmail goes further for the self-referral rule: the same mailbox reached through Gmail's ignored dots,
// a +tag, or googlemail.com compares equal ("J.Doe+promo@GoogleMail.com" -> "jdoe@gmail.com").
#pragma once

#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::refer {

// Trimmed and lowercased; InvalidArgument (naming field) unless it has one '@' with text on both sides and a dot
// in the domain.
Result<std::string> NormalizeEmail(std::string_view email, std::string_view field = "email");

// The mailbox behind a normalised address: +tags dropped for every domain, dots dropped in Gmail local parts,
// googlemail.com folded into gmail.com.
std::string CanonicalEmail(std::string_view normalized);

}  // namespace vouch::refer
