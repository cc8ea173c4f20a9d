#include "vouch/store/sqlite_store.h"

#include <gtest/gtest.h>

namespace vouch {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  IdentityRef Resolve(IdentityKind kind, std::string scope, std::string value) {
    auto ref = store_->ResolveIdentity({kind, std::move(scope), value}, value);
    EXPECT_TRUE(ref.ok()) << ref.status().ToString();
    return *ref;
  }
  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, ResolvingTheSameIdentityTwiceFindsIt) {
  IdentityRef a = Resolve(IdentityKind::kHandle, "x", "jane");
  IdentityRef b = Resolve(IdentityKind::kHandle, "x", "jane");
  EXPECT_TRUE(a.created);
  EXPECT_FALSE(b.created);
  EXPECT_EQ(a.identity, b.identity);
  EXPECT_EQ(a.person, b.person);
  // Same value on another platform is another identity.
  IdentityRef c = Resolve(IdentityKind::kHandle, "reddit", "jane");
  EXPECT_NE(a.identity, c.identity);
}

TEST_F(SqliteStoreTest, PostsAreIdempotentOnPlatformAndId) {
  IdentityRef author = Resolve(IdentityKind::kHandle, "x", "jane");
  Post post;
  post.platform = "x";
  post.id = "1";
  post.text = "Loving my new Acme anvil";
  post.mentions = {"acme"};
  post.metrics.likes = 3;
  ASSERT_TRUE(*store_->InsertPost(post, author.identity));
  ASSERT_FALSE(*store_->InsertPost(post, author.identity));
  post.platform = "reddit";
  ASSERT_TRUE(*store_->InsertPost(post, author.identity));
  int seen = 0;
  ASSERT_TRUE(store_->ForEachPost([&](const Store::StoredPost& s) {
                      EXPECT_EQ(s.post.text, "Loving my new Acme anvil");
                      EXPECT_EQ(s.post.mentions, std::vector<std::string>{"acme"});
                      EXPECT_EQ(s.post.metrics.likes, 3);
                      EXPECT_FALSE(s.post.metrics.quotes.has_value());
                      ++seen;
                      return true;
                    }).ok());
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(store_->Counts()->posts, 2);
}

TEST_F(SqliteStoreTest, MergeMovesIdentitiesAndUndoMovesThemBack) {
  IdentityRef handle = Resolve(IdentityKind::kHandle, "x", "jane");
  IdentityRef email = Resolve(IdentityKind::kEmail, "", "jane@example.com");
  ASSERT_NE(handle.person, email.person);
  auto merge = store_->MergePeople(handle.person, email.person, "manual", false);
  ASSERT_TRUE(merge.ok()) << merge.status().ToString();
  EXPECT_EQ((*store_->GetPerson(handle.person))->identities.size(), 2u);
  EXPECT_EQ(store_->Counts()->people, 1);

  auto merges = store_->ListMerges(handle.person);
  ASSERT_EQ(merges->size(), 1u);
  EXPECT_EQ((*merges)[0].at, 1'700'000'000);
  EXPECT_EQ((*merges)[0].moved, std::vector<IdentityId>{email.identity});

  ASSERT_TRUE(store_->UndoMerge(*merge).ok());
  EXPECT_EQ((*store_->GetIdentity(email.identity))->person, email.person);
  EXPECT_EQ(store_->Counts()->people, 2);
  EXPECT_EQ(store_->UndoMerge(*merge).code(), StatusCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, UndoIsRefusedWhenAnIdentityMovedSince) {
  IdentityRef a = Resolve(IdentityKind::kHandle, "x", "a");
  IdentityRef b = Resolve(IdentityKind::kHandle, "x", "b");
  auto merge = store_->MergePeople(a.person, b.person, "manual", false);
  ASSERT_TRUE(merge.ok());
  ASSERT_TRUE(store_->SplitIdentity(b.identity).ok());
  EXPECT_EQ(store_->UndoMerge(*merge).code(), StatusCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, RatingsAndOrdersAreIdempotentOnTheirKeys) {
  IdentityRef a = Resolve(IdentityKind::kHandle, "generic", "a");
  IdentityRef b = Resolve(IdentityKind::kHandle, "generic", "b");
  Rating r{"a", "b", 5, 0.5, 100};
  EXPECT_TRUE(*store_->InsertRating(r, a.identity, b.identity));
  EXPECT_FALSE(*store_->InsertRating(r, a.identity, b.identity));
  r.time = 200;
  EXPECT_TRUE(*store_->InsertRating(r, a.identity, b.identity));
  Order o{"o-1", "c-9", "", 1999, "USD", 100, "JANE10"};
  IdentityRef customer = Resolve(IdentityKind::kCustomer, "", "c-9");
  EXPECT_TRUE(*store_->InsertOrder(o, customer.identity));
  EXPECT_FALSE(*store_->InsertOrder(o, customer.identity));
  auto counts = store_->Counts();
  EXPECT_EQ(counts->ratings, 2);
  EXPECT_EQ(counts->orders, 1);
}

TEST_F(SqliteStoreTest, RollbackDiscardsTheBatch) {
  ASSERT_TRUE(store_->Begin().ok());
  Resolve(IdentityKind::kHandle, "x", "ghost");
  store_->Rollback();
  EXPECT_EQ(store_->Counts()->identities, 0);
}

TEST(SqliteDbTest, RefusesADatabaseFromANewerVouch) {
  auto db = store::SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  std::vector<store::Migration> v2 = {{1, "CREATE TABLE t (a)"}, {2, "CREATE TABLE u (a)"}};
  ASSERT_TRUE((*db)->Migrate("demo", v2).ok());
  EXPECT_EQ(*(*db)->ComponentVersion("demo"), 2);
  std::vector<store::Migration> v1 = {{1, "CREATE TABLE t (a)"}};
  Status s = (*db)->Migrate("demo", v1);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("newer than this vouch"), std::string::npos);
}

TEST(SqliteDbTest, AFailedMigrationLeavesTheVersionWhereItWas) {
  auto db = store::SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  std::vector<store::Migration> steps = {{1, "CREATE TABLE t (a)"}, {2, "CREATE TABLE t (a)"}};
  EXPECT_FALSE((*db)->Migrate("demo", steps).ok());
  EXPECT_EQ(*(*db)->ComponentVersion("demo"), 1);
}

}  // namespace
}  // namespace vouch
