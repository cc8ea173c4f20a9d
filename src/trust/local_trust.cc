#include "vouch/trust/local_trust.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>

namespace vouch::trust {
namespace {

constexpr std::array<std::string_view, kEvidenceKinds> kKindNames = {
    "rating", "reply", "mention", "reshare", "reciprocity", "kept", "refund", "complaint"};

// Summed evidence about one pair.
struct Mass {
  NodeId u = 0, v = 0;
  double positive = 0, negative = 0;
  double interactions = 0;  // decayed count, for reciprocity
};

bool PairLess(const Mass& a, const Mass& b) {
  return a.u != b.u ? a.u < b.u : a.v < b.v;
}

}  // namespace

std::string_view EvidenceKindName(EvidenceKind kind) {
  return kKindNames[static_cast<size_t>(kind)];
}

std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  for (size_t k = 0; k < kKindNames.size(); ++k) {
    if (kKindNames[k] == name) return static_cast<EvidenceKind>(k);
  }
  return std::nullopt;
}

LocalTrust::LocalTrust(LocalTrustInputs inputs, NodeId node_count, int64_t now, LocalTrustParams params)
    : inputs_(inputs), node_count_(node_count), now_(now), params_(params) {
  record_.algorithm = "local-trust";
}

double LocalTrust::Decay(EvidenceKind kind, int64_t time) const {
  const double half_life = params_[kind].half_life_days * 86400.0;
  if (half_life <= 0) return 1.0;
  const double age = static_cast<double>(std::max<int64_t>(0, now_ - time));
  return std::exp2(-age / half_life);
}

PairTrust LocalTrust::Finish(NodeId u, NodeId v, double r, double s) const {
  const double w = params_.prior_weight;
  PairTrust p;
  p.truster = u;
  p.trustee = v;
  p.trust = static_cast<float>((r + w * params_.base_rate) / (r + s + w));
  p.confidence = static_cast<float>((r + s) / (r + s + w));
  p.positive = static_cast<float>(r);
  p.negative = static_cast<float>(s);
  return p;
}

