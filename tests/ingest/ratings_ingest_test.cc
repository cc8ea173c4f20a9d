#include "vouch/ingest/ratings_ingest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "ingest/records_fixture.h"

namespace vouch::ingest {
namespace {

class RatingsIngestTest : public testing::RecordIngestTest<RatingsIngest> {
 protected:
  // Runs an ingest of content; returns its status.
  Status Ingest(const std::string& content, RatingsIngestOptions options = {}) {
    options.platform = "x";
    return RunIngest("ratings.csv", content, std::move(options));
  }
  // raw rating -> scaled value of what the store holds.
  std::map<double, double> Stored() {
    std::map<double, double> out;
    EXPECT_TRUE(store_->ForEachRating([&](const Store::StoredRating& r) {
                        out[r.rating.raw] = r.rating.value;
                        return true;
                      }).ok());
    return out;
  }
};

TEST_F(RatingsIngestTest, InfersTheScaleFromTheFileAndScalesToMinusOneOne) {
  ASSERT_TRUE(Ingest("a,b,-10,1\nb,c,10,2\nc,a,5,3\n").ok());
  EXPECT_TRUE(job_->scale_inferred());
  EXPECT_EQ(job_->scale().min, -10);
  EXPECT_EQ(job_->scale().max, 10);
  EXPECT_EQ(job_->record().passes, 2u);
  auto stored = Stored();
  EXPECT_DOUBLE_EQ(stored[-10], -1.0);
  EXPECT_DOUBLE_EQ(stored[10], 1.0);
  EXPECT_DOUBLE_EQ(stored[5], 0.5);
  EXPECT_EQ(job_->summary().read, 3u);
  EXPECT_EQ(job_->summary().stored, 3u);
}

TEST_F(RatingsIngestTest, AGivenScaleRejectsRatingsOutsideIt) {
  RatingsIngestOptions options;
  options.scale = RatingScale{1, 5};
  ASSERT_TRUE(Ingest("a,b,1\na,c,5\na,d,3\na,e,6\na,f,0\n", options).ok());
  EXPECT_FALSE(job_->scale_inferred());
  EXPECT_EQ(job_->record().passes, 1u);
  EXPECT_EQ(job_->summary().stored, 3u);
  EXPECT_EQ(job_->summary().rejected, 2u);
  ASSERT_EQ(rejects_.all.size(), 2u);
  EXPECT_EQ(rejects_.all[0].line, 4u);
  EXPECT_NE(rejects_.all[0].reason.find("outside the scale 1:5"), std::string::npos);
  EXPECT_DOUBLE_EQ(Stored()[3], 0.0);
}

TEST_F(RatingsIngestTest, DetectsAHeaderAndFindsNamedColumnsInAnyOrder) {
  ASSERT_TRUE(Ingest("time,rating,ratee,rater\n2024-05-01T12:00:00Z,4,bob,alice\n5,2,alice,bob\n").ok());
  EXPECT_EQ(job_->summary().read, 2u);
  EXPECT_EQ(job_->summary().stored, 2u);
  EXPECT_TRUE(rejects_.all.empty());
  bool found = false;
  ASSERT_TRUE(store_->ForEachRating([&](const Store::StoredRating& r) {
                      if (r.rating.rater == "alice") {
                        found = true;
                        EXPECT_EQ(r.rating.ratee, "bob");
                        EXPECT_EQ(r.rating.time, 1714564800);
                        EXPECT_DOUBLE_EQ(r.rating.value, 1.0);
                      }
                      return true;
                    }).ok());
  EXPECT_TRUE(found);
}

TEST_F(RatingsIngestTest, HeaderlessFilesArePositionalAndTimeMayBeAbsent) {
  ASSERT_TRUE(Ingest("@Alice,bob,1\nALICE,carol,0,\n").ok());
  EXPECT_EQ(job_->summary().stored, 2u);
  // @Alice and ALICE are one handle on x.
  EXPECT_EQ(store_->Counts()->identities, 3);
}

TEST_F(RatingsIngestTest, BadRowsAreRejectedWithLineAndReason) {
  ASSERT_TRUE(Ingest("rater,ratee,rating,time\n"
                     "a,b,1,1\n"
                     ",b,1,1\n"
                     "a,,1,1\n"
                     "a,@A,1,1\n"
                     "a,b,nan,1\n"
                     "a,b,inf,1\n"
                     "a,c,1,yesterday\n"
                     "a,c,1,1,extra\n"
                     "a,\"c\n"
                     "a,d,-1,1\n")
                  .ok());
  std::vector<uint64_t> lines;
  for (const auto& r : rejects_.all) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<uint64_t>{3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(rejects_.all[0].reason, "rater is empty");
  EXPECT_NE(rejects_.all[2].reason.find("oneself"), std::string::npos);
  EXPECT_NE(rejects_.all[3].reason.find("not a finite number"), std::string::npos);
  EXPECT_NE(rejects_.all[5].reason.find("time 'yesterday'"), std::string::npos);
  EXPECT_NE(rejects_.all[6].reason.find("5 fields"), std::string::npos);
  EXPECT_NE(rejects_.all[7].reason.find("quoted field"), std::string::npos);
  EXPECT_EQ(rejects_.all[7].record, "a,\"c");
  EXPECT_EQ(job_->summary().stored, 2u);
  EXPECT_EQ(job_->summary().read, 10u);
}

TEST_F(RatingsIngestTest, AFileOfEqualRatingsCannotSayItsScale) {
  Status s = Ingest("a,b,3\nb,c,3\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--scale"), std::string::npos);
  EXPECT_EQ(store_->Counts()->ratings, 0);
}

TEST_F(RatingsIngestTest, IngestingTwiceStoresNothingNew) {
  const std::string content = "a,b,1,10\na,b,2,20\nb,a,0,10\n";
  ASSERT_TRUE(Ingest(content).ok());
  EXPECT_EQ(job_->summary().stored, 3u);
  ASSERT_TRUE(Ingest(content).ok());
  EXPECT_EQ(job_->summary().stored, 0u);
  EXPECT_EQ(job_->summary().duplicate, 3u);
  EXPECT_EQ(store_->Counts()->ratings, 3);
}

TEST_F(RatingsIngestTest, BinaryGarbageIsRejectedLineByLine) {
  std::string garbage = "a,b,1\n";
  for (int i = 0; i < 600; ++i) garbage.push_back(static_cast<char>((i * 37 + 11) % 256));
  garbage += "\nc,d,-1\n";
  ASSERT_TRUE(Ingest(garbage).ok());
  EXPECT_EQ(job_->summary().stored, 2u);
  EXPECT_GT(job_->summary().rejected, 0u);
  EXPECT_EQ(job_->summary().read, job_->summary().stored + job_->summary().rejected);
  for (const auto& r : rejects_.all) EXPECT_GT(r.line, 1u);
}

TEST_F(RatingsIngestTest, EmptyFileIsFine) {
  ASSERT_TRUE(Ingest("").ok());
  EXPECT_EQ(job_->summary().read, 0u);
}

// Cancels the run at its first progress report.
class CancelOnReport final : public ProgressSink {
 public:
  explicit CancelOnReport(std::atomic<bool>& flag) : flag_(flag) {}
  void Report(const Progress&) override { flag_ = true; }

