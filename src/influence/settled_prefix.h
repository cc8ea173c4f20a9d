// The fixed prefix's rule (opim_c.h, --fix-settled-seeds): which of the round's seeds a growth of R1 may take as
// given.
#pragma once

#include <cmath>
#include <vector>

#include "influence/greedy_cover.h"

namespace vouch::influence::detail {

// The fixed prefix (opim_c.h): the greedy's first seeds of c whose gains stand clear of the cut, each gain g_i
// above the last seed's g by at least kSettledGap standard errors of the difference, sqrt(g_i + g) (counts taken
// as independent, of variance their value). Such a seed would be chosen again on a larger sample all but surely,
// so a growth of R1 may take it as given. Never the last seed; gains never increase, so the seeds that qualify are
// a prefix. Why 6 and not 3: the gap is measured against the cut, not against the seeds a greedy on the larger
// sample might pick before it (overlaps can lower a fixed seed's gain there); on Enron IC wc 3 fixed 15-23 of 50
// seeds and cost 0.0-0.5% of spread, 6 fixes 7-13 and keeps nearly all the saving, which the first few seeds (the
// hubs, reached by the large sets) carry.
constexpr double kSettledGap = 6;
inline std::vector<NodeId> SettledPrefix(const Cover& c) {
  std::vector<NodeId> fixed;
  if (c.gains.size() < 2) return fixed;
  const double g = static_cast<double>(c.gains.back());
  for (size_t i = 0; i + 1 < c.gains.size(); ++i) {
    const double gi = static_cast<double>(c.gains[i]);
    if (gi - g < kSettledGap * std::sqrt(gi + g)) break;
    fixed.push_back(c.seeds[i]);
  }
  return fixed;
}

}  // namespace vouch::influence::detail
