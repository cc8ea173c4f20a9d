// InboxRanker on hand-made mentions: only complaints and questions, ranked by reach x trust x recency, answered
// posts left out, and the reasons spelled out.
#include "vouch/listen/inbox_ranker.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vouch::listen {
namespace {

constexpr int64_t kNow = 1772409600;

MentionRow Row(int64_t id, PersonId author, Act act, int64_t age_seconds) {
  MentionRow r;
  r.id = id;
  r.post_row = id;
  r.platform = "x";
  r.post_id = std::to_string(id);
  r.time = kNow - age_seconds;
  r.author = author;
  r.author_handle = "user" + std::to_string(author);
  r.brand = "Acme";
  r.act = act;
  r.act_confidence = 0.8f;
  r.text = "post " + std::to_string(id);
  return r;
}

TEST(InboxRankerTest, RanksComplaintsAndQuestionsByReachTrustAndRecency) {
  std::vector<MentionRow> rows = {
      Row(1, 1, Act::kComplain, 0),      // 0 followers, fresh
      Row(2, 2, Act::kComplain, 0),      // 1023 followers, fresh
      Row(3, 3, Act::kAsk, 0),           // 1023 followers, distrusted
      Row(4, 4, Act::kComplain, 86400),  // 1023 followers, a day old
      Row(5, 5, Act::kEndorse, 0),       // praise: not for the inbox
  };
  std::unordered_map<PersonId, int64_t> followers = {{2, 1023}, {3, 1023}, {4, 1023}, {5, 1000000}};
  PersonTrust trust;
  trust.computed = true;
  trust.reputation = {{2, 1.0}, {3, -0.5}, {4, 1.0}};
  InboxRanker ranker(rows, followers, trust, {});
  ASSERT_TRUE(ranker.run().ok());
  const auto& items = ranker.items();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].post.post_id, "2");
  EXPECT_DOUBLE_EQ(items[0].reach, 11.0);  // 1 + log2(1024)
  EXPECT_DOUBLE_EQ(items[0].trust, 1.0);
  EXPECT_DOUBLE_EQ(items[0].recency, 1.0);
  EXPECT_DOUBLE_EQ(items[0].score, 11.0);
  EXPECT_EQ(items[1].post.post_id, "4");  // 11 x 1 x 0.5
  EXPECT_DOUBLE_EQ(items[1].recency, 0.5);
  EXPECT_EQ(items[2].post.post_id, "3");  // 11 x 0.25
  EXPECT_DOUBLE_EQ(items[2].score, 11.0 * 0.25);
  EXPECT_EQ(items[3].post.post_id, "1");  // 1 x 0.5 (unrated)
  EXPECT_FALSE(items[3].in_graph);
  EXPECT_FALSE(items[3].reputation.has_value());
  EXPECT_NE(items[0].why.find("1023 followers"), std::string::npos) << items[0].why;
  EXPECT_NE(items[3].why.find("not in the social graph"), std::string::npos) << items[3].why;
  EXPECT_NE(items[2].why.find("reputation -0.50"), std::string::npos) << items[2].why;
  EXPECT_EQ(InboxJson(items, true)[0]["post"], "x:2");
}

TEST(InboxRankerTest, AnsweredPostsAndLaterPostsAreLeftOutAndNLimits) {
  std::vector<MentionRow> rows = {Row(1, 1, Act::kComplain, 10), Row(2, 2, Act::kComplain, 20),
                                  Row(3, 3, Act::kAsk, 30), Row(4, 4, Act::kAsk, -100)};
  InboxOptions o;
  o.now = kNow;
  o.n = 1;
  InboxRanker ranker(rows, {}, {}, {"x:1"}, o);
  ASSERT_TRUE(ranker.run().ok());
  ASSERT_EQ(ranker.items().size(), 1u);
  EXPECT_EQ(ranker.items()[0].post.post_id, "2");  // 1 answered, 4 after now; 2 fresher than 3
  EXPECT_NE(ranker.items()[0].why.find("trust not computed"), std::string::npos);
  EXPECT_TRUE(InboxJson(ranker.items(), false)[0]["trust"].is_null());
}

TEST(InboxRankerTest, HalfLifeMustBePositive) {
  InboxOptions o;
  o.half_life_hours = 0;
  EXPECT_EQ(InboxRanker({}, {}, {}, {}, o).run().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vouch::listen
