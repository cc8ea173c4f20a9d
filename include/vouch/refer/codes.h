// Unguessable identifiers for the referral service: link codes, click ids, visitor ids and API keys, drawn from
// OpenSSL's CSPRNG (RAND_bytes), and the hashes the service stores instead of keys (SHA-256) and signs webhooks
// with (HMAC-SHA256).
//
// Thread safe: RAND_bytes is thread safe in OpenSSL 3.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::refer {

// length characters of [0-9A-Za-z], uniformly drawn (rejection sampling, so no character is favoured): each
// carries log2(62) = 5.95 bits. Fails only when the CSPRNG does.
Result<std::string> RandomToken(size_t length);

// A click id or a new visitor id: 16 base62 characters, 7 of them now_ms (milliseconds since the Unix epoch, base62,
// most significant first, good for 110 years) and 9 random ones (53 bits: a guess must also hit the millisecond).
// Why time first: these ids are keys of B-tree indexes (refer_clicks.token, .visitor); ids made in one batch sort
// together, so a batch of clicks dirties a few pages at the end of each index instead of one random page per click,
// which was most of the bytes each group commit wrote.
inline constexpr size_t kTimeOrderedTokenLength = 16;
Result<std::string> TimeOrderedToken(int64_t now_ms);

// A link code: 12 base62 characters (71 bits), so codes cannot be enumerated.
inline constexpr size_t kLinkCodeLength = 12;
Result<std::string> GenerateLinkCode();
// A vanity code chosen by the brand ("JANE10"): 3..32 characters of [A-Za-z0-9_-]. Error names the field.
Status ValidateVanityCode(std::string_view code);

// An API key: "vk_" then 40 base62 characters (238 bits).
Result<std::string> GenerateApiKey();

// Lowercase hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);
// Lowercase hex HMAC-SHA256 of data under key.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace vouch::refer
