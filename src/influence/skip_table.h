// How the kept arcs of an in-row are drawn when all of the row's arcs share one probability (wc, uniform: every
// per-target scheme's probability is a function of the listener's in-degree), and the table of it by in-degree
// that one selection run computes once and all its threads read. Used by the IC and WOM RR walks (cascade.h).
// Internal to vouch/influence.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "influence/prefault.h"
#include "vouch/graph/edge_probabilities.h"
#include "vouch/graph/graph.h"

namespace vouch::influence::detail {

// How an in-row of d arcs that all have probability p (0 < p < 1) is sampled. Two ways, each exact:
// - by count: the number K of kept arcs is Binomial(d, p), drawn by inverting its distribution function from
//   K = 0 (one draw; K = 0, probability (1 - p)^d, needs one comparison), and the kept arcs are then a uniform
//   K-subset of the row (Floyd's algorithm, one draw each). One draw per kept arc and no logarithm: with wc (one
//   kept arc expected per row) a row costs a few dozen instructions.
// - geometric skipping (SUBSIM, Guo et al. SIGMOD 2020): the gap to the next kept arc is
//   floor(ln(x) / ln(1 - p)) for x uniform in (0, 1], one logarithm per kept arc; the first gap passes the
//   row's end exactly when x <= (1 - p)^d, which needs no logarithm. Taken when many arcs are kept
//   (d * p > kMaxMeanCount), where the count's inversion would take many steps (and (1 - p)^d could
//   underflow) and Floyd's checks grow as K^2.
struct Skip {
  static constexpr double kMaxMeanCount = 8;
  float prob = -1;  // the row's probability (-1: no Skip computed here)
  bool by_count = false;
  double none = 0;     // (1 - p)^d, the chance that no arc of the row is kept
  double odds = 0;     // by count: p / (1 - p)
  double per_log = 0;  // skipping: 1 / ln(1 - p)
  // By count: the distribution function's first two steps, P(K <= 1) and P(K <= 2) with the probabilities of
  // K = 1 and 2, computed as the inversion's recurrence computes them (the same operations, so the same bits):
  // most rows keep one or two arcs, and then the inversion takes no division.
  double pmf1 = 0, cdf1 = 0, pmf2 = 0, cdf2 = 0;

  // Needs 0 < prob < 1.
  static Skip For(uint64_t d, float prob) {
    Skip s;
    const double pd = static_cast<double>(prob);
    const double log_miss = std::log1p(-pd);
    s.prob = prob;
    s.none = std::exp(static_cast<double>(d) * log_miss);
    s.by_count = static_cast<double>(d) * pd <= kMaxMeanCount;
    s.odds = pd / (1 - pd);
    s.per_log = 1.0 / log_miss;
    s.pmf1 = s.none * (s.odds * static_cast<double>(d) / 1.0);
    s.cdf1 = s.none + s.pmf1;
    s.pmf2 = s.pmf1 * (s.odds * static_cast<double>(d - 1) / 2.0);
    s.cdf2 = s.cdf1 + s.pmf2;
    return s;
  }
};

// The Skip of every in-degree below kCachedDegrees that the graph's rows have, for per-target probabilities
// (EdgeProbabilities::per_target; empty otherwise), computed when the table is made: one pass over the in-row
// offsets finds the degrees, and each degree's Skip is computed once. Read only afterwards, so one table serves
// every thread of a run. Why not filled as rows are met, as before: each thread then grew its own table, and
// every growth wrote a fresh, larger copy; on this project's 2-vCPU benchmark VM, where a fresh page costs about
// 12 µs the first time it is written (run_memory.h), that was 2.8-3.6 ms of each thread's first block on
// soc-Epinions1 IC wc, against 0.3-0.5 ms for a later block (docs/benchmarks.md, session 15). The table lives on
// the ordinary heap, not in the run's memory (run_memory.h), whose huge-page budget is the per-node arrays'.
// The probabilities (and their graph) must outlive the table.
class SkipTable {
 public:
  static constexpr uint64_t kCachedDegrees = uint64_t{1} << 16;

  explicit SkipTable(const graph::EdgeProbabilities& p) : p_(&p) {
    if (!p.per_target()) return;
    const graph::Graph& g = p.graph();
    const std::span<const graph::EdgeIndex> offsets = g.arrays().in_offsets;
    std::array<uint64_t, kCachedDegrees / 64> present{};  // (on the stack: no fresh pages)
    uint64_t top = 0;  // one past the largest cached degree met
    for (size_t v = 0; v + 1 < offsets.size(); ++v) {
      const uint64_t d = offsets[v + 1] - offsets[v];
      if (d >= kCachedDegrees) continue;
      present[d >> 6] |= uint64_t{1} << (d & 63);
      top = std::max(top, d + 1);
    }
    detail::ReservePrefaulted(table_, top);  // (its pages in one call: prefault.h)
    table_.resize(top);
    for (uint64_t d = 0; d < top; ++d) {
      if (((present[d >> 6] >> (d & 63)) & 1) == 0) continue;
      const float prob = p.TargetProbabilityForInDegree(d);
      if (prob > 0 && prob < 1) table_[d] = Skip::For(d, prob);
    }
  }

  // Whether this table was made for p.
  bool For(const graph::EdgeProbabilities& p) const { return p_ == &p; }

  // The Skip of a row of d arcs (d >= 1, with 0 < TargetProbabilityForInDegree(d) < 1). A degree beyond the table
  // (kCachedDegrees and more) is computed into spare.
  const Skip& At(uint64_t d, Skip& spare) const {
    if (d < table_.size()) return table_[d];
    return Uncached(d, spare);
  }

 private:
  // Out of line, so that the walks' hot loop stays small.
  [[gnu::noinline]] const Skip& Uncached(uint64_t d, Skip& spare) const {
    spare = Skip::For(d, p_->TargetProbabilityForInDegree(d));
    return spare;
  }

  const graph::EdgeProbabilities* p_;
  std::vector<Skip> table_;
};

}  // namespace vouch::influence::detail
