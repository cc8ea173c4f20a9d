// Reputation: a global, per-person score that resists fake accounts and rating rings, combining trust
// propagated from seeds (TrustRank) with fairness/goodness (FairnessGoodness) weighted by that trust.
//
// The model:
//   1. T = TrustRank from the seed set over positive ratings (trust_rank.h); T sums to 1, so 1/R is the mean
//      mass of the R people that trust reaches (T > 0). Not 1/N over all people: accounts that nobody trusts must
//      not move the yardstick, or a million fake accounts would make every real rater look more credible.
//   2. The credibility of u as a rater: c(u) = T(u) / (T(u) + 1/R), in [0, 1): 1/2 for a person of average
//      trust, near 1 for the seeds and the people they vouch for, exactly 0 for anyone no trusted rating reaches.
//   3. Trust-weighted fairness/goodness, iterated from r = 0, f = 1 until the largest change is below tolerance:
//        r(v) = sum_{u in in(v)} c(u) f(u) w(u,v) / (sum_{u in in(v)} c(u) + k)
//        f(u) = 1 - 1/(2|out(u)|) sum_{v in out(u)} |w(u,v) - r(v)|
//      k (prior_weight) shrinks r towards 0, "unknown", until credible raters have spoken: one average rater's
//      +1 lifts r to 1/3 only.
//   reputation(v) = r(v) in [-1, 1].
//
// Why a ring cannot lift itself: its members have T = 0 unless honest people rate them positively, so c = 0 and
// their ratings of each other carry no weight; their reputation stays 0 ("unknown") below every person that
// credible raters rate positively. Why it cannot sink a victim: the same weights make its negative ratings of an
// honest person count for nothing, while the victim's credible raters still count. What the ring can do is
// bounded by the trust honest people gave it (its "attack edges"); see docs/trust.md.
//
// Thread safety and cost as FairnessGoodness, plus one TrustRank run.
#pragma once

#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/rating_graph.h"
#include "vouch/trust/trust_rank.h"

namespace vouch::trust {

struct ReputationParams {
  TrustRankParams trust;
  double prior_weight = 1.0;  // k above
  int max_iterations = 100;
  double tolerance = 1e-6;  // on max |change| of any r or f within a sweep
};

class Reputation final : public TrustAlgorithm {
 public:
  // graph must outlive this object; seeds as TrustRank's (DefaultSeeds() when the user names none).
  Reputation(const RatingGraph& graph, std::vector<NodeId> seeds, ReputationParams params = {});
  Status Run(const RunControl& control = {}) override;

  Result<std::span<const double>> reputation() const { return Checked(reputation_); }
  Result<std::span<const double>> fairness() const { return Checked(fairness_); }
  Result<std::span<const double>> credibility() const { return Checked(credibility_); }
  Result<std::span<const double>> trust() const { return Checked(trust_); }
  // Records of the two stages (Run()'s own record() covers the whole).
  const RunRecord& trust_rank_record() const { return trust_record_; }
  const std::vector<NodeId>& seeds() const { return seeds_; }

 private:
  const RatingGraph& graph_;
  std::vector<NodeId> seeds_;
  ReputationParams params_;
  std::vector<double> reputation_, fairness_, credibility_, trust_;
  RunRecord trust_record_;
};

}  // namespace vouch::trust
