// ListenReport on small hand-made mention rows: periods and their counts, share of voice, net sentiment, the
// word-of-mouth-to-share ratio, top voices by count and by reputation, and spike alerts with their statistic.
#include "vouch/listen/listen_report.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vouch::listen {
namespace {

constexpr int64_t kMonday = 1772409600;  // 2026-03-02 00:00 UTC, a Monday
constexpr int64_t kDay = 86400;

class Rows {
 public:
  // One post with one mention of brand.
  Rows& Add(int64_t time, const std::string& brand, Act act, Sentiment s, PersonId author = 1) {
    MentionRow r;
    r.id = ++id_;
    r.post_row = id_;
    r.platform = "x";
    r.post_id = "p" + std::to_string(id_);
    r.time = time;
    r.author = author;
    r.author_handle = "user" + std::to_string(author);
    r.brand = brand;
    r.act = act;
    r.sentiment = s;
    rows_.push_back(r);
    return *this;
  }
  // A second span of the same post (must not count twice).
  Rows& AgainSamePost() {
    MentionRow r = rows_.back();
    r.id = ++id_;
    r.begin += 10;
    rows_.push_back(r);
    return *this;
  }
  std::vector<MentionRow> rows() const { return rows_; }

 private:
  int64_t id_ = 0;
  std::vector<MentionRow> rows_;
};

ListenReportOptions Options() {
  ListenReportOptions o;
  o.brand = "Acme";
  o.competitors = {"Globex"};
  return o;
}

TEST(ListenReportTest, BucketsAreUtcDaysAndIsoWeeks) {
  EXPECT_EQ(UtcDate(kMonday), "2026-03-02");
  EXPECT_EQ(BucketStart(ReportBucket::kDay, kMonday + 5 * 3600), kMonday);
  EXPECT_EQ(BucketStart(ReportBucket::kWeek, kMonday + 6 * kDay + 3), kMonday);  // Sunday
  EXPECT_EQ(BucketStart(ReportBucket::kWeek, kMonday - 1), kMonday - 7 * kDay);
  EXPECT_EQ(BucketStart(ReportBucket::kWeek, 0), -3 * kDay);  // 1970-01-01 was a Thursday
}

TEST(ListenReportTest, CountsPostsPerPeriodShareOfVoiceSentimentAndRatio) {
  Rows rows;
  rows.Add(kMonday + 10, "Acme", Act::kEndorse, Sentiment::kPositive)
      .AgainSamePost()
      .Add(kMonday + 20, "Acme", Act::kComplain, Sentiment::kNegative)
      .Add(kMonday + 30, "Acme", Act::kShare, Sentiment::kNeutral)
      .Add(kMonday + 40, "Globex", Act::kEndorse, Sentiment::kPositive)
      .Add(kMonday + kDay + 5, "Acme", Act::kEndorse, Sentiment::kPositive)
      .Add(kMonday + kDay + 6, "Initech", Act::kComplain, Sentiment::kNegative);  // not in the report
  ListenReport report(rows.rows(), Options());
  ASSERT_TRUE(report.run().ok());
  const auto& r = report.result();
  EXPECT_EQ(r.since, kMonday);
  EXPECT_EQ(r.until, kMonday + 2 * kDay);
  ASSERT_EQ(r.periods.size(), 2u);
  EXPECT_EQ(r.periods[0].brand.posts, 3);
  EXPECT_EQ(r.periods[0].brand.of(Act::kEndorse), 1);
  EXPECT_EQ(r.periods[0].competitor_posts, 1);
  EXPECT_DOUBLE_EQ(*r.periods[0].share_of_voice, 0.75);
  EXPECT_DOUBLE_EQ(*r.periods[0].net_sentiment, 0.0);  // (1 - 1) / 2
  EXPECT_DOUBLE_EQ(*r.periods[1].share_of_voice, 1.0);
  EXPECT_EQ(r.totals.posts, 4);
  ASSERT_EQ(r.share_of_voice.size(), 2u);
  EXPECT_EQ(r.share_of_voice[0].brand, "Acme");
  EXPECT_DOUBLE_EQ(r.share_of_voice[0].share, 0.8);
  EXPECT_DOUBLE_EQ(*r.net_sentiment, (2.0 - 1.0) / 3.0);
  EXPECT_DOUBLE_EQ(r.act_mix[static_cast<size_t>(Act::kEndorse)], 0.5);
  EXPECT_DOUBLE_EQ(*r.wom_to_share, 3.0);  // (2 endorse + 1 complain) / 1 share
  EXPECT_EQ(r.voice_weighting, "count");
  const auto json = ListenReportJson(r);
  EXPECT_EQ(json["totals"]["acts"]["endorse"], 2);
  EXPECT_EQ(json["periods"][0]["date"], "2026-03-02");
  EXPECT_NE(ListenReportCsv(r).find("2026-03-03,1,1,0,0,0,0,1,0,0,0,1.0000,1.0000"), std::string::npos)
      << ListenReportCsv(r);
}

TEST(ListenReportTest, RatioAndSentimentAreAbsentWhenUndefined) {
  Rows rows;
  rows.Add(kMonday, "Acme", Act::kAsk, Sentiment::kNeutral);
  ListenReport report(rows.rows(), Options());
  ASSERT_TRUE(report.run().ok());
  EXPECT_FALSE(report.result().wom_to_share.has_value());
  EXPECT_FALSE(report.result().net_sentiment.has_value());
  EXPECT_TRUE(ListenReportJson(report.result())["wom_to_share"].is_null());
}

TEST(ListenReportTest, SinceAndUntilBoundTheRangeAndEmptyPeriodsAreKept) {
  Rows rows;
  rows.Add(kMonday, "Acme", Act::kEndorse, Sentiment::kPositive)
      .Add(kMonday + 3 * kDay, "Acme", Act::kEndorse, Sentiment::kPositive)
      .Add(kMonday + 9 * kDay, "Acme", Act::kEndorse, Sentiment::kPositive);
  ListenReportOptions o = Options();
  o.since = kMonday + kDay;
  o.until = kMonday + 5 * kDay;
  ListenReport report(rows.rows(), o);
  ASSERT_TRUE(report.run().ok());
  EXPECT_EQ(report.result().periods.size(), 4u);
  EXPECT_EQ(report.result().totals.posts, 1);
  o.bucket = ReportBucket::kWeek;
  o.since.reset();
  o.until.reset();
  ListenReport weekly(rows.rows(), o);
  ASSERT_TRUE(weekly.run().ok());
  ASSERT_EQ(weekly.result().periods.size(), 2u);
  EXPECT_EQ(weekly.result().periods[0].brand.posts, 2);
}

TEST(ListenReportTest, TopVoicesCountPostsOrWeighThemByReputation) {
  Rows rows;
  // Person 1 endorses three times but is distrusted; person 2 twice and trusted; person 3 once, unrated.
  for (int i = 0; i < 3; ++i) rows.Add(kMonday + i, "Acme", Act::kEndorse, Sentiment::kPositive, 1);
  for (int i = 0; i < 2; ++i) rows.Add(kMonday + 10 + i, "Acme", Act::kEndorse, Sentiment::kPositive, 2);
  rows.Add(kMonday + 20, "Acme", Act::kEndorse, Sentiment::kPositive, 3);
  rows.Add(kMonday + 30, "Acme", Act::kComplain, Sentiment::kNegative, 3);
  {
    ListenReport report(rows.rows(), Options());
    ASSERT_TRUE(report.run().ok());
    const auto& top = report.result().top_endorsers;
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0].person, 1);
    EXPECT_EQ(top[0].posts, 3);
    EXPECT_EQ(top[0].latest_post, "x:p3");
    ASSERT_EQ(report.result().top_complainers.size(), 1u);
    EXPECT_EQ(report.result().top_complainers[0].person, 3);
  }
  PersonTrust trust;
  trust.computed = true;
  trust.reputation = {{1, -0.8}, {2, 0.9}};
  ListenReport report(rows.rows(), Options(), trust);
  ASSERT_TRUE(report.run().ok());
  const auto& top = report.result().top_endorsers;
  EXPECT_EQ(report.result().voice_weighting, "trust");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].person, 2);  // 2 x 0.95
  EXPECT_DOUBLE_EQ(top[0].score, 2 * 0.95);
  EXPECT_EQ(top[1].person, 3);  // 1 x 0.5: unrated counts as neutral
  EXPECT_FALSE(top[1].reputation.has_value());
  EXPECT_EQ(top[2].person, 1);  // 3 x 0.1
}

