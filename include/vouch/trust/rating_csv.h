// Reading ratings and rater/ratee pairs from CSV files: the input of `vouch trust predict` and of the
// evaluation scripts.
//
// Ratings: `rater,ratee,rating[,time]` per line (the SNAP signed-network form). Raters and ratees are any
// non-empty strings without commas; rating is a finite number on the file's scale; time is epoch seconds (a
// fraction is truncated). The first line is a header, and skipped, when its rating field is not a number. Blank
// lines are skipped; CRLF line ends are accepted. Every other malformed line is an InvalidArgument naming
// file:line and the field.
//
// Pairs: `rater,ratee` per line (further fields are ignored, so a ratings file serves as a pairs file). The first
// line is a header when it is made of header words (rater, ratee, source, target, ...) and names nobody known.
#pragma once

#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/trust/rating_graph.h"

namespace vouch::trust {

// Ratings as read: raw values on the file's scale, people interned in order of first appearance.
struct RatingTable {
  PersonIndex people;
  RatingEdges edges;  // value holds the raw rating (not yet scaled)
  bool has_header = false;
  double min_raw = 0, max_raw = 0;  // over all ratings; both 0 when there are none
};

Result<RatingTable> ReadRatingsCsv(const std::string& path);

struct PairTable {
  std::vector<std::string> rater, ratee;  // as written in the file
  bool has_header = false;
  std::string header;  // the header line, when there is one
};

// known: people whose names make a first line data rather than a header.
Result<PairTable> ReadPairsCsv(const std::string& path, const PersonIndex& known);

// Scales table's raw values onto [-1, 1] in place. InvalidArgument naming the first rating outside scale.
Status ScaleRatings(RatingTable& table, const RatingScale& scale, const std::string& path);

}  // namespace vouch::trust
