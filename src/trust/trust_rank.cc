#include "vouch/trust/trust_rank.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vouch::trust {

TrustRank::TrustRank(const RatingGraph& graph, std::vector<NodeId> seeds, TrustRankParams params)
    : graph_(graph), seeds_(std::move(seeds)), params_(params) {
  std::sort(seeds_.begin(), seeds_.end());
  seeds_.erase(std::unique(seeds_.begin(), seeds_.end()), seeds_.end());
  record_.algorithm = "trust-rank";
}

Status TrustRank::Run(const RunControl& control) {
  has_run_ = false;
  const double start = SteadySeconds();
  const NodeId n = graph_.node_count();
  if (seeds_.empty()) return Status::InvalidArgument("trust rank: the seed set is empty");
  for (NodeId s : seeds_) {
    if (s >= n) return Status::InvalidArgument(fmt::format("trust rank: seed {} is not a person of the graph", s));
  }
  if (!(params_.damping >= 0 && params_.damping < 1)) {
    return Status::InvalidArgument("trust rank: damping must be in [0, 1)");
  }
  record_ = RunRecord{"trust-rank", 0, false, 0, 0, n, graph_.edge_count(), CurrentConcurrency()};
  const tbb::blocked_range<NodeId> all(0, n, 2048);

  // share[u] = T(u) / (sum of u's positive ratings): what each unit of u's positive rating passes on.
  std::vector<double> positive_out(n, 0.0);
  tbb::parallel_for(all, [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId u = r.begin(); u != r.end(); ++u) {
      double sum = 0;
      for (float w : graph_.OutValues(u)) sum += std::max(0.0f, w);
      positive_out[u] = sum;
    }
  });
  const double seed_share = 1.0 / static_cast<double>(seeds_.size());
  std::vector<char> is_seed(n, 0);
  for (NodeId s : seeds_) is_seed[s] = 1;
  trust_.assign(n, 0.0);
  for (NodeId s : seeds_) trust_[s] = seed_share;
  std::vector<double> share(n), next(n);
  const double d = params_.damping;
  for (int it = 0; it < params_.max_iterations; ++it) {
    if (control.Cancelled()) return Status::Cancelled("trust rank cancelled");
    const double dangling = tbb::parallel_reduce(
        all, 0.0,
        [&](const tbb::blocked_range<NodeId>& r, double acc) {
          for (NodeId u = r.begin(); u != r.end(); ++u) {
            if (positive_out[u] > 0) {
              share[u] = trust_[u] / positive_out[u];
            } else {
              share[u] = 0;
              acc += trust_[u];
            }
          }
          return acc;
        },
        std::plus<>());
    const double seed_mass = ((1.0 - d) + d * dangling) * seed_share;
    const double delta = tbb::parallel_reduce(
        all, 0.0,
        [&](const tbb::blocked_range<NodeId>& r, double acc) {
          for (NodeId v = r.begin(); v != r.end(); ++v) {
            const auto raters = graph_.InRaters(v);
            const auto values = graph_.InValues(v);
            double in = 0;
            for (size_t k = 0; k < raters.size(); ++k) {
              if (values[k] > 0) in += share[raters[k]] * values[k];
            }
            const double t = d * in + (is_seed[v] ? seed_mass : 0.0);
            acc += std::fabs(t - trust_[v]);
            next[v] = t;
          }
          return acc;
        },
        std::plus<>());
    trust_.swap(next);
    record_.iterations = it + 1;
    record_.final_delta = delta;
    control.Report({"trust rank", static_cast<uint64_t>(it + 1), static_cast<uint64_t>(params_.max_iterations),
                    "iterations", 0});
    if (delta < params_.tolerance) {
      record_.converged = true;
      break;
    }
  }
  record_.seconds = SteadySeconds() - start;
  has_run_ = true;
  return Status::Ok();
}

size_t DefaultSeedCount(const RatingGraph& graph) {
  return std::max<size_t>(10, graph.node_count() / 100);
}

std::vector<NodeId> DefaultSeeds(const RatingGraph& graph, size_t count) {
  const NodeId n = graph.node_count();
  std::vector<int64_t> first(n, std::numeric_limits<int64_t>::max());
  if (graph.has_time()) {
    for (NodeId u = 0; u < n; ++u) {
      for (EdgeId e = graph.OutBegin(u); e < graph.OutEnd(u); ++e) {
        const int64_t t = graph.Time(e);
        first[u] = std::min(first[u], t);
        first[graph.Ratee(e)] = std::min(first[graph.Ratee(e)], t);
      }
    }
  } else {
    // Ids are given in order of first appearance (PersonIndex), the best proxy for age without times.
    for (NodeId u = 0; u < n; ++u) first[u] = u;
  }
  std::vector<NodeId> candidates;
  for (NodeId v = 0; v < n; ++v) {
    const auto values = graph.InValues(v);
    double sum = 0;
    for (float w : values) sum += w;
    if (!values.empty() && sum > 0) candidates.push_back(v);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [&](NodeId a, NodeId b) { return first[a] < first[b]; });
  if (candidates.size() > count) candidates.resize(count);
  return candidates;
}

}  // namespace vouch::trust