TEST(ListenReportTest, ComplaintSpikeAlertsWithItsZScore) {
  Rows rows;
  // Ten quiet days of 2 complaints and 4 endorsements, then a day of 12 complaints.
  for (int d = 0; d < 10; ++d) {
    for (int i = 0; i < 2; ++i) rows.Add(kMonday + d * kDay + i, "Acme", Act::kComplain, Sentiment::kNegative);
    for (int i = 0; i < 4; ++i) rows.Add(kMonday + d * kDay + 100 + i, "Acme", Act::kEndorse, Sentiment::kPositive);
  }
  for (int i = 0; i < 12; ++i) rows.Add(kMonday + 10 * kDay + i, "Acme", Act::kComplain, Sentiment::kNegative);
  ListenReport report(rows.rows(), Options());
  ASSERT_TRUE(report.run().ok());
  const auto& alerts = report.result().alerts;
  // Volume went from 6 to 12: z = 6 / sqrt(6) = 2.4, below 3; complaints went from 2 to 12.
  ASSERT_EQ(alerts.size(), 1u);
  const ReportAlert& a = alerts[0];
  EXPECT_EQ(a.metric, "complaints");
  EXPECT_EQ(a.period_start, kMonday + 10 * kDay);
  EXPECT_EQ(a.value, 12);
  EXPECT_DOUBLE_EQ(a.baseline_mean, 2.0);
  EXPECT_DOUBLE_EQ(a.baseline_sd, 0.0);
  EXPECT_EQ(a.window, 10u);
  EXPECT_NEAR(a.z, 10.0 / std::sqrt(2.0), 1e-9);  // the Poisson floor sqrt(2), not a zero sd
  EXPECT_EQ(ListenReportJson(report.result())["alerts"][0]["date"], "2026-03-12");
}

TEST(ListenReportTest, SmallOrSteadyCountsDoNotAlert) {
  Rows rows;
  for (int d = 0; d < 10; ++d) rows.Add(kMonday + d * kDay, "Acme", Act::kComplain, Sentiment::kNegative);
  for (int i = 0; i < 4; ++i) rows.Add(kMonday + 10 * kDay + i, "Acme", Act::kComplain, Sentiment::kNegative);
  ListenReport report(rows.rows(), Options());
  ASSERT_TRUE(report.run().ok());
  EXPECT_TRUE(report.result().alerts.empty());  // z = 3 but only 4 posts (< 5)
}

TEST(ListenReportTest, RefusesBadOptions) {
  ListenReportOptions o = Options();
  o.since = 10;
  o.until = 10;
  EXPECT_EQ(ListenReport({}, o).run().code(), StatusCode::kInvalidArgument);
  o = Options();
  o.competitors = {"Acme"};
  EXPECT_EQ(ListenReport({}, o).run().code(), StatusCode::kInvalidArgument);
  o = Options();
  o.brand.clear();
  EXPECT_EQ(ListenReport({}, o).run().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vouch::listen
