#include "vouch/listen/phrase_overrides.h"

#include <gtest/gtest.h>

#include "vouch/listen/classifier_model.h"
#include "vouch/listen/label_suggester.h"
#include "vouch/listen/post_classifier.h"

namespace vouch::listen {
namespace {

std::shared_ptr<const ClassifierModel> DefaultModel() {
  auto model = ClassifierModel::Load("", "", "");
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? *model : nullptr;
}

TEST(PhraseOverridesTest, NeutralPhraseCarriesNoSentimentOrCue) {
  auto overrides = PhraseOverrides::Create({{"War Zone", "neutral"}});
  ASSERT_TRUE(overrides.ok()) << overrides.status().ToString();
  PostClassifier classifier(DefaultModel());
  const char* text = "just played WAR  ZONE all night";
  EXPECT_EQ(classifier.Classify(text).sentiment, Sentiment::kNegative);
  const auto r = classifier.Classify(text, true, &*overrides);
  EXPECT_NE(r.sentiment, Sentiment::kNegative);
  EXPECT_GE(r.sentiment_score, 0.0f);
  for (const Reason& reason : r.reasons) EXPECT_EQ(reason.matched.find("WAR"), std::string::npos) << reason.cue;
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons[0].cue, "override");
  EXPECT_EQ(r.reasons[0].matched, "War Zone");
  // Word boundaries: "war" alone, or "zone war", is not the phrase.
  EXPECT_LT(classifier.Classify("war is terrible", false, &*overrides).sentiment_score, 0.0f);
}

TEST(PhraseOverridesTest, SentimentAndActEffects) {
  auto overrides = PhraseOverrides::Create({{"sold out", "positive"}, {"hot take", "other"}});
  ASSERT_TRUE(overrides.ok());
  PostClassifier classifier(DefaultModel());
  EXPECT_EQ(classifier.Classify("the tour is sold out", false, &*overrides).sentiment, Sentiment::kPositive);
  const auto plain = classifier.Classify("hot take: the new phone is great");
  const auto pushed = classifier.Classify("hot take: the new phone is great", false, &*overrides);
  const size_t other = static_cast<size_t>(Act::kOther);
  EXPECT_GT(pushed.act_probabilities[other], plain.act_probabilities[other]);
}

TEST(PhraseOverridesTest, BadEffectsAndEmptyPhrasesAreNamed) {
  auto bad = PhraseOverrides::Create({{"Doom", "sarcastic"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'Doom'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("'sarcastic'"), std::string::npos);
  EXPECT_FALSE(PhraseOverrides::Create({{"  !! ", "neutral"}}).ok());
}

TEST(LabelSuggesterTest, UncertainFirstAndNoNearDuplicates) {
  const std::vector<std::string_view> texts = {
      "RT @news: Zephyr launches new headphones http://news.example/z",
      "RT @news: Zephyr launches new headphones http://news.example/z",
      "@SkyHop flight delayed 3 hours and my bag is lost. Worst airline ever",
      "@SkyHop the flight was ok I guess",
      "@SkyHop hmm",
      "thinking about the SkyHop thing",
  };
  LabelSuggester suggester(DefaultModel(), texts, {.n = 4, .max_similarity = 0.5f});
  ASSERT_TRUE(suggester.run().ok());
  const auto& s = suggester.suggestions();
  ASSERT_EQ(s.size(), 4u);
  for (size_t i = 1; i < s.size(); ++i) EXPECT_GE(s[i - 1].uncertainty, s[i].uncertainty);
  size_t copies = 0;
  for (const auto& x : s) copies += x.index <= 1 ? 1 : 0;
  EXPECT_LE(copies, 1u);
  // The clear complaint is the least useful to label.
  for (const auto& x : s) EXPECT_NE(x.index, 2u) << x.why;
  for (const auto& x : s) {
    float sum = 0;
    for (float p : x.guess.act_probabilities) sum += p;
    EXPECT_NEAR(sum, 1.0f, 1e-4f);
  }
}

}  // namespace
}  // namespace vouch::listen
