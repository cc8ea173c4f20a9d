// PostIngester against a real SQLite store in a temporary directory: idempotency, good and bad lines, the
// malformed inputs the Foundation issue lists, compressed inputs, and interruption.
#include "vouch/ingest/post_ingester.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "vouch/identity/normalize.h"
#include "vouch/store/sqlite_store.h"
#include "support/test_paths.h"

namespace vouch::ingest {
namespace {

namespace fs = std::filesystem;

// Collects rejects in memory.
class MemoryRejects final : public RejectSink {
 public:
  Status Reject(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) override {
    (void)file;
    (void)record;
    lines.push_back(line);
    reasons.emplace_back(reason);
    return Status::Ok();
  }
  std::vector<uint64_t> lines;
  std::vector<std::string> reasons;
};

// Sets the cancellation flag at the first progress report, as Ctrl-C would.
class CancelAtFirstReport final : public ProgressSink {
 public:
  explicit CancelAtFirstReport(std::atomic<bool>& flag) : flag_(flag) {}
  void Report(const Progress&) override { flag_ = true; }

 private:
  std::atomic<bool>& flag_;
};

std::string GenericLine(int i, int authors = 50) {
  return "{\"id\": \"g" + std::to_string(i) + "\", \"author\": \"user" + std::to_string(i % authors) +
         "\", \"time\": " + std::to_string(1700000000 + i) + ", \"text\": \"post number " + std::to_string(i) +
         " about the Acme Rocket\", \"hashtags\": [\"acme\"]}\n";
}

class PostIngesterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vouch_post_ingester_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = SqliteStore::Open((dir_ / "vouch.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string Fixture(const std::string& name) { return vouch::test::TestDataDir() + "/ingest/" + name; }

  struct Outcome {
    Status status;
    IngestSummary summary;
    PostIngestRecord record;
  };
  Outcome Ingest(const std::string& path, PostIngestOptions options = {}, RunControl control = {}) {
    PostIngester ingester(*store_, {{path, &rejects_}}, options, control);
    Outcome o;
    o.status = ingester.run();
    o.summary = ingester.total();
    o.record = ingester.record();
    return o;
  }
  int64_t Posts() { return store_->Counts()->posts; }

  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
  MemoryRejects rejects_;
};

TEST_F(PostIngesterTest, SecondIngestOfTheSameFileStoresNothing) {
  auto first = Ingest(Fixture("posts.jsonl"));
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.summary.read, 4u);
  EXPECT_EQ(first.summary.stored, 4u);
  auto counts = *store_->Counts();
  auto second = Ingest(Fixture("posts.jsonl"));
  ASSERT_TRUE(second.status.ok());
  EXPECT_EQ(second.summary.stored, 0u);
  EXPECT_EQ(second.summary.duplicate, 4u);
  auto after = *store_->Counts();
  EXPECT_EQ(after.posts, counts.posts);
  EXPECT_EQ(after.people, counts.people);
  EXPECT_EQ(after.identities, counts.identities);
}

TEST_F(PostIngesterTest, AuthorsAreIdentitiesByNormalisedHandle) {
  ASSERT_TRUE(Ingest(Fixture("posts.jsonl")).status.ok());
  // JaneDoe and janedoe on x are one identity; bob_builds (generic) and carol (x) are others.
  EXPECT_EQ(store_->Counts()->identities, 3);
  auto jane = store_->FindIdentity(IdentityKey{IdentityKind::kHandle, "x", "janedoe"});
  ASSERT_TRUE(jane.ok() && jane->has_value());
  int jane_posts = 0;
  ASSERT_TRUE(store_
                  ->ForEachPost([&](const Store::StoredPost& p) {
                    jane_posts += p.author_identity == (*jane)->id;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(jane_posts, 2);
}

TEST_F(PostIngesterTest, GoodLinesAreStoredAndBadOnesRejectedWithTheirLines) {
  auto o = Ingest(Fixture("mixed.jsonl"));
  ASSERT_TRUE(o.status.ok());
  EXPECT_EQ(o.summary.read, 13u);
  EXPECT_EQ(o.summary.stored, 3u);
  EXPECT_EQ(o.summary.duplicate, 1u);  // line 11 repeats line 1
  EXPECT_EQ(o.summary.rejected, 9u);
  EXPECT_EQ(rejects_.lines, (std::vector<uint64_t>{2, 3, 4, 6, 7, 8, 9, 12, 13}));
  EXPECT_EQ(Posts(), 3);
}

TEST_F(PostIngesterTest, EachMalformedInputHasItsReason) {
  struct Case {
    const char* name;
    std::string line;
    const char* reason;
  };
  const Case cases[] = {
      {"truncated JSON", R"({"id": "1", "author": "a", "time": 1, "text": "abc)", "invalid JSON"},
      {"truncated object", R"({"id": "1", "author": "a", "time": 1, "text": "abc")", "invalid JSON"},
      {"two values", R"({"id": "1", "author": "a", "time": 1, "text": "abc"} {"id": "2"})", "more than one value"},
      {"invalid UTF-8", "{\"id\": \"1\", \"author\": \"a\", \"time\": 1, \"text\": \"caf\xc3\x28\"}",
       "invalid UTF-8"},
      {"missing text", R"({"id": "1", "author": "a", "time": 1})", "missing field 'text'"},
      {"missing author", R"({"id": "1", "time": 1, "text": "t"})", "missing field 'author'"},
      {"mistyped time", R"({"id": "1", "author": "a", "time": [1], "text": "t"})",
       "field 'time' must be a string or integer"},
      {"mistyped id", R"({"id": 1.5, "author": "a", "time": 1, "text": "t"})", "field 'id' must be a string"},
      {"mistyped mentions", R"({"id": "1", "author": "a", "time": 1, "text": "t", "mentions": "bob"})",
       "field 'mentions' must be an array of strings"},
      {"mistyped metrics", R"({"id": "1", "author": "a", "time": 1, "text": "t", "metrics": {"likes": "many"}})",
       "field 'metrics.likes' must be an integer or null"},
      {"not an object", R"("just a string")", "not a JSON object"},
      {"binary garbage", std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00", 10), "not a JSON object"},
      {"binary garbage, not UTF-8", std::string("\x89PNG\r\x1a\x00\xff\xfe", 9), "invalid UTF-8"},
  };
  for (const auto& c : cases) {
    rejects_ = {};
    auto o = Ingest(Write("case.jsonl", c.line + "\n"));
    ASSERT_TRUE(o.status.ok()) << c.name;
    EXPECT_EQ(o.summary.rejected, 1u) << c.name;
    ASSERT_EQ(rejects_.reasons.size(), 1u) << c.name;
    EXPECT_NE(rejects_.reasons[0].find(c.reason), std::string::npos) << c.name << ": " << rejects_.reasons[0];
    EXPECT_EQ(rejects_.lines[0], 1u);
  }
  EXPECT_EQ(Posts(), 0);
}

TEST_F(PostIngesterTest, EmptyFileReadsNothing) {
  auto o = Ingest(Write("empty.jsonl", ""));
  ASSERT_TRUE(o.status.ok());
  EXPECT_EQ(o.summary.read, 0u);
  auto blank = Ingest(Write("blank.jsonl", "\n\n  \n"));
  ASSERT_TRUE(blank.status.ok());
  EXPECT_EQ(blank.summary.read, 0u);
}

TEST_F(PostIngesterTest, BinaryGarbageFileIsRejectedLineByLine) {
  std::mt19937 rng(7);
  std::string bytes(256 * 1024, '\0');
  for (char& b : bytes) b = static_cast<char>(rng());
  auto o = Ingest(Write("garbage.bin", bytes));
  ASSERT_TRUE(o.status.ok()) << o.status.ToString();
  EXPECT_GT(o.summary.rejected, 0u);
  EXPECT_EQ(o.summary.stored, 0u);
  EXPECT_EQ(o.summary.read, o.summary.rejected);
}

TEST_F(PostIngesterTest, LinesOfManyMegabytes) {
  // With a 4 MiB limit (16 MiB by default): a 3 MB post is stored; a 6 MB line is rejected, and the line after it
  // stored.
  std::string big_text(3 << 20, 'a');
  std::string huge(6 << 20, 'b');
  std::string file = "{\"id\": \"big\", \"author\": \"a\", \"time\": 1, \"text\": \"" + big_text + "\"}\n" +
                     "{\"id\": \"huge\", \"author\": \"a\", \"time\": 1, \"text\": \"" + huge + "\"}\n" +
                     GenericLine(3);
  PostIngestOptions options;
  options.max_line_bytes = size_t{4} << 20;
  auto o = Ingest(Write("big.jsonl", file), options);
  ASSERT_TRUE(o.status.ok()) << o.status.ToString();
  EXPECT_EQ(o.summary.stored, 2u);
  ASSERT_EQ(rejects_.lines, std::vector<uint64_t>{2});
  EXPECT_NE(rejects_.reasons[0].find("longer than the limit"), std::string::npos);
}

TEST_F(PostIngesterTest, GzipAndZstdInputs) {
  std::string plain;
  for (int i = 0; i < 2000; ++i) plain += GenericLine(i);
  std::string path = Write("posts.jsonl", plain);
  ASSERT_EQ(std::system(("gzip -q -k -f " + path).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -k -f " + path + " 2>/dev/null").c_str()), 0);
  auto gz = Ingest(path + ".gz");
  ASSERT_TRUE(gz.status.ok()) << gz.status.ToString();
  EXPECT_EQ(gz.summary.stored, 2000u);
  auto zst = Ingest(path + ".zst");
  ASSERT_TRUE(zst.status.ok()) << zst.status.ToString();
  EXPECT_EQ(zst.summary.duplicate, 2000u);  // the same posts
}

TEST_F(PostIngesterTest, TruncatedGzipKeepsCommittedBatchesAndNamesTheFile) {
  std::string plain;
  for (int i = 0; i < 20000; ++i) plain += GenericLine(i);
  std::string path = Write("posts.jsonl", plain);
  ASSERT_EQ(std::system(("gzip -q -f " + path).c_str()), 0);
  auto size = fs::file_size(path + ".gz");
  fs::resize_file(path + ".gz", size / 2);
  PostIngestOptions options;
  options.batch_size = 1000;
  auto o = Ingest(path + ".gz", options);
  ASSERT_FALSE(o.status.ok());
  EXPECT_NE(o.status.message().find("posts.jsonl.gz"), std::string::npos) << o.status.message();
  EXPECT_EQ(Posts() % 1000, 0);
  EXPECT_EQ(static_cast<uint64_t>(Posts()), o.summary.stored);
}

TEST_F(PostIngesterTest, InterruptRollsBackTheOpenBatchAndARerunCompletes) {
  std::string plain;
  for (int i = 0; i < 5000; ++i) plain += GenericLine(i);
  std::string path = Write("posts.jsonl", plain);
  std::atomic<bool> cancel{false};
  CancelAtFirstReport sink(cancel);
  PostIngestOptions options;
  options.batch_size = 300;
  auto o = Ingest(path, options, RunControl{&cancel, &sink});
  EXPECT_EQ(o.status.code(), StatusCode::kCancelled);
  // The first report (line 512) sets the flag and the next poll (line 1024) sees it: three batches of 300 are
  // committed (lines 1-900), the open one (901-1024) is rolled back.
  EXPECT_EQ(Posts(), 900);
  EXPECT_EQ(o.summary.stored, 900u);
  // Consistent on disk, from a fresh connection.
  Reopen();
  auto* db = &store_->db();
  ASSERT_TRUE(db->Exec("PRAGMA integrity_check").ok());
  auto rerun = Ingest(path, options);
  ASSERT_TRUE(rerun.status.ok());
  EXPECT_EQ(rerun.summary.stored, 4100u);
  EXPECT_EQ(rerun.summary.duplicate, 900u);
  EXPECT_EQ(Posts(), 5000);
  EXPECT_EQ(store_->Counts()->identities, 50);
}

TEST_F(PostIngesterTest, AnInterruptedLargeLoadIsCompletedByItsRerun) {
  std::string plain;
  for (int i = 0; i < 5000; ++i) plain += GenericLine(i);
  std::string path = Write("posts.jsonl", plain);
  std::atomic<bool> cancel{false};
  CancelAtFirstReport sink(cancel);
  PostIngestOptions options;
  options.batch_size = 300;
  options.suspend_indexes_from = 1;  // this small file counts as large (foreign-key checks off for it)
  auto o = Ingest(path, options, RunControl{&cancel, &sink});
  EXPECT_EQ(o.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(Posts(), 900);
  auto rerun = Ingest(path, options);
  ASSERT_TRUE(rerun.status.ok());
  EXPECT_EQ(rerun.summary.stored, 4100u);
  Reopen();
  ASSERT_TRUE(store_->db().Exec("PRAGMA integrity_check").ok());
  int64_t read = 0;
  ASSERT_TRUE(store_->ForEachPost([&](const Store::StoredPost&) { return ++read > 0; }).ok());
  EXPECT_EQ(read, 5000);
  // Per-person questions are answered (a scan of the posts): every author wrote 5000 / 50 posts.
  auto author = store_->FindIdentity(identity::HandleKey("generic", "user7"));
  ASSERT_TRUE(author.ok() && author->has_value());
  EXPECT_EQ(store_->CountActivity((*author)->person)->posts, 100);
}

TEST_F(PostIngesterTest, CsvFileWithoutRequiredColumnFailsNamingTheFile) {
  auto o = Ingest(Write("bad.csv", "a,b,c\n1,2,3\n"));
  ASSERT_EQ(o.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(o.status.message().find("bad.csv"), std::string::npos) << o.status.message();
}

TEST_F(PostIngesterTest, FormatsAreDetected) {
  for (const char* name : {"posts.jsonl", "twitter_v2.jsonl", "reddit.jsonl", "mastodon.jsonl"}) {
    PostIngester ingester(*store_, {{Fixture(name), &rejects_}}, {});
    ASSERT_TRUE(ingester.run().ok()) << name;
    EXPECT_GT(ingester.total().stored, 0u) << name;
  }
  PostIngester ingester(*store_, {{Fixture("posts.jsonl"), &rejects_}}, {});
  ASSERT_TRUE(ingester.run().ok());
  EXPECT_EQ(ingester.files()[0].format, PostFormat::kJsonLines);
}

}  // namespace
}  // namespace vouch::ingest
