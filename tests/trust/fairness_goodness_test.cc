#include "vouch/trust/fairness_goodness.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vouch::trust {
namespace {

// A and B rate C +1 and D -1; E, a dissenter, rates C -1.  Ids: A0 B1 C2 D3 E4.
RatingGraph Tiny() {
  RatingEdges e;
  e.Add(0, 2, 1.0f);
  e.Add(1, 2, 1.0f);
  e.Add(0, 3, -1.0f);
  e.Add(1, 3, -1.0f);
  e.Add(4, 2, -1.0f);
  return *RatingGraph::Build(std::move(e), 5);
}

TEST(FairnessGoodnessTest, RefusesResultsBeforeRun) {
  RatingGraph g = Tiny();
  FairnessGoodness fg(g);
  EXPECT_FALSE(fg.goodness().ok());
  EXPECT_EQ(fg.fairness().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(fg.record().ok());
}

TEST(FairnessGoodnessTest, OneSweepByHand) {
  RatingGraph g = Tiny();
  FairnessGoodness fg(g, {.max_iterations = 1, .tolerance = 0});
  ASSERT_TRUE(fg.Run().ok());
  auto good = *fg.goodness();
  auto fair = *fg.fairness();
  // From f = 1: g(C) = (1 + 1 - 1) / 3, g(D) = -1.
  EXPECT_NEAR(good[2], 1.0 / 3, 1e-12);
  EXPECT_NEAR(good[3], -1.0, 1e-12);
  // f(A) = 1 - (|1 - 1/3| + |-1 - (-1)|) / (2 * 2) = 5/6; f(E) = 1 - |-1 - 1/3| / 2 = 1/3.
  EXPECT_NEAR(fair[0], 5.0 / 6, 1e-12);
  EXPECT_NEAR(fair[1], 5.0 / 6, 1e-12);
  EXPECT_NEAR(fair[4], 1.0 / 3, 1e-12);
  EXPECT_EQ(good[0], 0.0);  // nobody rated A
  EXPECT_EQ(fair[2], 1.0);  // C rated nobody
}

TEST(FairnessGoodnessTest, ConvergesToTheFixedPoint) {
  RatingGraph g = Tiny();
  FairnessGoodness fg(g, {.max_iterations = 200, .tolerance = 1e-12});
  ASSERT_TRUE(fg.Run().ok());
  ASSERT_TRUE(fg.record()->converged);
  auto good = *fg.goodness();
  auto fair = *fg.fairness();
  // The fixed point satisfies both equations.
  EXPECT_NEAR(good[2], (fair[0] + fair[1] - fair[4]) / 3, 1e-9);
  EXPECT_NEAR(fair[4], 1 - std::fabs(-1 - good[2]) / 2, 1e-9);
  EXPECT_NEAR(fair[0], 1 - (std::fabs(1 - good[2]) + std::fabs(-1 - good[3])) / 4, 1e-9);
  EXPECT_GT(fair[0], fair[4]);  // the dissenter is the least fair
  EXPECT_GT(good[2], 0.0);
  EXPECT_NEAR(good[3], -(fair[0] + fair[1]) / 2, 1e-9);
  EXPECT_NEAR(fg.Predict(0, 2), fair[0] * good[2], 1e-12);
  // Unknown people fall back to the means.
  EXPECT_NEAR(fg.Predict(kNoNode, 2), fg.mean_fairness() * good[2], 1e-12);
}

}  // namespace
}  // namespace vouch::trust
