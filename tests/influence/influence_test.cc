#include <gtest/gtest.h>

#include <chrono>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <memory_resource>
#include <string>

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include "influence/cascade.h"
#include "influence/greedy_cover.h"
#include "influence/marginal_coverage.h"
#include "influence/node_bits.h"
#include "influence/rr_sampler.h"
#include "influence/run_workers.h"
#include "influence/settled_prefix.h"
#include "influence/skip_table.h"
#include "influence/prefault.h"
#include "influence/run_memory.h"
#include "influence/seed_ranks.h"
#include "influence/test_graphs.h"
#include "vouch/graph/graph_builder.h"
#include "vouch/influence/exact_spread.h"
#include "vouch/influence/opim_bounds.h"
#include "vouch/influence/opim_c.h"
#include "vouch/influence/spread_estimator.h"

namespace vouch::influence {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace influence_test {

using graph::EdgeProbabilities;
using graph::Graph;
using graph::WeightScheme;

using test::MakeGraph;

InfluenceMaximizerOptions Options(uint32_t k, double epsilon, int threads = 0, uint64_t seed = 1) {
  InfluenceMaximizerOptions o;
  o.k = k;
  o.epsilon = epsilon;
  o.threads = threads;
  o.seed = seed;
  return o;
}

// OPIM-C's schedule alone: the selection-loss rule (on by default) off, for the tests of sample counts.
InfluenceMaximizerOptions PlainOptions(uint32_t k, double epsilon, int threads = 0, uint64_t seed = 1) {
  InfluenceMaximizerOptions o = Options(k, epsilon, threads, seed);
  o.max_selection_loss = 0;
  o.fix_settled_seeds = false;
  return o;
}

// The first round's sets per collection by OPIM-C's schedule: theta_0, rounded up to whole streams of 256 sets
// (computed here from the formula, not taken from the implementation).
uint64_t FirstRoundSets(const InfluenceMaximizerRecord& r) {
  return (static_cast<uint64_t>(std::ceil(r.theta_0)) + 255) / 256 * 256;
}

// A precision rule that did not fire: the run is the plain one, same sets, bounds and seeds.
void ExpectPlainRun(const OpimC& opim, const OpimC& plain, const std::string& what) {
  const InfluenceMaximizerRecord& r = opim.record();
  const InfluenceMaximizerRecord& p = plain.record();
  EXPECT_EQ(r.precision_steps, 0) << what;
  EXPECT_EQ(r.rr_sets, p.rr_sets) << what;
  EXPECT_EQ(r.approximation, p.approximation) << what;
  ASSERT_EQ(opim.seeds().size(), plain.seeds().size()) << what;
  for (size_t i = 0; i < opim.seeds().size(); ++i) EXPECT_EQ(opim.seeds()[i].node, plain.seeds()[i].node) << what;
}

// Returned seeds carry the guarantee: the run stopped early at the target, and its lower bound is Lemma 4.2's on
// the seeds' coverage of R2 (the record's spread scaled back to R2's sets), whatever R1 grew to.
void ExpectCertified(const InfluenceMaximizerRecord& r, double n, double eps, const std::string& what) {
  ASSERT_TRUE(r.stopped_early) << what;
  EXPECT_GE(r.approximation, 1 - std::exp(-1.0) - eps) << what;
  const double a = opim::BoundSlack(r.max_rounds, 1 / n);
  const double theta = static_cast<double>(r.rr_sets - r.rr_sets_r1);
  const double cov2 = std::round(r.spread * theta / n);
  EXPECT_NEAR(r.spread_lower, opim::SpreadLowerBound(cov2, theta, n, a), 1e-6) << what;
}

SpreadEstimatorOptions Runs(uint64_t runs, int threads = 0, uint64_t seed = 1) {
  SpreadEstimatorOptions o;
  o.runs = runs;
  o.threads = threads;
  o.seed = seed;
  return o;
}

// The spread of a run's seeds by simulation (20,000 Monte Carlo runs, judge seed 3).
Interval SimulatedSpread(const DiffusionModel& model, const OpimC& opim) {
  std::vector<NodeId> seeds;
  for (const SeedChoice& s : opim.seeds()) seeds.push_back(s.node);
  SpreadEstimator est(model, seeds, Runs(20000, 2, 3));
  EXPECT_TRUE(est.run().ok());
  return est.estimate().spread;
}

WordOfMouthParameters Wom(double adoption, double exponent, double share) {
  WordOfMouthParameters w;
  w.adoption_at_full_trust = adoption;
  w.trust_exponent = exponent;
  w.share_probability = share;
  return w;
}

EdgeProbabilities Probs(const Graph& g, const std::string& scheme) {
  return *EdgeProbabilities::Make(g, *WeightScheme::Parse(scheme));
}

// A small irregular graph: 7 nodes, 11 arcs, a cycle and a fan-in.
const std::vector<std::pair<uint64_t, uint64_t>> kSmall = {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {3, 1}, {1, 4},
                                                           {4, 5}, {5, 6}, {2, 6}, {6, 0}, {3, 5}};

TEST(ExactSpreadTest, MatchesHandComputedValues) {
  // IC on a path 0 -> 1 -> 2 with p = 1/2: 1 + 1/2 + 1/4.
  Graph path = MakeGraph({{0, 1}, {1, 2}});
  auto ic = DiffusionModel::IndependentCascade(Probs(path, "uniform:0.5"));
  EXPECT_NEAR(*ExactSpread(ic, {0}), 1.75, 1e-12);
  // LT with wc on 0 -> 2 <- 1: node 2 follows one of its two speakers, so seeding 0 wins it half the time.
  Graph fan = MakeGraph({{0, 2}, {1, 2}});
  auto lt = DiffusionModel::LinearThreshold(Probs(fan, "wc"));
  EXPECT_NEAR(*ExactSpread(lt, {0}), 1.5, 1e-12);
  EXPECT_NEAR(*ExactSpread(lt, {0, 1}), 3.0, 1e-12);
  // IC with wc on the same fan: each arc 1/2, independently.
  auto icf = DiffusionModel::IndependentCascade(Probs(fan, "wc"));
  EXPECT_NEAR(*ExactSpread(icf, {0, 1}), 2.75, 1e-12);
}

struct ModelCase {
  std::string name;
  DiffusionModelKind kind;
  std::string scheme;
};

class EstimatorsAgainstExact : public ::testing::TestWithParam<ModelCase> {};

DiffusionModel MakeModel(const Graph& g, const ModelCase& c) {
  EdgeProbabilities p = Probs(g, c.scheme);
  switch (c.kind) {
    case DiffusionModelKind::kIndependentCascade: return DiffusionModel::IndependentCascade(std::move(p));
    case DiffusionModelKind::kLinearThreshold: return DiffusionModel::LinearThreshold(p);
    case DiffusionModelKind::kWordOfMouth: {
      // Trust varies by arc so that adoption is not plain IC on p.
      std::vector<float> trust(g.num_edges());
      for (size_t e = 0; e < trust.size(); ++e) trust[e] = 0.25f + 0.75f * static_cast<float>(e % 3) / 2;
      return *DiffusionModel::WordOfMouth(std::move(p), trust, Wom(0.8, 1.0, 0.5));
    }
  }
  return DiffusionModel::IndependentCascade(std::move(p));
}

TEST_P(EstimatorsAgainstExact, MonteCarloAndRrSetsAgreeWithEnumeration) {
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = MakeModel(g, GetParam());
  for (const std::vector<NodeId>& seeds : {std::vector<NodeId>{0}, std::vector<NodeId>{3, 4}}) {
    const double exact = *ExactSpread(model, seeds);
    SpreadEstimator mc(model, seeds, Runs(40000, 2, 7));
    ASSERT_TRUE(mc.run().ok());
    const Interval& s = mc.estimate().spread;
    // Five standard errors: a correct estimator fails this about once in 1.7 million runs.
    EXPECT_NEAR(s.mean, exact, 5 * s.stddev / std::sqrt(40000.0) + 1e-9) << GetParam().name;
    EXPECT_LE(s.low, s.mean);
    // RR sets: spread = n * P(a random RR set meets the seeds).
    detail::Scratch scratch(g.num_nodes(), false);
    Rng rng(11, 0);
    std::vector<NodeId> set;
    const int sets = 200000;
    int hit = 0;
    DispatchModel(model.kind(), [&]<typename Tag>(Tag) {
      for (int i = 0; i < sets; ++i) {
        set.clear();
        detail::SampleRrSet<Tag>(model, rng.Below(g.num_nodes()), rng, scratch, set);
        bool met = false;
        for (NodeId v : set) met = met || std::find(seeds.begin(), seeds.end(), v) != seeds.end();
        hit += met;
      }
    });
    const double frac = static_cast<double>(hit) / sets;
    const double rr = frac * g.num_nodes();
    const double se = g.num_nodes() * std::sqrt(frac * (1 - frac) / sets);
    EXPECT_NEAR(rr, exact, 5 * se + 1e-9) << GetParam().name;
  }
}

// The interleaved Linear Threshold sampler (many walks in flight) against the same enumeration, with each set
// checked to be a walk back from its own root: the root first, no node twice, every step along an in-arc. lt_wc
// takes the sampler's uniform pick (uniform_over_in_arcs), lt_uniform its weighted pick (some rows pick none).
TEST_P(EstimatorsAgainstExact, InterleavedLinearThresholdWalksAgreeWithEnumeration) {
  if (GetParam().kind != DiffusionModelKind::kLinearThreshold) GTEST_SKIP() << "Linear Threshold only";
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = MakeModel(g, GetParam());
  ASSERT_TRUE(model.influence().per_target());
  ASSERT_EQ(model.influence().uniform_over_in_arcs(), GetParam().scheme == "wc");
  const graph::GraphArrays& arrays = g.arrays();
  for (const std::vector<NodeId>& seeds : {std::vector<NodeId>{0}, std::vector<NodeId>{3, 4}}) {
    const double exact = *ExactSpread(model, seeds);
    detail::Scratch scratch(g.num_nodes(), false);
    Rng rng(13, 0);
    const int blocks = 800, per_block = 250;  // not a multiple of the lanes: walks start while others run
    int hit = 0;
    for (int b = 0; b < blocks; ++b) {
      std::vector<NodeId> roots(per_block), nodes;
      std::vector<uint32_t> sizes;
      for (NodeId& r : roots) r = rng.Below(g.num_nodes());
      detail::SampleLtRrSets(model, roots, rng, scratch, nodes, sizes);
      ASSERT_EQ(sizes.size(), roots.size());
      size_t at = 0;
      std::vector<NodeId> firsts;  // the sets come in finishing order: their roots are the block's, in some order
      for (size_t i = 0; i < roots.size(); ++i) {
        ASSERT_GE(sizes[i], 1u);
        firsts.push_back(nodes[at]);
        std::vector<NodeId> set(nodes.begin() + static_cast<ptrdiff_t>(at),
                                nodes.begin() + static_cast<ptrdiff_t>(at + sizes[i]));
        for (size_t k = 1; k < set.size(); ++k) {
          const uint64_t from = arrays.in_offsets[set[k - 1]], to = arrays.in_offsets[set[k - 1] + 1];
          const auto row = arrays.in_sources.subspan(from, to - from);
          EXPECT_NE(std::find(row.begin(), row.end(), set[k]), row.end()) << "step not along an in-arc";
        }
        std::vector<NodeId> sorted = set;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "a node twice in one walk";
        bool met = false;
        for (NodeId v : set) met = met || std::find(seeds.begin(), seeds.end(), v) != seeds.end();
        hit += met;
        at += sizes[i];
      }
      ASSERT_EQ(at, nodes.size());
      std::sort(firsts.begin(), firsts.end());
      std::sort(roots.begin(), roots.end());
      ASSERT_EQ(firsts, roots) << "each root starts exactly one set";
    }
    for (uint8_t m : scratch.lane_mark) ASSERT_EQ(m, 0) << "marks left behind";
    const int sets = blocks * per_block;
    const double frac = static_cast<double>(hit) / sets;
    const double rr = frac * g.num_nodes();
    const double se = g.num_nodes() * std::sqrt(frac * (1 - frac) / sets);
    EXPECT_NEAR(rr, exact, 5 * se + 1e-9) << GetParam().name;
  }
}

// The interleaved sampler with stops (the fixed prefix, opim_c.h): a walk that reaches a fixed seed, its root
// included, is stored empty, so the share of empty sets estimates the fixed seeds' spread, as the share of whole
// sets that hold one does; every stored set is a walk that holds none; one set per root; no marks left behind.
TEST_P(EstimatorsAgainstExact, InterleavedLinearThresholdWalksStopAtFixedSeeds) {
  if (GetParam().kind != DiffusionModelKind::kLinearThreshold) GTEST_SKIP() << "Linear Threshold only";
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = MakeModel(g, GetParam());
  const graph::GraphArrays& arrays = g.arrays();
  for (const std::vector<NodeId>& fixed : {std::vector<NodeId>{0}, std::vector<NodeId>{3, 4}}) {
    const double exact = *ExactSpread(model, fixed);
    std::vector<uint64_t> stops((g.num_nodes() + 63) / 64, 0);
    for (NodeId v : fixed) stops[v >> 6] |= uint64_t{1} << (v & 63);
    detail::Scratch scratch(g.num_nodes(), false);
    Rng rng(29, 0);
    const int blocks = 800, per_block = 250;
    int empty = 0;
    for (int b = 0; b < blocks; ++b) {
      std::vector<NodeId> roots(per_block), nodes;
      std::vector<uint32_t> sizes;
      for (NodeId& r : roots) r = rng.Below(g.num_nodes());
      detail::SampleLtRrSets(model, roots, rng, scratch, nodes, sizes, static_cast<std::vector<NodeId>*>(nullptr),
                             stops.data());
      ASSERT_EQ(sizes.size(), roots.size()) << "one set per root";
      size_t at = 0;
      for (uint32_t size : sizes) {
        if (size == 0) {
          ++empty;
          continue;
        }
        for (size_t k = at; k < at + size; ++k) {
          ASSERT_EQ(std::find(fixed.begin(), fixed.end(), nodes[k]), fixed.end()) << "a stored set holds a stop";
          if (k > at) {
            const uint64_t from = arrays.in_offsets[nodes[k - 1]], to = arrays.in_offsets[nodes[k - 1] + 1];
            const auto row = arrays.in_sources.subspan(from, to - from);
            ASSERT_NE(std::find(row.begin(), row.end(), nodes[k]), row.end()) << "step not along an in-arc";
          }
        }
        at += size;
      }
      ASSERT_EQ(at, nodes.size());
    }
    for (uint8_t m : scratch.lane_mark) ASSERT_EQ(m, 0) << "marks left behind";
    const int sets = blocks * per_block;
    const double frac = static_cast<double>(empty) / sets;
    const double se = g.num_nodes() * std::sqrt(frac * (1 - frac) / sets);
    EXPECT_NEAR(frac * g.num_nodes(), exact, 5 * se + 1e-9) << GetParam().name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, EstimatorsAgainstExact,
    ::testing::Values(ModelCase{"ic_uniform", DiffusionModelKind::kIndependentCascade, "uniform:0.4"},
                      ModelCase{"ic_wc", DiffusionModelKind::kIndependentCascade, "wc"},
                      ModelCase{"ic_trivalency", DiffusionModelKind::kIndependentCascade, "trivalency:3"},
                      ModelCase{"lt_wc", DiffusionModelKind::kLinearThreshold, "wc"},
                      ModelCase{"lt_uniform", DiffusionModelKind::kLinearThreshold, "uniform:0.4"},
                      ModelCase{"wom_uniform", DiffusionModelKind::kWordOfMouth, "uniform:0.6"}),
    [](const auto& param_info) { return param_info.param.name; });

// An RR set from the centre of a star of d speakers keeps each speaker independently with its probability p:
// its size less one is Binomial(d, p), and every speaker is in it with probability p. The rows are drawn by
// count (d p <= Scratch::kMaxMeanCount) or by geometric skipping (above it); each case checks one of the two.
TEST(RrSetRowTest, KeptArcsOfARowAreIndependentCoinsByCountAndBySkipping) {
  struct Case {
    uint64_t d;
    std::string scheme;
    double p;
  };
  for (const Case& c : {Case{5, "wc", 0.2}, Case{40, "uniform:0.1", 0.1}, Case{40, "uniform:0.3", 0.3},
                        Case{1, "uniform:0.5", 0.5}}) {
    std::vector<std::pair<uint64_t, uint64_t>> arcs;
    for (uint64_t leaf = 1; leaf <= c.d; ++leaf) arcs.push_back({leaf, 0});
    Graph g = MakeGraph(arcs);
    DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, c.scheme));
    const NodeId centre = 0;
    ASSERT_EQ(g.InDegree(centre), c.d);
    detail::Scratch scratch(g.num_nodes(), false);
    Rng rng(17, 0);
    const int sets = 100000;
    std::vector<int> by_count(c.d + 1, 0), by_node(g.num_nodes(), 0);
    std::vector<NodeId> set;
    for (int i = 0; i < sets; ++i) {
      set.clear();
      detail::SampleRrSet<IcTag>(model, centre, rng, scratch, set);
      ASSERT_GE(set.size(), 1u);
      ASSERT_EQ(set[0], centre);
      std::vector<NodeId> sorted = set;
      std::sort(sorted.begin(), sorted.end());
      ASSERT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end()) << "a node twice in one set";
      ++by_count[set.size() - 1];
      for (NodeId v : set) ++by_node[v];
    }
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      if (v == centre) continue;
      const double se = std::sqrt(c.p * (1 - c.p) / sets);
      EXPECT_NEAR(static_cast<double>(by_node[v]) / sets, c.p, 5 * se) << c.scheme << " speaker " << v;
    }
    double pmf = std::pow(1 - c.p, static_cast<double>(c.d));
    for (uint64_t k = 0; k <= c.d; ++k) {
      if (k > 0) pmf *= c.p / (1 - c.p) * static_cast<double>(c.d - k + 1) / static_cast<double>(k);
      const double se = std::sqrt(pmf * (1 - pmf) / sets);
      EXPECT_NEAR(static_cast<double>(by_count[k]) / sets, pmf, 5 * se + 1e-9) << c.scheme << " count " << k;
    }
  }
}

