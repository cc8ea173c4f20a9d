#include "vouch/trust/gradient_boosted_trees.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "vouch/trust/algorithm.h"

namespace vouch::trust {
namespace {

struct NodeSplit {
  double gain = 0;
  int feature = -1;
  int bin = -1;  // rows with bin <= this go left
};

}  // namespace

Status GradientBoostedTrees::Fit(std::span<const float> rows, std::span<const float> targets, int features) {
  fitted_ = false;
  const double start = SteadySeconds();
  const size_t n = targets.size();
  if (features <= 0 || n == 0 || rows.size() != n * static_cast<size_t>(features)) {
    return Status::InvalidArgument(
        fmt::format("gradient boosted trees: {} values for {} rows of {} features", rows.size(), n, features));
  }
  if (params_.bins < 2 || params_.bins > 255 || params_.max_depth < 1 || params_.learning_rate <= 0) {
    return Status::InvalidArgument("gradient boosted trees: bins must be in [2, 255], depth >= 1, rate > 0");
  }
  features_ = features;
  const auto F = static_cast<size_t>(features);

  // Quantile cut points per feature; bin(x) = index of the first cut >= x.
  std::vector<std::vector<float>> cuts(F);
  std::vector<uint8_t> bin(n * F);  // feature-major: bin[f * n + i]
  tbb::parallel_for(size_t{0}, F, [&](size_t f) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = rows[i * F + f];
    std::sort(v.begin(), v.end());
    std::vector<float> uniq;
    std::unique_copy(v.begin(), v.end(), std::back_inserter(uniq));
    auto& c = cuts[f];
    const auto want = static_cast<size_t>(params_.bins);
    if (uniq.size() <= want) {
      for (size_t k = 0; k + 1 < uniq.size(); ++k) c.push_back(uniq[k]);
    } else {
      for (size_t k = 1; k < want; ++k) {
        const float q = v[k * n / want];
        if (c.empty() || q > c.back()) c.push_back(q);
      }
      if (!c.empty() && c.back() >= uniq.back()) c.pop_back();
    }
    for (size_t i = 0; i < n; ++i) {
      const float x = rows[i * F + f];
      bin[f * n + i] = static_cast<uint8_t>(std::lower_bound(c.begin(), c.end(), x) - c.begin());
    }
  });

