#include "vouch/trust/fairness_goodness.h"

#include "trust/fairness_update.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>

namespace vouch::trust {

FairnessGoodness::FairnessGoodness(const RatingGraph& graph, FairnessGoodnessParams params)
    : graph_(graph), params_(params) {
  record_.algorithm = "fairness-goodness";
}

Status FairnessGoodness::Run(const RunControl& control) {
  has_run_ = false;
  const double start = SteadySeconds();
  const NodeId n = graph_.node_count();
  fairness_.assign(n, 1.0);
  goodness_.assign(n, 1.0);
  for (NodeId v = 0; v < n; ++v) {
    if (graph_.InDegree(v) == 0) goodness_[v] = 0;
  }
  record_ = RunRecord{"fairness-goodness", 0, false, 0, 0, n, graph_.edge_count(), CurrentConcurrency()};
  const tbb::blocked_range<NodeId> all(0, n, 2048);
  auto max_of = [](double a, double b) { return std::max(a, b); };
  for (int it = 0; it < params_.max_iterations; ++it) {
    if (control.Cancelled()) return Status::Cancelled("fairness-goodness cancelled");
    const double dg = tbb::parallel_reduce(
        all, 0.0,
        [&](const tbb::blocked_range<NodeId>& r, double worst) {
          for (NodeId v = r.begin(); v != r.end(); ++v) {
            const auto raters = graph_.InRaters(v);
            if (raters.empty()) continue;
            const auto values = graph_.InValues(v);
            double sum = 0;
            for (size_t k = 0; k < raters.size(); ++k) sum += fairness_[raters[k]] * values[k];
            const double g = sum / static_cast<double>(raters.size());
            worst = std::max(worst, std::fabs(g - goodness_[v]));
            goodness_[v] = g;
          }
          return worst;
        },
        max_of);
    const double df = UpdateFairness(graph_, goodness_, fairness_);
    record_.iterations = it + 1;
    record_.final_delta = std::max(dg, df);
    control.Report({"fairness-goodness", static_cast<uint64_t>(it + 1),
                    static_cast<uint64_t>(params_.max_iterations), "iterations", 0});
    if (record_.final_delta < params_.tolerance) {
      record_.converged = true;
      break;
    }
  }
  double fsum = 0, gsum = 0;
  uint64_t fn = 0, gn = 0;
  for (NodeId u = 0; u < n; ++u) {
    if (graph_.OutDegree(u) > 0) fsum += fairness_[u], ++fn;
    if (graph_.InDegree(u) > 0) gsum += goodness_[u], ++gn;
  }
  mean_fairness_ = fn > 0 ? fsum / static_cast<double>(fn) : 1.0;
  mean_goodness_ = gn > 0 ? gsum / static_cast<double>(gn) : 0.0;
  record_.seconds = SteadySeconds() - start;
  has_run_ = true;
  return Status::Ok();
}

double FairnessGoodness::Predict(NodeId u, NodeId v) const {
  const double f =
      (u != kNoNode && u < graph_.node_count() && graph_.OutDegree(u) > 0) ? fairness_[u] : mean_fairness_;
  const double g =
      (v != kNoNode && v < graph_.node_count() && graph_.InDegree(v) > 0) ? goodness_[v] : mean_goodness_;
  return std::clamp(f * g, -1.0, 1.0);
}

}  // namespace vouch::trust
