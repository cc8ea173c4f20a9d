// EdgeProbabilities: how likely each arc u -> v is to carry influence (the listener v hearing and acting on u).
//
// Schemes (WeightScheme::Parse, the CLI's --weights):
//   wc          weighted cascade: p(u,v) = 1 / in-degree(v) (Kempe et al. 2003)
//   uniform:P   every arc P
//   trivalency[:SEED]  each arc at random from {0.1, 0.01, 0.001}, the draw a hash of (SEED, u, v) so that it is
//               the same in every run and in both adjacency orders (Chen et al. 2010)
//   trust[:B]   B (default 1) times the listener's trust in the speaker, from a per-arc trust array in [0, 1]
//               that the caller supplies (vouch/trust's output)
//   column      the edge list's weight column, each a probability in [0, 1]
//
// wc and uniform give all in-arcs of a listener the same probability (per_target()), which samplers use to skip
// over in-arcs geometrically (SUBSIM, Guo et al. SIGMOD 2020); the others hold one float per arc in each order.
// The object refers to the graph it was made for, which must outlive it. Immutable; thread safe to read.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

enum class WeightSchemeKind { kWeightedCascade, kUniform, kTrivalency, kTrust, kColumn };

struct WeightScheme {
  WeightSchemeKind kind = WeightSchemeKind::kWeightedCascade;
  double value = 1.0;  // uniform: P; trust: the base rate
  uint64_t seed = 0;   // trivalency
  // InvalidArgument naming the text when it is not one of the schemes above.
  static Result<WeightScheme> Parse(std::string_view text);
  std::string ToString() const;
};

class EdgeProbabilities final {
 public:
  // trust_in_order: one value per in-arc, in the order of graph.arrays().in_sources (row v lists the speakers v
  // listens to); required for kTrust, ignored otherwise.
  static Result<EdgeProbabilities> Make(const Graph& graph, const WeightScheme& scheme,
                                        std::span<const float> trust_in_order = {});
  // Explicit per-in-arc probabilities (for derived models); values must lie in [0, 1].
  static EdgeProbabilities FromInArcs(const Graph& graph, std::vector<float> in_order);

  // The same, scaled so that each listener's in-probabilities sum to at most 1, as Linear Threshold needs.
  EdgeProbabilities ForLinearThreshold() const;

  bool per_target() const { return in_.empty(); }
  // The probability shared by all in-arcs of v; only when per_target().
  float TargetProbability(NodeId v) const { return TargetProbabilityForInDegree(graph_->InDegree(v)); }
  // The same as a function of the listener's in-degree alone (which is all it depends on); only when
  // per_target().
  float TargetProbabilityForInDegree(uint64_t d) const {
    if (kind_ == WeightSchemeKind::kUniform) {
      return cap_by_degree_ ? std::min(constant_, 1.0f / static_cast<float>(d)) : constant_;
    }
    return 1.0f / static_cast<float>(d);
  }
  // Every in-arc of each listener v weighs exactly 1 / in-degree(v) (wc): a listener's in-weights sum to 1, so a
  // Linear Threshold walk back from v takes one of its in-arcs uniformly at random, never none.
  bool uniform_over_in_arcs() const { return per_target() && kind_ != WeightSchemeKind::kUniform; }
  float In(NodeId v, EdgeIndex e) const { return in_.empty() ? TargetProbability(v) : in_[e]; }
  float Out(EdgeIndex e) const {
    return out_.empty() ? TargetProbability(graph_->arrays().out_targets[e]) : out_[e];
  }
  const Graph& graph() const { return *graph_; }
  // Per-arc arrays; empty when per_target().
  std::span<const float> in_arcs() const { return in_; }
  std::span<const float> out_arcs() const { return out_; }

 private:
  const Graph* graph_ = nullptr;
  WeightSchemeKind kind_ = WeightSchemeKind::kWeightedCascade;
  float constant_ = 0;
  bool cap_by_degree_ = false;  // uniform scaled for Linear Threshold: min(P, 1/in-degree)
  std::vector<float> in_, out_;
};

// The out-order copy of a per-in-arc array: out[e] for arc u -> v is in_order at u's place in v's in-row.
std::vector<float> InOrderToOutOrder(const Graph& graph, std::span<const float> in_order);

}  // namespace vouch::graph
