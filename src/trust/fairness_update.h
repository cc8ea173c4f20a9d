// The fairness half of a Fairness/Goodness iteration (Kumar et al., ICDM 2016), shared by FairnessGoodness and
// Reputation, which differ only in the goodness-like score a rater is judged against:
//   fairness(u) = 1 - sum over u's ratings (u -> v, w) of |w - score(v)| / (2 * out-degree(u))
// People who rated nobody keep their fairness. Parallel over raters; returns the largest change.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "vouch/trust/rating_graph.h"

namespace vouch::trust {

inline double UpdateFairness(const RatingGraph& graph, std::span<const double> score, std::vector<double>& fairness) {
  const tbb::blocked_range<NodeId> all(0, static_cast<NodeId>(fairness.size()), 2048);
  return tbb::parallel_reduce(
      all, 0.0,
      [&](const tbb::blocked_range<NodeId>& r, double worst) {
        for (NodeId u = r.begin(); u != r.end(); ++u) {
          const auto ratees = graph.OutRatees(u);
          if (ratees.empty()) continue;
          const auto values = graph.OutValues(u);
          double dev = 0;
          for (size_t k = 0; k < ratees.size(); ++k) dev += std::fabs(values[k] - score[ratees[k]]);
          const double f = 1.0 - dev / (2.0 * static_cast<double>(ratees.size()));
          worst = std::max(worst, std::fabs(f - fairness[u]));
          fairness[u] = f;
        }
        return worst;
      },
      [](double a, double b) { return std::max(a, b); });
}

}  // namespace vouch::trust