// The run's table of Skips (skip_table.h) holds, for every in-degree a row has, the Skip of that degree's
// probability (wc: 1/d; uniform: P, or 1/d where that is smaller under Linear Threshold's scaling); a degree
// beyond the table is computed on the spot, the same. Rows of a star (its centre's in-degree beyond the table)
// and of a path and a triangle.
TEST(SkipTableTest, HoldsEachRowDegreesSkipAndComputesThoseBeyondIt) {
  const uint64_t big = detail::SkipTable::kCachedDegrees + 5;
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  for (uint64_t leaf = 1; leaf <= big; ++leaf) arcs.push_back({leaf, 0});  // the centre 0 hears every leaf
  arcs.push_back({1, 2});
  arcs.push_back({3, 2});
  arcs.push_back({4, 2});  // 2 hears three
  arcs.push_back({2, 5});
  arcs.push_back({6, 5});  // 5 hears two
  Graph g = MakeGraph(arcs);
  auto same = [](const detail::Skip& a, const detail::Skip& b) {
    return a.prob == b.prob && a.by_count == b.by_count && a.none == b.none && a.odds == b.odds &&
           a.per_log == b.per_log && a.cdf1 == b.cdf1 && a.pmf2 == b.pmf2 && a.cdf2 == b.cdf2;
  };
  for (const char* scheme : {"wc", "uniform:0.4"}) {
    EdgeProbabilities p = Probs(g, scheme);
    const detail::SkipTable table(p);
    EXPECT_TRUE(table.For(p));
    detail::Skip spare;
    for (uint64_t d : {uint64_t{2}, uint64_t{3}, big}) {
      const float prob = p.TargetProbabilityForInDegree(d);
      const detail::Skip& got = table.At(d, spare);
      EXPECT_TRUE(same(got, detail::Skip::For(d, prob))) << scheme << " degree " << d;
      EXPECT_EQ(&got == &spare, d >= detail::SkipTable::kCachedDegrees) << scheme << " degree " << d;
    }
    EXPECT_EQ(p.TargetProbabilityForInDegree(3), p.TargetProbability(2)) << scheme;
  }
}