Status LocalTrust::Run(const RunControl& control) {
  has_run_ = false;
  const double start = SteadySeconds();
  const RatingGraph* graph = inputs_.ratings;
  if (graph != nullptr && graph->node_count() > node_count_) {
    return Status::InvalidArgument("local trust: the rating graph has more people than node_count");
  }
  if (!(params_.prior_weight > 0) || params_.base_rate < 0 || params_.base_rate > 1) {
    return Status::InvalidArgument("local trust: prior weight must be > 0 and the base rate in [0, 1]");
  }
  for (size_t k = 0; k < kEvidenceKinds; ++k) {
    if (!(params_.kinds[k].weight >= 0) || !std::isfinite(params_.kinds[k].half_life_days)) {
      return Status::InvalidArgument(fmt::format("local trust: weight of {} must be >= 0", kKindNames[k]));
    }
  }
  record_ = RunRecord{"local-trust",       1, true, 0, 0, node_count_, graph != nullptr ? graph->edge_count() : 0,
                      CurrentConcurrency()};

  // Evidence other than ratings, summed per pair.
  std::vector<Mass> masses;
  auto check = [&](NodeId a, NodeId b, std::string_view what, size_t i) -> Status {
    if (a >= node_count_ || b >= node_count_) {
      return Status::InvalidArgument(fmt::format("local trust: {} {} names person {} beyond node count {}", what,
                                                 i, std::max(a, b), node_count_));
    }
    return Status::Ok();
  };
  const std::pair<EvidenceKind, std::span<const Interaction>> interactions[] = {
      {EvidenceKind::kReply, inputs_.replies},
      {EvidenceKind::kMention, inputs_.mentions},
      {EvidenceKind::kReshare, inputs_.reshares}};
  for (const auto& [kind, items] : interactions) {
    const double weight = params_[kind].weight;
    for (size_t i = 0; i < items.size(); ++i) {
      const Interaction& it = items[i];
      VOUCH_TRY(check(it.from, it.to, EvidenceKindName(kind), i));
      if (!std::isfinite(it.tone) || it.tone < -1 || it.tone > 1) {
        return Status::InvalidArgument(
            fmt::format("local trust: {} {} has tone {} outside [-1, 1]", EvidenceKindName(kind), i, it.tone));
      }
      if (it.from == it.to) continue;
      const double m = weight * Decay(kind, it.time);
      masses.push_back({it.from, it.to, m * (1 + it.tone) / 2, m * (1 - it.tone) / 2,
                        Decay(EvidenceKind::kReciprocity, it.time)});
    }
  }
  const std::pair<EvidenceKind, std::span<const Outcome>> outcomes[] = {
      {EvidenceKind::kKept, inputs_.kept},
      {EvidenceKind::kRefund, inputs_.refunds},
      {EvidenceKind::kComplaint, inputs_.complaints}};
  for (const auto& [kind, items] : outcomes) {
    const double weight = params_[kind].weight;
    for (size_t i = 0; i < items.size(); ++i) {
      const Outcome& o = items[i];
      VOUCH_TRY(check(o.customer, o.referrer, EvidenceKindName(kind), i));
      if (o.customer == o.referrer) continue;
      const double m = weight * Decay(kind, o.time);
      if (kind == EvidenceKind::kKept) {
        masses.push_back({o.customer, o.referrer, m, 0, 0});
      } else {
        masses.push_back({o.customer, o.referrer, 0, m, 0});
      }
    }
  }
  tbb::parallel_sort(masses.begin(), masses.end(), PairLess);
  std::vector<Mass> pairs;
  for (const Mass& m : masses) {
    if (!pairs.empty() && pairs.back().u == m.u && pairs.back().v == m.v) {
      pairs.back().positive += m.positive;
      pairs.back().negative += m.negative;
      pairs.back().interactions += m.interactions;
    } else {
      pairs.push_back(m);
    }
  }
  std::vector<Mass>().swap(masses);
  // Reciprocity: interaction both ways, as much as the weaker direction.
  const double reciprocity = params_[EvidenceKind::kReciprocity].weight;
  std::vector<double> back(pairs.size(), 0.0);
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].interactions <= 0) continue;
    const Mass key{pairs[i].v, pairs[i].u};
    auto it = std::lower_bound(pairs.begin(), pairs.end(), key, PairLess);
    if (it != pairs.end() && it->u == key.u && it->v == key.v)
      back[i] = std::min(pairs[i].interactions, it->interactions);
  }
  for (size_t i = 0; i < pairs.size(); ++i) pairs[i].positive += reciprocity * back[i];
  if (control.Cancelled()) return Status::Cancelled("local trust cancelled");

  // Rated pairs, aligned with the graph's edges; other evidence on them is merged in.
  std::vector<char> merged(pairs.size(), 0);
  if (graph != nullptr) {
    rated_trust_.resize(graph->edge_count());
    rated_confidence_.resize(graph->edge_count());
    const double weight = params_[EvidenceKind::kRating].weight;
    tbb::parallel_for(tbb::blocked_range<NodeId>(0, graph->node_count(), 1024),
                      [&](const tbb::blocked_range<NodeId>& r) {
                        for (NodeId u = r.begin(); u != r.end(); ++u) {
                          auto lo = std::lower_bound(pairs.begin(), pairs.end(), Mass{u, 0}, PairLess);
                          for (EdgeId e = graph->OutBegin(u); e < graph->OutEnd(u); ++e) {
                            const NodeId v = graph->Ratee(e);
                            const double m = weight * Decay(EvidenceKind::kRating, graph->Time(e));
                            const double x = graph->Value(e);
                            double pos = m * (1 + x) / 2, neg = m * (1 - x) / 2;
                            while (lo != pairs.end() && lo->u == u && lo->v < v) ++lo;
                            if (lo != pairs.end() && lo->u == u && lo->v == v) {
                              pos += lo->positive;
                              neg += lo->negative;
                              merged[static_cast<size_t>(lo - pairs.begin())] = 1;
                            }
                            const PairTrust p = Finish(u, v, pos, neg);
                            rated_trust_[e] = p.trust;
                            rated_confidence_[e] = p.confidence;
                          }
                        }
                      });
  } else {
    rated_trust_.clear();
    rated_confidence_.clear();
  }
  other_.clear();
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (!merged[i]) other_.push_back(Finish(pairs[i].u, pairs[i].v, pairs[i].positive, pairs[i].negative));
  }
  record_.seconds = SteadySeconds() - start;
  has_run_ = true;
  return Status::Ok();
}

Result<PairTrust> LocalTrust::Trust(NodeId truster, NodeId trustee) const {
  VOUCH_TRY(CheckRun());
  if (inputs_.ratings != nullptr) {
    if (auto e = inputs_.ratings->FindEdge(truster, trustee)) {
      const double t = rated_trust_[*e], c = rated_confidence_[*e];
      const double w = params_.prior_weight;
      const double total = c < 1 ? w * c / (1 - c) : 0.0;  // r + s
      const double r = t * (total + w) - w * params_.base_rate;
      PairTrust p{truster,
                  trustee,
                  static_cast<float>(t),
                  static_cast<float>(c),
                  static_cast<float>(r),
                  static_cast<float>(total - r)};
      return p;
    }
  }
  PairTrust key;
  key.truster = truster;
  key.trustee = trustee;
  auto it = std::lower_bound(other_.begin(), other_.end(), key, [](const PairTrust& a, const PairTrust& b) {
    return a.truster != b.truster ? a.truster < b.truster : a.trustee < b.trustee;
  });
  if (it != other_.end() && it->truster == truster && it->trustee == trustee) return *it;
  return Finish(truster, trustee, 0, 0);
}

}  // namespace vouch::trust
