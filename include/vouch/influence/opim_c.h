// OpimC: influence maximisation by reverse-reachable sampling with early stopping (OPIM-C: Tang, Tang, Xiao,
// Yuan, SIGMOD 2018), sampling in-neighbours with geometric skipping where probabilities allow (SUBSIM: Guo,
// Wang, Wei, Chen, SIGMOD 2020).
//
// Two independent collections of RR sets: greedy maximum coverage on R1 picks the seeds, R2 lower-bounds their
// spread, R1 (through the greedy's own bound on the optimum) upper-bounds the best spread. When the ratio of the
// two bounds reaches 1 - 1/e - epsilon the seeds are returned; otherwise both collections double, until R1 holds
// theta_max (opim_bounds.h). With probability at least 1 - delta (default 1/n) the seeds' spread is at least
// (1 - 1/e - epsilon) of the optimum. Holds for IC, LT and the word-of-mouth model (its adoption is an IC).
//
// R1 may hold r1_ratio times R2's sets (InfluenceMaximizerOptions). Why the guarantee survives: the paper's
// lower bound (Lemma 4.2) needs only that the seeds are independent of R2, and takes R2's size theta_2; its
// upper bound on the optimum (Lemma 4.3) is a statement about R1 alone, with R1's size theta_1; neither asks
// theta_1 = theta_2. Each round still checks one pair of bounds, each failing with probability at most
// delta / (3 i_max), over at most i_max rounds (R2 follows OPIM-C's schedule from theta_0; R1 reaches theta_max
// no later than R2 would), and if no round passes, the greedy on R1 at theta_max or more sets carries the
// guarantee with probability 1 - delta / 3 as in the paper. So the union bound, and delta, are OPIM-C's. What
// the ratio buys: the greedy chooses from a larger sample (better seeds on average), and the bound on the
// optimum tightens, which often ends the doubling a round earlier, so R2's share of the work shrinks.
//
// Candidates restrict who may be chosen, and the optimum is then the best among them. With a budget and costs the
// greedy picks by spread gained per unit of cost and keeps the better of that and the best single affordable
// person; that rule's worst case is (1 - 1/e) / 2 (Khuller, Moss, Naor 1999; Leskovec et al. 2007), which is the
// target then, and the record's approximation is the ratio actually proven by the bounds.
//
// RR sets live in flat arrays (one node array, one end offset per set); sampling runs on all threads given,
// each block of sets with its own random stream, so results depend on the seed and not the thread count.
// Cancellable between blocks; progress in RR sets.
//
// The run's working memory (RR collections, the greedy's index, per-thread marks) belongs to the object and is
// released with it, not at the end of run(): record().total_seconds then times the selection, not the return of
// a few megabytes to the system (with two threads running, each unmapping costs a cross-processor TLB flush).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "vouch/influence/influence_maximizer.h"

namespace vouch::influence {

class OpimC final : public InfluenceMaximizer {
 public:
  // model (and its graph) must outlive the object.
  OpimC(const DiffusionModel& model, InfluenceMaximizerOptions options, RunControl control = {});
  ~OpimC() override;
  Status run() override;

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;  // the last run's working memory
  const DiffusionModel& model_;
  InfluenceMaximizerOptions options_;
  RunControl control_;
  std::vector<uint8_t> choosable_;  // who may be chosen, per node (the greedy keeps a reference)
};

}  // namespace vouch::influence
