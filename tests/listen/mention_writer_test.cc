// Ingest classifies as it stores: PostIngester with a MentionWriter over a real SQLite store. Mentions land with the
// post (brand, term, span, act, sentiment), a post without a brand gets none, re-ingesting adds nothing, and
// ClassifyStoredPosts rewrites them all after the brands change.
#include "vouch/listen/mention_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "vouch/ingest/post_ingester.h"
#include "vouch/listen/mention_store.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::listen {
namespace {

namespace fs = std::filesystem;

class MentionWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vouch_mention_writer_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = SqliteStore::Open((dir_ / "vouch.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    mentions_ = std::make_unique<SqliteMentionStore>(store_->db());
    auto model = ClassifierModel::Load("", "", "");
    ASSERT_TRUE(model.ok()) << model.status().ToString() << " (the lexicon comes from scripts/install-deps.sh)";
    model_ = *model;
    acme_.name = "Acme";
    acme_.aliases = {"Acme"};
    acme_.handles = {"@acme"};
    acme_.products = {"Acme Rocket"};
    acme_.competitors = {"Globex"};
    globex_.name = "Globex";
    globex_.aliases = {"Globex"};
  }
  void TearDown() override {
    mentions_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  Status Ingest(const std::string& path, MentionWriter& writer) {
    ingest::PostIngestOptions options;
    options.observer = &writer;
    ingest::PostIngester ingester(*store_, {{path, nullptr}}, options);
    return ingester.run();
  }
  std::vector<MentionRow> All(MentionQuery q = {}) {
    auto rows = ReadMentions(*mentions_, q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<MentionRow>{};
  }
  std::unique_ptr<MentionWriter> Writer(const std::vector<BrandConfig>& brands) {
    auto w = MentionWriter::Create(brands, model_, *mentions_);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(*w) : nullptr;
  }

  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<SqliteMentionStore> mentions_;
  std::shared_ptr<const ClassifierModel> model_;
  BrandConfig acme_, globex_;
};

const char* kPosts =
    R"({"id": "1", "author": "ann", "time": 1000, "text": "My new Acme Rocket arrived early and works great, love it! Thank you @acme"})"
    "\n"
    R"({"id": "2", "author": "bob", "time": 2000, "text": "Nice weather today, off to the park"})"
    "\n"
    R"({"id": "3", "author": "cy", "time": 3000, "text": "@acme my order never arrived and support has ignored me for 2 weeks. Switching to Globex"})"
    "\n";

TEST_F(MentionWriterTest, IngestStoresEachMentionWithItsPostsActAndSentiment) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(Ingest(Write("posts.jsonl", kPosts), *writer).ok());
  EXPECT_EQ(writer->record().posts, 3u);
  EXPECT_EQ(writer->record().posts_with_mentions, 2u);

  const auto rows = All();
  ASSERT_EQ(rows.size(), 4u);  // post 1: Acme Rocket, @acme; post 3: @acme, Globex
  EXPECT_EQ(rows[0].post_id, "1");
  EXPECT_EQ(rows[0].brand, "Acme");
  EXPECT_EQ(rows[0].term, "Acme Rocket");
  const std::string text1 = R"(My new Acme Rocket arrived early and works great, love it! Thank you @acme)";
  EXPECT_EQ(text1.substr(rows[0].begin, rows[0].end - rows[0].begin), "Acme Rocket");
  EXPECT_EQ(rows[0].act, Act::kEndorse);
  EXPECT_EQ(rows[0].sentiment, Sentiment::kPositive);
  EXPECT_EQ(rows[1].term, "@acme");
  EXPECT_EQ(rows[1].act, rows[0].act);  // one classification per post
  EXPECT_EQ(rows[2].post_id, "3");
  EXPECT_EQ(rows[2].act, Act::kComplain);
  EXPECT_EQ(rows[2].sentiment, Sentiment::kNegative);
  EXPECT_EQ(rows[3].brand, "Globex");
  EXPECT_GT(rows[2].act_confidence, 0.0f);
  EXPECT_EQ(rows[0].time, 1000);
  EXPECT_EQ(rows[0].author_handle, "ann");
  EXPECT_EQ(store_->Counts()->mentions, 4);
}

TEST_F(MentionWriterTest, EachMentionGetsTheSentimentTowardItsOwnBrand) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(Ingest(Write("moved.jsonl",
                           R"({"id": "9", "author": "di", "time": 9000, "text": "Switched from @acme to Globex, so much better"})"
                           "\n"),
                     *writer)
                  .ok());
  const auto rows = All();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].brand, "Acme");
  EXPECT_EQ(rows[0].sentiment, Sentiment::kNegative);
  EXPECT_LT(rows[0].sentiment_score, 0.0f);
  EXPECT_EQ(rows[1].brand, "Globex");
  EXPECT_EQ(rows[1].sentiment, Sentiment::kPositive);
  EXPECT_EQ(rows[0].act, rows[1].act);  // the act stays the post's
}

