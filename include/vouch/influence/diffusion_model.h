// DiffusionModel: how word travels through a graph. Three models, all over the same per-arc numbers:
//
//   Independent Cascade (Kempe, Kleinberg, Tardos 2003): a newly active u gets one chance to activate each
//     listener v, succeeding with p(u,v).
//   Linear Threshold (same paper): v draws a threshold uniformly in [0,1] and becomes active once the weights of
//     its active speakers sum past it; weights are p(u,v) scaled so each listener's sum is at most 1.
//   Word of mouth (Vouch; docs/models.md): people endorse or share. Seeds are advocates who adopted and endorse.
//     An endorsement from u reaches v with p(u,v) (v becomes aware) and then makes v adopt with probability
//     a * trust(v in u)^gamma: trusted voices move people, untrusted ones do not, however loud. Adopters endorse
//     in turn. A person who heard but did not adopt shares the news with probability s: a share makes listeners
//     aware (again each with p) but never makes anybody adopt. Spread counts adopters; reach counts the aware.
//     Adoption alone is therefore an Independent Cascade with q(u,v) = p(u,v) * a * trust^gamma, which is what
//     influence maximisation samples; the awareness process is simulated on top.
//
// The samplers and simulators are written once, with the model as a template tag (IcTag, LtTag, WomTag);
// kind() picks the instantiation at run time.
//
// A DiffusionModel refers to the graph of its EdgeProbabilities, which must outlive it. Immutable; thread safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/graph/edge_probabilities.h"

namespace vouch::influence {

using graph::NodeId;

enum class DiffusionModelKind { kIndependentCascade, kLinearThreshold, kWordOfMouth };
std::optional<DiffusionModelKind> ParseDiffusionModelKind(std::string_view name);  // "ic", "lt", "wom"
const char* DiffusionModelName(DiffusionModelKind kind);

struct IcTag {};
struct LtTag {};
struct WomTag {};

struct WordOfMouthParameters {
  double adoption_at_full_trust = 1.0;  // a: a fully trusted endorsement that is heard makes the listener adopt
  double trust_exponent = 1.0;          // gamma: >1 makes half-trusted voices count for less than half
  double share_probability = 0.5;       // s: a listener who heard but did not adopt passes it on as a share
};

class DiffusionModel final {
 public:
  static DiffusionModel IndependentCascade(graph::EdgeProbabilities p);
  static DiffusionModel LinearThreshold(const graph::EdgeProbabilities& p);
  // trust_in_order: per in-arc (graph in-adjacency order) trust of the listener in the speaker, in [0, 1]; empty
  // means full trust everywhere. InvalidArgument when sizes or ranges are wrong.
  static Result<DiffusionModel> WordOfMouth(graph::EdgeProbabilities hearing, std::span<const float> trust_in_order,
                                            WordOfMouthParameters parameters);

  // The model of kind over graph with probabilities from scheme. trust_in_order (per in-arc, in [0, 1], or
  // empty) feeds the trust scheme and the word-of-mouth model's adoption; empty means full trust for WOM.
  static Result<DiffusionModel> Make(const graph::Graph& graph, DiffusionModelKind kind,
                                     const graph::WeightScheme& scheme, std::span<const float> trust_in_order,
                                     WordOfMouthParameters parameters = {});

  DiffusionModelKind kind() const { return kind_; }
  const graph::Graph& graph() const { return influence_.graph(); }
  // IC: p; LT: the scaled weights; WOM: the adoption probabilities q.
  const graph::EdgeProbabilities& influence() const { return influence_; }
  // WOM: p, the chance an endorsement or share is heard. Other models: same as influence().
  const graph::EdgeProbabilities& hearing() const { return hearing_ ? *hearing_ : influence_; }
  const WordOfMouthParameters& word_of_mouth() const { return wom_; }

 private:
  DiffusionModel(DiffusionModelKind kind, graph::EdgeProbabilities influence)
      : kind_(kind), influence_(std::move(influence)) {}
  DiffusionModelKind kind_;
  graph::EdgeProbabilities influence_;
  std::optional<graph::EdgeProbabilities> hearing_;
  WordOfMouthParameters wom_;
};

// Calls fn(Tag{}) with the tag of kind: the one place where a run-time model becomes a compile-time one.
template <typename Fn>
decltype(auto) DispatchModel(DiffusionModelKind kind, Fn&& fn) {
  switch (kind) {
    case DiffusionModelKind::kLinearThreshold: return fn(LtTag{});
    case DiffusionModelKind::kWordOfMouth: return fn(WomTag{});
    case DiffusionModelKind::kIndependentCascade: break;
  }
  return fn(IcTag{});
}

}  // namespace vouch::influence
