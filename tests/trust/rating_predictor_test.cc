#include "vouch/trust/rating_predictor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "vouch/trust/gradient_boosted_trees.h"

namespace vouch::trust {
namespace {

// People with a hidden quality; most raters rate close to it, a few rate at random.
struct Generated {
  RatingGraph train;
  std::vector<std::tuple<NodeId, NodeId, float>> held_out;
};

Generated Generate(NodeId people, int ratings_each, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::normal_distribution<float> noise(0.0f, 0.15f);
  std::uniform_int_distribution<NodeId> pick(0, people - 1);
  std::vector<float> quality(people);
  for (auto& q : quality) q = unit(rng);
  Generated g;
  RatingEdges e;
  for (NodeId u = 0; u < people; ++u) {
    const bool random_rater = u % 7 == 0;
    for (int k = 0; k < ratings_each; ++k) {
      const NodeId v = pick(rng);
      if (v == u) continue;
      const float w = std::clamp(random_rater ? unit(rng) : quality[v] + noise(rng), -1.0f, 1.0f);
      if (rng() % 10 == 0) {
        g.held_out.emplace_back(u, v, w);
      } else {
        e.Add(u, v, w, 0);
      }
    }
  }
  g.train = *RatingGraph::Build(std::move(e), people);
  return g;
}

TEST(GradientBoostedTreesTest, LearnsAStepAndRejectsBadShapes) {
  std::vector<float> rows, y;
  for (int i = 0; i < 400; ++i) {
    const float x = static_cast<float>(i) / 400.0f;
    rows.push_back(x);
    rows.push_back(static_cast<float>(i % 3));  // noise feature
    y.push_back(x < 0.5f ? -1.0f : 1.0f);
  }
  GradientBoostedTrees gbt;
  ASSERT_TRUE(gbt.Fit(rows, y, 2).ok());
  const float lo[] = {0.2f, 1.0f}, hi[] = {0.8f, 1.0f};
  EXPECT_LT(gbt.Predict(lo), -0.8);
  EXPECT_GT(gbt.Predict(hi), 0.8);
  EXPECT_GT(gbt.importance()[0], gbt.importance()[1]);
  EXPECT_FALSE(GradientBoostedTrees().Fit(rows, y, 3).ok());
}

TEST(RatingPredictorTest, BeatsTheMeanOnHeldOutPairsAndPredictsForStrangers) {
  Generated g = Generate(400, 15, 3);
  RatingPredictor predictor(g.train);
  EXPECT_EQ(predictor.Predict(0, 1).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(predictor.Run().ok());
  double mean = 0;
  for (EdgeId e = 0; e < g.train.edge_count(); ++e) mean += g.train.Value(e);
  mean /= static_cast<double>(g.train.edge_count());
  double se_model = 0, se_mean = 0;
  for (const auto& [u, v, w] : g.held_out) {
    auto p = predictor.Predict(u, v);
    ASSERT_TRUE(p.ok());
    se_model += (*p - w) * (*p - w);
    se_mean += (mean - w) * (mean - w);
  }
  EXPECT_LT(se_model, 0.5 * se_mean);  // quality is learnable from the other ratings of v
  for (NodeId u : {NodeId{0}, kNoNode}) {
    auto p = predictor.Predict(u, kNoNode);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(std::isfinite(*p));
    EXPECT_LE(std::fabs(*p), 1.0);
  }
  // An observed pair answers with its rating.
  const NodeId u = 1;
  const EdgeId e = g.train.OutBegin(u);
  EXPECT_FLOAT_EQ(static_cast<float>(*predictor.Predict(u, g.train.Ratee(e))), g.train.Value(e));
}

// Leave-one-out: the features of a training pair equal those of the same pair on a graph without its rating.
TEST(RatingPredictorTest, TrainingFeaturesLeaveTheirOwnRatingOut) {
  RatingEdges all, without;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  for (NodeId u = 0; u < 30; ++u) {
    for (NodeId v = 0; v < 30; ++v) {
      if (u == v || (u * 7 + v * 3) % 4 != 0) continue;
      const float w = unit(rng);
      all.Add(u, v, w);
      if (!(u == 2 && v == 6)) without.Add(u, v, w);
    }
  }
  ASSERT_TRUE(RatingGraph::Build(RatingEdges(all), 30)->FindEdge(2, 6).has_value());
  RatingGraph g_all = *RatingGraph::Build(std::move(all), 30);
  RatingGraph g_without = *RatingGraph::Build(std::move(without), 30);
  RatingPredictor with_edge(g_all), without_edge(g_without);
  ASSERT_TRUE(with_edge.Run().ok());
  ASSERT_TRUE(without_edge.Run().ok());
  const auto a = with_edge.Features(2, 6, /*exclude_edge=*/true);
  const auto b = without_edge.Features(2, 6, /*exclude_edge=*/false);
  // Plain aggregates match exactly (up to float rounding); iterated scores only to first order, not checked.
  for (int k : {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}) {
    EXPECT_NEAR(a[static_cast<size_t>(k)], b[static_cast<size_t>(k)], 1e-5)
        << kFeatureNames[static_cast<size_t>(k)];
  }
}

}  // namespace
}  // namespace vouch::trust