TEST_F(MentionWriterTest, ReingestingAddsNothing) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  const std::string path = Write("posts.jsonl", kPosts);
  ASSERT_TRUE(Ingest(path, *writer).ok());
  ASSERT_TRUE(Ingest(path, *writer).ok());
  EXPECT_EQ(writer->record().posts, 3u);  // duplicates are not even looked at
  EXPECT_EQ(All().size(), 4u);
  // Writing the same mentions again directly is a no-op too.
  auto again = mentions_->InsertForPost("generic", "3", {MentionWrite{"Globex", "Globex", 0, 1, Act::kShare, 1,
                                                                      Sentiment::kNeutral, 0}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 1);  // a different span: new
  again = mentions_->InsertForPost("generic", "3", {MentionWrite{"Globex", "Globex", 0, 1, Act::kShare, 1,
                                                                 Sentiment::kNeutral, 0}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(mentions_->InsertForPost("generic", "nope", {MentionWrite{}}).status().code(), StatusCode::kNotFound);
}

TEST_F(MentionWriterTest, QueriesFilterByBrandAndTimeAndCarryTextWhenAsked) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(Ingest(Write("posts.jsonl", kPosts), *writer).ok());
  MentionQuery q;
  q.brands = {"Globex"};
  EXPECT_EQ(All(q).size(), 1u);
  q.brands = {"Globex", "Acme"};
  q.since = 2000;
  q.with_text = true;
  const auto rows = All(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].post_id, "3");
  EXPECT_NE(rows[0].text.find("Switching"), std::string::npos);
  q.since.reset();
  q.until = 1000;
  EXPECT_TRUE(All(q).empty());
}

TEST_F(MentionWriterTest, ClassifyStoredPostsRewritesMentionsForNewBrands) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(Ingest(Write("posts.jsonl", kPosts), *writer).ok());
  BrandConfig park;
  park.name = "Park";
  park.aliases = {"park"};
  auto only_park = Writer({park});
  ASSERT_NE(only_park, nullptr);
  auto done = ClassifyStoredPosts(*store_, *mentions_, *only_park);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->posts, 3u);
  EXPECT_EQ(done->posts_with_mentions, 1u);
  EXPECT_EQ(done->mentions, 1u);
  const auto rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].brand, "Park");
  EXPECT_EQ(rows[0].post_id, "2");
}

TEST_F(MentionWriterTest, RepliesFromTheBrandsHandleAreFound) {
  auto writer = Writer({acme_, globex_});
  ASSERT_NE(writer, nullptr);
  const std::string reply =
      R"({"id": "4", "author": "@Acme", "time": 4000, "reply_to": "3", "text": "So sorry, we are on it"})"
      "\n";
  ASSERT_TRUE(Ingest(Write("posts.jsonl", std::string(kPosts) + reply), *writer).ok());
  auto replied = mentions_->RepliedToBy({"acme"});
  ASSERT_TRUE(replied.ok()) << replied.status().ToString();
  EXPECT_EQ(*replied, std::vector<std::string>{"generic:3"});
}

}  // namespace
}  // namespace vouch::listen
