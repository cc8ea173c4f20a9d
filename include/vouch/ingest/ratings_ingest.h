// RatingsIngest: stores a file of explicit ratings between people (docs/formats.md, "Ratings").
//
//   rater,ratee,rating[,time]      CSV (RFC 4180), plain, gzip or zstd; a header line is optional
//
// rater and ratee are handles on one platform (options.platform). The header is detected: a first record whose
// rating field is not a number is a header, and when it names the columns rater, ratee, rating (and time) they
// are found by name, in any order; otherwise columns are positional. time is epoch seconds or RFC 3339, or absent
// (stored as 0). Each rating is stored as given (raw) and scaled linearly from the scale [min, max] to [-1, 1]
// (min -> -1, max -> +1). Without a given scale, a first pass over the file finds its smallest and largest
// rating and uses those (scale_inferred()); a file whose ratings are all equal cannot say its scale and is
// refused, asking for one.
//
// Rejected (to the RejectSink, with file, line, reason and the raw record): malformed CSV, a missing rater or
// ratee, a rating of oneself, a rating that is not a finite number or lies outside the scale, a bad time.
// Natural key (rater, ratee, time): ingesting the same file again stores nothing new.
//
// Writes in batched transactions (RecordBatch); polls control for cancellation (Status::Cancelled: whole batches
// are kept, run again to complete) and reports progress in bytes of the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vouch/core/status.h"
#include "vouch/ingest/record_ingest.h"

namespace vouch::ingest {

struct RatingScale {
  double min = 0;
  double max = 0;
};
// "MIN:MAX", e.g. "-10:10" or "1:5"; min < max, both finite.
Result<RatingScale> ParseRatingScale(std::string_view text);

struct RatingsIngestOptions : RecordIngestOptions {
  std::optional<RatingScale> scale;  // nullopt: inferred from the file
  std::string platform = "generic";  // the platform of the rater and ratee handles
};

class RatingsIngest final : public RecordIngest {
 public:
  // store and rejects must outlive the ingest. run() also fails when the scale cannot be inferred.
  RatingsIngest(Store& store, std::string path, RatingsIngestOptions options, RejectSink& rejects,
                RunControl control = {});

  // The scale used: given or inferred. Meaningless when the file held no valid rating (summary().stored == 0 and
  // no duplicates).
  const RatingScale& scale() const;
  bool scale_inferred() const;

 private:
  // Finds the scale (given, or InferScale()), then stores the records in a second pass.
  Status StoreRecords() override;
  Status InferScale();
  Status StoreRatings();

  RatingsIngestOptions options_;
  RatingScale scale_;
  bool scale_inferred_ = false;
  bool scale_known_ = false;
};

}  // namespace vouch::ingest
