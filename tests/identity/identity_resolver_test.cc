#include "vouch/identity/identity_resolver.h"

#include <gtest/gtest.h>

#include <array>

#include "vouch/identity/identifier.h"
#include "vouch/identity/normalize.h"
#include "vouch/identity/person_profile.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::identity {
namespace {

class IdentityResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    resolver_ = std::make_unique<IdentityResolver>(*store_);
  }
  IdentityId Resolve(const IdentityKey& key) {
    auto r = resolver_->Resolve(key, key.value);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->identity;
  }
  PersonId PersonOf(IdentityId id) { return (*store_->GetIdentity(id))->person; }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<IdentityResolver> resolver_;
};

TEST_F(IdentityResolverTest, NormalisedSpellingsAreOneIdentity) {
  IdentityId a = Resolve(HandleKey("x", "@JaneDoe"));
  IdentityId b = Resolve(HandleKey("X", " janedoe "));
  IdentityId c = Resolve(*EmailKey("Jane.Doe+shop@gmail.com"));
  IdentityId d = Resolve(*EmailKey("janedoe@googlemail.com"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(c, d);
  EXPECT_NE(a, c);
  EXPECT_EQ(resolver_->cache_misses(), 2u);  // the second of each pair came from the cache
  EXPECT_EQ(store_->Counts()->identities, 2);
}

TEST_F(IdentityResolverTest, LinkKeepsTheOldestPersonAndRecordsTheReason) {
  IdentityId handle = Resolve(HandleKey("x", "jane"));
  IdentityId email = Resolve(*EmailKey("jane@example.com"));
  IdentityId customer = Resolve(CustomerKey("C-1"));
  PersonId oldest = PersonOf(handle);
  const std::array<IdentityId, 3> all = {customer, email, handle};
  auto link = resolver_->Link(all, "people.csv:2: one contact");
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_EQ(link->person, oldest);
  EXPECT_EQ(link->merges.size(), 2u);
  EXPECT_EQ(PersonOf(email), oldest);
  EXPECT_EQ(PersonOf(customer), oldest);
  auto merges = *store_->ListMerges(oldest);
  ASSERT_EQ(merges.size(), 2u);
  EXPECT_TRUE(merges[0].automatic);
  EXPECT_EQ(merges[0].reason, "people.csv:2: one contact");
  // Linking again changes nothing.
  auto again = resolver_->Link(all, "people.csv:2: one contact");
  EXPECT_TRUE(again->merges.empty());
  EXPECT_EQ(store_->Counts()->people, 1);
}

TEST_F(IdentityResolverTest, UndoneMergesAreNotRedoneAutomaticallyButManualMergesStillWork) {
  IdentityId a = Resolve(CustomerKey("C-1"));
  IdentityId b = Resolve(*EmailKey("shared@example.com"));
  const std::array<IdentityId, 2> pair = {a, b};
  auto link = resolver_->Link(pair, "orders.csv:2");
  ASSERT_EQ(link->merges.size(), 1u);
  ASSERT_TRUE(resolver_->Undo(link->merges[0]).ok());
  EXPECT_NE(PersonOf(a), PersonOf(b));
  auto relink = resolver_->Link(pair, "orders.csv:9");
  ASSERT_TRUE(relink.ok());
  EXPECT_TRUE(relink->merges.empty());
  ASSERT_EQ(relink->kept_apart.size(), 1u);
  EXPECT_NE(PersonOf(a), PersonOf(b));
  // A fresh resolver (a later ingest) reads the undone merge from the store.
  IdentityResolver later(*store_);
  EXPECT_TRUE(later.Link(pair, "orders.csv:9")->merges.empty());
  // The user may still join them by hand.
  auto manual = resolver_->Merge(PersonOf(b), PersonOf(a), "they are one");
  ASSERT_TRUE(manual.ok());
  EXPECT_EQ(PersonOf(a), PersonOf(b));
  EXPECT_EQ(PersonOf(a), std::min(PersonOf(a), PersonOf(b)));
}

TEST_F(IdentityResolverTest, UndoChainsMustUnwindInOrder) {
  IdentityId i1 = Resolve(CustomerKey("C-1"));
  IdentityId i2 = Resolve(CustomerKey("C-2"));
  IdentityId i3 = Resolve(CustomerKey("C-3"));
  PersonId p1 = PersonOf(i1), p2 = PersonOf(i2), p3 = PersonOf(i3);
  auto m1 = *resolver_->Merge(p2, p3, "first");   // p2 absorbs p3
  auto m2 = *resolver_->Merge(p1, p2, "second");  // p1 absorbs p2 (with i3)
  EXPECT_EQ(PersonOf(i3), p1);
  // i3 has moved since m1: undo m2 first.
  Status early = resolver_->Undo(m1);
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(resolver_->Undo(m2).ok());
  EXPECT_EQ(PersonOf(i2), p2);
  EXPECT_EQ(PersonOf(i3), p2);
  ASSERT_TRUE(resolver_->Undo(m1).ok());
  EXPECT_EQ(PersonOf(i3), p3);
  EXPECT_EQ(resolver_->Undo(m1).code(), StatusCode::kFailedPrecondition);  // already undone
  EXPECT_EQ(resolver_->Undo(999).code(), StatusCode::kNotFound);
}

TEST_F(IdentityResolverTest, SplitMovesOneIdentityToANewPerson) {
  IdentityId a = Resolve(HandleKey("x", "jane"));
  IdentityId b = Resolve(*EmailKey("jane@example.com"));
  const std::array<IdentityId, 2> pair = {a, b};
  ASSERT_TRUE(resolver_->Link(pair, "people.csv:2").ok());
  auto split = resolver_->Split(b);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(PersonOf(b), *split);
  EXPECT_NE(PersonOf(a), *split);
  // An identity alone on its person cannot be split off.
  EXPECT_EQ(resolver_->Split(b).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(resolver_->Split(12345).status().code(), StatusCode::kNotFound);
}

TEST_F(IdentityResolverTest, FindPersonByIdOrIdentifier) {
  IdentityId a = Resolve(HandleKey("x", "jane"));
  PersonId p = PersonOf(a);
  EXPECT_EQ(*resolver_->FindPerson(std::to_string(p)), p);
  EXPECT_EQ(*resolver_->FindPerson("x:@Jane"), p);
  EXPECT_EQ(resolver_->FindPerson("x:nobody").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(resolver_->FindPerson("999").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(resolver_->FindPerson("jane").status().code(), StatusCode::kInvalidArgument);
  // A person emptied by a merge is not found, and the message says where to look.
  IdentityId b = Resolve(CustomerKey("C-7"));
  PersonId gone = PersonOf(b);
  ASSERT_TRUE(resolver_->Merge(p, gone, "test").ok());
  auto missing = resolver_->FindPerson(std::to_string(gone));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("merges"), std::string::npos);
}

TEST_F(IdentityResolverTest, ProfileCountsActivityThroughEveryIdentity) {
  IdentityId handle = Resolve(HandleKey("x", "jane"));
  IdentityId other = Resolve(HandleKey("x", "bob"));
  IdentityId customer = Resolve(CustomerKey("C-1"));
  Post post;
  post.platform = "x";
  post.id = "1";
  post.text = "hello";
  ASSERT_TRUE(store_->InsertPost(post, handle).ok());
  ASSERT_TRUE(store_->InsertRating(Rating{"jane", "bob", 1, 1, 0}, handle, other).ok());
  ASSERT_TRUE(store_->InsertRating(Rating{"bob", "jane", 1, 1, 0}, other, handle).ok());
  Order order;
  order.order_id = "O-1";
  order.currency = "USD";
  ASSERT_TRUE(store_->InsertOrder(order, customer).ok());
  const std::array<IdentityId, 2> pair = {handle, customer};
  ASSERT_TRUE(resolver_->Link(pair, "test").ok());
  auto profile = DescribePerson(*store_, PersonOf(handle));
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->person.identities.size(), 2u);
  EXPECT_EQ(profile->merges.size(), 1u);
  EXPECT_EQ(profile->activity.posts, 1);
  EXPECT_EQ(profile->activity.ratings_given, 1);
  EXPECT_EQ(profile->activity.ratings_received, 1);
  EXPECT_EQ(profile->activity.orders, 1);
  EXPECT_EQ(DescribePerson(*store_, 4242).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace vouch::identity
