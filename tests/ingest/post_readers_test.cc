// Each posts format read from a small fixture in tests/data/ingest (realistic shapes of the real exports, our own
// content), checked field by field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vouch/ingest/line_reader.h"
#include "vouch/ingest/post_reader.h"
#include "support/test_paths.h"

namespace vouch::ingest {
namespace {

struct Read {
  std::vector<Post> posts;
  std::vector<ReadBatch::Reject> rejects;
};

std::string Fixture(const std::string& name) {
  return vouch::test::TestDataDir() + "/ingest/" + name;
}

Read ReadAll(const std::string& path, PostFormat format, PostReaderOptions options = {}) {
  Read r;
  auto lines = LineReader::Open(path);
  EXPECT_TRUE(lines.ok()) << lines.status().ToString();
  if (!lines.ok()) return r;
  auto reader = MakePostReader(format, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return r;
  ReadBatch batch;
  auto take = [&] {
    for (size_t i = 0; i < batch.post_count(); ++i) r.posts.push_back(batch.post(i));
    for (const auto& rej : batch.rejects()) r.rejects.push_back(rej);
    batch.Clear();
  };
  Line line;
  for (;;) {
    auto more = (*lines)->Next(line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    Status s = (*reader)->Read(line, (*lines)->capacity(), batch);
    EXPECT_TRUE(s.ok()) << s.ToString();
    take();
  }
  EXPECT_TRUE((*reader)->Finish(batch).ok());
  take();
  return r;
}

TEST(PostReadersTest, GenericJsonLines) {
  PostReaderOptions options;
  options.default_platform = "generic";
  Read r = ReadAll(Fixture("posts.jsonl"), PostFormat::kJsonLines, options);
  ASSERT_EQ(r.posts.size(), 4u);
  EXPECT_TRUE(r.rejects.empty());
  const Post& a = r.posts[0];
  EXPECT_EQ(a.platform, "x");
  EXPECT_EQ(a.id, "p1");
  EXPECT_EQ(a.author, "JaneDoe");
  EXPECT_EQ(a.time, 1714564800);
  EXPECT_EQ(a.mentions, std::vector<std::string>{"acme"});
  EXPECT_EQ(a.hashtags, std::vector<std::string>{"rocket"});
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.metrics.likes, 12);
  EXPECT_EQ(a.metrics.quotes, 0);
  const Post& b = r.posts[1];
  EXPECT_EQ(b.platform, "generic");  // none in the record: the default
  EXPECT_EQ(b.id, "1002");           // a numeric id
  EXPECT_EQ(b.author, "@bob_builds");
  EXPECT_EQ(b.author_name, "Bob B.");
  EXPECT_EQ(b.time, 1714564800);  // epoch seconds
  EXPECT_FALSE(b.reply_to.has_value());
  const Post& c = r.posts[2];
  EXPECT_EQ(c.time, 1714566600);  // 14:30+02:00
  EXPECT_EQ(c.reshare_of, "acme-77");
  EXPECT_EQ(c.urls, std::vector<std::string>{"https://example.com/deal"});
  const Post& d = r.posts[3];
  EXPECT_EQ(d.reply_to, "p1");
  EXPECT_EQ(d.quote_of, "1002");
  EXPECT_EQ(d.text, "My anvil arrived cracked \u2014 support has not answered in a week \U0001F620");
  EXPECT_FALSE(d.metrics.likes.has_value());
}

TEST(PostReadersTest, TwitterV2Pages) {
  Read r = ReadAll(Fixture("twitter_v2.jsonl"), PostFormat::kTwitterV2);
  ASSERT_EQ(r.posts.size(), 5u);
  EXPECT_TRUE(r.rejects.empty());
  const Post& a = r.posts[0];
  EXPECT_EQ(a.platform, "x");
  EXPECT_EQ(a.id, "1790000000000000001");
  EXPECT_EQ(a.author, "RocketFan");  // from includes.users
  EXPECT_EQ(a.author_name, "Rocket Fan");
  EXPECT_EQ(a.time, 1715331600);
  EXPECT_EQ(a.hashtags, std::vector<std::string>{"acme"});
  EXPECT_EQ(a.metrics.likes, 20);
  EXPECT_EQ(a.metrics.reshares, 4);
  const Post& rt = r.posts[1];
  EXPECT_EQ(rt.reshare_of, "1789999999999999999");
  EXPECT_EQ(rt.mentions, std::vector<std::string>{"acme_official"});
  EXPECT_EQ(rt.urls, std::vector<std::string>{"https://acme.example/sale"});
  const Post& reply = r.posts[2];
  EXPECT_EQ(reply.author, "103");  // the page does not include the user: author_id
  EXPECT_EQ(reply.reply_to, "1790000000000000001");
  EXPECT_EQ(r.posts[3].quote_of, "1790000000000000001");
  EXPECT_EQ(r.posts[4].id, "1790000000000000005");  // a line holding one tweet object
}

TEST(PostReadersTest, TwitterV2RejectsOneTweetAndKeepsTheRest) {
  std::string line =
      R"({"data": [{"id": "1", "text": "fine", "author_id": "7", "created_at": "2024-05-10T09:00:00Z"},)"
      R"( {"id": "2", "text": "no time", "author_id": "7"},)"
      R"( {"id": "3", "text": 5, "author_id": "7", "created_at": "2024-05-10T09:00:00Z"},)"
      R"( {"id": "4", "text": "fine too", "author_id": "7", "created_at": "2024-05-10T09:00:00Z"}]})";
  line.append(LineReader::kPadding, '\0');
  auto reader = MakePostReader(PostFormat::kTwitterV2, {});
  ASSERT_TRUE(reader.ok());
  ReadBatch batch;
  size_t size = line.size() - LineReader::kPadding;
  ASSERT_TRUE((*reader)->Read(Line{std::string_view(line.data(), size), 9, false}, line.size(), batch).ok());
  ASSERT_EQ(batch.post_count(), 2u);
  EXPECT_EQ(batch.post(0).id, "1");
  EXPECT_EQ(batch.post(1).id, "4");
  ASSERT_EQ(batch.rejects().size(), 2u);
  EXPECT_EQ(batch.rejects()[0].reason, "tweet 2: missing field 'created_at'");
  EXPECT_EQ(batch.rejects()[1].reason, "tweet 3: field 'text' must be a string");
  EXPECT_EQ(batch.rejects()[1].line, 9u);
}

TEST(PostReadersTest, RedditSubmissionsAndComments) {
  Read r = ReadAll(Fixture("reddit.jsonl"), PostFormat::kReddit);
  ASSERT_EQ(r.posts.size(), 4u);
  const Post& self = r.posts[0];
  EXPECT_EQ(self.platform, "reddit");
  EXPECT_EQ(self.id, "1abcde");
  EXPECT_EQ(self.text,
            "Six months with the Acme Rocket\n\nHonestly the best thing I bought this year.\n\nBattery "
            "still holds.");
  EXPECT_TRUE(self.urls.empty());  // a self post's url is its own page
  EXPECT_EQ(self.metrics.likes, 150);
  EXPECT_EQ(self.metrics.replies, 2);
  const Post& link = r.posts[1];
  EXPECT_EQ(link.time, 1715000100);  // created_utc as a string
  EXPECT_EQ(link.text, "Acme rockets 30% off");
  EXPECT_EQ(link.urls, std::vector<std::string>{"https://acme.example/sale"});
  EXPECT_EQ(r.posts[2].time, 1715000200);  // created_utc as a float
  EXPECT_EQ(r.posts[2].reply_to, "1abcde");
  EXPECT_EQ(r.posts[3].reply_to, "kx1");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 5u);
  EXPECT_EQ(r.rejects[0].reason, "author is [deleted] (the account is gone)");
}

TEST(PostReadersTest, MastodonStatuses) {
  Read r = ReadAll(Fixture("mastodon.jsonl"), PostFormat::kMastodon);
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_TRUE(r.rejects.empty());
  const Post& a = r.posts[0];
  EXPECT_EQ(a.platform, "mastodon");
  EXPECT_EQ(a.author, "jane@mastodon.social");  // local acct + the instance from account.url
  EXPECT_EQ(a.author_name, "Jane \u2615");
  EXPECT_EQ(a.text,
            "Six months with my #acme rocket & still happy.\n\nWould buy again <3\nDetails: "
            "https://blog.example/rocket-review");
  EXPECT_EQ(a.hashtags, std::vector<std::string>{"acme"});
  EXPECT_EQ(a.metrics.likes, 9);
  EXPECT_EQ(a.metrics.reshares, 1);
  const Post& b = r.posts[1];
  EXPECT_EQ(b.author, "kim@fosstodon.org");
  EXPECT_EQ(b.reply_to, "112000000000000001");
  EXPECT_EQ(b.mentions, std::vector<std::string>{"jane"});
  EXPECT_EQ(b.text, "@jane which model? I'm torn between two \U0001F914");
  const Post& boost = r.posts[2];
  EXPECT_EQ(boost.reshare_of, "112000000000000001");
  EXPECT_EQ(boost.text, "Six months with my rocket & still happy.");
  EXPECT_EQ(boost.hashtags, std::vector<std::string>{"acme"});
}

TEST(PostReadersTest, CsvWithColumnMapAndMultilineQuotes) {
  PostReaderOptions options;
  options.column_map = {
      {"id", "tweet_id"}, {"author", "name"}, {"time", "tweet_created"}, {"reshares", "retweet_count"}};
  Read r = ReadAll(Fixture("airline.csv"), PostFormat::kCsv, options);
  EXPECT_TRUE(r.rejects.empty());
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].id, "570306133677760513");
  EXPECT_EQ(r.posts[0].author, "cairdin");
  EXPECT_EQ(r.posts[0].time, 1424806552);
  EXPECT_EQ(r.posts[0].platform, "generic");
  EXPECT_EQ(r.posts[1].text, "@AcmeAir plus youve added commercials to the experience... \"tacky\", but fine");
  EXPECT_EQ(r.posts[1].metrics.reshares, 2);
  EXPECT_EQ(r.posts[2].text, "@AcmeAir I didnt today...\nMust mean I need to take another trip!");
}

