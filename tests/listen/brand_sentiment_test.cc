// BrandSentiment: cases as data (tests/data/listen/brand_sentiment.tsv: post, brand, expected sentiment toward
// that brand), through the real detector, classifier and default cue book.
#include "vouch/listen/brand_sentiment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "support/cases_file.h"
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
  std::vector<Case> cases;
  for (auto& row : vouch::test::ReadCasesFile("listen/brand_sentiment.tsv", 3)) {
    cases.push_back({row.line, std::move(row.fields[0]), std::move(row.fields[1]), std::move(row.fields[2])});
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
