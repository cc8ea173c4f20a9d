// SpreadEstimator: the expected spread of a seed set under a diffusion model, by parallel Monte Carlo
// simulation, with a normal-approximation confidence interval (mean +- z * stddev / sqrt(runs)).
//
// Independent of how seeds were chosen, so it judges any tool's seed set, ours included. Runs are split into
// fixed blocks, each with its own random stream (random.h), so the estimate depends on the seed and the number
// of runs, not on the number of threads. Cancellable between blocks; reports progress in runs.
#pragma once

#include <cstdint>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/influence/diffusion_model.h"

namespace vouch::influence {

struct SpreadEstimatorOptions {
  uint64_t runs = 10000;
  int threads = 0;            // 0: all cores
  uint64_t seed = 1;
  double confidence = 0.95;   // of the interval; one of 0.90, 0.95, 0.99
};

struct Interval {
  double mean = 0, stddev = 0, low = 0, high = 0;
};

struct SpreadEstimate {
  Interval spread;  // people activated (IC, LT) or adopting (WOM), seeds included
  Interval reach;   // people who heard (WOM); equals spread for IC and LT
  uint64_t runs = 0;
  double confidence = 0.95;
  double seconds = 0;
};

class SpreadEstimator final {
 public:
  // seeds must be valid node ids of model.graph() (duplicates are harmless).
  SpreadEstimator(const DiffusionModel& model, std::vector<NodeId> seeds, SpreadEstimatorOptions options,
                  RunControl control = {});
  Status run();
  const SpreadEstimate& estimate() const;

 private:
  const DiffusionModel& model_;
  std::vector<NodeId> seeds_;
  SpreadEstimatorOptions options_;
  RunControl control_;
  bool done_ = false;
  SpreadEstimate estimate_;
};

}  // namespace vouch::influence
