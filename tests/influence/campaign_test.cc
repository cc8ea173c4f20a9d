#include <gtest/gtest.h>

#include "influence/test_graphs.h"
#include "vouch/influence/campaign.h"

namespace vouch::influence {
namespace {

using graph::Graph;
using test::MakeGraph;

graph::EdgeProbabilities Probs(const Graph& g, const std::string& scheme) {
  auto s = graph::WeightScheme::Parse(scheme);
  EXPECT_TRUE(s.ok());
  auto p = graph::EdgeProbabilities::Make(g, *s, {});
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

DiffusionModel Wom(const Graph& g, const std::string& scheme, std::vector<float> trust, double share) {
  WordOfMouthParameters w;
  w.share_probability = share;
  auto m = DiffusionModel::WordOfMouth(Probs(g, scheme), trust, w);
  EXPECT_TRUE(m.ok());
  return std::move(m).value();
}

CampaignEconomics Economics() {
  CampaignEconomics e;
  e.price = 5000;  // 50.00
  e.margin = 0.4;
  e.deal_discount = 0.2;
  e.deal_conversion = 0.25;
  e.incentive = 1000;
  e.commission = 0.1;
  return e;
}

CampaignOptions Runs(uint64_t runs, int threads = 0) {
  CampaignOptions o;
  o.runs = runs;
  o.threads = threads;
  return o;
}

TEST(CampaignSimulatorTest, CertainWordOfMouthIsPricedExactly) {
  // 0 -> 1 -> 2 and 0 -> 3, everyone hears and trusts fully: the advocate converts 3 people every run.
  Graph g = MakeGraph({{0, 1}, {1, 2}, {0, 3}});
  DiffusionModel m = Wom(g, "uniform:1", {}, 0.0);
  CampaignSimulator sim(m, Economics(), {{CampaignStrategy::kWordOfMouth, {0}}}, Runs(100));
  ASSERT_TRUE(sim.run().ok());
  const CampaignOutcome& o = sim.outcomes().at(0);
  EXPECT_EQ(o.seeds, 1u);
  EXPECT_DOUBLE_EQ(o.reach.mean, 4);
  EXPECT_DOUBLE_EQ(o.adoptions.mean, 3);           // the seed is not a buyer
  EXPECT_DOUBLE_EQ(o.revenue.mean, 3 * 5000);      // list price
  EXPECT_DOUBLE_EQ(o.discount_cost.mean, 0);
  EXPECT_DOUBLE_EQ(o.gross_margin.mean, 3 * 2000);
  EXPECT_DOUBLE_EQ(o.incentive_cost.mean, 1000 + 3 * 500);  // the seed's incentive and a 10% commission per sale
  EXPECT_DOUBLE_EQ(o.net.mean, 6000 - 2500);
  ASSERT_TRUE(o.roi.has_value());
  EXPECT_DOUBLE_EQ(o.roi->mean, 3500.0 / 2500.0);
  EXPECT_DOUBLE_EQ(o.roi->low, o.roi->high);  // nothing varies
}

TEST(CampaignSimulatorTest, WordOfMouthFollowsTrust) {
  // The worked example of docs/models.md: Ann (0) is heard by Ben (1, trust 0.8) and Cat (2, trust 0.1); Dan (3)
  // hears Ben with trust 0.5. Expected adopters besides Ann: 0.8 + 0.1 + 0.8 * 0.5 = 1.3.
  Graph g = MakeGraph({{0, 1}, {0, 2}, {1, 3}});
  DiffusionModel m = Wom(g, "uniform:1", {0.8f, 0.1f, 0.5f}, 0.5);
  CampaignSimulator sim(m, Economics(), {{CampaignStrategy::kWordOfMouth, {0}}}, Runs(40000));
  ASSERT_TRUE(sim.run().ok());
  const CampaignOutcome& o = sim.outcomes().at(0);
  EXPECT_LT(o.adoptions.low, 1.3);
  EXPECT_GT(o.adoptions.high, 1.3);
  EXPECT_NEAR(o.reach.mean, 3.9, 0.03);  // Dan hears if Ben adopted or shared: 0.8 + 0.2 * 0.5
  EXPECT_NEAR(o.revenue.mean, 1.3 * 5000, 60);
}

TEST(CampaignSimulatorTest, ADealSellsAtItsConversionRateWhateverTheTrust) {
  // A star: the seed's 40 listeners all hear the deal; nobody trusts the seed, yet 25% redeem at 20% off.
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  for (uint64_t v = 1; v <= 40; ++v) arcs.push_back({0, v});
  Graph g = MakeGraph(arcs);
  DiffusionModel m = Wom(g, "uniform:1", std::vector<float>(40, 0.0f), 0.0);
  CampaignSimulator sim(m, Economics(),
                        {{CampaignStrategy::kShare, {0}}, {CampaignStrategy::kWordOfMouth, {0}}}, Runs(20000));
  ASSERT_TRUE(sim.run().ok());
  const CampaignOutcome& share = sim.outcomes().at(0);
  const CampaignOutcome& wom = sim.outcomes().at(1);
  EXPECT_EQ(share.strategy, CampaignStrategy::kShare);
  EXPECT_DOUBLE_EQ(share.reach.mean, 41);
  EXPECT_LT(share.adoptions.low, 10.0);
  EXPECT_GT(share.adoptions.high, 10.0);
  // Every deal buyer pays 40.00 and the brand gives up 10.00 of it.
  EXPECT_NEAR(share.revenue.mean / share.adoptions.mean, 4000, 1e-6);
  EXPECT_NEAR(share.discount_cost.mean / share.adoptions.mean, 1000, 1e-6);
  EXPECT_NEAR(share.gross_margin.mean, share.adoptions.mean * (2000 - 1000), 1e-6);
  EXPECT_DOUBLE_EQ(share.incentive_cost.mean, 1000);  // no commission on a deal
  // Word of mouth from an untrusted voice sells nothing.
  EXPECT_DOUBLE_EQ(wom.adoptions.mean, 0);
  EXPECT_DOUBLE_EQ(wom.revenue.mean, 0);
}

TEST(CampaignSimulatorTest, SharesPassADealOn) {
  // 0 -> 1 -> 2: with s = 1 the listener who heard passes the deal on, with s = 0 it stops at 1.
  Graph g = MakeGraph({{0, 1}, {1, 2}});
  for (double s : {0.0, 1.0}) {
    DiffusionModel m = Wom(g, "uniform:1", {}, s);
    CampaignSimulator sim(m, Economics(), {{CampaignStrategy::kShare, {0}}}, Runs(100));
    ASSERT_TRUE(sim.run().ok());
    EXPECT_DOUBLE_EQ(sim.outcomes().at(0).reach.mean, s == 0 ? 2 : 3) << "share probability " << s;
  }
}

TEST(CampaignSimulatorTest, ResultsDependOnTheSeedNotTheThreads) {
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  for (uint64_t u = 0; u < 200; ++u) arcs.push_back({u, (u * 7 + 3) % 200}), arcs.push_back({u, (u * 13 + 1) % 200});
  Graph g = MakeGraph(arcs);
  DiffusionModel m = Wom(g, "uniform:0.5", {}, 0.5);
  std::vector<CampaignPlan> plans = {{CampaignStrategy::kShare, {1, 2}}, {CampaignStrategy::kWordOfMouth, {1, 2}}};
  CampaignSimulator one(m, Economics(), plans, Runs(3000, 1));
  CampaignSimulator two(m, Economics(), plans, Runs(3000, 2));
  ASSERT_TRUE(one.run().ok());
  ASSERT_TRUE(two.run().ok());
  for (size_t i = 0; i < plans.size(); ++i) {
    EXPECT_EQ(one.outcomes()[i].adoptions.mean, two.outcomes()[i].adoptions.mean);
    EXPECT_EQ(one.outcomes()[i].net.mean, two.outcomes()[i].net.mean);
  }
}

TEST(CampaignSimulatorTest, NothingSpentMeansNoReturnOnIt) {
  Graph g = MakeGraph({{0, 1}});
  DiffusionModel m = Wom(g, "uniform:1", {}, 0.0);
  CampaignEconomics e = Economics();
  e.incentive = 0;
  e.commission = 0;
  CampaignSimulator sim(m, e, {{CampaignStrategy::kWordOfMouth, {0}}}, Runs(10));
  ASSERT_TRUE(sim.run().ok());
  EXPECT_FALSE(sim.outcomes().at(0).roi.has_value());
  EXPECT_DOUBLE_EQ(sim.outcomes().at(0).net.mean, 2000);
}

TEST(CampaignSimulatorTest, RefusesBadInput) {
  Graph g = MakeGraph({{0, 1}});
  DiffusionModel m = Wom(g, "uniform:1", {}, 0.0);
  CampaignEconomics e = Economics();
  e.margin = 1.5;
  CampaignSimulator bad_margin(m, e, {{CampaignStrategy::kWordOfMouth, {0}}}, Runs(10));
  Status s = bad_margin.run();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("margin"), std::string::npos);
  CampaignSimulator bad_seed(m, Economics(), {{CampaignStrategy::kShare, {7}}}, Runs(10));
  EXPECT_EQ(bad_seed.run().code(), StatusCode::kInvalidArgument);
  DiffusionModel ic = DiffusionModel::IndependentCascade(Probs(g, "uniform:1"));
  CampaignSimulator not_wom(ic, Economics(), {{CampaignStrategy::kShare, {0}}}, Runs(10));
  EXPECT_EQ(not_wom.run().code(), StatusCode::kInvalidArgument);
}

TEST(LargestAudiencesTest, MostListenedFirstTiesById) {
  // 2 has three listeners, 0 and 1 one each, 3 none.
  Graph g = MakeGraph({{2, 0}, {2, 1}, {2, 3}, {0, 1}, {1, 0}});
  EXPECT_EQ(LargestAudiences(g, 2), (std::vector<graph::NodeId>{2, 0}));
  EXPECT_EQ(LargestAudiences(g, 2, {2}), (std::vector<graph::NodeId>{0, 1}));
  EXPECT_EQ(LargestAudiences(g, 10).size(), 4u);
}

}  // namespace
}  // namespace vouch::influence