TEST(WordOfMouthTest, SharesSpreadAwarenessButNeverAdoption) {
  // 0 -> 1 -> 2 with certain hearing; 0 trusts nobody's word... listeners trust 0 not at all: nobody adopts,
  // but with s = 1 everyone hears through shares.
  Graph path = MakeGraph({{0, 1}, {1, 2}});
  std::vector<float> no_trust(path.num_edges(), 0.0f);
  auto wom = *DiffusionModel::WordOfMouth(Probs(path, "uniform:1"), no_trust, Wom(1.0, 1.0, 1.0));
  SpreadEstimator mc(wom, {0}, Runs(200));
  ASSERT_TRUE(mc.run().ok());
  EXPECT_DOUBLE_EQ(mc.estimate().spread.mean, 1.0);
  EXPECT_DOUBLE_EQ(mc.estimate().reach.mean, 3.0);
  // Full trust: everyone adopts.
  auto trusted = *DiffusionModel::WordOfMouth(Probs(path, "uniform:1"), {}, Wom(1.0, 1.0, 0.0));
  SpreadEstimator mc2(trusted, {0}, Runs(200));
  ASSERT_TRUE(mc2.run().ok());
  EXPECT_DOUBLE_EQ(mc2.estimate().spread.mean, 3.0);
  // Trust outside [0, 1] is refused.
  std::vector<float> bad = {2.0f, 0.5f};
  EXPECT_EQ(DiffusionModel::WordOfMouth(Probs(path, "uniform:1"), bad, Wom(1, 1, 0)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(OpimBoundsTest, SampleCountsFollowThePaper) {
  // n = 1000, k = 10, eps = 0.1, delta = 1/1000; the figures were computed separately from the formulas of
  // Tang et al. 2018 (Algorithm 2): theta_max = 2n((1-1/e)sqrt(ln 6/delta) + sqrt((1-1/e)(ln C(n,k) +
  // ln 6/delta)))^2 / (eps^2 k), theta_0 = theta_max eps^2 k / n, i_max = ceil(log2(n / (eps^2 k))).
  EXPECT_NEAR(opim::LogBinomial(1000, 10), 53.927997037888275, 1e-9);
  EXPECT_NEAR(opim::ThetaMax(1000, 10, 0.1, 0.001), 1330519.6943003659, 1e-3);
  EXPECT_NEAR(opim::Theta0(1000, 10, 0.1, 0.001), 133.05196943003662, 1e-6);
  EXPECT_EQ(opim::IMax(1000, 10, 0.1), 14);
  const double a = opim::BoundSlack(7, 0.001);
  EXPECT_NEAR(a, std::log(21000.0), 1e-12);
  // Lemma bounds: ((sqrt(L + 2a/9) - sqrt(a/2))^2 - a/18) n/theta and (sqrt(U + a/2) + sqrt(a/2))^2 n/theta.
  const double lower = opim::SpreadLowerBound(500, 1000, 1000, a);
  const double upper = opim::SpreadUpperBound(500, 1000, 1000, a);
  EXPECT_NEAR(lower, (std::pow(std::sqrt(500 + 2 * a / 9) - std::sqrt(a / 2), 2) - a / 18), 1e-9);
  EXPECT_NEAR(upper, std::pow(std::sqrt(500 + a / 2) + std::sqrt(a / 2), 2), 1e-9);
  EXPECT_LT(lower, 500);
  EXPECT_GT(upper, 500);
}

TEST(OpimCTest, FindsANearBestSingleSeedAndBracketsItsSpread) {
  Graph g = MakeGraph(kSmall);
  for (const char* scheme : {"uniform:0.4", "wc"}) {
    DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, scheme));
    double best = 0;
    NodeId best_node = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      double s = *ExactSpread(model, {v});
      if (s > best + 1e-9) {
        best = s;
        best_node = v;
      }
    }
    OpimC opim(model, Options(1, 0.05, 2));
    ASSERT_TRUE(opim.run().ok());
    ASSERT_EQ(opim.seeds().size(), 1u);
    // The guarantee is the ratio; with k = 1 the greedy is exact on its samples, so the choice is also near the
    // best (the early stop leaves several percent of sampling error).
    const double chosen = *ExactSpread(model, {opim.seeds()[0].node});
    EXPECT_GE(chosen, (1 - std::exp(-1.0) - 0.05) * best);
    EXPECT_GE(chosen, 0.9 * best) << scheme << " chose " << opim.seeds()[0].node << ", best " << best_node;
    const auto& r = opim.record();
    EXPECT_LE(r.spread_lower, best);
    EXPECT_GE(r.spread_upper, best);
    EXPECT_GE(r.optimum_upper, best);
    EXPECT_GE(r.approximation, 1 - std::exp(-1.0) - 0.05);
    EXPECT_GT(r.rr_sets, 0u);
  }
}

TEST(OpimCTest, SeedsMeetTheGuaranteeAgainstExhaustiveSearch) {
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = DiffusionModel::LinearThreshold(Probs(g, "wc"));
  double best = 0;
  for (NodeId a = 0; a < g.num_nodes(); ++a) {
    for (NodeId b = a + 1; b < g.num_nodes(); ++b) best = std::max(best, *ExactSpread(model, {a, b}));
  }
  OpimC opim(model, Options(2, 0.1, 2));
  ASSERT_TRUE(opim.run().ok());
  std::vector<NodeId> seeds;
  double gains = 0;
  for (const auto& s : opim.seeds()) {
    seeds.push_back(s.node);
    gains += s.marginal_spread;
  }
  EXPECT_GE(*ExactSpread(model, seeds), (1 - std::exp(-1.0) - 0.1) * best);
  EXPECT_NEAR(gains, opim.record().spread, 1e-6);
}

TEST(OpimCTest, CandidatesExclusionsAndBudgetAreRespected) {
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "uniform:0.3"));
  InfluenceMaximizerOptions restricted = Options(2, 0.2);
  restricted.candidates = {4, 5, 6};
  restricted.excluded = {5};
  OpimC only(model, restricted);
  ASSERT_TRUE(only.run().ok());
  ASSERT_EQ(only.seeds().size(), 2u);
  for (const auto& s : only.seeds()) EXPECT_TRUE(s.node == 4 || s.node == 6);
  // Budget 3 with node 2 costing 3 and everybody else 1.
  std::vector<double> cost(g.num_nodes(), 1.0);
  cost[2] = 3.0;
  InfluenceMaximizerOptions budgeted = Options(0, 0.2);
  budgeted.cost = cost;
  budgeted.budget = 3;
  OpimC budget(model, budgeted);
  ASSERT_TRUE(budget.run().ok());
  double spent = 0;
  for (const auto& s : budget.seeds()) spent += cost[s.node];
  EXPECT_LE(spent, 3.0);
  EXPECT_FALSE(budget.seeds().empty());
  // The precision rule keeps the budget and the candidates (it only changes the sample the greedy reads).
  budgeted.min_marginal_coverage = uint64_t{1} << 40;
  restricted.min_marginal_coverage = uint64_t{1} << 40;
  OpimC budget_grown(model, budgeted);
  OpimC only_grown(model, restricted);
  ASSERT_TRUE(budget_grown.run().ok());
  ASSERT_TRUE(only_grown.run().ok());
  spent = 0;
  for (const auto& s : budget_grown.seeds()) spent += cost[s.node];
  EXPECT_LE(spent, 3.0);
  EXPECT_FALSE(budget_grown.seeds().empty());
  ASSERT_EQ(only_grown.seeds().size(), 2u);
  for (const auto& s : only_grown.seeds()) EXPECT_TRUE(s.node == 4 || s.node == 6);
  InfluenceMaximizerOptions nobody = Options(2, 0.1);
  nobody.candidates = {1};
  nobody.excluded = {1};
  OpimC none(model, nobody);
  EXPECT_EQ(none.run().code(), StatusCode::kInvalidArgument);
  OpimC bad_eps(model, Options(2, 0.9));
  EXPECT_EQ(bad_eps.run().code(), StatusCode::kInvalidArgument);
}

TEST(OpimCTest, ResultsDependOnTheSeedNotTheThreads) {
  // A larger random graph so that several sampling blocks run in parallel.
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  uint64_t x = 99;
  for (int i = 0; i < 4000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    arcs.emplace_back((x >> 33) % 500, (x >> 17) % 500);
  }
  Graph g = MakeGraph(arcs);
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  OpimC one(model, Options(5, 0.2, 1, 3));
  OpimC two(model, Options(5, 0.2, 2, 3));
  ASSERT_TRUE(one.run().ok());
  ASSERT_TRUE(two.run().ok());
  ASSERT_EQ(one.seeds().size(), two.seeds().size());
  for (size_t i = 0; i < one.seeds().size(); ++i) EXPECT_EQ(one.seeds()[i].node, two.seeds()[i].node);
  EXPECT_EQ(one.record().rr_sets, two.record().rr_sets);
}

// A run keeps its working memory for the object's lifetime (opim_c.h): a second run() on the same object starts
// afresh and chooses the same seeds, and workers started ahead (StartWorkerThreads) change nothing. LT too, whose
// sets come from the interleaved sampler, whatever the number of threads.
TEST(OpimCTest, RunsAgainAndWithWorkersStartedAheadChooseTheSame) {
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  uint64_t x = 7;
  for (int i = 0; i < 4000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    arcs.emplace_back((x >> 33) % 500, (x >> 17) % 500);
  }
  Graph g = MakeGraph(arcs);
  for (const bool lt : {false, true}) {
    DiffusionModel model =
        lt ? DiffusionModel::LinearThreshold(Probs(g, "wc")) : DiffusionModel::IndependentCascade(Probs(g, "wc"));
    OpimC once(model, Options(5, 0.2, 1, 3));
    ASSERT_TRUE(once.run().ok());
    StartWorkerThreads(2);
    StartWorkerThreads(0);
    OpimC twice(model, Options(5, 0.2, 2, 3));
    ASSERT_TRUE(twice.run().ok());
    ASSERT_TRUE(twice.run().ok());
    ASSERT_EQ(once.seeds().size(), twice.seeds().size());
    for (size_t i = 0; i < once.seeds().size(); ++i) EXPECT_EQ(once.seeds()[i].node, twice.seeds()[i].node);
    EXPECT_EQ(once.record().rr_sets, twice.record().rr_sets);
    EXPECT_EQ(once.record().rr_set_entries, twice.record().rr_set_entries);
    EXPECT_DOUBLE_EQ(once.record().spread, twice.record().spread);
  }
}

// The populating helpers leave the vectors exactly as the plain operations would.
TEST(PrefaultTest, HelpersBehaveLikeThePlainOperations) {
  std::vector<uint32_t> v = {1, 2, 3};
  detail::ReservePrefaulted(v, 100000);
  EXPECT_GE(v.capacity(), 100000u);
  EXPECT_EQ(v, (std::vector<uint32_t>{1, 2, 3}));
  detail::AssignPrefaulted(v, 50000, 7u);
  EXPECT_EQ(v.size(), 50000u);
  EXPECT_EQ(std::count(v.begin(), v.end(), 7u), 50000);
  detail::AssignPrefaulted(v, 300000, 0u);  // grows past the capacity
  EXPECT_EQ(v.size(), 300000u);
  EXPECT_EQ(std::count(v.begin(), v.end(), 0u), 300000);
  detail::AssignPrefaulted(v, 10, 5u);  // shrinks
  EXPECT_EQ(v, std::vector<uint32_t>(10, 5u));
  detail::Prefault(nullptr, 1 << 20);  // nothing to do, no crash
}

// A random graph of `people` people and `arcs` arcs (a fixed linear congruential stream from `seed`); by default
// 500 people and 4000 arcs.
Graph RandomGraph(uint64_t people = 500, int arcs = 4000, uint64_t seed = 99) {
  std::vector<std::pair<uint64_t, uint64_t>> list;
  uint64_t x = seed;
  for (int i = 0; i < arcs; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    list.emplace_back((x >> 33) % people, (x >> 17) % people);
  }
  return MakeGraph(list);
}

// IC wc RR sets of g, added one at a time to a collection from a random stream (the GreedyCover tests); g must
// outlive it.
struct IcWcSample {
  IcWcSample(const Graph& g, uint64_t seed)
      : model(DiffusionModel::IndependentCascade(Probs(g, "wc"))), r(memory), scratch(g.num_nodes(), false),
        rng(seed, 0), n(g.num_nodes()) {}
  // Adds sets until the collection holds `to`.
  void Grow(uint64_t to) {
    while (r.size() < to) {
      set.clear();
      detail::SampleRrSet<IcTag>(model, rng.Below(n), rng, scratch, set);
      r.Add(set);
    }
  }
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  DiffusionModel model;
  detail::RrCollection r;
  detail::Scratch scratch;
  Rng rng;
  NodeId n;
  std::vector<NodeId> set;
};

TEST(OpimCTest, MarginalSpreadsNeverIncreaseAndAddUpToTheEstimate) {
  // Greedy maximum coverage gains cannot increase along the selection; the reported shares must not either
  // (taking each seed's marginal on the validation sample R2 made them go up and down with its noise).
  Graph g = RandomGraph();
  for (const char* scheme : {"wc", "uniform:0.05"}) {
    for (bool lt : {false, true}) {
      DiffusionModel model = lt ? DiffusionModel::LinearThreshold(Probs(g, scheme))
                                : DiffusionModel::IndependentCascade(Probs(g, scheme));
      OpimC opim(model, Options(25, 0.1, 2, 7));
      ASSERT_TRUE(opim.run().ok());
      ASSERT_EQ(opim.seeds().size(), 25u);
      double sum = 0;
      for (size_t i = 0; i < opim.seeds().size(); ++i) {
        sum += opim.seeds()[i].marginal_spread;
        EXPECT_GE(opim.seeds()[i].marginal_spread, 0);
        if (i > 0) {
          EXPECT_LE(opim.seeds()[i].marginal_spread, opim.seeds()[i - 1].marginal_spread)
              << scheme << (lt ? " LT" : " IC") << " seed " << i;
        }
      }
      EXPECT_NEAR(sum, opim.record().spread, 1e-6 * opim.record().spread);
    }
  }
}

