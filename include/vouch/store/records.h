// The records that the Foundation stores: people and their identities, posts, ratings and orders.
// Social edges are not rows: a graph lives in the workspace as a compact binary file (see vouch/graph/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vouch {

using PersonId = int64_t;
using IdentityId = int64_t;

// What an identifier is. A handle is scoped by its platform ("x", "reddit", "mastodon", "generic", ...);
// e-mails and customer ids have an empty scope.
enum class IdentityKind { kHandle, kEmail, kCustomer };
const char* IdentityKindName(IdentityKind kind);           // "handle", "email", "customer"
std::optional<IdentityKind> ParseIdentityKind(std::string_view name);

// An identifier after normalisation (vouch/identity/normalize.h): the store compares these byte for byte.
struct IdentityKey {
  IdentityKind kind = IdentityKind::kHandle;
  std::string scope;
  std::string value;
  bool operator==(const IdentityKey&) const = default;
};

struct Identity {
  IdentityId id = 0;
  IdentityKey key;
  std::string display;  // as first seen ("@JaneDoe"), for people to read
  PersonId person = 0;
};

struct Person {
  PersonId id = 0;
  std::string display_name;
  std::vector<Identity> identities;
};

// A merge of two people, recorded so that it can be undone.
struct Merge {
  int64_t id = 0;
  int64_t at = 0;                       // epoch seconds
  PersonId kept = 0;
  PersonId absorbed = 0;
  std::string reason;                   // "same e-mail jane@example.com", "manual", ...
  bool automatic = false;
  std::vector<IdentityId> moved;        // identities that moved from absorbed to kept
  std::optional<int64_t> undone_at;
};

struct PostMetrics {
  std::optional<int64_t> likes, reshares, replies, quotes;
};

// A post in the generic schema (docs/formats.md); every reader produces these.
struct Post {
  std::string platform;                  // "x", "reddit", "mastodon", "generic", ...
  std::string id;                        // the platform's id, unique within the platform
  std::string author;                    // the author's handle on that platform, as given
  std::string author_name;               // display name, may be empty
  int64_t time = 0;                      // epoch seconds, UTC
  std::string text;                      // plain text (HTML already stripped)
  std::optional<std::string> reply_to;   // id of the post this replies to
  std::optional<std::string> reshare_of; // id of the post this reshares (a retweet, a reblog)
  std::optional<std::string> quote_of;   // id of the post this quotes
  std::vector<std::string> mentions;     // handles mentioned, without '@'
  std::vector<std::string> hashtags;     // without '#'
  std::vector<std::string> urls;
  std::string lang;                      // BCP 47 tag or empty
  PostMetrics metrics;
};

// A signed, weighted rating of one person by another.
struct Rating {
  std::string rater;
  std::string ratee;
  double raw = 0;      // as given, on the file's scale
  double value = 0;    // scaled to [-1, 1]
  int64_t time = 0;    // epoch seconds; 0 when the file has none
};

// An order from the shop. Money is integer minor units (cents) with an ISO 4217 currency; never floating point.
struct Order {
  std::string order_id;
  std::string customer_id;     // the shop's customer id; may be empty when email is given
  std::string email;           // may be empty when customer_id is given
  int64_t amount_minor = 0;
  std::string currency;        // "USD"
  int64_t time = 0;
  std::string referral_code;   // empty when the order came without one
};

// What one person did, through all of their identities (for `vouch people show`).
struct PersonActivity {
  int64_t posts = 0;
  int64_t ratings_given = 0;
  int64_t ratings_received = 0;
  int64_t orders = 0;
};

// What a workspace holds, for `vouch status`.
struct WorkspaceCounts {
  int64_t people = 0;
  int64_t identities = 0;
  int64_t posts = 0;
  int64_t mentions = 0;
  int64_t ratings = 0;
  int64_t orders = 0;
  int64_t merges = 0;
};

}  // namespace vouch
