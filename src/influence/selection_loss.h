// The selection-loss rule's statistic (opim_c.h, --max-selection-loss), read from the greedy's state.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "influence/greedy_cover.h"

namespace vouch::influence::detail {

// The selection-loss rule's statistic (opim_c.h): the expected share of c's coverage of R1 that sampling noise
// costs the greedy at the cut between the seeds and the rest, read from the greedy's state right after choosing
// c. The cut lies at the last seed's gain g. A count of h sets varies by about s = sqrt(h), so someone left out
// who would still add h = g - d sets truly adds more than g with an expected excess of s Psi(d / s), Psi(z) =
// phi(z) - z Phi(-z) (the expected opportunity cost of ranking and selection), and a seed that gained g + d truly
// adds less than g by as much in expectation: the sum over both sides is the expected loss (people beyond 3 s
// add under 0.4% of s each and are left out). For a density rho of people per set of gain around the cut it is
// rho g / 2 sets: with rho ~ 1 / |R1| and g, the coverage ~ |R1|, the share falls as 1 / |R1|. 0 when nothing
// is left to gain.
inline double SelectionLoss(const Cover& c, const GreedyCover& greedy) {
  if (c.gains.empty() || c.covered == 0 || c.gains.back() == 0) return 0;
  const uint64_t g = c.gains.back();
  auto expected_excess = [](uint64_t count, uint64_t d) {
    const double s = std::sqrt(static_cast<double>(count));
    const double z = static_cast<double>(d) / s;
    const double tail = 0.5 * std::erfc(z / std::sqrt(2.0));
    const double density = std::exp(-z * z / 2) / std::sqrt(2 * std::acos(-1.0));
    return s * (density - z * tail);
  };
  const auto reach = static_cast<uint64_t>(std::ceil(3 * std::sqrt(static_cast<double>(g))));
  double loss = 0;
  for (uint64_t gain : c.gains) {  // the seeds, above the cut
    if (gain - g <= reach) loss += expected_excess(gain, gain - g);
  }
  const uint64_t lo = g > reach ? g - reach : 1;
  const std::vector<uint64_t> below = greedy.GainCounts(static_cast<uint32_t>(lo), static_cast<uint32_t>(g));
  for (uint64_t h = lo; h <= g; ++h) loss += static_cast<double>(below[h - lo]) * expected_excess(h, g - h);
  return loss / static_cast<double>(c.covered);
}

}  // namespace vouch::influence::detail