TEST(OpimCTest, SampleCountsAndBoundsFollowTheFormulas) {
  // The run's record against opim_bounds.h (itself tested against the paper above): the first round draws
  // theta_0 sets into R2 (rounded up to whole blocks of 256) and r1_ratio times that into R1, each round doubles
  // both, and the bounds are the lemmas' functions of the coverage the estimate implies, each with its own
  // collection's size: the seeds' bounds from R2's theta, the optimum's from R1's.
  Graph g = RandomGraph();
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  for (uint64_t ratio : {uint64_t{1}, uint64_t{4}, uint64_t{16}}) {
    for (auto [k, eps] : {std::pair{5u, 0.2}, std::pair{10u, 0.1}, std::pair{3u, 0.05}}) {
      InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
      o.r1_ratio = ratio;
      OpimC opim(model, o);
      ASSERT_TRUE(opim.run().ok());
      const auto& r = opim.record();
      const double n = g.num_nodes();
      const double delta = 1 / n;
      EXPECT_DOUBLE_EQ(r.theta_0, opim::Theta0(n, k, eps, delta));
      EXPECT_DOUBLE_EQ(r.theta_max, opim::ThetaMax(n, k, eps, delta));
      EXPECT_EQ(r.max_rounds, opim::IMax(n, k, eps));
      ASSERT_GE(r.rounds, 1);
      const uint64_t first = FirstRoundSets(r);
      const uint64_t theta = first << (r.rounds - 1);
      EXPECT_EQ(r.rr_sets, (ratio + 1) * theta) << ratio;
      EXPECT_EQ(r.rr_sets_r1, ratio * theta) << ratio;
      const double a = opim::BoundSlack(r.max_rounds, delta);
      const double cov2 = std::round(r.spread * theta / n);
      EXPECT_NEAR(r.spread_lower, opim::SpreadLowerBound(cov2, theta, n, a), 1e-6);
      EXPECT_NEAR(r.spread_upper, opim::SpreadUpperBound(cov2, theta, n, a), 1e-6);
      EXPECT_NEAR(r.approximation, r.spread_lower / r.optimum_upper, 1e-12);
      // The optimum's bound is the upper-bound lemma at R1's size: inverted there, it gives a coverage of R1
      // between 0 and what the greedy's bound allows at most (all of R1's sets over 1 - 1/e).
      const double th1 = static_cast<double>(ratio * theta);
      const double root = std::sqrt(r.optimum_upper * th1 / n) - std::sqrt(a / 2);
      const double cov1 = root * root - a / 2;
      EXPECT_GE(cov1, -1e-6) << ratio;
      EXPECT_LE(cov1, th1 / (1 - std::exp(-1.0)) + 1e-6) << ratio;
      // It stopped either because the bound was reached or because R1 reached theta_max; not before.
      if (r.stopped_early) {
        EXPECT_GE(r.approximation, 1 - std::exp(-1.0) - eps);
        EXPECT_LT(th1, r.theta_max);
      } else {
        EXPECT_GE(th1, r.theta_max);
      }
      EXPECT_EQ(r.target_approximation, 1 - std::exp(-1.0) - eps);
    }
  }
}

TEST(OpimCTest, ThePrecisionRuleGrowsR1OnlyWhenTheLastGainIsSmall) {
  // --min-marginal-coverage G: after the round's bounds pass, R1 alone grows while the last seed gains fewer than
  // G of R1's sets, at most OpimC::kMaxPrecisionGrowth times the round's R1; R2 and the schedule stay OPIM-C's,
  // and the returned seeds are the ones certified. A G no larger than the plain run's last gain leaves the run
  // exactly as it was; a larger one grows R1 until the last gain reaches G or the cap.
  Graph g = RandomGraph();
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  const uint32_t k = 10;
  const double eps = 0.1;
  OpimC plain(model, PlainOptions(k, eps, 2, 11));
  ASSERT_TRUE(plain.run().ok());
  const auto& p = plain.record();
  ASSERT_TRUE(p.stopped_early);
  ASSERT_GT(p.last_marginal_coverage, 1u);
  EXPECT_EQ(p.precision_steps, 0);
  const uint64_t first = FirstRoundSets(p);
  for (uint64_t min_gain : {uint64_t{1}, p.last_marginal_coverage, p.last_marginal_coverage + 1,
                            4 * p.last_marginal_coverage, uint64_t{1} << 40}) {
    InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
    o.min_marginal_coverage = min_gain;
    OpimC opim(model, o);
    ASSERT_TRUE(opim.run().ok());
    const auto& r = opim.record();
    const uint64_t theta = first << (r.rounds - 1);
    EXPECT_EQ(r.rr_sets - r.rr_sets_r1, theta) << min_gain;  // R2: OPIM-C's schedule
    if (min_gain <= p.last_marginal_coverage) {
      // Large enough a gain: nothing grows, same run.
      ExpectPlainRun(opim, plain, std::to_string(min_gain));
      continue;
    }
    // A small gain: R1 grew, within the cap and below theta_max.
    EXPECT_GE(r.precision_steps, 1) << min_gain;
    EXPECT_GT(r.rr_sets_r1, o.r1_ratio * theta) << min_gain;
    EXPECT_LE(r.rr_sets_r1, OpimC::kMaxPrecisionGrowth * o.r1_ratio * theta) << min_gain;
    EXPECT_LT(static_cast<double>(r.rr_sets_r1), r.theta_max) << min_gain;
    EXPECT_EQ(r.rr_sets_r1 % 256, 0u) << min_gain;
    if (r.rr_sets_r1 < OpimC::kMaxPrecisionGrowth * o.r1_ratio * theta) {
      EXPECT_GE(r.last_marginal_coverage, min_gain) << min_gain;  // stopped growing because the gain was reached
    }
    // The returned seeds carry the guarantee: their own bounds against R2 reach the target.
    ExpectCertified(r, g.num_nodes(), eps, std::to_string(min_gain));
  }
  // Past the cap: the rule stops at kMaxPrecisionGrowth times the round's R1.
  InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
  o.min_marginal_coverage = uint64_t{1} << 40;
  OpimC capped(model, o);
  ASSERT_TRUE(capped.run().ok());
  const uint64_t theta = first << (capped.record().rounds - 1);
  if (static_cast<double>(OpimC::kMaxPrecisionGrowth * o.r1_ratio * theta) < capped.record().theta_max) {
    EXPECT_EQ(capped.record().rr_sets_r1, OpimC::kMaxPrecisionGrowth * o.r1_ratio * theta);
  }
}

TEST(OpimCTest, AMinimumOfRrSetsStartsLaterOnTheSameSchedule) {
  // --min-rr-sets: sampling starts at the first round of the doubling schedule holding at least the minimum in each
  // collection (never beyond theta_max's round), so the counts stay theta_0 (rounded to 256) times a power of two
  // and the stopping rule is unchanged from there on.
  Graph g = RandomGraph();
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  const uint32_t k = 5;
  const double eps = 0.2;
  OpimC plain(model, PlainOptions(k, eps, 2, 11));
  ASSERT_TRUE(plain.run().ok());
  const auto& p = plain.record();
  const uint64_t first = FirstRoundSets(p);
  for (uint64_t minimum : {uint64_t{0}, first, first + 1, 5 * first, uint64_t{1} << 40}) {
    InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
    o.min_rr_sets = minimum;
    OpimC opim(model, o);
    ASSERT_TRUE(opim.run().ok());
    const auto& r = opim.record();
    // The smallest round of the schedule whose theta reaches the minimum, capped at i_max and at theta_max.
    int start = 1;
    while (start < r.max_rounds && (first << (start - 1)) < minimum &&
           static_cast<double>(o.r1_ratio * (first << (start - 1))) < r.theta_max) {
      ++start;
    }
    EXPECT_GE(r.rounds, start) << minimum;
    EXPECT_EQ(r.rr_sets, (o.r1_ratio + 1) * (first << (r.rounds - 1))) << minimum;
    // Same seed, same streams: the collections of a round are the same however it was reached, so where the
    // minimum falls at or before the plain run's stop, the run stops where the plain one did.
    if (start <= p.rounds) {
      EXPECT_EQ(r.rounds, p.rounds) << minimum;
    }
    if (r.stopped_early) {
      EXPECT_GE(r.approximation, 1 - std::exp(-1.0) - eps) << minimum;
    }
  }
}

TEST(OpimCTest, TheSelectionLossRuleGrowsR1ExactlyWhenItsEstimateExceedsTheTarget) {
  // --max-selection-loss L (on by default): after the round's bounds pass, R1 alone grows while the estimate of
  // the greedy's loss to sampling noise exceeds L, at most precision_max_growth times the round's R1 and below
  // theta_max; R2 and the schedule stay OPIM-C's, and the returned seeds are the ones certified. The estimate is
  // computed (and recorded) with the rule off too, so the plain run says where the rule must act.
  Graph g = RandomGraph();
  for (const char* scheme : {"wc", "uniform:0.05"}) {
    DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, scheme));
    const uint32_t k = 10;
    const double eps = 0.1;
    OpimC plain(model, PlainOptions(k, eps, 2, 11));
    ASSERT_TRUE(plain.run().ok());
    const auto& p = plain.record();
    ASSERT_TRUE(p.stopped_early) << scheme;
    EXPECT_EQ(p.precision_steps, 0) << scheme;
    EXPECT_EQ(p.selection_loss, p.selection_loss_before_growth) << scheme;
    const double estimate = p.selection_loss;
    ASSERT_GT(estimate, 0) << scheme;
    const uint64_t theta = FirstRoundSets(p) << (p.rounds - 1);
    const uint64_t r1 = p.rr_sets_r1;
    for (double target : {2 * estimate, estimate, estimate / 2, estimate / 8, 1e-12}) {
      for (double growth : {1.0, 3.0, 16.0}) {
        InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
        o.max_selection_loss = target;
        o.precision_max_growth = growth;
        o.precision_far_growth = 1;  // the far cap has its own test below
        OpimC opim(model, o);
        ASSERT_TRUE(opim.run().ok());
        const auto& r = opim.record();
        const std::string what = fmt::format("{} target {} growth {}", scheme, target, growth);
        EXPECT_EQ(r.rounds, p.rounds) << what;  // the round passed already: R1 grows inside it
        EXPECT_EQ(r.rr_sets - r.rr_sets_r1, theta) << what;  // R2: OPIM-C's schedule
        EXPECT_EQ(r.selection_loss_before_growth, estimate) << what;
        const uint64_t cap = std::min(static_cast<uint64_t>(growth * static_cast<double>(r1)) / 256 * 256,
                                      (static_cast<uint64_t>(std::ceil(r.theta_max)) - 1) / 256 * 256);
        if (target >= estimate || cap <= r1) {
          // At or below the target, or no room to grow: the plain run, same sets and seeds.
          ExpectPlainRun(opim, plain, what);
          continue;
        }
        // Above the target: R1 grew in whole blocks, within the cap, and stopped because the estimate reached the
        // target or R1 the cap.
        EXPECT_GE(r.precision_steps, 1) << what;
        EXPECT_GT(r.rr_sets_r1, r1) << what;
        EXPECT_LE(r.rr_sets_r1, cap) << what;
        EXPECT_EQ(r.rr_sets_r1 % 256, 0u) << what;
        if (r.rr_sets_r1 < cap) {
          EXPECT_LE(r.selection_loss, target) << what;
        }
        if (target == 1e-12) {
          EXPECT_EQ(r.rr_sets_r1, cap) << what;
        }
        // The returned seeds carry the guarantee: their own bounds against R2 reach the target.
        ExpectCertified(r, g.num_nodes(), eps, what);
      }
    }
  }
}

