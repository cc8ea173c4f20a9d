#include "vouch/influence/diffusion_model.h"

#include <cmath>

#include <fmt/format.h>

namespace vouch::influence {

std::optional<DiffusionModelKind> ParseDiffusionModelKind(std::string_view name) {
  if (name == "ic") return DiffusionModelKind::kIndependentCascade;
  if (name == "lt") return DiffusionModelKind::kLinearThreshold;
  if (name == "wom") return DiffusionModelKind::kWordOfMouth;
  return std::nullopt;
}

const char* DiffusionModelName(DiffusionModelKind kind) {
  switch (kind) {
    case DiffusionModelKind::kIndependentCascade: return "ic";
    case DiffusionModelKind::kLinearThreshold: return "lt";
    case DiffusionModelKind::kWordOfMouth: return "wom";
  }
  return "?";
}

Result<DiffusionModel> DiffusionModel::Make(const graph::Graph& graph, DiffusionModelKind kind,
                                            const graph::WeightScheme& scheme, std::span<const float> trust_in_order,
                                            WordOfMouthParameters parameters) {
  VOUCH_ASSIGN_OR_RETURN(graph::EdgeProbabilities p, graph::EdgeProbabilities::Make(graph, scheme, trust_in_order));
  switch (kind) {
    case DiffusionModelKind::kIndependentCascade: return IndependentCascade(std::move(p));
    case DiffusionModelKind::kLinearThreshold: return LinearThreshold(p);
    case DiffusionModelKind::kWordOfMouth: return WordOfMouth(std::move(p), trust_in_order, parameters);
  }
  return Status::Internal("unknown diffusion model");
}

DiffusionModel DiffusionModel::IndependentCascade(graph::EdgeProbabilities p) {
  return DiffusionModel(DiffusionModelKind::kIndependentCascade, std::move(p));
}

DiffusionModel DiffusionModel::LinearThreshold(const graph::EdgeProbabilities& p) {
  return DiffusionModel(DiffusionModelKind::kLinearThreshold, p.ForLinearThreshold());
}

Result<DiffusionModel> DiffusionModel::WordOfMouth(graph::EdgeProbabilities hearing,
                                                    std::span<const float> trust_in_order,
                                                    WordOfMouthParameters parameters) {
  const graph::Graph& g = hearing.graph();
  const graph::GraphArrays& a = g.arrays();
  auto in_unit = [](double x) { return x >= 0 && x <= 1; };
  if (!in_unit(parameters.adoption_at_full_trust) || !in_unit(parameters.share_probability) ||
      !(parameters.trust_exponent > 0)) {
    return Status::InvalidArgument(
        "word-of-mouth parameters: adoption and share probabilities must lie in [0, 1], the trust exponent above 0");
  }
  if (!trust_in_order.empty() && trust_in_order.size() != a.num_edges) {
    return Status::InvalidArgument(fmt::format("word-of-mouth model: {} trust values for {} arcs",
                                               trust_in_order.size(), a.num_edges));
  }
  std::vector<float> q(a.num_edges);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    for (graph::EdgeIndex e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) {
      double t = trust_in_order.empty() ? 1.0 : trust_in_order[e];
      if (!in_unit(t)) {
        return Status::InvalidArgument(fmt::format("word-of-mouth model: trust of {} in {} is {}, outside [0, 1]",
                                                   g.ExternalId(v), g.ExternalId(a.in_sources[e]), t));
      }
      q[e] = static_cast<float>(hearing.In(v, e) * parameters.adoption_at_full_trust *
                                std::pow(t, parameters.trust_exponent));
    }
  }
  DiffusionModel m(DiffusionModelKind::kWordOfMouth, graph::EdgeProbabilities::FromInArcs(g, std::move(q)));
  m.hearing_ = std::move(hearing);
  m.wom_ = parameters;
  return m;
}

}  // namespace vouch::influence
