#include "vouch/trust/trust_store.h"

#include <gtest/gtest.h>

#include <map>

#include "vouch/store/sqlite_store.h"

namespace vouch::trust {
namespace {

// A workspace store with ratings among a few people: honest ones rate each other well and rate "mallory" badly.
class TrustStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    const char* names[] = {"alice", "bob", "carol", "dave", "mallory"};
    for (const char* n : names) {
      auto ref = store_->ResolveIdentity({IdentityKind::kHandle, "generic", n}, n);
      ASSERT_TRUE(ref.ok());
      ids_[n] = ref->identity;
      people_[n] = ref->person;
    }
    Rate("alice", "bob", 0.8, 100);
    Rate("bob", "alice", 0.9, 110);
    Rate("carol", "alice", 1.0, 120);
    Rate("dave", "carol", 0.7, 130);
    Rate("alice", "carol", 0.6, 140);
    Rate("bob", "mallory", -1.0, 150);
    Rate("carol", "mallory", -0.8, 160);
    Rate("mallory", "alice", -1.0, 170);
  }
  void Rate(const std::string& a, const std::string& b, double v, int64_t t) {
    Rating r{a, b, v * 10, v, t};
    ASSERT_TRUE(store_->InsertRating(r, ids_[a], ids_[b]).ok());
  }
  FakeClock clock_{1'000'000'000};
  std::unique_ptr<SqliteStore> store_;
  std::map<std::string, IdentityId> ids_;
  std::map<std::string, PersonId> people_;
};

TEST_F(TrustStoreTest, ComputesStoresAndReadsBack) {
  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->people.size(), 5u);
  EXPECT_EQ(c->pairs.size(), 8u);
  EXPECT_EQ(c->computed_at, 1'000'000);
  auto ts = SqliteTrustStore::Open(store_->db());
  ASSERT_TRUE(ts.ok()) << ts.status().ToString();
  EXPECT_EQ(*(*ts)->ComputedAt(), 0);
  ASSERT_TRUE((*ts)->Replace(*c).ok());
  EXPECT_EQ(*(*ts)->ComputedAt(), 1'000'000);
  auto top = (*ts)->Top(5);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 5u);
  EXPECT_EQ(top->front().person, people_["alice"]);
  EXPECT_EQ(top->back().person, people_["mallory"]);
  auto mallory = (*ts)->Get(people_["mallory"]);
  ASSERT_TRUE(mallory.ok() && mallory->has_value());
  EXPECT_LT((*mallory)->reputation, 0.0);
  EXPECT_EQ((*mallory)->ratings_received, 2);
  auto distrust = (*ts)->Incoming(people_["mallory"], 10);
  ASSERT_TRUE(distrust.ok());
  ASSERT_EQ(distrust->size(), 2u);
  for (const auto& p : *distrust) EXPECT_LT(p.trust, 0.5);
  auto trusts = (*ts)->Outgoing(people_["alice"], 10);
  ASSERT_TRUE(trusts.ok());
  EXPECT_EQ(trusts->size(), 2u);
  // Computing again replaces, never duplicates; the migration is idempotent.
  ASSERT_TRUE((*ts)->Replace(*c).ok());
  ASSERT_TRUE(SqliteTrustStore::Open(store_->db()).ok());
  EXPECT_EQ((*(*ts)->Outgoing(people_["alice"], 10)).size(), 2u);
  EXPECT_FALSE((*(*ts)->Get(9999)).has_value());
}

TEST_F(TrustStoreTest, RepliesAndResharesInPostsAreInteractionEvidence) {
  auto zed = store_->ResolveIdentity({IdentityKind::kHandle, "generic", "zed"}, "zed");
  ASSERT_TRUE(zed.ok());
  Post original;
  original.platform = "generic";
  original.id = "p1";
  original.author = "alice";
  original.time = 500;
  ASSERT_TRUE(store_->InsertPost(original, ids_["alice"]).ok());
  Post reply = original;
  reply.id = "p2";
  reply.author = "zed";
  reply.reply_to = "p1";
  ASSERT_TRUE(store_->InsertPost(reply, zed->identity).ok());
  Post reshare = original;
  reshare.id = "p3";
  reshare.author = "zed";
  reshare.reshare_of = "p1";
  ASSERT_TRUE(store_->InsertPost(reshare, zed->identity).ok());
  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->people.size(), 6u);  // zed joins through interactions only
  bool found = false;
  for (const auto& p : c->pairs) {
    if (p.truster == zed->person && p.trustee == people_["alice"]) {
      found = true;
      EXPECT_GT(p.trust, 0.5);
      EXPECT_GT(p.confidence, 0.0);
    }
  }
  EXPECT_TRUE(found);
}

TEST(TrustStoreEmptyTest, NoRatingsIsAClearError) {
  FakeClock clock(0);
  auto s = SqliteStore::Open(":memory:", true, clock);
  ASSERT_TRUE(s.ok());
  auto c = ComputeWorkspaceTrust(**s, clock);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(c.status().message().find("no ratings"), std::string::npos);
}

}  // namespace
}  // namespace vouch::trust
