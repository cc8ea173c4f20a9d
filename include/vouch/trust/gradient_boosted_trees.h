// GradientBoostedTrees: a small gradient-boosted regression-tree model for squared loss (J. Friedman, "Greedy
// Function Approximation: A Gradient Boosting Machine", Ann. Statist. 2001), with histogram split finding on
// per-feature quantile bins (as LightGBM/XGBoost's "hist" method) and L2-regularised leaf values (XGBoost).
//
// Fit() holds out validation_fraction of the rows (chosen by seed) and keeps the number of trees that scored best
// on them (early stopping), so the caller need not tune the tree count. Rows are dense feature vectors; a feature
// may hold any finite value (callers encode "missing" as a value outside the feature's range).
//
// Thread safety: Fit() parallelises histogram building over features with TBB; Predict() is const and may be
// called from many threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::trust {

struct GbtParams {
  int max_trees = 400;
  int max_depth = 5;
  double learning_rate = 0.05;
  int min_leaf_rows = 20;
  double l2 = 1.0;
  int bins = 64;               // per feature, at most 255
  double row_subsample = 0.8;  // rows drawn for each tree
  double validation_fraction = 0.1;
  int early_stopping_rounds = 40;  // stop when validation has not improved for this many trees
  uint64_t seed = 1;
};

struct GbtRecord {
  int trees = 0;
  double train_rmse = 0;
  double validation_rmse = 0;
  double seconds = 0;
};

class GradientBoostedTrees final {
 public:
  explicit GradientBoostedTrees(GbtParams params = {}) : params_(params) {}
  // rows: row-major, rows.size() == targets.size() * features. InvalidArgument on a shape mismatch or no rows.
  Status Fit(std::span<const float> rows, std::span<const float> targets, int features);
  double Predict(std::span<const float> row) const;
  bool fitted() const { return fitted_; }
  const GbtRecord& record() const { return record_; }
  // Total gain of the splits on each feature (the model's feature importance).
  const std::vector<double>& importance() const { return importance_; }

 private:
  struct Node {
    int feature = -1;     // -1: leaf
    float threshold = 0;  // row[feature] <= threshold goes left
    int left = 0, right = 0;
    float value = 0;  // leaf output (already scaled by the learning rate)
  };
  struct Tree {
    std::vector<Node> nodes;
  };
  double PredictTree(const Tree& tree, std::span<const float> row) const;

  GbtParams params_;
  int features_ = 0;
  double base_ = 0;
  std::vector<Tree> trees_;
  std::vector<double> importance_;
  GbtRecord record_;
  bool fitted_ = false;
};

}  // namespace vouch::trust