TEST(PostReadersTest, CsvHeaderWithoutRequiredColumnIsRefused) {
  auto reader = MakePostReader(PostFormat::kCsv, {});
  ASSERT_TRUE(reader.ok());
  std::string header = "tweet_id,name,text,when";
  header.append(LineReader::kPadding, '\0');
  ReadBatch batch;
  Status s = (*reader)->Read(Line{std::string_view(header.data(), 23), 1, false}, header.size(), batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'id'"), std::string::npos) << s.message();
}

TEST(PostReadersTest, CsvUnknownMapFieldIsRefused) {
  PostReaderOptions options;
  options.column_map = {{"colour", "c"}};
  auto reader = MakePostReader(PostFormat::kCsv, options);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("'colour' is not a post field"), std::string::npos);
}

TEST(PostReadersTest, FormatDetection) {
  auto detect = [](const std::string& path, std::string line) {
    size_t n = line.size();
    line.append(LineReader::kPadding, '\0');
    return DetectPostFormat(path, std::string_view(line.data(), n), line.size());
  };
  EXPECT_EQ(detect("a.csv", "x,y"), PostFormat::kCsv);
  EXPECT_EQ(detect("a.TSV.gz", "x\ty"), PostFormat::kCsv);
  EXPECT_EQ(detect("a.jsonl", R"({"data": [], "includes": {}})"), PostFormat::kTwitterV2);
  EXPECT_EQ(detect("a.jsonl", R"({"id": "1", "text": "t", "author_id": "2"})"), PostFormat::kTwitterV2);
  EXPECT_EQ(detect("a.jsonl.zst", R"({"id": "k", "created_utc": 1, "body": "b"})"), PostFormat::kReddit);
  EXPECT_EQ(detect("a.jsonl", R"({"id": "1", "content": "<p>x</p>", "account": {}})"), PostFormat::kMastodon);
  EXPECT_EQ(detect("a.jsonl", R"({"id": "1", "author": "a", "time": 1, "text": "t"})"), PostFormat::kJsonLines);
  EXPECT_EQ(detect("a.jsonl", "not json at all"), PostFormat::kJsonLines);
}

}  // namespace
}  // namespace vouch::ingest
