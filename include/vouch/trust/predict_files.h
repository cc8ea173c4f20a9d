// The file-to-file forms of the trust computations behind `vouch trust predict` and `vouch trust reputation`:
// read ratings (rating_csv.h), compute, write CSV. Kept in the library so the CLI stays a thin option parser and
// the evaluation scripts and tests exercise exactly this code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/trust/algorithm.h"
#include "vouch/trust/rating_graph.h"
#include "vouch/trust/rating_predictor.h"

namespace vouch::trust {

enum class PredictMethod {
  kModel,  // RatingPredictor: the supervised model (default)
  kFxg,    // fairness x goodness (Kumar et al. 2016), the paper's baseline
  kMean,   // the mean training rating for every pair
};
Result<PredictMethod> ParsePredictMethod(std::string_view name);  // "model", "fxg", "mean"

// The scale used when the caller gives none: with ratings of both signs, the symmetric [-M, M], M the largest
// absolute rating (signed scales are symmetric in practice and 0 must stay neutral); otherwise [min, max].
RatingScale InferScale(double min_raw, double max_raw);

struct PredictRequest {
  std::string train_path;   // rater,ratee,rating[,time]
  std::string test_path;    // rater,ratee
  std::string output_path;  // rater,ratee,predicted
  std::optional<RatingScale> scale;
  PredictMethod method = PredictMethod::kModel;
  RatingPredictorParams params;
};

struct PredictReport {
  RatingScale scale;
  uint64_t train_ratings = 0;
  uint64_t people = 0;
  uint64_t pairs = 0;
  uint64_t unseen_pairs = 0;    // pairs naming at least one person absent from the training ratings
  uint64_t observed_pairs = 0;  // pairs rated in the training data (their rating is returned)
  std::vector<RunRecord> records;
  std::optional<GbtRecord> model;
  std::vector<std::pair<std::string, double>>
      importance;  // the model's features by total split gain, largest first
  double seconds = 0;
};

// Writes one line per pair of test_path, in its order (a header line first when test_path has one), predicted on
// the scale of the ratings and clamped to it.
Result<PredictReport> PredictRatingsFiles(const PredictRequest& request, const RunControl& control = {});

struct ReputationRequest {
  std::string ratings_path;
  std::string output_path;  // person,reputation,fairness,goodness,fxg_fairness,trust,credibility
  std::optional<RatingScale> scale;
  std::string seeds_path;  // one person per line; empty: DefaultSeeds
  size_t seed_count = 0;   // 0: DefaultSeedCount
  ReputationParams params;
};

struct ReputationReport {
  RatingScale scale;
  uint64_t ratings = 0, people = 0, seeds = 0;
  std::vector<RunRecord> records;
};

// Global reputation of every person in the ratings file (reputation.h), with the plain fairness/goodness beside
// it.
Result<ReputationReport> ReputationFiles(const ReputationRequest& request, const RunControl& control = {});

}  // namespace vouch::trust
