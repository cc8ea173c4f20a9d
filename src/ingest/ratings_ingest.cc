#include "vouch/ingest/ratings_ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>

#include "ingest/record_batch.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/normalize.h"
#include "vouch/ingest/csv_records.h"
#include "vouch/ingest/record_fields.h"

namespace vouch::ingest {
namespace {

// Where the fields are. A headerless file is positional: rater, ratee, rating, time.
struct RatingColumns {
  std::optional<size_t> rater = 0, ratee = 1, rating = 2, time = 3;
  bool named = false;  // found by a header's names (extra columns allowed)
  size_t header_size = 0;
};

// Decides from the file's first record whether it is a header, and where the columns are.
RatingColumns DetectColumns(const CsvRecord& first, bool& is_header) {
  RatingColumns columns;
  is_header = first.error.empty() && first.fields.size() >= 3 &&
              !ParseFiniteNumber("rating", first.fields[2]).ok();
  if (!is_header) return columns;
  CsvHeader header(first.fields);
  if (header.Find("rater") && header.Find("ratee") && header.Find("rating")) {
    columns = {header.Find("rater"), header.Find("ratee"), header.Find("rating"), header.Find("time"), true,
               header.size()};
  }
  return columns;
}

std::string FormatNumber(double v) { return fmt::format("{:g}", v); }

}  // namespace

Result<RatingScale> ParseRatingScale(std::string_view text) {
  // The first ':' after the first character, so "-10:10" splits at the right place.
  size_t colon = text.find(':', 1);
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("scale '{}' is not MIN:MAX (e.g. -10:10 or 1:5)", text));
  }
  VOUCH_ASSIGN_OR_RETURN(double lo, ParseFiniteNumber("scale minimum", text.substr(0, colon)));
  VOUCH_ASSIGN_OR_RETURN(double hi, ParseFiniteNumber("scale maximum", text.substr(colon + 1)));
  if (!(lo < hi)) {
    return Status::InvalidArgument(fmt::format("scale '{}': the minimum must be below the maximum", text));
  }
  return RatingScale{lo, hi};
}

RatingsIngest::RatingsIngest(vouch::Store& store, std::string path, RatingsIngestOptions options,
                             RejectSink& rejects, RunControl control)
    : RecordIngest(store, std::move(path), options, rejects, control), options_(std::move(options)) {}

const RatingScale& RatingsIngest::scale() const {
  assert(finished() && "RatingsIngest::scale() before run() finished");
  return scale_;
}
bool RatingsIngest::scale_inferred() const {
  assert(finished() && "RatingsIngest::scale_inferred() before run() finished");
  return scale_inferred_;
}

Status RatingsIngest::StoreRecords() {
  if (options_.scale) {
    scale_ = *options_.scale;
    scale_known_ = true;
    scale_inferred_ = false;
  } else if (path_ == "-") {
    return Status::InvalidArgument(
        "ratings from standard input need --scale MIN:MAX (inferring it takes a first pass over the file)");
  } else {
    VOUCH_TRY(InferScale());
  }
  return StoreRatings();
}

Status RatingsIngest::InferScale() {
  ++record_.passes;
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  CsvRecord rec;
  RatingColumns columns;
  bool first = true;
  uint64_t n = 0;
  double lo = 0, hi = 0;
  uint64_t valid = 0;
  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, reader->Next(rec));
    if (!more) break;
    if (control_.Cancelled()) return Status::Cancelled("ingest of ratings interrupted");
    if (++n % kProgressEvery == 0) {
      control_.Report({"ratings: finding the scale", reader->bytes_read(), reader->total_bytes(), "bytes", n});
    }
    if (first) {
      first = false;
      bool is_header = false;
      columns = DetectColumns(rec, is_header);
      if (is_header) continue;
    }
    if (!rec.error.empty()) continue;
    auto value = ParseFiniteNumber("rating", FieldOr(rec, columns.rating));
    if (!value.ok()) continue;
    lo = valid == 0 ? *value : std::min(lo, *value);
    hi = valid == 0 ? *value : std::max(hi, *value);
    ++valid;
  }
  if (valid == 0) return Status::Ok();  // nothing to scale: the storing pass rejects or skips every record
  if (!(lo < hi)) {
    return Status::InvalidArgument(fmt::format(
        "{}: cannot infer the rating scale: every rating is {}; give it with --scale MIN:MAX", path_,
        FormatNumber(lo)));
  }
  scale_ = {lo, hi};
  scale_known_ = true;
  scale_inferred_ = true;
  return Status::Ok();
}

