#include "vouch/trust/rating_graph.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "vouch/trust/rating_csv.h"

namespace vouch::trust {
namespace {

TEST(RatingGraphTest, BuildsBothDirectionsSortedAndMergesRepeats) {
  RatingEdges e;
  e.Add(0, 2, 0.5f, 10);
  e.Add(0, 1, -1.0f, 20);
  e.Add(2, 0, 1.0f, 5);
  e.Add(0, 2, 1.0f, 30);  // repeat of 0 -> 2: merged into the mean 0.75, time 30
  e.Add(1, 1, 1.0f, 40);  // self-rating: dropped
  auto g = RatingGraph::Build(std::move(e), 3);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->edge_count(), 3u);
  EXPECT_EQ(g->dropped_self(), 1u);
  EXPECT_EQ(g->merged_repeats(), 1u);
  ASSERT_EQ(g->OutDegree(0), 2u);
  EXPECT_EQ(g->OutRatees(0)[0], 1u);
  EXPECT_EQ(g->OutRatees(0)[1], 2u);
  auto e02 = g->FindEdge(0, 2);
  ASSERT_TRUE(e02.has_value());
  EXPECT_FLOAT_EQ(g->Value(*e02), 0.75f);
  EXPECT_EQ(g->Time(*e02), 30);
  EXPECT_FALSE(g->FindEdge(1, 0).has_value());
  ASSERT_EQ(g->InDegree(0), 1u);
  EXPECT_EQ(g->InRaters(0)[0], 2u);
  EXPECT_FLOAT_EQ(g->InValues(2)[0], 0.75f);
  EXPECT_EQ(g->InDegree(1), 1u);
}

TEST(RatingGraphTest, RejectsBadInput) {
  RatingEdges out_of_range;
  out_of_range.Add(0, 5, 0.5f);
  EXPECT_FALSE(RatingGraph::Build(std::move(out_of_range), 3).ok());
  RatingEdges bad_value;
  bad_value.Add(0, 1, 1.5f);
  auto r = RatingGraph::Build(std::move(bad_value), 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("outside [-1, 1]"), std::string::npos);
}

// The build fills rows in parallel; sorting them by (ratee, value, time) must make the graph independent of the
// thread count, repeated pairs included.
TEST(RatingGraphTest, SameGraphOnOneThreadAndMany) {
  auto make = [] {
    std::mt19937_64 rng(9);
    RatingEdges e;
    for (int i = 0; i < 200000; ++i) {
      const auto u = static_cast<NodeId>(rng() % 500), v = static_cast<NodeId>(rng() % 500);
      e.Add(u, v, static_cast<float>(static_cast<int>(rng() % 21) - 10) / 10.0f,
            static_cast<int64_t>(rng() % 1000));
    }
    return e;
  };
  auto build = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return *RatingGraph::Build(make(), 500);
  };
  const RatingGraph one = build(1), many = build(8);
  ASSERT_EQ(one.edge_count(), many.edge_count());
  EXPECT_GT(one.merged_repeats(), 0u);
  for (NodeId u = 0; u < 500; ++u) {
    ASSERT_EQ(one.OutDegree(u), many.OutDegree(u));
    for (EdgeId e = one.OutBegin(u); e < one.OutEnd(u); ++e) {
      ASSERT_EQ(one.Ratee(e), many.Ratee(e));
      ASSERT_EQ(one.Value(e), many.Value(e));
      ASSERT_EQ(one.Time(e), many.Time(e));
    }
    ASSERT_TRUE(std::equal(one.InRaters(u).begin(), one.InRaters(u).end(), many.InRaters(u).begin()));
    ASSERT_TRUE(std::equal(one.InValues(u).begin(), one.InValues(u).end(), many.InValues(u).begin()));
  }
}

TEST(RatingScaleTest, ParsesAndMaps) {
  auto s = RatingScale::Parse("-10:10");
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->ToUnit(5), 0.5);
  EXPECT_DOUBLE_EQ(s->FromUnit(-1), -10);
  auto stars = RatingScale::Parse("1:5");
  ASSERT_TRUE(stars.ok());
  EXPECT_DOUBLE_EQ(stars->ToUnit(3), 0.0);
  EXPECT_FALSE(RatingScale::Parse("5:1").ok());
  EXPECT_FALSE(RatingScale::Parse("ten").ok());
}

class RatingCsvTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("vouch_trust_" + name);
    std::ofstream(path) << text;
    paths_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& p : paths_) std::filesystem::remove(p);
  }
  std::vector<std::filesystem::path> paths_;
};

TEST_F(RatingCsvTest, DetectsHeaderAndReadsTimes) {
  auto t = ReadRatingsCsv(Write("h.csv", "rater,ratee,rating,time\nalice,bob,4,100.5\r\n\nbob,carol,-2,200\n"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->has_header);
  EXPECT_EQ(t->edges.size(), 2u);
  EXPECT_EQ(t->edges.time[0], 100);
  EXPECT_EQ(t->people.Name(t->edges.ratee[1]), "carol");
  EXPECT_DOUBLE_EQ(t->min_raw, -2);
  EXPECT_DOUBLE_EQ(t->max_raw, 4);
}

TEST_F(RatingCsvTest, NamesFileAndLineOfBadLines) {
  const std::string path = Write("bad.csv", "a,b,1\nb,c,x\n");
  auto t = ReadRatingsCsv(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find(path + ":2:"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("'x'"), std::string::npos);
  auto mixed = ReadRatingsCsv(Write("mixed.csv", "a,b,1,5\nb,c,2\n"));
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find(":2:"), std::string::npos);
}

TEST_F(RatingCsvTest, PairsHeaderOnlyWhenItNamesNobody) {
  PersonIndex known;
  known.Intern("u");
  known.Intern("v");
  auto with = ReadPairsCsv(Write("p1.csv", "rater,ratee\nu,v\n"), known);
  ASSERT_TRUE(with.ok());
  EXPECT_TRUE(with->has_header);
  EXPECT_EQ(with->rater.size(), 1u);
  auto without = ReadPairsCsv(Write("p2.csv", "u,v\nv,u,extra\n"), known);
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->has_header);
  EXPECT_EQ(without->rater.size(), 2u);
  EXPECT_FALSE(ReadPairsCsv(Write("p3.csv", "u,v\nlonely\n"), known).ok());
}

}  // namespace
}  // namespace vouch::trust