TEST(OpimCTest, TheFarCapGrowsR1OnlyWhereTheEstimateStaysAboveTwiceTheTargetAtTheFirstCap) {
  // precision_far_growth F: once R1 holds precision_max_growth times the round's R1, an estimate still above
  // OpimC::kFarLoss times the target, and fallen at least in proportion to R1's growth, lets R1 grow on toward the
  // target, to at most F times the round's R1. Each target runs twice, without the far cap (F = 1) and with it
  // (F = 8): where the first run stopped below its cap, or at it with an estimate of at most twice the target or
  // one that fell less than R1 grew, the second is the same run; otherwise it grew further, within the far cap,
  // and stopped at the target or the far cap, its seeds certified.
  Graph g = RandomGraph();
  EXPECT_EQ(InfluenceMaximizerOptions{}.precision_far_growth, 8);
  int far_runs = 0;
  for (const char* scheme : {"wc", "uniform:0.05"}) {
    DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, scheme));
    const uint32_t k = 10;
    const double eps = 0.1;
    OpimC plain(model, PlainOptions(k, eps, 2, 11));
    ASSERT_TRUE(plain.run().ok());
    const double estimate = plain.record().selection_loss;
    ASSERT_GT(estimate, 0) << scheme;
    const uint64_t r1 = plain.record().rr_sets_r1;
    for (double target : {estimate / 2, estimate / 3, estimate / 5, estimate / 8, estimate / 32, 1e-12}) {
      auto run = [&](double far) {
        InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
        o.max_selection_loss = target;
        o.precision_max_growth = 2;
        o.precision_far_growth = far;
        auto opim = std::make_unique<OpimC>(model, o);
        EXPECT_TRUE(opim->run().ok());
        return opim;
      };
      const std::string what = fmt::format("{} target {}", scheme, target);
      auto first = run(1), far = run(8);
      const auto& a = first->record();
      const auto& b = far->record();
      const double theta_cap =
          static_cast<double>((static_cast<uint64_t>(std::ceil(b.theta_max)) - 1) / 256 * 256);
      const uint64_t cap = std::min<uint64_t>(2 * r1, static_cast<uint64_t>(theta_cap));
      const uint64_t far_cap = std::min<uint64_t>(8 * r1, static_cast<uint64_t>(theta_cap));
      ASSERT_LE(a.rr_sets_r1, cap) << what;
      // (The far cap also asks that the estimate fell at least in proportion to R1 from the round's.)
      const bool fell = a.selection_loss * static_cast<double>(a.rr_sets_r1) <= estimate * static_cast<double>(r1);
      if (a.rr_sets_r1 < cap || a.selection_loss <= OpimC::kFarLoss * target || !fell || far_cap <= a.rr_sets_r1) {
        EXPECT_EQ(b.rr_sets, a.rr_sets) << what;
        EXPECT_EQ(b.approximation, a.approximation) << what;
        EXPECT_EQ(b.selection_loss, a.selection_loss) << what;
        ASSERT_EQ(far->seeds().size(), first->seeds().size()) << what;
        for (size_t i = 0; i < far->seeds().size(); ++i) {
          EXPECT_EQ(far->seeds()[i].node, first->seeds()[i].node) << what;
        }
        continue;
      }
      ++far_runs;
      EXPECT_EQ(b.rr_sets - b.rr_sets_r1, a.rr_sets - a.rr_sets_r1) << what;  // R2: the same schedule
      EXPECT_GT(b.rr_sets_r1, a.rr_sets_r1) << what;
      EXPECT_LE(b.rr_sets_r1, far_cap) << what;
      EXPECT_EQ(b.rr_sets_r1 % 256, 0u) << what;
      EXPECT_GT(b.precision_steps, a.precision_steps) << what;
      if (b.rr_sets_r1 < far_cap) {
        EXPECT_LE(b.selection_loss, target) << what;
      }
      ExpectCertified(b, g.num_nodes(), eps, what);
    }
  }
  // The far cap was exercised (on the uniform sample, whose estimate falls with R1; 1e-12 leaves it far above).
  EXPECT_GE(far_runs, 1);
}

TEST(OpimCTest, TheSelectionLossIsOnByDefaultAndNotWithABudget) {
  // The documented defaults; a budget leaves the rule out (its greedy ranks by gain per cost), so the run is
  // OPIM-C's schedule with or without it.
  EXPECT_EQ(InfluenceMaximizerOptions{}.max_selection_loss, 0.005);
  EXPECT_EQ(InfluenceMaximizerOptions{}.precision_max_growth, 2);
  Graph g = RandomGraph();
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  InfluenceMaximizerOptions on = Options(0, 0.1, 2, 11), off = PlainOptions(0, 0.1, 2, 11);
  on.budget = off.budget = 5;
  on.cost = off.cost = std::vector<double>(g.num_nodes(), 1.0);
  on.max_selection_loss = 1e-12;
  OpimC with(model, on), without(model, off);
  ASSERT_TRUE(with.run().ok());
  ASSERT_TRUE(without.run().ok());
  EXPECT_EQ(with.record().precision_steps, 0);
  EXPECT_EQ(with.record().selection_loss, 0);
  EXPECT_EQ(with.record().rr_sets, without.record().rr_sets);
}

// SampleRrSet<Tag> with stops, for model: from the same stream state, the walk appends nothing (and says so)
// exactly when the set sampled whole holds a fixed seed, and otherwise appends that very set; the bitmap is clean
// after either.
template <typename Tag>
void ExpectWalksStopExactlyAtFixedSeeds(const Graph& g, const DiffusionModel& model, const char* scheme) {
  detail::Scratch scratch(g.num_nodes(), false);
  std::vector<uint64_t> stops((g.num_nodes() + 63) / 64, 0);
  const std::vector<NodeId> fixed = {3, 17, 40};
  for (NodeId v : fixed) stops[v >> 6] |= uint64_t{1} << (v & 63);
  Rng rng(23, 0);
  int stopped = 0, whole = 0;
  for (int i = 0; i < 4000; ++i) {
    const NodeId root = rng.Below(g.num_nodes());
    Rng again = rng;
    std::vector<NodeId> full, cut;
    detail::SampleRrSet<Tag>(model, root, rng, scratch, full);
    const bool appended = detail::SampleRrSet<Tag>(model, root, again, scratch, cut, stops.data());
    const bool holds = std::any_of(full.begin(), full.end(), [&](NodeId v) {
      return std::find(fixed.begin(), fixed.end(), v) != fixed.end();
    });
    ASSERT_EQ(appended, !holds) << scheme << " set " << i;
    if (appended) {
      ASSERT_EQ(cut, full) << scheme << " set " << i;
      rng = again;  // (the same draws: either stream state goes on)
      ++whole;
    } else {
      ASSERT_TRUE(cut.empty()) << scheme << " set " << i;
      ++stopped;
    }
    ASSERT_TRUE(std::all_of(scratch.in_set.begin(), scratch.in_set.end(), [](uint64_t w) { return w == 0; }));
  }
  EXPECT_GT(stopped, 0) << scheme;
  EXPECT_GT(whole, 0) << scheme;
}

TEST(FixedPrefixTest, AWalkStopsAtAFixedSeedExactlyWhenTheWholeSetHoldsOne) {
  Graph g = RandomGraph();
  for (const char* scheme : {"wc", "uniform:0.2"}) {
    ExpectWalksStopExactlyAtFixedSeeds<IcTag>(g, DiffusionModel::IndependentCascade(Probs(g, scheme)), scheme);
  }
  // LT: one walk back, one in-arc a step (wc weights sum to 1 at every node: every walk that can go on does).
  ExpectWalksStopExactlyAtFixedSeeds<LtTag>(g, DiffusionModel::LinearThreshold(Probs(g, "wc")), "lt wc");
}

// The greedy's seeds replayed from scratch on r's first `sets` sets: each seed has the largest marginal coverage
// when picked (every other node's recounted over the sets not yet covered), and the bound on the optimum is the
// smallest, over the picks, of the coverage so far plus the k largest marginal coverages of the nodes not chosen
// (also after the last pick), capped at the greedy's coverage / (1 - 1/e).
// The first `sets` sets of r, singletons (rr_collection.h) after the stored ones; an emptied singleton is empty.
std::vector<std::vector<NodeId>> SetsOf(const detail::RrCollection& r, uint64_t sets) {
  std::vector<std::vector<NodeId>> out;
  for (uint64_t s = 0; s < r.stored(sets); ++s) {
    out.emplace_back(r.nodes.begin() + static_cast<ptrdiff_t>(r.begin(s)),
                     r.nodes.begin() + static_cast<ptrdiff_t>(r.ends[s]));
  }
  for (uint64_t i = 0; i < r.singletons(sets); ++i) {
    out.push_back(r.singles[i] == detail::kEmptiedSingleton ? std::vector<NodeId>{} : std::vector<NodeId>{r.singles[i]});
  }
  return out;
}

void ExpectTheGreedysPicksAndBound(const detail::RrCollection& r, uint64_t sets,
                                   const detail::RunVector<uint8_t>& choosable, uint32_t k, const detail::Cover& c) {
  const auto n = static_cast<NodeId>(choosable.size());
  const std::vector<std::vector<NodeId>> all = SetsOf(r, sets);
  ASSERT_EQ(all.size(), sets);
  std::vector<uint8_t> covered(sets, 0), chosen(n, 0);
  uint64_t so_far = 0;
  double bound = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i <= c.seeds.size(); ++i) {
    std::vector<uint64_t> gain(n, 0);
    for (uint64_t s = 0; s < sets; ++s) {
      if (covered[s]) continue;
      for (NodeId u : all[s]) gain[u] += choosable[u] && !chosen[u];
    }
    std::vector<uint64_t> sorted = gain;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    uint64_t top = 0;
    for (uint32_t j = 0; j < k; ++j) top += sorted[j];
    bound = std::min(bound, static_cast<double>(so_far + top));
    if (i == c.seeds.size() || sorted[0] == 0) break;
    const NodeId v = c.seeds[i];
    ASSERT_EQ(gain[v], sorted[0]) << "pick " << i;
    ASSERT_EQ(c.gains[i], gain[v]) << "pick " << i;
    so_far += gain[v];
    chosen[v] = 1;
    for (uint64_t s = 0; s < sets; ++s) {
      covered[s] = covered[s] || std::find(all[s].begin(), all[s].end(), v) != all[s].end();
    }
  }
  EXPECT_EQ(c.covered, so_far);
  EXPECT_DOUBLE_EQ(c.optimum_upper, std::min(bound, static_cast<double>(so_far) / (1 - std::exp(-1.0))));
}

