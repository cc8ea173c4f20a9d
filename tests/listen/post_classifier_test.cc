#include "vouch/listen/post_classifier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vouch/listen/classifier_model.h"
#include "support/cases_file.h"

namespace vouch::listen {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace post_classifier_test {

// The default lexicon comes from the npm package vader-sentiment (scripts/install-deps.sh); without it the
// classifier cannot run, and the test says so rather than pass.
std::shared_ptr<const ClassifierModel> DefaultModel() {
  auto model = ClassifierModel::Load("", "", "");
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? *model : nullptr;
}

struct Case {
  int line;
  std::string text;
  std::string act;
  std::string sentiment;
};

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  for (auto& row : vouch::test::ReadCasesFile("listen/acts.tsv", 3)) {
    cases.push_back({row.line, std::move(row.fields[0]), std::move(row.fields[1]), std::move(row.fields[2])});
  }
  return cases;
}

TEST(PostClassifierTest, ClassifiesTheCasesFile) {
  auto model = DefaultModel();
  ASSERT_NE(model, nullptr);
  const auto cases = LoadCases();
  ASSERT_GE(cases.size(), 10u);
  PostClassifier classifier(model);
  for (const Case& c : cases) {
    const Classification r = classifier.Classify(c.text, true);
    std::string why;
    for (const Reason& reason : r.reasons) why += " [" + reason.cue + " '" + reason.matched + "']";
    EXPECT_EQ(ActName(r.act), c.act) << "acts.tsv:" << c.line << ": " << c.text << "\n  cues:" << why;
    if (c.sentiment != "*") {
      EXPECT_EQ(SentimentName(r.sentiment), c.sentiment)
          << "acts.tsv:" << c.line << ": " << c.text << " (score " << r.sentiment_score << ")";
    }
    EXPECT_GE(r.act_confidence, 0.2f);
    EXPECT_LE(r.act_confidence, 1.0f);
    EXPECT_GE(r.sentiment_score, -1.0f);
    EXPECT_LE(r.sentiment_score, 1.0f);
  }
}

TEST(PostClassifierTest, NegationFlipsSentiment) {
  PostClassifier classifier(DefaultModel());
  const auto good = classifier.Classify("the service was good");
  const auto not_good = classifier.Classify("the service was not good");
  EXPECT_GT(good.sentiment_score, 0.0f);
  EXPECT_LT(not_good.sentiment_score, 0.0f);
}

TEST(PostClassifierTest, IntensifiersAndElongationStrengthen) {
  PostClassifier classifier(DefaultModel());
  const float plain = classifier.Classify("the room was nice").sentiment_score;
  EXPECT_GT(classifier.Classify("the room was very nice").sentiment_score, plain);
  EXPECT_GT(classifier.Classify("the room was niiiiice").sentiment_score, plain);
}

TEST(PostClassifierTest, ServiceFailureIsNegativeWithoutLexiconWords) {
  PostClassifier classifier(DefaultModel());
  const auto r = classifier.Classify("@Airline flight 22 delayed 3 hours, bag missing");
  EXPECT_EQ(r.sentiment, Sentiment::kNegative);
  EXPECT_EQ(r.act, Act::kComplain);
}

TEST(PostClassifierTest, ExplanationsNameTheCuesThatFired) {
  PostClassifier classifier(DefaultModel());
  const auto r = classifier.Classify("@QuickShip my parcel was lost again", true);
  bool failure = false;
  for (const Reason& reason : r.reasons)
    failure |= reason.cue == "family service_failure" && reason.matched == "lost";
  EXPECT_TRUE(failure);
  EXPECT_TRUE(classifier.Classify("@QuickShip my parcel was lost again", false).reasons.empty());
}

TEST(PostClassifierTest, EmptyAndOddPostsStillGetAnAnswer) {
  PostClassifier classifier(DefaultModel());
  for (const char* text : {"", "   ", "!!!", "http://x.example", "@a @b", "\xff\xfe"}) {
    const auto r = classifier.Classify(text);
    EXPECT_GE(r.act_confidence, 0.0f) << text;
    EXPECT_EQ(r.sentiment, Sentiment::kNeutral) << text;
  }
}

}  // namespace post_classifier_test
}  // namespace vouch::listen
