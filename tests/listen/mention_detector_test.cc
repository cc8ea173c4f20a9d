#include "vouch/listen/mention_detector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vouch::listen {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace mention_detector_test {

std::vector<BrandConfig> Brands() {
  BrandConfig apple;
  apple.name = "Apple";
  apple.aliases = {"Apple Inc", "Apple Computer"};
  apple.handles = {"@Apple", "AppleSupport"};  // the second without its "@"
  apple.hashtags = {"#apple"};
  apple.cashtags = {"$AAPL"};
  apple.products = {"iPhone", "MacBook Pro"};
  apple.exclusions = {"apple pie", "apple juice", "big apple"};
  apple.competitors = {"Samsung"};
  BrandConfig samsung;
  samsung.name = "Samsung";
  samsung.handles = {"@SamsungMobile"};
  samsung.products = {"Galaxy"};
  BrandConfig nestle;
  nestle.name = "Nestlé";
  return {apple, samsung, nestle};
}

class MentionDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = MentionDetector::Create(Brands());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    detector_.emplace(std::move(created).value());
  }
  // "brand:term:matched text" for each mention.
  std::vector<std::string> Find(std::string_view text) {
    std::vector<std::string> out;
    for (const Mention& m : detector_->Detect(text)) {
      out.push_back(m.brand_name + ":" + m.term + ":" + std::string(text.substr(m.begin, m.end - m.begin)));
    }
    return out;
  }
  std::optional<MentionDetector> detector_;
};

TEST_F(MentionDetectorTest, MatchesNamesCaseInsensitivelyOnWordBoundaries) {
  EXPECT_EQ(Find("I love APPLE products"), (std::vector<std::string>{"Apple:Apple:APPLE"}));
  EXPECT_TRUE(Find("pineapple and applesauce").empty());
  EXPECT_TRUE(Find("snapple").empty());
  EXPECT_EQ(Find("apple."), (std::vector<std::string>{"Apple:Apple:apple"}));
}

TEST_F(MentionDetectorTest, ExclusionsCancelOverlappingMatches) {
  EXPECT_TRUE(Find("grandma's Apple Pie is the best").empty());
  EXPECT_TRUE(Find("a glass of apple juice").empty());
  EXPECT_TRUE(Find("visiting the Big Apple").empty());
  // The exclusion only cancels what it overlaps.
  EXPECT_EQ(Find("apple pie while my Apple laptop charges"), (std::vector<std::string>{"Apple:Apple:Apple"}));
}

TEST_F(MentionDetectorTest, MultiWordAliasesWinOverTheirPrefix) {
  EXPECT_EQ(Find("Apple Inc reported earnings"), (std::vector<std::string>{"Apple:Apple Inc:Apple Inc"}));
  EXPECT_EQ(Find("my new macbook   PRO arrived"), (std::vector<std::string>{"Apple:MacBook Pro:macbook   PRO"}));
  // Half a multi-word product is no mention.
  EXPECT_TRUE(Find("a pro tip").empty());
}

TEST_F(MentionDetectorTest, HandlesHashtagsAndCashtagsMatchOnlyTheirKind) {
  EXPECT_EQ(Find("thanks @apple!"), (std::vector<std::string>{"Apple:@Apple:@apple"}));
  EXPECT_EQ(Find("@applesupport help"), (std::vector<std::string>{"Apple:AppleSupport:@applesupport"}));
  EXPECT_EQ(Find("#Apple event"), (std::vector<std::string>{"Apple:#apple:#Apple"}));
  EXPECT_EQ(Find("$aapl up 3%"), (std::vector<std::string>{"Apple:$AAPL:$aapl"}));
  // "@applesauce" is another handle; "aapl" without "$" is not the cashtag.
  EXPECT_TRUE(Find("@applesauce said so").empty());
  EXPECT_TRUE(Find("aapl").empty());
}

TEST_F(MentionDetectorTest, FindsSeveralBrandsWithSpans) {
  const std::string text = "Switched from my iPhone to a Galaxy, sorry @Apple";
  const auto mentions = detector_->Detect(text);
  ASSERT_EQ(mentions.size(), 3u);
  EXPECT_EQ(mentions[0].brand_name, "Apple");
  EXPECT_EQ(mentions[0].kind, TermKind::kProduct);
  EXPECT_EQ(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin), "iPhone");
  EXPECT_EQ(mentions[1].brand_name, "Samsung");
  EXPECT_EQ(mentions[2].kind, TermKind::kHandle);
}

TEST_F(MentionDetectorTest, UnicodeNamesMatchAcrossNormalisationForms) {
  // "Nestlé" composed (U+00E9) in the config; decomposed (e + U+0301) and full-width capitals in posts.
  EXPECT_EQ(Find("Nestle\xcc\x81 chocolate").size(), 1u);
  EXPECT_EQ(Find("NESTLÉ").size(), 1u);
  EXPECT_TRUE(Find("Nestle without the accent").empty());
}

TEST_F(MentionDetectorTest, SpansPointIntoTextWithEntities) {
  const std::string text = "&quot;Apple&quot; said";
  const auto mentions = detector_->Detect(text);
  ASSERT_EQ(mentions.size(), 1u);
  EXPECT_EQ(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin), "Apple");
}

TEST(MentionDetectorCreateTest, ATermWithNoWordIsAnErrorNamingTheBrand) {
  BrandConfig brand;
  brand.name = "Acme";
  brand.aliases = {"!!"};
  auto created = MentionDetector::Create({brand});
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("Acme"), std::string::npos);
  EXPECT_NE(created.status().message().find("aliases"), std::string::npos);
}

TEST(MentionDetectorCreateTest, ThousandsOfTermsStayExact) {
  std::vector<BrandConfig> brands;
  for (int b = 0; b < 500; ++b) {
    BrandConfig brand;
    brand.name = "brand" + std::to_string(b);
    for (int t = 0; t < 10; ++t)
      brand.products.push_back("product " + std::to_string(b) + " model " + std::to_string(t));
    brands.push_back(brand);
  }
  auto created = MentionDetector::Create(brands);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->term_count(), 500u * 11u);
  const auto mentions = created->Detect("my brand123 and a product 77 model 4, not product 77 model");
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(mentions[0].brand_name, "brand123");
  EXPECT_EQ(mentions[1].brand_name, "brand77");
  EXPECT_EQ(mentions[1].term, "product 77 model 4");
}

}  // namespace mention_detector_test
}  // namespace vouch::listen
