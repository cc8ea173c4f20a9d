#include "vouch/identity/identifier.h"

#include <gtest/gtest.h>

namespace vouch::identity {
namespace {

TEST(Identifier, ParsesAndFormats) {
  EXPECT_EQ(FormatIdentifier(*ParseIdentifier("email:Jane.Doe@GMail.com")), "email:janedoe@gmail.com");
  EXPECT_EQ(FormatIdentifier(*ParseIdentifier("customer: C-1 ")), "customer:C-1");
  EXPECT_EQ(FormatIdentifier(*ParseIdentifier("x:@Jane")), "x:jane");
  EXPECT_EQ(FormatIdentifier(*ParseIdentifier("mastodon:@jane@Mastodon.Social")), "mastodon:jane@mastodon.social");
  EXPECT_FALSE(ParseIdentifier("jane").ok());
  EXPECT_FALSE(ParseIdentifier(":jane").ok());
  EXPECT_FALSE(ParseIdentifier("x:@").ok());
  EXPECT_FALSE(ParseIdentifier("email:not-an-address").ok());
}

}  // namespace
}  // namespace vouch::identity