 private:
  std::atomic<bool>& flag_;
};

TEST_F(RatingsIngestTest, ACancelledRunKeepsWholeBatchesAndARerunCompletesIt) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content += fmt::format("u{},v{},{}\n", i, i, i % 11 - 5);
  std::atomic<bool> cancel{false};
  CancelOnReport sink(cancel);
  control_ = RunControl{&cancel, &sink};
  RatingsIngestOptions options;
  options.scale = RatingScale{-5, 5};
  options.batch_records = 1000;
  Status s = Ingest(content, options);
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  int64_t kept = store_->Counts()->ratings;
  EXPECT_EQ(kept % 1000, 0);  // whole batches only
  EXPECT_LT(kept, 5000);
  EXPECT_EQ(job_->summary().stored, static_cast<uint64_t>(kept));
  control_ = RunControl{};
  ASSERT_TRUE(Ingest(content, options).ok());
  EXPECT_EQ(job_->summary().duplicate, static_cast<uint64_t>(kept));
  EXPECT_EQ(store_->Counts()->ratings, 5000);
}

TEST(ParseRatingScale, MinColonMax) {
  EXPECT_EQ(ParseRatingScale("-10:10")->min, -10);
  EXPECT_EQ(ParseRatingScale("-10:10")->max, 10);
  EXPECT_EQ(ParseRatingScale("1:5")->min, 1);
  EXPECT_EQ(ParseRatingScale("0.5:1.5")->max, 1.5);
  for (const char* bad : {"5", "5:1", "3:3", "a:b", ":", "-10:"}) EXPECT_FALSE(ParseRatingScale(bad).ok()) << bad;
}

}  // namespace
}  // namespace vouch::ingest
