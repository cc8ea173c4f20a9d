#include "vouch/synth/rng.h"

#include <gtest/gtest.h>

#include <vector>

namespace vouch::synth {
namespace {

TEST(RngTest, SameKeySameStreamOtherKeyOtherStream) {
  Rng a = Rng::For(1, 2, 3), b = Rng::For(1, 2, 3), c = Rng::For(1, 2, 4), d = Rng::For(2, 2, 3);
  const uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, c.Next());
  EXPECT_NE(first, d.Next());
}

TEST(RngTest, DrawsStayInTheirRanges) {
  Rng rng = Rng::For(7, 1, 0);
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.Uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    EXPECT_LT(rng.Below(7), 7u);
    const int64_t x = rng.Between(-3, 3);
    EXPECT_GE(x, -3);
    EXPECT_LE(x, 3);
    EXPECT_GE(rng.Pareto(1.0, 1.5), 1.0);
  }
}

TEST(RngTest, MeansAreAboutRight) {
  Rng rng = Rng::For(7, 2, 0);
  double normal = 0, poisson = 0, big_poisson = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    normal += rng.Normal(5, 2);
    poisson += static_cast<double>(rng.Poisson(3));
    big_poisson += static_cast<double>(rng.Poisson(50));
  }
  EXPECT_NEAR(normal / n, 5, 0.1);
  EXPECT_NEAR(poisson / n, 3, 0.1);
  EXPECT_NEAR(big_poisson / n, 50, 0.5);
}

TEST(AliasTableTest, SamplesInProportionToWeights) {
  const std::vector<double> weights = {1, 0, 3, 6};
  const AliasTable table(weights);
  Rng rng = Rng::For(9, 9, 9);
  std::vector<int> counts(4);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[table.Sample(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / double{n}, 0.1, 0.01);
  EXPECT_NEAR(counts[2] / double{n}, 0.3, 0.01);
  EXPECT_NEAR(counts[3] / double{n}, 0.6, 0.01);
}

}  // namespace
}  // namespace vouch::synth
