// TrustRank: trust propagated from a seed set of trusted people along positive ratings (Z. Gyöngyi, H. Garcia-
// Molina, J. Pedersen, "Combating Web Spam with TrustRank", VLDB 2004), i.e. personalised PageRank whose
// teleport goes only to the seeds:
//
//   T = (1 - d) * s + d * (P^T T + dangling mass * s)
//
// where s is uniform over the seeds, P(u,v) = w(u,v) / sum of u's positive ratings (negative and zero ratings
// carry no trust), d the damping, and the mass of people who rated nobody positively returns to the seeds.
// T sums to 1. Why this resists fake accounts: trust only enters at the seeds and only flows along ratings that
// trusted people gave, so a ring of accounts that nobody trusted rates among itself with zero mass, however many
// accounts and ratings it has; the mass it can gain is bounded by the trust on the few "attack" ratings honest
// people gave it (the personalised-PageRank argument of SybilRank, Cao et al., NSDI 2012).
//
// Sweeps are parallel over people (pull over in-edges; the result does not depend on the thread count).
// Cost: O(iterations * edges); memory: three doubles per person.
#pragma once

#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/rating_graph.h"

namespace vouch::trust {

struct TrustRankParams {
  double damping = 0.85;
  int max_iterations = 200;
  double tolerance = 1e-9;  // on the L1 change of T within a sweep (T sums to 1)
};

class TrustRank final : public TrustAlgorithm {
 public:
  // graph must outlive this object. seeds: the trusted people (duplicates ignored); Run() refuses an empty set.
  TrustRank(const RatingGraph& graph, std::vector<NodeId> seeds, TrustRankParams params = {});
  Status Run(const RunControl& control = {}) override;
  // Trust mass per person; sums to 1.
  Result<std::span<const double>> trust() const { return Checked(trust_); }

 private:
  const RatingGraph& graph_;
  std::vector<NodeId> seeds_;
  TrustRankParams params_;
  std::vector<double> trust_;
};

// The default seed set when the user names none: the `count` earliest people (by the time of their first rating,
// given or received; by order of first appearance when the graph has no times) among those whose received ratings
// average above zero. Old accounts in good standing are what an attacker cannot create after the fact; say so in
// reports, and pass explicit seeds where a platform knows better (verified customers, staff, moderators).
std::vector<NodeId> DefaultSeeds(const RatingGraph& graph, size_t count);
// count = max(10, people / 100), the default of the CLI.
size_t DefaultSeedCount(const RatingGraph& graph);

}  // namespace vouch::trust
