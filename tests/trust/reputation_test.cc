// The sybil ring property on a small generated graph, and TrustRank's basic contract.
#include "vouch/trust/reputation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "vouch/trust/fairness_goodness.h"
#include "vouch/trust/trust_rank.h"

namespace vouch::trust {
namespace {

constexpr NodeId kHonest = 300;
constexpr NodeId kRing = 100;

// kHonest people, each rating 8 others: mostly positive, negative for the 10% who behave badly. The first
// people (the oldest) are in good standing. Then optionally a ring of kRing accounts that rate each other +1 and
// the victim -1.
RatingGraph Community(bool with_ring, NodeId victim) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<NodeId> pick(0, kHonest - 1);
  std::uniform_real_distribution<float> praise(0.3f, 1.0f);
  RatingEdges e;
  for (NodeId u = 0; u < kHonest; ++u) {
    for (int k = 0; k < 8; ++k) {
      const NodeId v = pick(rng);
      if (v == u) continue;
      const bool bad = v % 10 == 7;
      e.Add(u, v, bad ? -praise(rng) : praise(rng), 1000 + u);
    }
  }
  if (with_ring) {
    for (NodeId a = kHonest; a < kHonest + kRing; ++a) {
      for (NodeId b = kHonest; b < kHonest + kRing; ++b) {
        if (a != b) e.Add(a, b, 1.0f, 5000);
      }
      e.Add(a, victim, -1.0f, 5000);
    }
  }
  return *RatingGraph::Build(std::move(e), with_ring ? kHonest + kRing : kHonest);
}

TEST(TrustRankTest, MassStartsAtSeedsAndFollowsPositiveRatings) {
  RatingEdges e;
  e.Add(0, 1, 1.0f);
  e.Add(1, 2, 1.0f);
  e.Add(2, 0, -1.0f);  // negative: passes nothing
  e.Add(3, 4, 1.0f);   // unreachable from the seed
  e.Add(4, 3, 1.0f);
  RatingGraph g = *RatingGraph::Build(std::move(e), 5);
  TrustRank empty(g, {});
  EXPECT_FALSE(empty.Run().ok());
  TrustRank rank(g, {0});
  EXPECT_FALSE(rank.trust().ok());
  ASSERT_TRUE(rank.Run().ok());
  auto t = *rank.trust();
  EXPECT_NEAR(std::accumulate(t.begin(), t.end(), 0.0), 1.0, 1e-9);
  EXPECT_GT(t[0], t[1]);
  EXPECT_GT(t[1], t[2]);
  EXPECT_GT(t[2], 0.0);
  EXPECT_EQ(t[3], 0.0);
  EXPECT_EQ(t[4], 0.0);
}

TEST(DefaultSeedsTest, OldestPeopleInGoodStanding) {
  RatingEdges e;
  e.Add(0, 1, -1.0f, 10);  // 1 is old but rated negatively
  e.Add(2, 3, 1.0f, 20);
  e.Add(4, 0, 1.0f, 30);
  e.Add(3, 2, 1.0f, 40);
  RatingGraph g = *RatingGraph::Build(std::move(e), 5);
  auto seeds = DefaultSeeds(g, 2);
  ASSERT_EQ(seeds.size(), 2u);
  EXPECT_EQ(seeds[0], 0u);  // first active at 10, rated +1
  EXPECT_EQ(seeds[1], 2u);  // 20; person 3 also began at 20 but comes later in id order
}

TEST(ReputationTest, RingCannotLiftItselfNorSinkItsVictim) {
  const NodeId victim = 0;
  RatingGraph before = Community(false, victim);
  RatingGraph after = Community(true, victim);
  auto seeds = DefaultSeeds(before, 10);
  Reputation rep_before(before, seeds);
  Reputation rep_after(after, seeds);
  ASSERT_TRUE(rep_before.Run().ok());
  ASSERT_TRUE(rep_after.Run().ok());
  auto r0 = *rep_before.reputation();
  auto r1 = *rep_after.reputation();
  // The ring gains nothing: no member is above any honest person in good standing.
  double ring_max = -1;
  for (NodeId a = kHonest; a < kHonest + kRing; ++a) ring_max = std::max(ring_max, r1[a]);
  EXPECT_LE(ring_max, 0.0);
  int honest_positive = 0;
  for (NodeId u = 0; u < kHonest; ++u) honest_positive += r1[u] > 0;
  EXPECT_GT(honest_positive, static_cast<int>(kHonest * 8 / 10));
  // The victim keeps its reputation.
  EXPECT_GT(r0[victim], 0.2);
  EXPECT_NEAR(r1[victim], r0[victim], 1e-6);

  // The same attack does work on plain fairness/goodness: the test is a real attack.
  FairnessGoodness plain(after);
  ASSERT_TRUE(plain.Run().ok());
  auto g = *plain.goodness();
  EXPECT_GT(g[kHonest], 0.9);
  EXPECT_LT(g[victim], 0.0);
}

TEST(ReputationTest, ResultsRefusedBeforeRun) {
  RatingGraph g = Community(false, 0);
  Reputation rep(g, {0});
  EXPECT_EQ(rep.reputation().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(rep.credibility().ok());
}

}  // namespace
}  // namespace vouch::trust
