#include "vouch/store/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

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

TEST_F(SqliteStoreTest, ResolvingInBulkMatchesResolvingOneByOne) {
  IdentityRef known = Resolve(IdentityKind::kHandle, "x", "known");
  std::vector<IdentityKey> keys = {{IdentityKind::kHandle, "x", "zed"},
                                   {IdentityKind::kHandle, "x", "known"},
                                   {IdentityKind::kHandle, "x", "amy"},
                                   {IdentityKind::kHandle, "x", "zed"},
                                   {IdentityKind::kEmail, "", "amy@example.com"},
                                   {IdentityKind::kHandle, "reddit", "amy"}};
  std::vector<std::string_view> displays = {"Zed", "Known", "Amy", "ZED", "amy@example.com", "amy"};
  std::vector<IdentityRef> refs;
  ASSERT_TRUE(store_->ResolveIdentities(keys, displays, refs).ok());
  ASSERT_EQ(refs.size(), keys.size());
  EXPECT_EQ(refs[1].identity, known.identity);
  EXPECT_FALSE(refs[1].created);
  // The same key twice: one identity, created once (for its first display).
  EXPECT_EQ(refs[0].identity, refs[3].identity);
  EXPECT_TRUE(refs[0].created);
  EXPECT_FALSE(refs[3].created);
  EXPECT_EQ((*store_->GetIdentity(refs[0].identity))->display, "Zed");
  EXPECT_EQ((*store_->GetPerson(refs[0].person))->display_name, "Zed");
  // Distinct keys: distinct identities and people, each found again one by one.
  for (size_t i : {0u, 2u, 4u, 5u}) {
    EXPECT_TRUE(refs[i].created) << i;
    IdentityRef again = Resolve(keys[i].kind, keys[i].scope, keys[i].value);
    EXPECT_FALSE(again.created) << i;
    EXPECT_EQ(again.identity, refs[i].identity) << i;
    EXPECT_EQ(again.person, refs[i].person) << i;
  }
  EXPECT_NE(refs[2].identity, refs[5].identity);
  EXPECT_EQ(store_->Counts()->identities, 5);
  EXPECT_EQ(store_->Counts()->people, 5);
  // Nothing new the second time.
  ASSERT_TRUE(store_->ResolveIdentities(keys, displays, refs).ok());
  for (const IdentityRef& ref : refs) EXPECT_FALSE(ref.created);
  EXPECT_EQ(store_->Counts()->identities, 5);
  // An empty value is refused.
  keys.push_back({IdentityKind::kHandle, "x", ""});
  displays.push_back("");
  EXPECT_EQ(store_->ResolveIdentities(keys, displays, refs).code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, InsertingPostsInBulkMatchesInsertingThemOneByOne) {
  IdentityRef author = Resolve(IdentityKind::kHandle, "x", "jane");
  // Keys (platform, id) in the order they are stored; some are there already, some listed twice, across and
  // within the groups of kRowsPerInsert rows, with a remainder stored one by one.
  auto key = [](int i) { return std::to_string(i % 70); };
  const int n = static_cast<int>(SqliteStore::kRowsPerInsert) * 3 + 5;
  std::vector<Post> posts(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Post& p = posts[static_cast<size_t>(i)];
    p.platform = i % 3 == 0 ? "reddit" : "x";
    p.id = key(i);
    p.text = "post " + std::to_string(i);
    p.hashtags = {"tag" + std::to_string(i)};
  }
  ASSERT_TRUE(store_->Begin().ok());
  for (int i : {5, 40, 64}) ASSERT_TRUE(*store_->InsertPost(posts[static_cast<size_t>(i)], author.identity));
  // What one by one would say, on a copy of the same state.
  auto reference = SqliteStore::Open(":memory:", true, clock_);
  ASSERT_TRUE(reference.ok());
  IdentityRef ref_author = *(*reference)->ResolveIdentity({IdentityKind::kHandle, "x", "jane"}, "jane");
  for (int i : {5, 40, 64}) {
    ASSERT_TRUE(*(*reference)->InsertPost(posts[static_cast<size_t>(i)], ref_author.identity));
  }
  std::vector<uint8_t> expected;
  for (const Post& p : posts) expected.push_back(*(*reference)->InsertPost(p, ref_author.identity) ? 1 : 0);

  std::vector<const Post*> pointers;
  for (const Post& p : posts) pointers.push_back(&p);
  std::vector<IdentityId> authors(posts.size(), author.identity);
  std::vector<uint8_t> stored;
  ASSERT_TRUE(store_->InsertPosts(pointers, authors, stored).ok());
  EXPECT_EQ(stored, expected);
  // Nothing new the second time.
  ASSERT_TRUE(store_->InsertPosts(pointers, authors, stored).ok());
  EXPECT_EQ(stored, std::vector<uint8_t>(posts.size(), 0));
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->Counts()->posts, (*reference)->Counts()->posts);
  // Every stored post reads back with its own fields (the bound buffers belonged to the right rows).
  int seen = 0;
  ASSERT_TRUE(store_->ForEachPost([&](const Store::StoredPost& s) {
    ++seen;
    EXPECT_EQ(s.post.hashtags.size(), 1u);
    EXPECT_EQ("tag" + s.post.text.substr(5), s.post.hashtags.at(0)) << s.post.platform << "/" << s.post.id;
    return true;
  }).ok());
  EXPECT_EQ(seen, store_->Counts()->posts);
  std::vector<IdentityId> one_short(posts.size() - 1, author.identity);
  EXPECT_EQ(store_->InsertPosts(pointers, one_short, stored).code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, APostLoadTurnsForeignKeyChecksOffUntilItEnds) {
  IdentityRef author = Resolve(IdentityKind::kHandle, "x", "jane");
  auto foreign_keys = [&] {
    auto q = store_->db().Prepare("PRAGMA foreign_keys");
    EXPECT_TRUE(q.ok() && *(*q)->Step());
    const int64_t on = (*q)->Int(0);
    (*q)->Reset();
    return on;
  };
  EXPECT_EQ(foreign_keys(), 1);
  EXPECT_FALSE(*store_->BeginPostLoad(0));  // nothing announced: nothing changes
  EXPECT_EQ(foreign_keys(), 1);
  EXPECT_TRUE(*store_->BeginPostLoad(10));
  EXPECT_EQ(foreign_keys(), 0);  // the load's rows reference what it has just written
  Post post;
  post.platform = "x";
  ASSERT_TRUE(store_->Begin().ok());
  for (int i = 0; i < 11; ++i) {
    post.id = std::to_string(i);
    ASSERT_TRUE(*store_->InsertPost(post, author.identity));
  }
  ASSERT_TRUE(store_->Commit().ok());
  ASSERT_TRUE(store_->EndPostLoad().ok());
  EXPECT_EQ(foreign_keys(), 1);
  EXPECT_EQ(store_->CountActivity(author.person)->posts, 11);
  ASSERT_TRUE(store_->EndPostLoad().ok());  // nothing to do
}

TEST_F(SqliteStoreTest, ARolledBackPostLeavesNoBodyBehind) {
  IdentityRef author = Resolve(IdentityKind::kHandle, "x", "jane");
  Post post;
  post.platform = "x";
  post.id = "ghost";
  post.text = "never stored";
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(*store_->InsertPost(post, author.identity));
  store_->Rollback();
  post.id = "kept";
  post.text = "stored";
  post.reply_to = "ghost";
  ASSERT_TRUE(*store_->InsertPost(post, author.identity));  // a transaction of its own
  std::vector<Post> seen;
  ASSERT_TRUE(store_->ForEachPost([&](const Store::StoredPost& s) {
    seen.push_back(s.post);
    return true;
  }).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, "kept");
  EXPECT_EQ(seen[0].text, "stored");
  EXPECT_EQ(seen[0].reply_to, "ghost");
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