TEST(GreedyCoverTest, AnIndexExtendedAcrossCallsChoosesAsOneBuiltAfresh) {
  // One GreedyCover indexes a growing collection step by step (extending its index), another indexes each step
  // afresh: same seeds, gains and bounds, and both are the greedy with its bound recounted from scratch. Then the
  // collection is cut back (KeepFirst) and grown with other sets: the index must notice and start afresh. On two
  // threads with steps large enough for two parts (Index files one part per 2n new entries). About a third of
  // these sets (wc) are singletons (rr_collection.h); prefixes are whole streams' blocks or the whole.
  Graph g = RandomGraph();
  const NodeId n = g.num_nodes();
  IcWcSample sample(g, 8);
  std::pmr::memory_resource* memory = sample.memory;
  detail::RrCollection& r = sample.r;
  auto grow = [&](uint64_t to) { sample.Grow(to); };
  detail::RunVector<uint8_t> choosable(n, 1, memory);
  for (NodeId v = 0; v < n; v += 7) choosable[v] = 0;  // some who may not be chosen
  detail::GreedyCover extended(n, choosable, memory);
  tbb::task_arena arena(2);
  arena.execute([&] {
    for (const uint32_t k : {uint32_t{5}, uint32_t{40}}) {
      for (const uint64_t sets : {uint64_t{256}, uint64_t{2000}, uint64_t{2000}, uint64_t{2100}, uint64_t{6000},
                                  uint64_t{1024}, uint64_t{6000}}) {
        grow(sets);
        detail::GreedyCover fresh(n, choosable, memory);
        fresh.Index(r, sets);
        extended.Index(r, sets);
        const detail::Cover a = extended.ByCardinality(k), b = fresh.ByCardinality(k);
        EXPECT_EQ(a.seeds, b.seeds) << k << " " << sets;
        EXPECT_EQ(a.gains, b.gains) << k << " " << sets;
        EXPECT_EQ(a.optimum_upper, b.optimum_upper) << k << " " << sets;
        EXPECT_EQ(extended.GainCounts(1, 50), fresh.GainCounts(1, 50)) << k << " " << sets;
        ExpectTheGreedysPicksAndBound(r, sets, choosable, k, a);
      }
      ASSERT_GT(r.singles.size(), r.size() / 10) << "singletons exercised";
      r.KeepFirst(1024);
      EXPECT_EQ(r.size(), 1024u);
      EXPECT_EQ(r.ends.size() + r.singles.size(), 1024u);
      sample.rng = Rng(9 + k, 0);  // other sets under the same numbers
    }
  });
}

TEST(GreedyCoverTest, NumberingOnlyThePeoplePresentChoosesAsNumberingEveryNode) {
  // A sparse graph of 20,000 people whose samples hold a few thousand of them: an index that numbers only the
  // people present (extended step by step, people joining it at every step) and one that numbers every node (built
  // afresh at each step) agree on the greedy's seeds, gains and bound, on the coverage counts, on a fixed prefix
  // that holds someone the sample does not, and on the greedy by budget; and the compact one is the greedy
  // recounted from scratch. Then the collection is cut back and regrown, and emptied in place for fixed seeds:
  // the compact index must start afresh. On two threads, with steps large enough for two parts.
  Graph g = RandomGraph(20000, 40000, 7);
  const NodeId n = g.num_nodes();
  IcWcSample sample(g, 11);
  detail::RrCollection& r = sample.r;
  std::pmr::memory_resource* memory = sample.memory;
  detail::RunVector<uint8_t> choosable(n, 1, memory);
  for (NodeId v = 0; v < n; v += 5) choosable[v] = 0;
  std::vector<double> cost(n);
  for (NodeId v = 0; v < n; ++v) cost[v] = 1.0 + static_cast<double>((v * 37) % 11);
  using Numbering = detail::GreedyCover::Numbering;
  detail::GreedyCover compact(n, choosable, memory, Numbering::kCompact);
  auto compare = [&](uint64_t sets, uint32_t k, const std::string& what) {
    detail::GreedyCover per_node(n, choosable, memory, Numbering::kPerNode);
    per_node.Index(r, sets);
    compact.Index(r, sets);
    const detail::Cover a = compact.ByCardinality(k), b = per_node.ByCardinality(k);
    EXPECT_EQ(a.seeds, b.seeds) << what;
    EXPECT_EQ(a.gains, b.gains) << what;
    EXPECT_EQ(a.optimum_upper, b.optimum_upper) << what;
    EXPECT_EQ(compact.GainCounts(1, 30), per_node.GainCounts(1, 30)) << what;
    ExpectTheGreedysPicksAndBound(r, sets, choosable, k, a);
    // A fixed prefix: the greedy's second seed, then someone no indexed set holds (and who may be chosen).
    std::vector<uint8_t> held(n, 0);
    for (const std::vector<NodeId>& s : SetsOf(r, sets)) {
      for (NodeId v : s) held[v] = 1;
    }
    NodeId absent = 1;
    while (held[absent] || !choosable[absent]) ++absent;
    const std::vector<NodeId> fixed = {a.seeds.at(1), absent};
    compact.Index(r, sets);
    per_node.Index(r, sets);
    const detail::Cover fa = compact.ByCardinality(k, fixed), fb = per_node.ByCardinality(k, fixed);
    EXPECT_EQ(fa.seeds, fb.seeds) << what;
    EXPECT_EQ(fa.gains, fb.gains) << what;
    EXPECT_EQ(fa.seeds.at(1), absent) << what;
    EXPECT_EQ(fa.gains.at(1), 0u) << what;
    compact.Index(r, sets);
    per_node.Index(r, sets);
    const detail::Cover ba = compact.ByBudget(cost, 40), bb = per_node.ByBudget(cost, 40);
    EXPECT_EQ(ba.seeds, bb.seeds) << what;
    EXPECT_EQ(ba.gains, bb.gains) << what;
    EXPECT_EQ(ba.optimum_upper, bb.optimum_upper) << what;
  };
  tbb::task_arena arena(2);
  arena.execute([&] {
    for (const uint64_t sets : {uint64_t{256}, uint64_t{1024}, uint64_t{1024}, uint64_t{4096}, uint64_t{30000},
                                uint64_t{30720}, uint64_t{70000}}) {
      sample.Grow(sets);
      if (sets == 1024) {
        std::vector<uint8_t> held(n, 0);
        for (const std::vector<NodeId>& s : SetsOf(r, sets)) {
          for (NodeId v : s) held[v] = 1;
        }
        ASSERT_LT(std::count(held.begin(), held.end(), 1), n / 2) << "a sample that holds few of the people";
      }
      compare(sets, 20, fmt::format("grown to {}", sets));
    }
    ASSERT_GT(r.singles.size(), r.size() / 10) << "singletons exercised";
    r.KeepFirst(1024);
    sample.rng = Rng(12, 0);  // other sets under the same numbers
    sample.Grow(5000);
    compare(5000, 10, "cut back and regrown");
    detail::SeedRanks ranks(n, memory);
    const std::vector<NodeId> prefix = {r.nodes[0], r.singles[0]};
    detail::DropSettledSets(r, ranks, prefix);
    compare(5000, 10, "emptied for fixed seeds");
    // An empty list of who may be chosen means everyone may (opim_c.cc leaves it empty then).
    const detail::RunVector<uint8_t> everyone(memory), ones(n, 1, memory);
    for (const Numbering numbering : {Numbering::kCompact, Numbering::kPerNode}) {
      detail::GreedyCover a(n, everyone, memory, numbering), b(n, ones, memory, numbering);
      a.Index(r, r.size());
      b.Index(r, r.size());
      const detail::Cover ca = a.ByCardinality(10), cb = b.ByCardinality(10);
      EXPECT_EQ(ca.seeds, cb.seeds);
      EXPECT_EQ(ca.gains, cb.gains);
      EXPECT_EQ(ca.optimum_upper, cb.optimum_upper);
    }
  });
}

TEST(RrCollectionTest, TheSamplerKeepsSingletonsAsRootsInStreamOrderWhateverTheThreads) {
  // IC uniform 0.1 (most sets hold only their root), IC wc and LT wc (an LT walk that stops at once is a
  // singleton too): the sampler splits every block into singletons' roots and the other sets (none of one node),
  // counts both in size(), and gives the same collection on one thread and on two; a prefix of whole blocks is a
  // prefix of each kind.
  Graph g = RandomGraph();
  const NodeId n = g.num_nodes();
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  const RunControl control;
  for (const DiffusionModel& model :
       {DiffusionModel::IndependentCascade(Probs(g, "uniform:0.1")), DiffusionModel::IndependentCascade(Probs(g, "wc")),
        DiffusionModel::LinearThreshold(Probs(g, "wc"))}) {
    auto sample = [&](int threads, detail::RrCollection& r) {
      tbb::task_arena arena(threads);
      arena.execute([&] {
        detail::RrSampler sampler(model, 3, control, memory, threads);
        uint64_t reported = 0;
        ASSERT_TRUE(sampler.Grow(r, 1024, 0, reported, 3072).ok());
        ASSERT_TRUE(sampler.Grow(r, 3072, 0, reported, 3072).ok());
      });
    };
    detail::RrCollection one(memory), two(memory);
    sample(1, one);
    sample(2, two);
    EXPECT_EQ(one.size(), 3072u);
    EXPECT_EQ(one.ends.size() + one.singles.size(), 3072u);
    EXPECT_GT(one.singles.size(), 0u);
    EXPECT_GT(one.ends.size(), 0u);
    for (uint64_t s = 0; s < one.ends.size(); ++s) EXPECT_NE(one.ends[s] - one.begin(s), 1u) << s;
    EXPECT_TRUE(std::all_of(one.singles.begin(), one.singles.end(), [&](NodeId v) { return v < n; }));
    EXPECT_EQ(one.nodes, two.nodes);
    EXPECT_EQ(one.ends, two.ends);
    EXPECT_EQ(one.singles, two.singles);
    // The first 1024 sets are what a collection grown to 1024 holds.
    detail::RrCollection part(memory);
    tbb::task_arena arena(2);
    arena.execute([&] {
      detail::RrSampler sampler(model, 3, control, memory, 2);
      uint64_t reported = 0;
      ASSERT_TRUE(sampler.Grow(part, 1024, 0, reported, 1024).ok());
    });
    ASSERT_EQ(one.stored(1024), part.ends.size());
    EXPECT_EQ(one.singletons(1024), part.singles.size());
    EXPECT_TRUE(std::equal(part.ends.begin(), part.ends.end(), one.ends.begin()));
    EXPECT_TRUE(std::equal(part.singles.begin(), part.singles.end(), one.singles.begin()));
  }
}

