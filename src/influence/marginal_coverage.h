// OPIM-C's check on R2 (opim_c.cc): how many of R2's sets each seed covers first, in selection order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "influence/rr_collection.h"
#include "influence/run_workers.h"
#include "influence/seed_ranks.h"

namespace vouch::influence::detail {

// Sets of r that contain some seed, and the sets first covered by each seed in order: the stored sets by their
// earliest seed, and each singleton (rr_collection.h) by its root if that is a seed, so that a seed set S covers
// the stored sets it hits plus the singletons rooted in S.
// ranks: marked with the seeds here (whoever was marked before is not), cleared on return (kept by the caller
// across rounds: its bitmap is written once a run).
inline std::vector<uint64_t> MarginalCoverage(const RrCollection& r, SeedRanks& ranks,
                                              const std::vector<NodeId>& seeds) {
  ranks.Mark(seeds);
  // One contiguous part of the stored sets per thread (at least 4,096 sets a part), each counted apart.
  const uint64_t stored = r.ends.size();
  const uint64_t parts = std::clamp<uint64_t>(stored / 4096, 1, static_cast<uint64_t>(StepThreads()));
  std::vector<std::vector<uint64_t>> hist(parts, std::vector<uint64_t>(seeds.size(), 0));
  detail::ParallelFor(parts, [&](uint64_t t) {
    std::vector<uint64_t>& h = hist[t];
    for (uint64_t s = stored * t / parts, end = stored * (t + 1) / parts; s < end; ++s) {
      uint32_t first = kNone;
      for (uint64_t i = r.begin(s); i < r.ends[s]; ++i) {
        if (const NodeId v = r.nodes[i]; ranks.Has(v)) first = std::min(first, ranks.Of(v));
      }
      if (first != kNone) ++h[first];
    }
  });
  std::vector<uint64_t> out(seeds.size(), 0);
  for (const std::vector<uint64_t>& h : hist) {
    for (size_t i = 0; i < h.size(); ++i) out[i] += h[i];
  }
  // The singletons on this thread: a read and a test each (R2's, a few tens of thousands on the uniform rows).
  for (const NodeId v : r.singles) {
    if (v == kEmptiedSingleton) continue;
    if (const uint32_t first = ranks.Of(v); first != kNone) ++out[first];
  }
  ranks.Clear();
  return out;
}

}  // namespace vouch::influence::detail
