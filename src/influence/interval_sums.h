// Running sums of a per-run figure and the confidence interval they give (mean +- z * stddev / sqrt(runs), the
// normal approximation). Shared by the Monte Carlo estimators of vouch/influence. Internal.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "vouch/influence/spread_estimator.h"

namespace vouch::influence::detail {

// The two-sided normal quantile for 0.90, 0.95 or 0.99 (anything below 0.95 is taken as 0.90).
inline double ZFor(double confidence) {
  if (confidence >= 0.99) return 2.5758;
  if (confidence >= 0.95) return 1.9600;
  return 1.6449;
}

struct Sums {
  double sum = 0, sum_sq = 0;
  uint64_t n = 0;
  void Add(double x) {
    sum += x;
    sum_sq += x * x;
    ++n;
  }
  void Merge(const Sums& o) {
    sum += o.sum;
    sum_sq += o.sum_sq;
    n += o.n;
  }
  Interval ToInterval(double z) const {
    Interval i;
    if (n == 0) return i;
    i.mean = sum / static_cast<double>(n);
    const double var = n > 1 ? (sum_sq - sum * i.mean) / static_cast<double>(n - 1) : 0;
    i.stddev = std::sqrt(std::max(0.0, var));
    const double half = z * i.stddev / std::sqrt(static_cast<double>(n));
    i.low = i.mean - half;
    i.high = i.mean + half;
    return i;
  }
};

}  // namespace vouch::influence::detail
