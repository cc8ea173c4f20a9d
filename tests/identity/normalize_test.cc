#include "vouch/identity/normalize.h"

#include <gtest/gtest.h>

namespace vouch::identity {
namespace {

TEST(NormalizeHandle, StripsAtAndCase) {
  EXPECT_EQ(NormalizeHandle("x", " @JaneDoe "), "janedoe");
  EXPECT_EQ(NormalizeHandle("x", "janedoe"), "janedoe");
  EXPECT_EQ(NormalizeHandle("x", "@"), "");
}

TEST(NormalizeHandle, RedditPrefixes) {
  EXPECT_EQ(NormalizeHandle("reddit", "u/Spez"), "spez");
  EXPECT_EQ(NormalizeHandle("reddit", "/u/Spez"), "spez");
  // Only Reddit strips u/: elsewhere it is part of the name.
  EXPECT_EQ(NormalizeHandle("x", "u/spez"), "u/spez");
}

TEST(NormalizeHandle, MastodonKeepsTheInstance) {
  EXPECT_EQ(NormalizeHandle("mastodon", "@Jane@Mastodon.Social"), "jane@mastodon.social");
  EXPECT_NE(NormalizeHandle("mastodon", "@jane@a.example"), NormalizeHandle("mastodon", "@jane@b.example"));
}

TEST(NormalizeEmail, GmailDotsAndTags) {
  EXPECT_EQ(*NormalizeEmail("Jane.Doe+news@GoogleMail.com"), "janedoe@gmail.com");
  EXPECT_EQ(*NormalizeEmail(" janedoe@gmail.com "), "janedoe@gmail.com");
}

TEST(NormalizeEmail, TagsOnlyWhereTheProviderIgnoresThem) {
  EXPECT_EQ(*NormalizeEmail("jane+shop@outlook.com"), "jane@outlook.com");
  // An unknown provider may route "+" to another mailbox: keep it. Dots matter outside Gmail.
  EXPECT_EQ(*NormalizeEmail("jane+shop@example.com"), "jane+shop@example.com");
  EXPECT_EQ(*NormalizeEmail("jane.doe@example.com"), "jane.doe@example.com");
}

TEST(NormalizeEmail, RejectsWhatIsNotAnAddress) {
  for (const char* bad : {"", "jane", "@example.com", "jane@", "a@b@c.com", "jane doe@example.com", "jane@localhost"}) {
    auto r = NormalizeEmail(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(Keys, CarryKindAndScope) {
  EXPECT_EQ(HandleKey("X", "@Jane"), (IdentityKey{IdentityKind::kHandle, "x", "jane"}));
  EXPECT_EQ(*EmailKey("J@Example.com"), (IdentityKey{IdentityKind::kEmail, "", "j@example.com"}));
  EXPECT_EQ(CustomerKey(" C-1 "), (IdentityKey{IdentityKind::kCustomer, "", "C-1"}));
}

}  // namespace
}  // namespace vouch::identity
