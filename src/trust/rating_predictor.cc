#include "vouch/trust/rating_predictor.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace vouch::trust {

const std::array<std::string_view, kPairFeatureCount> kFeatureNames = {
    "goodness_v",     "fairness_u",      "fairness_x_goodness", "reputation_v",       "credibility_u",
    "rep_fairness_u", "out_mean_u",      "out_count_u",         "out_neg_share_u",    "in_mean_v",
    "in_count_v",     "in_neg_share_v",  "in_mean_u",           "in_count_u",         "out_mean_v",
    "out_count_v",    "reciprocal",      "paths_count",         "paths_trusted_mean", "paths_balance_mean",
    "co_raters_mean", "co_raters_count", "taste_agreement"};

namespace {
// "Missing": below every feature's range ([-1, 1] for ratings and scores, >= 0 for log counts).
constexpr float kMissing = -3.0f;
float Log1p(double x) {
  return static_cast<float>(std::log1p(x));
}
}  // namespace

RatingPredictor::RatingPredictor(const RatingGraph& graph, RatingPredictorParams params)
    : graph_(graph), params_(std::move(params)), model_(params_.model) {
  record_.algorithm = "rating-predictor";
}

RatingPredictor::~RatingPredictor() = default;

Status RatingPredictor::Run(const RunControl& control) {
  has_run_ = false;
  const double start = SteadySeconds();
  const NodeId n = graph_.node_count();
  record_ = RunRecord{"rating-predictor", 0, false, 0, 0, n, graph_.edge_count(), CurrentConcurrency()};
  if (graph_.edge_count() == 0) return Status::InvalidArgument("rating predictor: no ratings to learn from");

  fxg_ = std::make_unique<FairnessGoodness>(graph_, params_.fairness_goodness);
  VOUCH_TRY(fxg_->Run(control));
  fairness_ = *fxg_->fairness();
  goodness_ = *fxg_->goodness();
  std::vector<NodeId> seeds = params_.seeds;
  if (seeds.empty()) {
    seeds = DefaultSeeds(graph_, params_.seed_count > 0 ? params_.seed_count : DefaultSeedCount(graph_));
  }
  if (seeds.empty()) seeds.push_back(0);  // nobody is rated positively: any seed gives the same (empty) trust
  rep_ = std::make_unique<Reputation>(graph_, std::move(seeds), params_.reputation);
  VOUCH_TRY(rep_->Run(control));
  rep_value_ = *rep_->reputation();
  rep_fairness_ = *rep_->fairness();
  credibility_ = *rep_->credibility();

  out_sum_.assign(n, 0);
  in_sum_.assign(n, 0);
  out_neg_.assign(n, 0);
  in_neg_.assign(n, 0);
  good_sum_.assign(n, 0);
  fair_dev_.assign(n, 0);
  rep_num_.assign(n, 0);
  rep_den_.assign(n, params_.reputation.prior_weight);
  rep_dev_.assign(n, 0);
  for (NodeId u = 0; u < n; ++u) {
    for (EdgeId e = graph_.OutBegin(u); e < graph_.OutEnd(u); ++e) {
      const NodeId v = graph_.Ratee(e);
      const double w = graph_.Value(e);
      out_sum_[u] += w;
      in_sum_[v] += w;
      out_neg_[u] += w < 0;
      in_neg_[v] += w < 0;
      good_sum_[v] += fairness_[u] * w;
      fair_dev_[u] += std::fabs(w - goodness_[v]);
      rep_num_[v] += credibility_[u] * rep_fairness_[u] * w;
      rep_den_[v] += credibility_[u];
      rep_dev_[u] += std::fabs(w - rep_value_[v]);
    }
  }
  if (control.Cancelled()) return Status::Cancelled("rating predictor cancelled");

  // Training pairs: every rating, or a uniform sample of them on big graphs.
  std::vector<EdgeId> pairs(graph_.edge_count());
  std::iota(pairs.begin(), pairs.end(), EdgeId{0});
  if (pairs.size() > params_.max_training_pairs) {
    std::mt19937_64 rng(params_.model.seed);
    std::shuffle(pairs.begin(), pairs.end(), rng);
    pairs.resize(params_.max_training_pairs);
    std::sort(pairs.begin(), pairs.end());
  }
  std::vector<NodeId> rater_of(pairs.size());
  {
    NodeId u = 0;
    for (size_t k = 0; k < pairs.size(); ++k) {
      while (graph_.OutEnd(u) <= pairs[k]) ++u;
      rater_of[k] = u;
    }
  }
  const size_t F = kPairFeatureCount;
  std::vector<float> rows(pairs.size() * F), targets(pairs.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, pairs.size(), 256), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t k = r.begin(); k != r.end(); ++k) {
      const auto f = Features(rater_of[k], graph_.Ratee(pairs[k]), /*exclude_edge=*/true);
      std::copy(f.begin(), f.end(), rows.begin() + static_cast<std::ptrdiff_t>(k * F));
      targets[k] = graph_.Value(pairs[k]);
    }
  });
  if (control.Cancelled()) return Status::Cancelled("rating predictor cancelled");
  VOUCH_TRY(model_.Fit(rows, targets, kPairFeatureCount));
  record_.iterations = model_.record().trees;
  record_.converged = true;
  record_.final_delta = model_.record().validation_rmse;
  record_.seconds = SteadySeconds() - start;
  has_run_ = true;
  return Status::Ok();
}

