// The posts' body file of an on-disk SqliteStore: the upgrade from core schema step 1, the cut of a killed load's
// tail, and the errors for a body file cut short or overwritten.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/core_schema.h"
#include "store/post_body_file.h"
#include "vouch/store/sqlite_store.h"

namespace vouch {
namespace {

namespace fs = std::filesystem;

class PostBodyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("vouch_post_bodies_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "vouch.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SqliteStore> Open() {
    auto store = SqliteStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::vector<Post> ReadAll(SqliteStore& store) {
    std::vector<Post> out;
    Status s = store.ForEachPost([&](const Store::StoredPost& p) {
      out.push_back(p.post);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  uint64_t BodyBytes() const { return fs::file_size(path_ + ".body"); }
  int64_t BodyEnd(SqliteStore& store) {
    auto q = store.db().Prepare("SELECT COALESCE(MAX(body_offset + body_length), 0) FROM posts");
    EXPECT_TRUE(q.ok() && *(*q)->Step());
    const int64_t end = (*q)->Int(0);
    (*q)->Reset();
    return end;
  }

  fs::path dir_;
  std::string path_;
};

Post MakePost(int i) {
  Post p;
  p.platform = "x";
  p.id = std::to_string(i);
  p.author = "jane";
  p.author_name = "Jane \"J\" Doe";
  p.time = 1'700'000'000 + i;
  p.text = "post " + std::to_string(i) + " with a quote \" and a\nnewline";
  if (i % 2 == 0) p.reply_to = "r" + std::to_string(i);
  if (i % 3 == 0) p.reshare_of = "";
  if (i % 5 == 0) p.quote_of = "q";
  p.mentions = {"amy", "bo\\b"};
  if (i % 2 == 1) p.hashtags = {"tag"};
  p.urls = {};
  p.lang = i % 2 == 0 ? "en" : "";
  p.metrics.likes = i;
  if (i % 2 == 0) p.metrics.replies = 0;
  if (i % 4 == 0) p.metrics.quotes = -1;
  return p;
}

bool SameBody(const Post& a, const Post& b) {
  return a.platform == b.platform && a.id == b.id && a.author == b.author && a.author_name == b.author_name &&
         a.time == b.time && a.text == b.text && a.reply_to == b.reply_to && a.reshare_of == b.reshare_of &&
         a.quote_of == b.quote_of && a.mentions == b.mentions && a.hashtags == b.hashtags && a.urls == b.urls &&
         a.lang == b.lang && a.metrics.likes == b.metrics.likes && a.metrics.reshares == b.metrics.reshares &&
         a.metrics.replies == b.metrics.replies && a.metrics.quotes == b.metrics.quotes;
}

TEST(PostBodyEncodingTest, DecodesWhatItEncodes) {
  for (int i = 0; i < 8; ++i) {
    const Post in = MakePost(i);
    std::string bytes;
    store::EncodePostBody(bytes, in);
    Post out = in;
    out.text = "other";
    out.reply_to.reset();
    out.metrics = {};
    ASSERT_TRUE(store::DecodePostBody(bytes, out));
    EXPECT_TRUE(SameBody(in, out)) << i;
    EXPECT_FALSE(store::DecodePostBody(std::string_view(bytes).substr(0, bytes.size() - 1), out));
    EXPECT_FALSE(store::DecodePostBody(bytes + "x", out));
  }
}

TEST_F(PostBodyFileTest, AWorkspaceOfStepOneIsMigratedWithEveryBodyIntact) {
  std::vector<Post> posts;
  {
    // A database as step 1 of the core schema made it, with its posts written by SQL as that version did.
    auto db = store::SqliteDb::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("core", {store::CoreStep1()}).ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO people (id, display_name) VALUES (1, 'Jane');"
                            "INSERT INTO identities (id, kind, scope, value, display, person_id) "
                            "VALUES (1, 'handle', 'x', 'jane', 'jane', 1);")
                    .ok());
    auto q = (*db)->Prepare(
        "INSERT INTO posts (platform, external_id, author_identity, author_name, time, text, reply_to, reshare_of, "
        "quote_of, lang, mentions, hashtags, urls, likes, reshares, replies, quotes) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ASSERT_TRUE(q.ok());
    auto json = [](const std::vector<std::string>& items) {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (char c : items[i]) out += c == '\\' ? std::string("\\\\") : std::string(1, c);
        out += '"';
      }
      return out + "]";
    };
    for (int i = 0; i < 40; ++i) {
      Post p = MakePost(i);
      (*q)->Reset()
          .Bind(1, p.platform)
          .Bind(2, p.id)
          .Bind(3, p.author_name)
          .Bind(4, p.time)
          .Bind(5, p.text)
          .Bind(6, p.reply_to)
          .Bind(7, p.reshare_of)
          .Bind(8, p.quote_of)
          .Bind(9, p.lang)
          .Bind(10, json(p.mentions))
          .Bind(11, json(p.hashtags))
          .Bind(12, json(p.urls))
          .Bind(13, p.metrics.likes)
          .Bind(14, p.metrics.reshares)
          .Bind(15, p.metrics.replies)
          .Bind(16, p.metrics.quotes);
      ASSERT_TRUE((*q)->Run().ok());
      posts.push_back(p);
    }
    ASSERT_TRUE((*db)->Exec("INSERT INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, "
                            "sentiment, sentiment_score) VALUES (3, 'Acme', 'post', 0, 4, 'endorse', 0.9, 'pos', 0.5)")
                    .ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->db().ComponentVersion("core"), 2);
  std::vector<Post> seen = ReadAll(*store);
  ASSERT_EQ(seen.size(), posts.size());
  for (size_t i = 0; i < posts.size(); ++i) EXPECT_TRUE(SameBody(posts[i], seen[i])) << i;
  EXPECT_EQ(static_cast<int64_t>(BodyBytes()), BodyEnd(*store));
  // The row is narrow, and no secondary index is left on posts.
  auto columns = store->db().Prepare("SELECT COUNT(*) FROM pragma_table_info('posts')");
  ASSERT_TRUE(columns.ok() && *(*columns)->Step());
  EXPECT_EQ((*columns)->Int(0), 7);
  (*columns)->Reset();
  auto indexes = store->db().Prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts' AND sql IS NOT NULL");
  ASSERT_TRUE(indexes.ok() && *(*indexes)->Step());
  EXPECT_EQ((*indexes)->Int(0), 0);
  (*indexes)->Reset();
  // The mentions still name their posts' rows, and every foreign key holds.
  auto joined = store->db().Prepare("SELECT p.external_id FROM mentions m JOIN posts p ON p.id = m.post_id");
  ASSERT_TRUE(joined.ok() && *(*joined)->Step());
  EXPECT_EQ((*joined)->Text(0), "2");
  (*joined)->Reset();
  auto orphans = store->db().Prepare("SELECT COUNT(*) FROM pragma_foreign_key_check");
  ASSERT_TRUE(orphans.ok() && *(*orphans)->Step());
  EXPECT_EQ((*orphans)->Int(0), 0);
  (*orphans)->Reset();
  // Posts stored after the upgrade follow the moved ones.
  ASSERT_TRUE(*store->InsertPost(MakePost(40), 1));
  EXPECT_EQ(ReadAll(*store).size(), 41u);
  EXPECT_EQ(static_cast<int64_t>(BodyBytes()), BodyEnd(*store));
}

TEST_F(PostBodyFileTest, AKilledLoadsTailIsCutAndTheRerunStoresTheRest) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto author = store->ResolveIdentity({IdentityKind::kHandle, "x", "jane"}, "jane");
    ASSERT_TRUE(author.ok());
    ASSERT_TRUE(store->Begin().ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(*store->InsertPost(MakePost(i), author->identity));
    ASSERT_TRUE(store->Commit().ok());
  }
  // What a load killed mid-transaction leaves: records written out past the last committed row's.
  const uint64_t committed = BodyBytes();
  { std::ofstream(path_ + ".body", std::ios::app | std::ios::binary) << std::string(5000, '\x7f'); }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(ReadAll(*store).size(), 20u);
  std::vector<Post> rerun;
  for (int i = 0; i < 30; ++i) rerun.push_back(MakePost(i));
  std::vector<const Post*> pointers;
  for (const Post& p : rerun) pointers.push_back(&p);
  std::vector<IdentityId> authors(rerun.size(), 1);
  std::vector<uint8_t> stored;
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertPosts(pointers, authors, stored).ok());
  ASSERT_TRUE(store->Commit().ok());
  EXPECT_EQ(std::count(stored.begin(), stored.end(), 1), 10);
  EXPECT_GT(BodyBytes(), committed);
  EXPECT_EQ(static_cast<int64_t>(BodyBytes()), BodyEnd(*store));  // the tail was cut before appending
  std::vector<Post> seen = ReadAll(*store);
  ASSERT_EQ(seen.size(), 30u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(SameBody(rerun[i], seen[i])) << i;
}

TEST_F(PostBodyFileTest, ABodyFileCutShortOrOverwrittenIsAnErrorNamingItAndThePost) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto author = store->ResolveIdentity({IdentityKind::kHandle, "x", "jane"}, "jane");
    ASSERT_TRUE(author.ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(*store->InsertPost(MakePost(i), author->identity));
  }
  const uint64_t size = BodyBytes();
  ASSERT_GT(size, 100u);
  // One byte of the second record's text flipped.
  {
    std::fstream f(path_ + ".body", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.put('\x01');
  }
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    Status s = store->ForEachPost([](const Store::StoredPost&) { return true; });
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_NE(s.message().find("vouch.db.body"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("post 2"), std::string::npos) << s.message();
  }
  fs::resize_file(path_ + ".body", size - 1);
  auto store = SqliteStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("vouch.db.body"), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find("post 3 (x/2)"), std::string::npos) << store.status().message();
}

TEST(SqliteDbMigrationTest, AStepsRunIsPartOfItsTransaction) {
  auto db = store::SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  int runs = 0;
  std::vector<store::Migration> failing = {
      {1, "CREATE TABLE t (a)", [&](store::SqliteDb& d) {
         ++runs;
         EXPECT_TRUE(d.Exec("INSERT INTO t VALUES (1)").ok());
         return Status::Corruption("the data cannot move");
       }}};
  Status s = (*db)->Migrate("demo", failing);
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the data cannot move"), std::string::npos);
  EXPECT_EQ(*(*db)->ComponentVersion("demo"), 0);
  EXPECT_FALSE((*db)->Exec("SELECT * FROM t").ok());  // the step's SQL was rolled back with it
  std::vector<store::Migration> working = {
      {1, "CREATE TABLE t (a)", [&](store::SqliteDb& d) { return d.Exec("INSERT INTO t VALUES (2)"); }}};
  ASSERT_TRUE((*db)->Migrate("demo", working).ok());
  EXPECT_EQ(*(*db)->ComponentVersion("demo"), 1);
  ASSERT_TRUE((*db)->Migrate("demo", working).ok());  // applied once
  auto q = (*db)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(q.ok() && *(*q)->Step());
  EXPECT_EQ((*q)->Int(0), 1);
  (*q)->Reset();
}

}  // namespace
}  // namespace vouch
