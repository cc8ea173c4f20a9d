#include "vouch/trust/reputation.h"

#include "trust/fairness_update.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>

namespace vouch::trust {

Reputation::Reputation(const RatingGraph& graph, std::vector<NodeId> seeds, ReputationParams params)
    : graph_(graph), seeds_(std::move(seeds)), params_(params) {
  record_.algorithm = "reputation";
}

Status Reputation::Run(const RunControl& control) {
  has_run_ = false;
  const double start = SteadySeconds();
  const NodeId n = graph_.node_count();
  {
    TrustRank rank(graph_, seeds_, params_.trust);
    VOUCH_TRY(rank.Run(control));
    VOUCH_ASSIGN_OR_RETURN(auto t, rank.trust());
    trust_.assign(t.begin(), t.end());
    trust_record_ = *rank.record();
  }
  record_ = RunRecord{"reputation", 0, false, 0, 0, n, graph_.edge_count(), CurrentConcurrency()};
  const tbb::blocked_range<NodeId> all(0, n, 2048);
  // The mean trust of the people trust reaches (T sums to 1). Not 1/N: accounts nobody trusts must not move the
  // yardstick, or a million fake accounts would make every real rater look more credible.
  uint64_t reached = 0;
  for (double t : trust_) reached += t > 0;
  const double average = reached > 0 ? 1.0 / static_cast<double>(reached) : 1.0;
  credibility_.resize(n);
  tbb::parallel_for(all, [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId u = r.begin(); u != r.end(); ++u) credibility_[u] = trust_[u] / (trust_[u] + average);
  });
  // The denominators do not change between sweeps.
  std::vector<double> weight(n);
  tbb::parallel_for(all, [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId v = r.begin(); v != r.end(); ++v) {
      double sum = params_.prior_weight;
      for (NodeId u : graph_.InRaters(v)) sum += credibility_[u];
      weight[v] = sum;
    }
  });
  reputation_.assign(n, 0.0);
  fairness_.assign(n, 1.0);
  auto max_of = [](double a, double b) { return std::max(a, b); };
  for (int it = 0; it < params_.max_iterations; ++it) {
    if (control.Cancelled()) return Status::Cancelled("reputation cancelled");
    const double dr = tbb::parallel_reduce(
        all, 0.0,
        [&](const tbb::blocked_range<NodeId>& r, double worst) {
          for (NodeId v = r.begin(); v != r.end(); ++v) {
            const auto raters = graph_.InRaters(v);
            if (raters.empty()) continue;
            const auto values = graph_.InValues(v);
            double sum = 0;
            for (size_t k = 0; k < raters.size(); ++k) {
              sum += credibility_[raters[k]] * fairness_[raters[k]] * values[k];
            }
            const double rep = weight[v] > 0 ? sum / weight[v] : 0.0;
            worst = std::max(worst, std::fabs(rep - reputation_[v]));
            reputation_[v] = rep;
          }
          return worst;
        },
        max_of);
    const double df = UpdateFairness(graph_, reputation_, fairness_);
    record_.iterations = it + 1;
    record_.final_delta = std::max(dr, df);
    control.Report({"reputation", static_cast<uint64_t>(it + 1), static_cast<uint64_t>(params_.max_iterations),
                    "iterations", 0});
    if (record_.final_delta < params_.tolerance) {
      record_.converged = true;
      break;
    }
  }
  record_.seconds = SteadySeconds() - start;
  has_run_ = true;
  return Status::Ok();
}

}  // namespace vouch::trust
