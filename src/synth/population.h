// Population: the people of the example world with their hidden traits, and their identifiers (X handle, Reddit
// and Mastodon accounts, e-mail, customer id), all derived deterministically from (seed, person index).
//
// Identifiers are unique by construction: each ends in a number that is a bijection of the person's index
// (index * a + b mod 10^k, a coprime with 10), so no two people share a handle, an e-mail (even after Gmail's
// dot and +tag rules), a customer id or a referral code.
//
// Thread safety: read-only after construction; any number of threads may read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/synth/rng.h"
#include "vouch/synth/world_generator.h"

namespace vouch::synth {

// Streams of Rng::For(seed, stream, index): one per kind of entity, so adding draws to one kind never changes
// another.
enum Stream : uint64_t {
  kStreamPeople = 1,
  kStreamCommunities,
  kStreamFollows,
  kStreamPlanting,
  kStreamDays,
  kStreamPosts,
  kStreamRatings,
  kStreamCommerce,
  kStreamCrm,
};

enum PersonFlag : uint32_t {
  kUsedProduct = 1u << 0,     // has used the own brand's products (a customer)
  kCompetitorUser = 1u << 1,  // uses a competitor's (Person::competitor says which)
  kDealSeeker = 1u << 2,
  kOnReddit = 1u << 3,
  kOnMastodon = 1u << 4,
  kAdvocate = 1u << 5,        // ground truth: a true advocate (used, satisfied, trusted, vocal)
  kFraudster = 1u << 6,       // a planted fake account (rating and referral rings)
  kInCrm = 1u << 7,           // the shop's CRM knows them
  kEnrolled = 1u << 8,        // in the referral program, with a code
  kSelfReferrer = 1u << 9,    // planted: buys through their own code
  kBurstCode = 1u << 10,      // planted: their code gets a burst of orders
};

struct Person {
  float trust = 0;         // hidden trustworthiness in [0, 1]
  float activity = 0;      // relative posting rate (log-normal, mean 1)
  float popularity = 0;    // relative chance of being followed (Pareto)
  float satisfaction = 0;  // with the brand they use, in [-1, 1] (0 for non-users)
  uint32_t community = 0;
  uint32_t flags = 0;
  uint16_t first = 0, last = 0;  // name indices
  uint8_t competitor = 0;        // 1 or 2: the competitor brand a kCompetitorUser uses
  uint8_t email_domain = 0;
  uint8_t handle_style = 0;
  uint8_t mastodon_instance = 0;

  bool Has(uint32_t f) const { return (flags & f) != 0; }
  // Uses brand b (0 = own brand, 1 and 2 competitors).
  bool Uses(int b) const { return b == 0 ? Has(kUsedProduct) : (Has(kCompetitorUser) && competitor == b); }
};

class Population {
 public:
  explicit Population(const SynthConfig& config);

  uint32_t size() const { return static_cast<uint32_t>(people_.size()); }
  const Person& operator[](uint32_t i) const { return people_[i]; }
  Person& mutable_person(uint32_t i) { return people_[i]; }
  uint32_t communities() const { return communities_; }

  std::string_view Handle(uint32_t i) const {  // X handle, without '@', in its display case ("JaneDoe42")
    return std::string_view(handles_).substr(handle_offsets_[i], handle_offsets_[i + 1] - handle_offsets_[i]);
  }
  std::string XUserId(uint32_t i) const;
  std::string Name(uint32_t i) const;   // "Jane Doe"
  std::string_view FirstName(uint32_t i) const;
  std::string RedditHandle(uint32_t i) const;
  std::string MastodonUser(uint32_t i) const;      // "jane42"
  std::string_view MastodonInstance(uint32_t i) const;  // "mastodon.social"
  std::string Email(uint32_t i) const;             // the canonical address the CRM holds
  std::string CustomerId(uint32_t i) const;        // "C00123456"
  std::string ReferralCode(uint32_t i) const;      // "JANE4821"

  // Samples a person in proportion to activity (who writes posts).
  uint32_t SampleByActivity(Rng& rng) const { return static_cast<uint32_t>(by_activity_.Sample(rng)); }
  // Samples a person in proportion to popularity (who gets mentioned, followed).
  uint32_t SampleByPopularity(Rng& rng) const { return static_cast<uint32_t>(by_popularity_.Sample(rng)); }

  // The number of decimal digits of the bijective suffixes.
  int suffix_digits() const { return suffix_digits_; }

 private:
  // index -> a number in [0, 10^suffix_digits_), one-to-one; salt picks one of several bijections.
  uint64_t Suffix(uint32_t i, uint64_t salt) const;

  uint64_t seed_;
  int suffix_digits_ = 1;
  uint64_t suffix_modulus_ = 10;
  uint32_t communities_ = 1;
  std::vector<Person> people_;
  std::string handles_;
  std::vector<uint32_t> handle_offsets_;
  AliasTable by_activity_;
  AliasTable by_popularity_;
};

}  // namespace vouch::synth
