#include "vouch/listen/text_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vouch::listen {
namespace {

struct Normalized {
  NormalizedPost post;
  std::vector<std::string> texts;
  std::vector<std::string> originals;  // the original bytes each token spans
};

Normalized Normalise(std::string_view text, const Vocabulary* vocabulary = nullptr) {
  Normalized n;
  TextNormalizer normalizer(vocabulary);
  normalizer.Normalize(text, n.post);
  for (const Token& t : n.post.tokens) {
    n.texts.emplace_back(n.post.Text(t));
    n.originals.emplace_back(text.substr(t.begin, t.end - t.begin));
  }
  return n;
}

TEST(TextNormalizerTest, FoldsCaseAndKeepsSpansIntoTheOriginal) {
  const auto n = Normalise("Loving my NEW iPhone");
  EXPECT_EQ(n.texts, (std::vector<std::string>{"loving", "my", "new", "iphone"}));
  EXPECT_EQ(n.originals, (std::vector<std::string>{"Loving", "my", "NEW", "iPhone"}));
  EXPECT_TRUE(n.post.tokens[2].flags & kTokenAllCaps);
  EXPECT_FALSE(n.post.tokens[3].flags & kTokenAllCaps);
}

TEST(TextNormalizerTest, AppliesNfkcAndUnicodeCaseFolding) {
  // Full-width letters, a ligature, German sharp s, Greek capitals, a typographic apostrophe.
  const auto n = Normalise("ＡＰＰＬＥ ﬁne STRASSE Straße ΟΔΥΣΣΕΥΣ don’t");
  EXPECT_EQ(n.texts, (std::vector<std::string>{"apple", "fine", "strasse", "strasse", "οδυσσευσ", "don't"}));
  EXPECT_EQ(n.originals[0], "ＡＰＰＬＥ");
  EXPECT_EQ(n.originals[5], "don’t");
}

TEST(TextNormalizerTest, DecodesHtmlEntitiesButSpansPointAtTheEntity) {
  const auto n = Normalise("fish &amp; chips &lt;3 caf&#233;");
  EXPECT_EQ(n.texts, (std::vector<std::string>{"fish", "&", "chips", "<3", "café"}));
  EXPECT_EQ(n.originals[1], "&amp;");
  EXPECT_EQ(n.originals[3], "&lt;3");
  EXPECT_EQ(n.originals[4], "caf&#233;");
  EXPECT_EQ(n.post.tokens[3].kind, TokenKind::kEmoticon);
}

TEST(TextNormalizerTest, RecognisesUrlsHandlesHashtagsCashtagsAndNumbers) {
  const auto n = Normalise("@Delta_Air see https://t.co/AbC?x=1 #NoMore $AAPL 2:30pm");
  ASSERT_EQ(n.post.tokens.size(), 6u);
  EXPECT_EQ(n.post.tokens[0].kind, TokenKind::kHandle);
  EXPECT_EQ(n.texts[0], "@delta_air");
  EXPECT_EQ(n.post.tokens[2].kind, TokenKind::kUrl);
  EXPECT_EQ(n.originals[2], "https://t.co/AbC?x=1");
  EXPECT_EQ(n.post.tokens[3].kind, TokenKind::kHashtag);
  EXPECT_EQ(n.texts[3], "#nomore");
  EXPECT_EQ(n.post.tokens[4].kind, TokenKind::kCashtag);
  EXPECT_EQ(n.texts[4], "$aapl");
  EXPECT_EQ(n.post.tokens[5].kind, TokenKind::kNumber);
}

TEST(TextNormalizerTest, EmojiAreTokensWithTheirModifiers) {
  const auto n = Normalise("great👍🏽flight 😡");
  ASSERT_EQ(n.post.tokens.size(), 4u);
  EXPECT_EQ(n.post.tokens[1].kind, TokenKind::kEmoji);
  EXPECT_EQ(n.texts[1], "👍");             // the base pictograph
  EXPECT_EQ(n.originals[1], "👍🏽");  // the span keeps the skin tone
  EXPECT_EQ(n.post.tokens[3].kind, TokenKind::kEmoji);
}

TEST(TextNormalizerTest, EmoticonsOnlyAsWholeTokens) {
  EXPECT_EQ(Normalise("nice :)").post.tokens[1].kind, TokenKind::kEmoticon);
  EXPECT_EQ(Normalise("bad :-(").post.tokens[1].kind, TokenKind::kEmoticon);
  // "time:)" glued to a word is not an emoticon start.
  for (const Token& t : Normalise("time:)").post.tokens) EXPECT_NE(t.kind, TokenKind::kEmoticon);
}

TEST(TextNormalizerTest, CollapsesElongationsAndMarksThem) {
  Vocabulary vocabulary;
  vocabulary.Add("so");
  vocabulary.Add("good");
  const auto n = Normalise("sooooo goooood", &vocabulary);
  EXPECT_TRUE(n.post.tokens[0].flags & kTokenElongated);
  EXPECT_EQ(n.post.tokens[0].id, vocabulary.Find("so"));  // "soo" falls back to "so"
  EXPECT_EQ(n.texts[1], "good");
  EXPECT_EQ(n.post.tokens[1].id, vocabulary.Find("good"));
}

TEST(TextNormalizerTest, NegationScopeEndsAtPunctuationOrContrast) {
  Vocabulary vocabulary;
  vocabulary.Add("not", kWordNegator);
  vocabulary.Add("but", kWordContrast);
  const auto n = Normalise("not very good at all, fine but don't like it", &vocabulary);
  // not [very good at] all , fine but don't [like it]
  const std::vector<bool> negated = {false, true, true, true, false, false, false, false, false, true, true};
  ASSERT_EQ(n.post.tokens.size(), negated.size());
  for (size_t i = 0; i < negated.size(); ++i) {
    EXPECT_EQ((n.post.tokens[i].flags & kTokenNegated) != 0, negated[i]) << n.texts[i];
  }
  EXPECT_TRUE(n.post.tokens[8].flags & kTokenNegator);  // "don't" by its n't
}

TEST(TextNormalizerTest, FindsRetweetAndQuoteMarkers) {
  const auto rt = Normalise("RT @news: Airline cuts fees");
  EXPECT_TRUE(rt.post.retweet);
  EXPECT_EQ(rt.post.retweet_at, 0u);
  EXPECT_EQ(rt.texts[rt.post.body_token], "airline");
  const auto comment = Normalise("so true RT @x: fees are up");
  EXPECT_TRUE(comment.post.retweet);
  EXPECT_EQ(comment.post.retweet_at, 2u);
  EXPECT_TRUE(Normalise("\"@jane: loved it\" me too").post.quote);
  EXPECT_TRUE(Normalise("new store opens via @localnews").post.quote);
  EXPECT_FALSE(Normalise("art class").post.retweet);
}

TEST(TextNormalizerTest, ShoutingPostsCarryNoPerWordCaps) {
  const auto n = Normalise("WORST AIRLINE EVER");
  EXPECT_TRUE(n.post.all_caps);
  for (const Token& t : n.post.tokens) EXPECT_FALSE(t.flags & kTokenAllCaps);
}

TEST(TextNormalizerTest, InvalidUtf8NeverBreaksTheTokeniser) {
  const std::string bad = "ok \xff\xfe bad \xc3";
  const auto n = Normalise(bad);
  EXPECT_EQ(n.texts.front(), "ok");
  for (const Token& t : n.post.tokens) EXPECT_LE(t.end, bad.size());
}

TEST(TextNormalizerTest, TermTokensMatchWhatNormalizeProduces) {
  EXPECT_EQ(TextNormalizer::TermTokens("Apple Inc."), (std::vector<std::string>{"apple", "inc", "."}));
  EXPECT_EQ(TextNormalizer::TermTokens("#AppleEvent"), (std::vector<std::string>{"#appleevent"}));
  EXPECT_TRUE(TextNormalizer::TermTokens("   ").empty());
}

}  // namespace
}  // namespace vouch::listen