std::array<float, kPairFeatureCount> RatingPredictor::Features(NodeId u, NodeId v, bool exclude_edge) const {
  std::array<float, kPairFeatureCount> x;
  x.fill(kMissing);
  const NodeId n = graph_.node_count();
  const bool known_u = u != kNoNode && u < n;
  const bool known_v = v != kNoNode && v < n;
  // The pair's own rating, subtracted from every aggregate that holds it (leave-one-out).
  double w = 0;
  bool drop = false;
  if (exclude_edge && known_u && known_v) {
    if (auto e = graph_.FindEdge(u, v)) {
      w = graph_.Value(*e);
      drop = true;
    }
  }
  const double d = drop ? 1.0 : 0.0;
  const double out_n_u = known_u ? graph_.OutDegree(u) - d : 0.0;
  const double in_n_v = known_v ? graph_.InDegree(v) - d : 0.0;
  if (known_u)
    x[4] = static_cast<float>(credibility_[u]);
  else
    x[4] = 0;
  if (out_n_u > 0) {
    const double dev = fair_dev_[u] - (drop ? std::fabs(w - goodness_[v]) : 0.0);
    x[1] = static_cast<float>(1.0 - dev / (2.0 * out_n_u));
    const double rdev = rep_dev_[u] - (drop ? std::fabs(w - rep_value_[v]) : 0.0);
    x[5] = static_cast<float>(1.0 - rdev / (2.0 * out_n_u));
    x[6] = static_cast<float>((out_sum_[u] - w) / out_n_u);
    x[8] = static_cast<float>((out_neg_[u] - (drop && w < 0 ? 1 : 0)) / out_n_u);
  }
  x[7] = Log1p(out_n_u);
  if (in_n_v > 0) {
    const double fu = known_u ? fairness_[u] : 1.0;
    x[0] = static_cast<float>((good_sum_[v] - (drop ? fu * w : 0.0)) / in_n_v);
    x[9] = static_cast<float>((in_sum_[v] - w) / in_n_v);
    x[11] = static_cast<float>((in_neg_[v] - (drop && w < 0 ? 1 : 0)) / in_n_v);
  }
  x[10] = Log1p(in_n_v);
  if (x[0] != kMissing && x[1] != kMissing) x[2] = x[0] * x[1];
  if (known_v) {
    const double cu = drop ? credibility_[u] : 0.0;
    const double num = rep_num_[v] - (drop ? cu * rep_fairness_[u] * w : 0.0);
    x[3] = static_cast<float>(num / (rep_den_[v] - cu));
  } else {
    x[3] = 0;
  }
  if (known_u && graph_.InDegree(u) > 0) x[12] = static_cast<float>(in_sum_[u] / graph_.InDegree(u));
  x[13] = Log1p(known_u ? graph_.InDegree(u) : 0);
  if (known_v && graph_.OutDegree(v) > 0) x[14] = static_cast<float>(out_sum_[v] / graph_.OutDegree(v));
  x[15] = Log1p(known_v ? graph_.OutDegree(v) : 0);
  if (!known_u || !known_v) {
    x[17] = 0;
    x[21] = 0;
    return x;
  }
  if (auto e = graph_.FindEdge(v, u)) x[16] = graph_.Value(*e);

  // Paths u -> m -> v through the people u rated.
  double count = 0, trusted_num = 0, trusted_den = 0, balance = 0;
  const auto mids = graph_.OutRatees(u);
  const auto mid_values = graph_.OutValues(u);
  for (size_t k = 0; k < mids.size(); ++k) {
    if (mids[k] == v) continue;
    auto e = graph_.FindEdge(mids[k], v);
    if (!e) continue;
    const double wm = graph_.Value(*e);
    count += 1;
    balance += mid_values[k] * wm;
    if (mid_values[k] > 0) {
      trusted_num += mid_values[k] * wm;
      trusted_den += mid_values[k];
    }
  }
  x[17] = Log1p(count);
  if (trusted_den > 0) x[18] = static_cast<float>(trusted_num / trusted_den);
  if (count > 0) x[19] = static_cast<float>(balance / count);

  // People who rated both u and v: how they rated v.
  {
    const auto a = graph_.InRaters(u);
    const auto b = graph_.InRaters(v);
    const auto bv = graph_.InValues(v);
    size_t i = 0, j = 0;
    double sum = 0, c = 0;
    while (i < a.size() && j < b.size()) {
      if (a[i] < b[j]) {
        ++i;
      } else if (b[j] < a[i]) {
        ++j;
      } else {
        sum += bv[j];
        c += 1;
        ++i;
        ++j;
      }
    }
    if (c > 0) x[20] = static_cast<float>(sum / c);
    x[21] = Log1p(c);
  }
  // People both u and v rated: do they agree?
  {
    const auto a = graph_.OutRatees(u);
    const auto av = graph_.OutValues(u);
    const auto b = graph_.OutRatees(v);
    const auto bv = graph_.OutValues(v);
    size_t i = 0, j = 0;
    double sum = 0, c = 0;
    while (i < a.size() && j < b.size()) {
      if (a[i] < b[j]) {
        ++i;
      } else if (b[j] < a[i]) {
        ++j;
      } else {
        sum += av[i] * bv[j];
        c += 1;
        ++i;
        ++j;
      }
    }
    if (c > 0) x[22] = static_cast<float>(sum / c);
  }
  return x;
}

Result<double> RatingPredictor::Predict(NodeId u, NodeId v) const {
  VOUCH_TRY(CheckRun());
  const NodeId n = graph_.node_count();
  if (u != kNoNode && v != kNoNode && u < n && v < n) {
    if (auto e = graph_.FindEdge(u, v)) return static_cast<double>(graph_.Value(*e));
  }
  const auto x = Features(u, v, false);
  return std::clamp(model_.Predict(x), -1.0, 1.0);
}

}  // namespace vouch::trust