  std::mt19937_64 rng(params_.seed);
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), rng);
  size_t n_valid = static_cast<size_t>(static_cast<double>(n) * params_.validation_fraction);
  if (n < 50) n_valid = 0;
  const std::vector<uint32_t> valid(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_valid));
  const std::vector<uint32_t> train(order.begin() + static_cast<std::ptrdiff_t>(n_valid), order.end());

  base_ = 0;
  for (uint32_t i : train) base_ += targets[i];
  base_ /= static_cast<double>(train.size());
  std::vector<double> pred(n, base_), residual(n, 0.0);
  trees_.clear();
  importance_.assign(F, 0.0);
  double best_valid = INFINITY;
  size_t best_trees = 0;
  std::bernoulli_distribution keep(params_.row_subsample);
  const double lambda = params_.l2;
  const auto min_leaf = static_cast<size_t>(std::max(1, params_.min_leaf_rows));
  const size_t nb = static_cast<size_t>(params_.bins);

  for (int t = 0; t < params_.max_trees; ++t) {
    std::vector<uint32_t> sample;
    for (uint32_t i : train) {
      residual[i] = targets[i] - pred[i];
      if (params_.row_subsample >= 1.0 || keep(rng)) sample.push_back(i);
    }
    Tree tree;
    // Depth-first growth over index ranges of `sample`.
    struct Work {
      size_t begin, end;
      int depth;
      int node;
    };
    tree.nodes.emplace_back();
    std::vector<Work> stack{{0, sample.size(), 0, 0}};
    while (!stack.empty()) {
      const Work w = stack.back();
      stack.pop_back();
      const size_t count = w.end - w.begin;
      double g = 0;
      for (size_t k = w.begin; k < w.end; ++k) g += residual[sample[k]];
      const double leaf = params_.learning_rate * g / (static_cast<double>(count) + lambda);
      auto make_leaf = [&] {
        tree.nodes[static_cast<size_t>(w.node)].feature = -1;
        tree.nodes[static_cast<size_t>(w.node)].value = static_cast<float>(leaf);
      };
      if (w.depth >= params_.max_depth || count < 2 * min_leaf) {
        make_leaf();
        continue;
      }
      const double parent = g * g / (static_cast<double>(count) + lambda);
      std::vector<NodeSplit> best(F);
      tbb::parallel_for(size_t{0}, F, [&](size_t f) {
        std::vector<double> hg(nb, 0.0);
        std::vector<size_t> hn(nb, 0);
        const uint8_t* b = bin.data() + f * n;
        for (size_t k = w.begin; k < w.end; ++k) {
          const uint32_t i = sample[k];
          hg[b[i]] += residual[i];
          ++hn[b[i]];
        }
        double gl = 0;
        size_t nl = 0;
        const size_t last = cuts[f].size();  // bins 0..last
        for (size_t k = 0; k < last; ++k) {
          gl += hg[k];
          nl += hn[k];
          const size_t nr = count - nl;
          if (nl < min_leaf) continue;
          if (nr < min_leaf) break;
          const double gr = g - gl;
          const double gain =
              gl * gl / (static_cast<double>(nl) + lambda) + gr * gr / (static_cast<double>(nr) + lambda) - parent;
          if (gain > best[f].gain) best[f] = {gain, static_cast<int>(f), static_cast<int>(k)};
        }
      });
      NodeSplit s;
      for (const NodeSplit& c : best) {
        if (c.feature >= 0 && c.gain > s.gain + 1e-12) s = c;
      }
      if (s.feature < 0) {
        make_leaf();
        continue;
      }
      const uint8_t* b = bin.data() + static_cast<size_t>(s.feature) * n;
      auto mid = std::partition(sample.begin() + static_cast<std::ptrdiff_t>(w.begin),
                                sample.begin() + static_cast<std::ptrdiff_t>(w.end),
                                [&](uint32_t i) { return b[i] <= s.bin; });
      const size_t m = static_cast<size_t>(mid - sample.begin());
      importance_[static_cast<size_t>(s.feature)] += s.gain;
      const int left = static_cast<int>(tree.nodes.size());
      tree.nodes.emplace_back();
      tree.nodes.emplace_back();
      Node& node = tree.nodes[static_cast<size_t>(w.node)];
      node.feature = s.feature;
      node.threshold = cuts[static_cast<size_t>(s.feature)][static_cast<size_t>(s.bin)];
      node.left = left;
      node.right = left + 1;
      stack.push_back({w.begin, m, w.depth + 1, left});
      stack.push_back({m, w.end, w.depth + 1, left + 1});
    }
    trees_.push_back(std::move(tree));
    tbb::parallel_for(size_t{0}, n,
                      [&](size_t i) { pred[i] += PredictTree(trees_.back(), rows.subspan(i * F, F)); });
    if (!valid.empty()) {
      double se = 0;
      for (uint32_t i : valid) se += (targets[i] - pred[i]) * (targets[i] - pred[i]);
      const double rmse = std::sqrt(se / static_cast<double>(valid.size()));
      if (rmse < best_valid) {
        best_valid = rmse;
        best_trees = trees_.size();
      } else if (static_cast<int>(trees_.size() - best_trees) >= params_.early_stopping_rounds) {
        break;
      }
    } else {
      best_trees = trees_.size();
    }
  }
  trees_.resize(best_trees);
  double se = 0;
  for (uint32_t i : train) {
    const double p = Predict(rows.subspan(static_cast<size_t>(i) * F, F));
    se += (targets[i] - p) * (targets[i] - p);
  }
  record_.trees = static_cast<int>(trees_.size());
  record_.train_rmse = std::sqrt(se / static_cast<double>(train.size()));
  record_.validation_rmse = valid.empty() ? 0.0 : best_valid;
  record_.seconds = SteadySeconds() - start;
  fitted_ = true;
  return Status::Ok();
}

double GradientBoostedTrees::PredictTree(const Tree& tree, std::span<const float> row) const {
  size_t k = 0;
  for (;;) {
    const Node& node = tree.nodes[k];
    if (node.feature < 0) return node.value;
    k = static_cast<size_t>(row[static_cast<size_t>(node.feature)] <= node.threshold ? node.left : node.right);
  }
}

double GradientBoostedTrees::Predict(std::span<const float> row) const {
  double sum = base_;
  for (const Tree& tree : trees_) sum += PredictTree(tree, row);
  return sum;
}

}  // namespace vouch::trust
