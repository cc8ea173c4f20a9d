// The example world's shop: its referral program (who is enrolled, with which code), the planted fraud, the orders,
// the program's traffic (clicks, leads, sales, refunds) and the ratings people give each other.
//
// PlantProgram runs before the posts (enrolled advocates mention their codes, fake accounts post with low trust);
// the writers run after and are sequential: their outputs are small next to the posts (a few percent of the people
// order; a third rate someone).
//
// Planted fraud, each kind recorded in truth/fraud.csv per order:
//  - self_referral: an enrolled person buys through their own code, as a guest, with a Gmail variant of their own
//    address (dots moved, a +tag, googlemail.com): the same mailbox after normalisation.
//  - ring: fake accounts enrolled in the program buy through each other's codes in a cycle, from one /24 network.
//  - burst: one code gets 15 to 40 orders within ten minutes from throwaway addresses, most refunded days later.
// Rating rings (fake accounts rating each other +9/+10) are listed in truth/rating_rings.csv.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "synth/follow_graph.h"
#include "synth/population.h"
#include "vouch/synth/world_generator.h"

namespace vouch::synth {

struct Program {
  std::vector<uint32_t> enrolled;                 // people with a referral code, ascending
  std::vector<std::vector<uint32_t>> rating_rings;
  size_t referral_rings = 0;                      // the first referral_rings rating rings also defraud the program
  std::vector<uint32_t> self_referrers;
  std::vector<uint32_t> burst_codes;              // owners of codes that get a burst
};

// Marks enrolled, fake and fraudulent people in the population (flags, and low trust for fake accounts).
Program PlantProgram(const SynthConfig& config, Population& people);

struct CommerceFiles {
  std::string orders_csv, referrals_jsonl, advocates_csv, fraud_csv;
  uint64_t orders = 0, referred_orders = 0, events = 0, refunds = 0;
  uint64_t self_referral = 0, ring = 0, burst = 0;
};
CommerceFiles WriteCommerce(const SynthConfig& config, const Population& people, const FollowGraph& graph,
                            const Program& program);

struct RatingFiles {
  std::string ratings_csv, rings_csv;
  uint64_t ratings = 0;
  uint64_t ring_members = 0;
};
RatingFiles WriteRatings(const SynthConfig& config, const Population& people, const FollowGraph& graph,
                         const Program& program);

}  // namespace vouch::synth