TEST(RrCollectionTest, SamplingAheadChangesNoSet) {
  // The held workers sample R1's next blocks while the caller does other work (rr_sampler.h SampleAhead); the
  // collections must be those sampled without it, whether the next Grow wants fewer blocks than were sampled
  // ahead (the rest kept for the Grow after), more, another collection first, or comes after new stops (then the
  // blocks sampled ahead are dropped), or under stops. The stops of R1 leave R2's sets whole.
  Graph g = RandomGraph();
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  const RunControl control;
  const std::vector<NodeId> fixed = {0, 5};
  for (const DiffusionModel& model :
       {DiffusionModel::IndependentCascade(Probs(g, "wc")), DiffusionModel::LinearThreshold(Probs(g, "wc"))}) {
    const bool ic = model.kind() == DiffusionModelKind::kIndependentCascade;
    // Grows r1 to 1024, 2048, 8192 (and r2 to 512 between), with stops from 8192 on for IC, then to 9216 and
    // (r2 to 1024 between) 10240.
    auto sample = [&](bool ahead, detail::RrCollection& r1, detail::RrCollection& r2) {
      tbb::task_arena arena(2);
      arena.execute([&] {
        detail::RunWorkersHold hold(2);
        detail::RrSampler sampler(model, 3, control, memory, 2);
        uint64_t reported = 0;
        auto busy = [] {  // the caller's other work, while the workers sample
          const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
          while (std::chrono::steady_clock::now() < until) {
          }
        };
        ASSERT_TRUE(sampler.Grow(r1, 1024, 0, reported, 0).ok());
        if (ahead) sampler.SampleAhead(r1, 0);
        busy();
        ASSERT_TRUE(sampler.Grow(r1, 2048, 0, reported, 0).ok());  // fewer than a wave
        if (ahead) sampler.SampleAhead(r1, 0);
        ASSERT_TRUE(sampler.Grow(r2, 512, uint64_t{1} << 40, reported, 0).ok());  // another collection first
        busy();
        ASSERT_TRUE(sampler.Grow(r1, 8192, 0, reported, 0).ok());  // more than a wave
        if (ahead) sampler.SampleAhead(r1, 0);
        busy();
        if (ic) sampler.SetStops(r1, fixed);  // the blocks sampled ahead (whole sets) are no longer wanted
        ASSERT_TRUE(sampler.Grow(r1, 9216, 0, reported, 0).ok());
        if (ahead) sampler.SampleAhead(r1, 0);  // under the stops
        busy();
        ASSERT_TRUE(sampler.Grow(r1, 10240, 0, reported, 0).ok());
        ASSERT_TRUE(sampler.Grow(r2, 1024, uint64_t{1} << 40, reported, 0).ok());  // whole, with r1's stops set
        if (ahead) sampler.SampleAhead(r1, 0);  // dropped at the end
      });
    };
    detail::RrCollection plain1(memory), plain2(memory), ahead1(memory), ahead2(memory);
    sample(false, plain1, plain2);
    sample(true, ahead1, ahead2);
    ASSERT_EQ(ahead1.size(), 10240u);
    ASSERT_EQ(ahead2.size(), 1024u);
    if (ic) {  // some of r1's walks stopped (stored empty): the stops were read
      uint64_t begin = 0, empty = 0;
      for (uint64_t end : plain1.ends) {
        empty += end == begin;
        begin = end;
      }
      EXPECT_GT(empty, 0u);
    }
    detail::RrCollection whole(memory);
    {
      tbb::task_arena arena(2);
      arena.execute([&] {
        detail::RrSampler sampler(model, 3, control, memory, 2);
        uint64_t reported = 0;
        ASSERT_TRUE(sampler.Grow(whole, 1024, uint64_t{1} << 40, reported, 0).ok());
      });
    }
    EXPECT_EQ(plain2.nodes, whole.nodes);
    EXPECT_EQ(plain2.ends, whole.ends);
    EXPECT_EQ(plain2.singles, whole.singles);
    EXPECT_EQ(plain1.nodes, ahead1.nodes);
    EXPECT_EQ(plain1.ends, ahead1.ends);
    EXPECT_EQ(plain1.singles, ahead1.singles);
    EXPECT_EQ(plain2.nodes, ahead2.nodes);
    EXPECT_EQ(plain2.ends, ahead2.ends);
  }
}

TEST(RrCollectionTest, MarginalCoverageCountsSingletonsByTheirRoot) {
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  detail::RrCollection r(memory);
  for (const std::vector<NodeId>& set :
       std::vector<std::vector<NodeId>>{{0, 1}, {2}, {2}, {1}, {3, 4}, {4}, {1, 2}}) {
    r.Add(set);
  }
  detail::SeedRanks ranks(5, memory);
  // Seeds 2 then 1: {2}, {2}, {1, 2} go to 2; {0, 1}, {1} to 1; {3, 4}, {4} to nobody.
  EXPECT_EQ(detail::MarginalCoverage(r, ranks, {2, 1}), (std::vector<uint64_t>{3, 2}));
  for (NodeId v = 0; v < 5; ++v) EXPECT_FALSE(ranks.Has(v)) << v;
  // Seed 4 alone next (nobody left marked from the call before): {3, 4}, {4}.
  EXPECT_EQ(detail::MarginalCoverage(r, ranks, {4}), (std::vector<uint64_t>{2}));
}

TEST(SeedRanksTest, EachSeedHasItsFirstPlaceAndEveryoneElseNone) {
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  const NodeId n = 100000;
  detail::SeedRanks ranks(n, memory);
  EXPECT_EQ(ranks.Of(0), detail::kNone);
  // Ids that share their low bits and their bitmap word (probes past a taken slot), one listed twice, the last id.
  std::vector<NodeId> seeds;
  for (NodeId i = 0; i < 40; ++i) seeds.push_back(i * 2048 + (i % 3));
  seeds.push_back(2048 + 1);  // again: keeps place 1
  seeds.push_back(n - 1);
  ranks.Mark(seeds);
  for (size_t i = 0; i < 40; ++i) EXPECT_EQ(ranks.Of(seeds[i]), i) << seeds[i];
  EXPECT_EQ(ranks.Of(n - 1), 41u);
  uint64_t marked = 0;
  for (NodeId v = 0; v < n; ++v) marked += ranks.Has(v);
  EXPECT_EQ(marked, 41u);
  EXPECT_EQ(ranks.Of(2), detail::kNone);  // in seed 0's word, not a seed
  // Marking again unmarks the former seeds; Clear unmarks everyone.
  ranks.Mark(std::vector<NodeId>{7, 3});
  EXPECT_EQ(ranks.Of(7), 0u);
  EXPECT_EQ(ranks.Of(3), 1u);
  EXPECT_EQ(ranks.Of(n - 1), detail::kNone);
  EXPECT_EQ(ranks.Of(2048 + 1), detail::kNone);
  ranks.Clear();
  for (NodeId v = 0; v < n; ++v) ASSERT_FALSE(ranks.Has(v)) << v;
}

// The fixed-prefix tests' sample: 20,000 IC wc RR sets of RandomGraph() (each also kept on its own, in `sampled`)
// and the full greedy's k = 10 seeds on them.
struct SampledGreedy {
  static constexpr uint32_t k = 10;
  explicit SampledGreedy(uint64_t seed)
      : model(DiffusionModel::IndependentCascade(Probs(g, "wc"))), sampled(20000), whole(memory),
        choosable(g.num_nodes(), 1, memory), greedy(g.num_nodes(), choosable, memory) {
    detail::Scratch scratch(g.num_nodes(), false);
    Rng rng(seed, 0);
    for (std::vector<NodeId>& set : sampled) {
      detail::SampleRrSet<IcTag>(model, rng.Below(g.num_nodes()), rng, scratch, set);
      whole.Add(set);
    }
    greedy.Index(whole, whole.size());
    full = greedy.ByCardinality(k);
  }
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  Graph g = RandomGraph();
  DiffusionModel model;
  std::vector<std::vector<NodeId>> sampled;
  detail::RrCollection whole;
  detail::RunVector<uint8_t> choosable;
  detail::GreedyCover greedy;
  detail::Cover full;
};

TEST(FixedPrefixTest, TheGreedyWithAFixedPrefixAgreesWithTheFullGreedy) {
  // The greedy on a sample where the sets holding a fixed seed are stored empty (as the growth samples them),
  // with the fixed prefix taken first, chooses what the full greedy chooses when the prefix is the full greedy's
  // own first seeds, and covers as many sets; the stopped sets are shared among the fixed seeds.
  SampledGreedy sample(5);
  auto& [memory, g, model, sampled, whole, choosable, greedy, full] = sample;
  const uint32_t k = SampledGreedy::k;
  ASSERT_EQ(full.seeds.size(), k);
  for (size_t m : {size_t{1}, size_t{3}, size_t{6}}) {
    const std::vector<NodeId> fixed(full.seeds.begin(), full.seeds.begin() + static_cast<ptrdiff_t>(m));
    // The first half of the sets whole (the round's R1), the rest stopped at the fixed seeds (the growth).
    detail::RrCollection cut(memory);
    uint64_t stopped = 0;
    for (uint64_t s = 0; s < sampled.size(); ++s) {
      const bool holds = std::any_of(sampled[s].begin(), sampled[s].end(), [&](NodeId v) {
        return std::find(fixed.begin(), fixed.end(), v) != fixed.end();
      });
      if (s >= sampled.size() / 2 && holds) {
        ++stopped;
        cut.Add({});
      } else {
        cut.Add(sampled[s]);
      }
    }
    ASSERT_GT(stopped, 0u) << m;
    greedy.Index(cut, cut.size());
    const detail::Cover c = greedy.ByCardinality(k, fixed);
    EXPECT_EQ(c.seeds, full.seeds) << m;
    EXPECT_EQ(c.covered, full.covered) << m;
    uint64_t prefix = 0, prefix_full = 0;
    for (size_t i = 0; i < m; ++i) {
      prefix += c.gains[i];
      prefix_full += full.gains[i];
    }
    EXPECT_EQ(prefix, prefix_full) << m;  // the stopped sets all go to the fixed seeds
    for (size_t i = m; i < k; ++i) EXPECT_EQ(c.gains[i], full.gains[i]) << m;
  }
}

TEST(FixedPrefixTest, TheRoundsSetsThatAFixedSeedHoldsAreEmptiedAndCreditedInThePrefixOrder) {
  // By hand: fixed seeds 2 then 0; a set goes to the earliest fixed seed it holds, and the others move up.
  std::pmr::memory_resource* memory = std::pmr::get_default_resource();
  // Singletons ({3}, {2}, {0}) are emptied in their place in the list when their root is fixed.
  detail::RrCollection r(memory);
  for (const std::vector<NodeId>& set :
       std::vector<std::vector<NodeId>>{{0, 1}, {2, 3}, {1, 4, 5}, {3}, {6, 0, 2}, {2}, {0}}) {
    r.Add(set);
  }
  detail::SeedRanks ranks(7, memory);
  const std::vector<NodeId> fixed = {2, 0};
  EXPECT_EQ(detail::DropSettledSets(r, ranks, fixed), (std::vector<uint64_t>{3, 2}));
  EXPECT_EQ(std::vector<NodeId>(r.nodes.begin(), r.nodes.end()), (std::vector<NodeId>{1, 4, 5}));
  EXPECT_EQ(std::vector<uint64_t>(r.ends.begin(), r.ends.end()), (std::vector<uint64_t>{0, 0, 3, 3}));
  EXPECT_EQ(std::vector<NodeId>(r.singles.begin(), r.singles.end()),
            (std::vector<NodeId>{3, detail::kEmptiedSingleton, detail::kEmptiedSingleton}));
  EXPECT_EQ(r.size(), 7u);
  EXPECT_EQ(r.entries(), 4u);
  for (NodeId v = 0; v < 7; ++v) EXPECT_FALSE(ranks.Has(v)) << v;

  // On a sample: the greedy with the prefix taken first on the emptied sets chooses and covers what the full
  // greedy does when the prefix is its own first seeds, and with the credit every seed's gain is the full one's.
  SampledGreedy sample(7);
  auto& [sample_memory, g, model, sampled, whole, choosable, greedy, full] = sample;
  const uint32_t k = SampledGreedy::k;
  ASSERT_EQ(full.seeds.size(), k);
  detail::SeedRanks sample_ranks(g.num_nodes(), memory);
  for (size_t m : {size_t{1}, size_t{3}, size_t{6}}) {
    const std::vector<NodeId> prefix(full.seeds.begin(), full.seeds.begin() + static_cast<ptrdiff_t>(m));
    detail::RrCollection cut(memory);
    cut.Assign(whole);
    const std::vector<uint64_t> first = detail::DropSettledSets(cut, sample_ranks, prefix);
    ASSERT_LT(cut.entries(), whole.entries()) << m;
    greedy.Index(cut, cut.size());
    detail::Cover c = greedy.ByCardinality(k, prefix);
    detail::CreditSettledSets(c, first);
    EXPECT_EQ(c.seeds, full.seeds) << m;
    EXPECT_EQ(c.covered, full.covered) << m;
    EXPECT_EQ(c.gains, full.gains) << m;
  }
}

