// AspectMiner on small made-up posts: how a text is cut into phrases, and which phrases the log-odds statistic
// (Monroe et al. 2008) finds distinctive of endorsements, complaints and the competitor's endorsements.
#include "vouch/listen/aspect_miner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace vouch::listen {
namespace {

std::vector<BrandConfig> Brands() {
  BrandConfig acme;
  acme.name = "Acme";
  acme.aliases = {"Acme", "Acme Corp"};
  acme.handles = {"@acme"};
  acme.competitors = {"Globex"};
  BrandConfig globex;
  globex.name = "Globex";
  globex.aliases = {"Globex"};
  return {acme, globex};
}

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(AspectMinerTest, PhrasesAreRunsOfContentWordsWithoutStopWordsOrBrandNames) {
  AspectMiner miner({}, "Acme", {"Globex"}, Brands());
  const auto p = miner.Phrases("The BATTERY life of my Acme Corp grinder is amazing!! @acme https://x.co/1 #love 42");
  EXPECT_TRUE(Has(p, "battery"));
  EXPECT_TRUE(Has(p, "battery life"));
  EXPECT_TRUE(Has(p, "life"));
  EXPECT_TRUE(Has(p, "grinder"));
  EXPECT_TRUE(Has(p, "amazing"));
  EXPECT_FALSE(Has(p, "life grinder"));  // "of my Acme Corp" breaks the run
  EXPECT_FALSE(Has(p, "acme"));
  EXPECT_FALSE(Has(p, "corp"));
  EXPECT_FALSE(Has(p, "the"));
  EXPECT_FALSE(Has(p, "42"));
  EXPECT_FALSE(Has(p, "grinder amazing"));  // "is" is a stop word
  EXPECT_TRUE(std::is_sorted(p.begin(), p.end()));
}

class AspectFixture {
 public:
  void Add(const std::string& brand, Act act, const std::string& text) {
    MentionRow r;
    r.id = ++n_;
    r.post_row = n_;
    r.platform = "x";
    r.post_id = std::to_string(n_);
    r.time = n_;
    r.brand = brand;
    r.act = act;
    r.text = text;
    rows.push_back(r);
  }
  std::vector<MentionRow> rows;

 private:
  int64_t n_ = 0;
};

TEST(AspectMinerTest, FindsWhatIsPraisedWhatIsComplainedAboutAndTheSellingPoints) {
  AspectFixture f;
  const char* filler[] = {"today", "yesterday", "again", "finally", "morning", "weekend", "tonight", "lately"};
  // Forty posts a group: the prior (500 pseudo-counts) is meant for real volumes, and shrinks a handful of posts
  // to nothing.
  for (int i = 0; i < 40; ++i) {
    f.Add("Acme", Act::kEndorse, std::string("Acme battery life is incredible ") + filler[i % 8]);
    f.Add("Acme", Act::kComplain, std::string("Acme customer service ignored my refund ") + filler[i % 8]);
    f.Add("Globex", Act::kEndorse, std::string("Globex fast shipping, great price ") + filler[i % 8]);
  }
  for (int i = 0; i < 3; ++i) f.Add("Acme", Act::kEndorse, std::string("Acme fast shipping too ") + filler[i]);
  f.Add("Initech", Act::kEndorse, "battery life battery life");  // not a brand of this report
  AspectOptions o;
  o.min_count = 3;
  AspectMiner miner(f.rows, "Acme", {"Globex"}, Brands(), o);
  ASSERT_TRUE(miner.run().ok());
  const auto& r = miner.result();
  EXPECT_EQ(r.endorsements, 43);
  EXPECT_EQ(r.complaints, 40);
  EXPECT_EQ(r.competitor_endorsements, 40);

  ASSERT_FALSE(r.praise.empty());
  std::vector<std::string> praised;
  for (const auto& a : r.praise) praised.push_back(a.phrase);
  EXPECT_TRUE(std::any_of(praised.begin(), praised.end(),
                          [](const std::string& p) { return p.find("battery") != std::string::npos; }));
  for (const auto& a : r.praise) {
    EXPECT_EQ(a.phrase.find("refund"), std::string::npos) << a.phrase;
    EXPECT_GE(a.z, o.min_z);
    EXPECT_LE(a.examples.size(), 3u);
    EXPECT_FALSE(a.examples.empty());
  }
  // No two listed phrases contain one another.
  for (size_t i = 0; i < r.praise.size(); ++i) {
    for (size_t j = 0; j < r.praise.size(); ++j) {
      if (i == j) continue;
      EXPECT_EQ((" " + r.praise[i].phrase + " ").find(" " + r.praise[j].phrase + " "), std::string::npos);
    }
  }
  ASSERT_FALSE(r.complaint.empty());
  EXPECT_TRUE(r.complaint[0].phrase.find("customer") != std::string::npos ||
              r.complaint[0].phrase.find("refund") != std::string::npos ||
              r.complaint[0].phrase.find("ignored") != std::string::npos)
      << r.complaint[0].phrase;
  EXPECT_EQ(r.complaint[0].examples[0].post.substr(0, 2), "x:");
  // Against the competitor's endorsements, "fast shipping" is theirs, not a selling point of ours.
  for (const auto& a : r.selling_points) EXPECT_EQ(a.phrase.find("shipping"), std::string::npos) << a.phrase;
  ASSERT_FALSE(r.selling_points.empty());
  EXPECT_NE(r.selling_points[0].phrase.find("battery"), std::string::npos) << r.selling_points[0].phrase;
}

TEST(AspectMinerTest, TheStatisticIsMonroesZScore) {
  // One phrase in 5 of 5 endorsements and 0 of 5 complaints; every post also has a word of its own, after a stop
  // word (so each post has exactly two phrases).
  AspectFixture f;
  for (int i = 0; i < 5; ++i) {
    f.Add("Acme", Act::kEndorse, "sturdy and w" + std::string(1, static_cast<char>('a' + i)) + "x");
    f.Add("Acme", Act::kComplain, "flimsy and v" + std::string(1, static_cast<char>('a' + i)) + "x");
  }
  AspectOptions o;
  o.min_count = 1;
  o.min_z = 0;
  o.prior_strength = 10;
  AspectMiner miner(f.rows, "Acme", {}, Brands(), o);
  ASSERT_TRUE(miner.run().ok());
  const auto& praise = miner.result().praise;
  ASSERT_FALSE(praise.empty());
  EXPECT_EQ(praise[0].phrase, "sturdy");
  // Background: 20 phrase counts, "sturdy" 5 of them: a = 10 * 5 / 20 = 2.5; each group totals 10.
  const double a = 2.5, a0 = 10;
  const double delta = std::log((5 + a) / (10 + a0 - 5 - a)) - std::log((0 + a) / (10 + a0 - 0 - a));
  EXPECT_NEAR(praise[0].log_odds, delta, 1e-12);
  EXPECT_NEAR(praise[0].z, delta / std::sqrt(1 / (5 + a) + 1 / (0 + a)), 1e-12);
  EXPECT_EQ(praise[0].posts, 5);
  EXPECT_EQ(praise[0].other_posts, 0);
}

}  // namespace
}  // namespace vouch::listen
