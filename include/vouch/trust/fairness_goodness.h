// FairnessGoodness: the fairness of every rater and the goodness of every ratee in a signed weighted rating
// graph (S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos, "Edge Weight Prediction in Weighted Signed
// Networks", ICDM 2016).
//
//   g(v) = 1/|in(v)|  * sum_{u in in(v)} f(u) * w(u,v)                 goodness in [-1, 1]
//   f(u) = 1 - 1/(2|out(u)|) * sum_{v in out(u)} |w(u,v) - g(v)|       fairness in [0, 1]
//
// starting from f = g = 1 and alternating until the largest change of any f or g is below tolerance (the paper
// proves convergence). A fair rater rates people as the others do; a good person is rated highly by fair raters.
// The paper's edge weight prediction is f(u) * g(v).
//
// People with no in-ratings have goodness 0 and people who rated nobody have fairness 1: neither value takes part
// in the iteration. Predict() falls back to the mean fairness of raters and the mean goodness of rated people for
// unknown people (kNoNode or no such ratings).
//
// Each sweep is parallel over people (goodness gathers over in-edges, fairness over out-edges: no atomics, the
// result does not depend on the thread count). Cost: O(iterations * edges); memory: two doubles per person.
#pragma once

#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/rating_graph.h"

namespace vouch::trust {

struct FairnessGoodnessParams {
  int max_iterations = 100;
  double tolerance = 1e-6;  // on max |change| of any fairness or goodness within a sweep
};

class FairnessGoodness final : public TrustAlgorithm {
 public:
  // graph must outlive this object.
  explicit FairnessGoodness(const RatingGraph& graph, FairnessGoodnessParams params = {});
  Status Run(const RunControl& control = {}) override;

  Result<std::span<const double>> fairness() const { return Checked(fairness_); }
  Result<std::span<const double>> goodness() const { return Checked(goodness_); }
  // f(u) * g(v) in [-1, 1]; either id may be kNoNode (unknown person). Precondition: has_run().
  double Predict(NodeId u, NodeId v) const;
  double mean_fairness() const { return mean_fairness_; }
  double mean_goodness() const { return mean_goodness_; }

 private:
  const RatingGraph& graph_;
  FairnessGoodnessParams params_;
  std::vector<double> fairness_, goodness_;
  double mean_fairness_ = 1, mean_goodness_ = 0;
};

}  // namespace vouch::trust
