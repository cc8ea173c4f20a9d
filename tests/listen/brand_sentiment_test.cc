// BrandSentiment: cases as data (tests/data/listen/brand_sentiment.tsv: post, brand, expected sentiment toward
// that brand), through the real detector, classifier and default cue book.
#include "vouch/listen/brand_sentiment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/mention_detector.h"

namespace vouch::listen {
namespace {

struct Case {
  int line;
  std::string text;
  std::string brand;
  std::string sentiment;
};

std::vector<Case> LoadCases() {
  std::ifstream in(vouch::test::TestDataDir() + "/listen/brand_sentiment.tsv");
  EXPECT_TRUE(in.good()) << "brand_sentiment.tsv missing";
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t a = line.find('\t');
    const size_t b = line.find('\t', a + 1);
    EXPECT_NE(b, std::string::npos) << "brand_sentiment.tsv:" << number << ": expected text<TAB>brand<TAB>sentiment";
    if (b == std::string::npos) continue;
    cases.push_back({number, line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return cases;
}

TEST(BrandSentimentTest, SentimentTowardEachBrand) {
  const std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 10u);
  std::vector<BrandConfig> brands;
  for (const Case& c : cases) {
    if (std::any_of(brands.begin(), brands.end(), [&](const BrandConfig& b) { return b.name == c.brand; })) continue;
    BrandConfig b;
    b.name = c.brand;
    b.aliases = {c.brand};
    std::string handle = "@" + c.brand;
    std::transform(handle.begin(), handle.end(), handle.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    b.handles = {handle};
    brands.push_back(std::move(b));
  }
  auto detector = MentionDetector::Create(brands);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  auto model = ClassifierModel::Load("", "", "");
  ASSERT_TRUE(model.ok()) << model.status().ToString() << " (the lexicon comes from scripts/install-deps.sh)";
  PostClassifier classifier(*model);
  std::vector<BrandSentimentResult> toward;
  for (const Case& c : cases) {
    const std::vector<Mention> mentions = detector->Detect(c.text);
    const Classification post = classifier.Classify(c.text);
    BrandSentiment::Assign(classifier, post, mentions, toward);
    ASSERT_EQ(toward.size(), mentions.size());
    const auto it = std::find_if(mentions.begin(), mentions.end(),
                                 [&](const Mention& m) { return m.brand_name == c.brand; });
    ASSERT_NE(it, mentions.end()) << "brand_sentiment.tsv:" << c.line << ": " << c.brand << " not detected";
    const BrandSentimentResult& r = toward[static_cast<size_t>(it - mentions.begin())];
    EXPECT_EQ(SentimentName(r.sentiment), c.sentiment)
        << "brand_sentiment.tsv:" << c.line << ": " << c.text << " toward " << c.brand << " (rule " << r.rule
        << ", score " << r.score << "; post " << SentimentName(post.sentiment) << ")";
  }
}

TEST(BrandSentimentTest, OneBrandGetsThePostSentiment) {
  BrandConfig b;
  b.name = "Zephyr";
  b.aliases = {"Zephyr"};
  auto detector = MentionDetector::Create({b});
  ASSERT_TRUE(detector.ok());
  auto model = ClassifierModel::Load("", "", "");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  PostClassifier classifier(*model);
  const std::string text = "Zephyr is great. Zephyr support never answers though";
  const std::vector<Mention> mentions = detector->Detect(text);
  ASSERT_EQ(mentions.size(), 2u);
  const Classification post = classifier.Classify(text);
  std::vector<BrandSentimentResult> toward;
  BrandSentiment::Assign(classifier, post, mentions, toward);
  ASSERT_EQ(toward.size(), 2u);
  for (const auto& r : toward) {
    EXPECT_EQ(r.sentiment, post.sentiment);
    EXPECT_EQ(r.score, post.sentiment_score);
  }
}

}  // namespace
}  // namespace vouch::listen
