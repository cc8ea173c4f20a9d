#include "vouch/graph/edge_probabilities.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace vouch::graph {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

float Trivalency(uint64_t seed, NodeId u, NodeId v) {
  static constexpr float kValues[3] = {0.1f, 0.01f, 0.001f};
  return kValues[SplitMix64(seed ^ ((uint64_t{u} << 32) | v)) % 3];
}

bool ParseNumber(std::string_view s, double& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<WeightScheme> WeightScheme::Parse(std::string_view text) {
  std::string_view name = text, arg;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    name = text.substr(0, colon);
    arg = text.substr(colon + 1);
  }
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "--weights '{}': {} (expected wc, uniform:P, trivalency[:SEED], trust[:BASE] or column)", text, why));
  };
  WeightScheme s;
  if (name == "wc" && arg.empty()) {
    s.kind = WeightSchemeKind::kWeightedCascade;
  } else if (name == "uniform") {
    s.kind = WeightSchemeKind::kUniform;
    if (!ParseNumber(arg, s.value) || !(s.value >= 0 && s.value <= 1)) return bad("P must be a number in [0, 1]");
  } else if (name == "trivalency") {
    s.kind = WeightSchemeKind::kTrivalency;
    s.seed = 0;
    if (!arg.empty()) {
      auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), s.seed);
      if (ec != std::errc() || p != arg.data() + arg.size()) return bad("SEED must be a non-negative integer");
    }
  } else if (name == "trust") {
    s.kind = WeightSchemeKind::kTrust;
    if (!arg.empty() && (!ParseNumber(arg, s.value) || !(s.value >= 0 && s.value <= 1))) {
      return bad("BASE must be a number in [0, 1]");
    }
  } else if ((name == "column" || name == "weight") && arg.empty()) {
    s.kind = WeightSchemeKind::kColumn;
  } else {
    return bad("unknown scheme");
  }
  return s;
}

std::string WeightScheme::ToString() const {
  switch (kind) {
    case WeightSchemeKind::kWeightedCascade: return "wc";
    case WeightSchemeKind::kUniform: return fmt::format("uniform:{}", value);
    case WeightSchemeKind::kTrivalency: return fmt::format("trivalency:{}", seed);
    case WeightSchemeKind::kTrust: return fmt::format("trust:{}", value);
    case WeightSchemeKind::kColumn: return "column";
  }
  return "?";
}

std::vector<float> InOrderToOutOrder(const Graph& graph, std::span<const float> in_order) {
  const GraphArrays& a = graph.arrays();
  std::vector<float> out(a.num_edges);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, graph.num_nodes(), 1024), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId u = r.begin(); u < r.end(); ++u) {
      for (EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
        NodeId v = a.out_targets[e];
        auto row = graph.InNeighbours(v);
        // Rows are sorted, so u's place in v's in-row is a binary search away.
        auto it = std::lower_bound(row.begin(), row.end(), u);
        out[e] = in_order[a.in_offsets[v] + static_cast<EdgeIndex>(it - row.begin())];
      }
    }
  });
  return out;
}

EdgeProbabilities EdgeProbabilities::FromInArcs(const Graph& graph, std::vector<float> in_order) {
  EdgeProbabilities p;
  p.graph_ = &graph;
  p.kind_ = WeightSchemeKind::kColumn;
  p.out_ = InOrderToOutOrder(graph, in_order);
  p.in_ = std::move(in_order);
  return p;
}

Result<EdgeProbabilities> EdgeProbabilities::Make(const Graph& graph, const WeightScheme& scheme,
                                                  std::span<const float> trust_in_order) {
  EdgeProbabilities p;
  p.graph_ = &graph;
  p.kind_ = scheme.kind;
  const GraphArrays& a = graph.arrays();
  switch (scheme.kind) {
    case WeightSchemeKind::kWeightedCascade:
      return p;
    case WeightSchemeKind::kUniform:
      p.constant_ = static_cast<float>(scheme.value);
      return p;
    case WeightSchemeKind::kTrivalency: {
      std::vector<float> in(a.num_edges);
      tbb::parallel_for(tbb::blocked_range<NodeId>(0, graph.num_nodes(), 1024),
                        [&](const tbb::blocked_range<NodeId>& r) {
                          for (NodeId v = r.begin(); v < r.end(); ++v) {
                            for (EdgeIndex e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) {
                              in[e] = Trivalency(scheme.seed, a.in_sources[e], v);
                            }
                          }
                        });
      return FromInArcs(graph, std::move(in));
    }
    case WeightSchemeKind::kTrust: {
      if (trust_in_order.size() != a.num_edges) {
        return Status::InvalidArgument(fmt::format(
            "--weights trust needs one trust value per arc ({} arcs, {} values given)", a.num_edges,
            trust_in_order.size()));
      }
      std::vector<float> in(a.num_edges);
      for (EdgeIndex e = 0; e < a.num_edges; ++e) {
        float t = trust_in_order[e];
        if (!(t >= 0 && t <= 1)) {
          return Status::InvalidArgument(fmt::format("trust of {} in {} is {}, outside [0, 1]",
                                                     graph.ExternalId(static_cast<NodeId>(
                                                         std::upper_bound(a.in_offsets.begin(), a.in_offsets.end(), e) -
                                                         a.in_offsets.begin() - 1)),
                                                     graph.ExternalId(a.in_sources[e]), t));
        }
        in[e] = static_cast<float>(scheme.value) * t;
      }
      return FromInArcs(graph, std::move(in));
    }
    case WeightSchemeKind::kColumn: {
      if (!graph.has_weights()) {
        return Status::InvalidArgument("--weights column: the edge list has no weight column");
      }
      for (EdgeIndex e = 0; e < a.num_edges; ++e) {
        if (a.in_weights[e] > 1.0f) {
          NodeId v = static_cast<NodeId>(std::upper_bound(a.in_offsets.begin(), a.in_offsets.end(), e) -
                                         a.in_offsets.begin() - 1);
          return Status::InvalidArgument(fmt::format("--weights column: weight {} of arc {} -> {} is not a probability",
                                                     a.in_weights[e], graph.ExternalId(a.in_sources[e]),
                                                     graph.ExternalId(v)));
        }
      }
      p.in_.assign(a.in_weights.begin(), a.in_weights.end());
      p.out_.assign(a.out_weights.begin(), a.out_weights.end());
      return p;
    }
  }
  return Status::Internal("unknown weight scheme");
}

EdgeProbabilities EdgeProbabilities::ForLinearThreshold() const {
  EdgeProbabilities p = *this;
  if (per_target()) {
    // wc sums to exactly 1; uniform sums to P * in-degree, capped per listener.
    if (kind_ == WeightSchemeKind::kUniform) p.cap_by_degree_ = true;
    return p;
  }
  const GraphArrays& a = graph_->arrays();
  std::vector<float> in = in_;
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, graph_->num_nodes(), 1024), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId v = r.begin(); v < r.end(); ++v) {
      double sum = 0;
      for (EdgeIndex e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) sum += in[e];
      if (sum > 1.0) {
        for (EdgeIndex e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) in[e] = static_cast<float>(in[e] / sum);
      }
    }
  });
  return FromInArcs(*graph_, std::move(in));
}

}  // namespace vouch::graph
