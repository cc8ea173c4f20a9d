// The fixed prefix's rule (opim_c.h, --fix-settled-seeds): which of a round's seeds the run's later greedies may
// take as given.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "influence/greedy_cover.h"
#include "influence/rr_collection.h"
#include "influence/seed_ranks.h"

namespace vouch::influence::detail {

// The fixed prefix (opim_c.h): the greedy's first seeds of c whose gains stand clear of the cut, each gain g_i
// above the last seed's g by at least kSettledGap standard errors of the difference, sqrt(g_i + g) (counts taken
// as independent, of variance their value). Such a seed would be chosen again on a larger sample all but surely,
// so the run's later greedies may take it as given. Never the last seed; gains never increase, so the seeds that
// qualify are a prefix. Why 6 and not 3: the gap is measured against the cut, not against the seeds a greedy on
// the larger sample might pick before it (overlaps can lower a fixed seed's gain there); on Enron IC wc 3 fixed
// 15-23 of 50 seeds and cost 0.0-0.5% of spread, 6 fixes 7-13 and keeps nearly all the saving, which the first few
// seeds (the hubs, reached by the large sets) carry.
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

// The sets that a fixed prefix covers, taken out of later greedies' work (opim_c.h, the fixed prefix): every set
// of r that holds a fixed seed is emptied in place (its nodes dropped, the others moved up), as R1's walks that
// reach a fixed seed are stored empty (sets emptied before stay empty and are not counted again). The greedy then
// never indexes these sets nor walks them when it takes the fixed seeds, and counts them as covered by the prefix,
// which they are whatever else they hold: its seeds and coverage are those of a greedy on the whole sets that
// takes the prefix first. Returns how many of the emptied sets each fixed seed covers first in the prefix's order
// (a set goes to the earliest fixed seed it holds), what the greedy on the whole sets would have credited each
// with. Singletons (rr_collection.h) rooted at a fixed seed are emptied in their place in r.singles. ranks:
// marked with the fixed seeds here, cleared on return. One pass over r's entries, a bit test each.
inline std::vector<uint64_t> DropSettledSets(RrCollection& r, SeedRanks& ranks, std::span<const NodeId> fixed) {
  std::vector<uint64_t> first_covered(fixed.size(), 0);
  ranks.Mark(fixed);
  NodeId* const nodes = r.nodes.data();
  uint64_t kept = 0, begin = 0;
  for (uint64_t& end : r.ends) {
    uint32_t first = kNone;
    for (uint64_t i = begin; i < end; ++i) {
      const NodeId v = nodes[i];
      if (ranks.Has(v)) first = std::min(first, ranks.Of(v));
    }
    if (first == kNone) {
      std::copy(nodes + begin, nodes + end, nodes + kept);  // moves down or stays: kept <= begin
      kept += end - begin;
    } else {
      ++first_covered[first];
    }
    begin = end;
    end = kept;
  }
  // A singleton holds a fixed seed iff its root is one: emptied where it is, keeping the sets' numbers.
  for (uint64_t i = 0; i < r.singles.size(); ++i) {
    const NodeId v = r.singles[i];
    if (v == kEmptiedSingleton || !ranks.Has(v)) continue;
    ++first_covered[ranks.Of(v)];
    r.EmptySingleton(i);
  }
  r.nodes.resize(kept);
  r.Rewritten();
  ranks.Clear();
  return first_covered;
}

// The fixed seeds' gains in c (the greedy's seeds on a sample whose covered sets were emptied: DropSettledSets,
// and the growth's walks stopped at a fixed seed), where the greedy, seeing no nodes in those sets, credits them
// all to the first seed: each fixed seed gets the round's sets it covers first (first_covered), and the stopped
// walks, whose first fixed seed is not kept, are shared in proportion to those, the rest of the rounding to
// the first. The coverage and the other seeds' gains are unchanged.
inline void CreditSettledSets(Cover& c, const std::vector<uint64_t>& first_covered) {
  const size_t m = std::min(first_covered.size(), c.gains.size());
  if (m == 0) return;
  uint64_t all = 0, dropped = 0;
  for (size_t i = 0; i < m; ++i) {
    all += c.gains[i];
    dropped += first_covered[i];
  }
  if (dropped == 0 || dropped > all) return;  // nothing dropped (or not this sample's prefix): leave as is
  const uint64_t stopped = all - dropped;
  uint64_t given = 0;
  for (size_t i = 0; i < m; ++i) {
    const auto share = static_cast<uint64_t>(static_cast<double>(stopped) * static_cast<double>(first_covered[i]) /
                                             static_cast<double>(dropped));
    c.gains[i] = first_covered[i] + share;
    given += first_covered[i] + share;
  }
  c.gains.front() += all - given;
}

}  // namespace vouch::influence::detail