TEST(FixedPrefixTest, SettledSeedsStandClearOfTheCut) {
  detail::Cover c;
  c.seeds = {5, 6, 7, 8, 9};
  c.gains = {400, 240, 160, 110, 100};
  // 400 - 100 >= 6 sqrt(500) = 134, 240 - 100 >= 6 sqrt(340) = 111, 160 - 100 < 6 sqrt(260) = 97: the first two.
  EXPECT_EQ(detail::SettledPrefix(c), (std::vector<NodeId>{5, 6}));
  c.gains = {100, 100, 100, 100, 100};
  EXPECT_TRUE(detail::SettledPrefix(c).empty());
  c.gains = {1000000, 900000, 800000, 700000, 1};  // never the last seed itself
  EXPECT_EQ(detail::SettledPrefix(c).size(), 4u);
}

TEST(OpimCTest, TheFixedPrefixCutsTheGrowthAndItsSeedsKeepTheCertificate) {
  // With the selection-loss rule growing R1, fixing the settled seeds stops the growth's sets at them: R1 holds
  // fewer entries than when grown whole, the returned seeds start with the round's settled seeds (the plain
  // run's first ones), and they are certified against R2 to the target as any returned seeds are. IC and LT.
  Graph g = RandomGraph();
  for (const char* scheme : {"wc", "uniform:0.05", "lt wc"}) {
    const bool lt = std::string(scheme) == "lt wc";
    DiffusionModel model = lt ? DiffusionModel::LinearThreshold(Probs(g, "wc"))
                              : DiffusionModel::IndependentCascade(Probs(g, scheme));
    const uint32_t k = 10;
    const double eps = 0.1;
    OpimC plain(model, PlainOptions(k, eps, 2, 11));
    ASSERT_TRUE(plain.run().ok());
    InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
    o.max_selection_loss = 1e-12;
    o.precision_max_growth = 4;
    o.fix_settled_seeds = true;
    InfluenceMaximizerOptions whole_o = o;
    whole_o.fix_settled_seeds = false;
    OpimC fixed(model, o), whole(model, whole_o);
    ASSERT_TRUE(fixed.run().ok());
    ASSERT_TRUE(whole.run().ok());
    const auto& r = fixed.record();
    const auto& w = whole.record();
    ASSERT_GE(r.precision_steps, 1) << scheme;
    EXPECT_EQ(w.fixed_seeds, 0u) << scheme;
    ASSERT_LT(r.fixed_seeds, k) << scheme;
    EXPECT_EQ(r.rr_sets_r1, w.rr_sets_r1) << scheme;  // the target 1e-12 grows both to the cap
    if (std::string(scheme) != "uniform:0.05") {
      // The wc samples have a few clear leaders (the uniform one's gains lie too close to the cut).
      ASSERT_GT(r.fixed_seeds, 0u) << scheme;
      EXPECT_LT(r.rr_set_entries, w.rr_set_entries) << scheme;
    }
    if (r.fixed_seeds == 0) {  // nothing settled: the growth is the whole one
      EXPECT_EQ(r.rr_set_entries, w.rr_set_entries) << scheme;
      EXPECT_EQ(r.approximation, w.approximation) << scheme;
      for (size_t i = 0; i < k; ++i) EXPECT_EQ(fixed.seeds()[i].node, whole.seeds()[i].node) << scheme;
    }
    // The settled seeds, fixed in whichever round they settled and taken first ever after, may differ from the
    // plain run's first ones (a near twin of a fixed seed is as good), but the seeds spread as far (99%).
    const Interval mine = SimulatedSpread(model, fixed);
    EXPECT_GE(mine.mean, 0.99 * SimulatedSpread(model, plain).mean) << scheme;
    ExpectCertified(r, g.num_nodes(), eps, scheme);
    // The certificate is the seeds' own: their spread by simulation lies within the bounds' reach.
    EXPECT_GE(mine.high, r.spread_lower) << scheme;
  }
}

TEST(OpimCTest, SeedsSettledInARoundStopTheLaterRoundsWalksAndTheBoundsHold) {
  // The fixed prefix across rounds (opim_c.h): the seeds standing clear of the cut in a round that fails the
  // check are taken first by every later greedy, and R1's later walks stop at them (stored empty). The run stores
  // fewer entries per set than plain OPIM-C; its bound on the optimum, read from the prefix on, still holds (it
  // lies above the spread of the plain run's seeds, by simulation); its seeds are certified and spread as far.
  Graph g = RandomGraph();
  for (const char* scheme : {"wc", "uniform:0.05", "lt wc"}) {
    const bool lt = std::string(scheme) == "lt wc";
    DiffusionModel model = lt ? DiffusionModel::LinearThreshold(Probs(g, "wc"))
                              : DiffusionModel::IndependentCascade(Probs(g, scheme));
    for (auto [k, eps] : {std::pair{10u, 0.1}, std::pair{5u, 0.05}}) {
      const std::string what = fmt::format("{} k {} eps {}", scheme, k, eps);
      OpimC plain(model, PlainOptions(k, eps, 2, 11));
      ASSERT_TRUE(plain.run().ok());
      InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
      o.fix_settled_seeds = true;
      OpimC fixed(model, o);
      ASSERT_TRUE(fixed.run().ok());
      const auto& r = fixed.record();
      const auto& p = plain.record();
      ASSERT_GT(p.rounds, 1) << what;  // (a round failed: the prefix had a later round to stop walks in)
      EXPECT_EQ(r.precision_steps, 0) << what;
      if (std::string(scheme) != "uniform:0.05") {
        ASSERT_GT(r.fixed_seeds, 0u) << what;
      }
      if (r.fixed_seeds > 0) {
        EXPECT_LT(static_cast<double>(r.rr_set_entries) / static_cast<double>(r.rr_sets),
                  static_cast<double>(p.rr_set_entries) / static_cast<double>(p.rr_sets))
            << what;
      }
      ExpectCertified(r, g.num_nodes(), eps, what);
      const Interval mine = SimulatedSpread(model, fixed), plains = SimulatedSpread(model, plain);
      EXPECT_GE(mine.mean, 0.99 * plains.mean) << what;
      EXPECT_GE(mine.high, r.spread_lower) << what;
      EXPECT_GE(r.optimum_upper, plains.low) << what;
    }
  }
}

TEST(OpimCTest, ARoundThatReachesThetaMaxSamplesR1WholeAgain) {
  // The last round returns its greedy's seeds unchecked, on the strength of a greedy on whole sets: a run with
  // settled seeds that reaches theta_max drops them and samples R1 again, the same sets as plain OPIM-C's.
  Graph g = RandomGraph();
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  const uint32_t k = 10;
  const double eps = 0.1;
  OpimC probe(model, PlainOptions(k, eps, 2, 11));
  ASSERT_TRUE(probe.run().ok());
  ASSERT_GT(probe.record().rounds, 1);
  // R1 at the second round reaches theta_max: the first round is checked, the second is the last.
  const uint64_t first = FirstRoundSets(probe.record());
  InfluenceMaximizerOptions o = PlainOptions(k, eps, 2, 11);
  o.r1_ratio = static_cast<uint64_t>(std::ceil(probe.record().theta_max / static_cast<double>(2 * first)));
  OpimC plain(model, o);
  ASSERT_TRUE(plain.run().ok());
  o.fix_settled_seeds = true;
  OpimC fixed(model, o);
  ASSERT_TRUE(fixed.run().ok());
  const auto& r = fixed.record();
  const auto& p = plain.record();
  ASSERT_EQ(p.rounds, 2);
  ASSERT_FALSE(p.stopped_early);
  EXPECT_EQ(r.rounds, 2);
  EXPECT_FALSE(r.stopped_early);
  EXPECT_EQ(r.fixed_seeds, 0u);
  EXPECT_EQ(r.rr_sets, p.rr_sets);
  EXPECT_EQ(r.rr_set_entries, p.rr_set_entries);
  for (size_t i = 0; i < k; ++i) EXPECT_EQ(fixed.seeds()[i].node, plain.seeds()[i].node);
}

TEST(OpimCTest, CancellationStopsTheRun) {
  Graph g = MakeGraph(kSmall);
  DiffusionModel model = DiffusionModel::IndependentCascade(Probs(g, "wc"));
  std::atomic<bool> cancel{true};
  OpimC opim(model, Options(2, 0.05), RunControl{&cancel, nullptr});
  EXPECT_EQ(opim.run().code(), StatusCode::kCancelled);
  SpreadEstimator mc(model, {0}, Runs(1000), RunControl{&cancel, nullptr});
  EXPECT_EQ(mc.run().code(), StatusCode::kCancelled);
}

TEST(RunMemoryTest, BlocksAreDistinctAlignedAndHoldTheirValuesAcrossGrowth) {
  // Small blocks are cut from 2 MiB chunks (2 MiB-aligned, so the kernel may back each with a huge page), three
  // here, then come from the heap; from 2 MiB on a block gets its own 2 MiB-aligned mapping. Growth copies the
  // values into the new block.
  detail::RunMemory memory(3 * detail::kHugePage - 1);
  std::pmr::vector<uint64_t> v(&memory);
  for (uint64_t i = 0; i < 600'000; ++i) v.push_back(i * 7);  // 4.8 MB: crosses the threshold while growing
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % detail::kHugePage, 0u);
  for (uint64_t i = 0; i < v.size(); i += 4099) ASSERT_EQ(v[i], i * 7);
  v.resize(100);
  v.shrink_to_fit();  // back to a small block in a chunk
  EXPECT_EQ(v[99], 99u * 7);
  // Many small blocks (8 MB in all: more than the chunks hold), of odd sizes and alignments: none overlaps another.
  std::vector<std::pmr::vector<uint8_t>> blocks;
  for (uint32_t i = 0; i < 400; ++i) {
    blocks.emplace_back(&memory).assign(1000 + 97 * i, static_cast<uint8_t>(i));
  }
  auto* aligned = static_cast<uint64_t*>(memory.allocate(24, 64));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % 64, 0u);
  aligned[0] = aligned[1] = aligned[2] = ~uint64_t{0};
  for (uint32_t i = 0; i < blocks.size(); ++i) {
    ASSERT_EQ(blocks[i].size(), 1000u + 97 * i);
    for (uint8_t x : blocks[i]) ASSERT_EQ(x, static_cast<uint8_t>(i));
  }
  std::pmr::vector<uint64_t> w(v, &memory);
  EXPECT_EQ(w, v);
}

}  // namespace influence_test
}  // namespace vouch::influence