Status RatingsIngest::StoreRatings() {
  ++record_.passes;
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  identity::IdentityResolver resolver(store_);
  RecordBatch batch(store_, resolver, batch_records_);
  CsvRecord rec;
  RatingColumns columns;
  bool first = true;

  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, reader->Next(rec));
    if (!more) break;
    // Before the header is detected: the first record never reports progress (nothing is read yet).
    VOUCH_TRY(CheckControl(batch, *reader, "ingest ratings"));
    if (first) {
      first = false;
      bool is_header = false;
      columns = DetectColumns(rec, is_header);
      if (is_header) continue;
    }
    // Only a named header bounds the field count; a positional record is checked for 3 or 4 fields below.
    std::optional<size_t> header_size;
    if (columns.named) header_size = columns.header_size;
    VOUCH_ASSIGN_OR_RETURN(bool malformed, RejectMalformed(batch, rec, header_size));
    if (malformed) continue;
    if (!columns.named && (rec.fields.size() < 3 || rec.fields.size() > 4)) {
      VOUCH_TRY(Reject(batch, rec, fmt::format("expected 3 or 4 fields (rater,ratee,rating[,time]), found {}",
                                        rec.fields.size())));
      continue;
    }
    std::string_view rater = TrimField(FieldOr(rec, columns.rater));
    std::string_view ratee = TrimField(FieldOr(rec, columns.ratee));
    IdentityKey rater_key = identity::HandleKey(options_.platform, rater);
    IdentityKey ratee_key = identity::HandleKey(options_.platform, ratee);
    if (rater_key.value.empty()) {
      VOUCH_TRY(Reject(batch, rec, "rater is empty"));
      continue;
    }
    if (ratee_key.value.empty()) {
      VOUCH_TRY(Reject(batch, rec, "ratee is empty"));
      continue;
    }
    if (rater_key == ratee_key) {
      VOUCH_TRY(Reject(batch, rec, fmt::format("rater and ratee are the same handle '{}' (a rating of oneself)", rater)));
      continue;
    }
    auto raw = ParseFiniteNumber("rating", FieldOr(rec, columns.rating));
    if (!raw.ok()) {
      VOUCH_TRY(Reject(batch, rec, raw.status().message()));
      continue;
    }
    if (!scale_known_ || *raw < scale_.min || *raw > scale_.max) {
      VOUCH_TRY(Reject(batch, rec, fmt::format("rating {} is outside the scale {}:{}", FormatNumber(*raw),
                                        FormatNumber(scale_.min), FormatNumber(scale_.max))));
      continue;
    }
    Rating rating;
    rating.rater = std::string(rater);
    rating.ratee = std::string(ratee);
    rating.raw = *raw;
    rating.value = std::clamp(2.0 * (*raw - scale_.min) / (scale_.max - scale_.min) - 1.0, -1.0, 1.0);
    std::string_view time = TrimField(FieldOr(rec, columns.time));
    if (!time.empty()) {
      auto t = ParseTime("time", time);
      if (!t.ok()) {
        VOUCH_TRY(Reject(batch, rec, t.status().message()));
        continue;
      }
      rating.time = *t;
    }
    VOUCH_TRY(batch.Open());
    auto stored = [&]() -> Result<bool> {
      VOUCH_ASSIGN_OR_RETURN(auto a, resolver.Resolve(rater_key, rater));
      VOUCH_ASSIGN_OR_RETURN(auto b, resolver.Resolve(ratee_key, ratee));
      record_.identities_created += (a.created ? 1 : 0) + (b.created ? 1 : 0);
      return store_.InsertRating(rating, a.identity, b.identity);
    }();
    if (!stored.ok()) return Fail(batch, rec, stored.status());
    VOUCH_TRY(batch.CountStored(*stored));
  }
  return FinishPass(batch, *reader, resolver);
}

}  // namespace vouch::ingest
