// RatingPredictor: predicts the rating u would give v (equivalently t(u -> v) on [-1, 1]) for pairs with no
// direct rating, by a supervised model learnt from the observed ratings.
//
// Features of a pair (u, v), in the spirit of Kumar et al. (ICDM 2016, "Edge Weight Prediction in Weighted
// Signed Networks"), whose supervised combination of such features reached RMSE 0.26 / Pearson 0.66 on Bitcoin
// OTC; the list is kFeatureNames:
//   - goodness of v, fairness of u and their product (FairnessGoodness);
//   - trust-weighted reputation of v and credibility of u (Reputation: sybil-resistant);
//   - u's mean rating given, count and share negative; v's mean rating received, count and share negative; u's
//     mean rating received and v's mean rating given (status);
//   - reciprocity: v's rating of u;
//   - paths through people u rated: u -> w -> v counts, the mean of w's ratings of v weighted by u's positive
//     ratings of w, the mean product w(u,w) w(w,v) (balance);
//   - triads: the mean rating of v by people who also rated u; the taste agreement of u and v on people both
//   rated.
// Combined by GradientBoostedTrees (squared loss).
//
// Leakage: a training pair's own rating must not reach its features, or the model learns to read the answer
// from them and fails on unseen pairs. Every aggregate that includes w(u,v) is computed leave-one-out: the edge's
// own term is subtracted (goodness, fairness, reputation and the means and counts; path and triad features never
// include the edge itself). A person whose only rating is the held-out one then looks exactly like an unseen
// person, so the model learns the fallback for unseen people from the data instead of a fixed rule.
// (Fairness/goodness themselves are not re-iterated per edge: the subtraction is first order.)
//
// Thread safety: Run() is parallel over training pairs; Predict() is const and thread safe after Run().
#pragma once

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/fairness_goodness.h"
#include "vouch/trust/gradient_boosted_trees.h"
#include "vouch/trust/rating_graph.h"
#include "vouch/trust/reputation.h"

namespace vouch::trust {

inline constexpr int kPairFeatureCount = 23;
extern const std::array<std::string_view, kPairFeatureCount> kFeatureNames;

struct RatingPredictorParams {
  GbtParams model;
  FairnessGoodnessParams fairness_goodness;
  ReputationParams reputation;
  size_t seed_count = 0;               // 0: DefaultSeedCount(graph)
  std::vector<NodeId> seeds;           // explicit seeds win over seed_count
  size_t max_training_pairs = 300000;  // a uniform sample of the ratings beyond this (seeded by model.seed)
};

class RatingPredictor final : public TrustAlgorithm {
 public:
  // graph (the training ratings) must outlive this object.
  explicit RatingPredictor(const RatingGraph& graph, RatingPredictorParams params = {});
  ~RatingPredictor() override;
  Status Run(const RunControl& control = {}) override;

  // The predicted rating of v by u in [-1, 1]; u and/or v may be kNoNode (a person the training data never
  // saw). An observed pair returns its observed rating. FailedPrecondition before Run().
  Result<double> Predict(NodeId u, NodeId v) const;
  // The features of (u, v) as the model sees them (exclude_edge: the pair's own rating is left out).
  std::array<float, kPairFeatureCount> Features(NodeId u, NodeId v, bool exclude_edge) const;

  Result<GbtRecord> model_record() const {
    VOUCH_TRY(CheckRun());
    return model_.record();
  }
  const GradientBoostedTrees& model() const { return model_; }
  const FairnessGoodness* fairness_goodness() const { return fxg_.get(); }
  const Reputation* reputation() const { return rep_.get(); }

 private:
  const RatingGraph& graph_;
  RatingPredictorParams params_;
  std::unique_ptr<FairnessGoodness> fxg_;
  std::unique_ptr<Reputation> rep_;
  std::span<const double> fairness_, goodness_, rep_value_, rep_fairness_, credibility_;
  // Per-person sums the leave-one-out features subtract from.
  std::vector<double> out_sum_, in_sum_, out_neg_, in_neg_;
  std::vector<double> good_sum_, fair_dev_, rep_num_, rep_den_, rep_dev_;
  GradientBoostedTrees model_;
};

}  // namespace vouch::trust
