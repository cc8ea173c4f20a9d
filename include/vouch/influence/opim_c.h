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
// The greedy's precision (options.min_marginal_coverage = G > 0; 0 turns it off). The greedy compares coverage
// counts on R1; a node's count g of sets varies by about sqrt(g), so its relative noise is about 1/sqrt(g), and
// the last seed, the smallest gain, is the noisiest choice. When a round's seeds pass the check but the last one
// gained g < G sets, R1 alone grows (its own stream continued: R2 and the schedule are untouched) by G / g at
// once, gains growing in proportion to R1, and again while the last seed of the greedy on the larger R1 gains
// fewer than G, until R1 holds kMaxPrecisionGrowth times the round's R1 or would reach theta_max. Those seeds are
// then certified against the round's R2 with the round's bound on the optimum (from the round's R1, a prefix of
// the larger one) and returned if the ratio reaches the target; otherwise the next round runs as usual.
// Why the guarantee and delta stay OPIM-C's: at each round i, the seeds the round would return are T_i = S_i
// (the greedy on the round's R1) if its last gain is at least G, else the greedy's seeds on the grown R1: a
// function of R1's stream alone, so independent of R2, and Lemma 4.2 bounds their spread from R2 with failure
// probability delta / (3 i_max) as it does S_i's. The bound on the optimum is Lemma 4.3 on the round's R1 of the
// schedule's size, as before. Whether S_i passed decides only whether T_i is computed, never which seeds a
// certificate speaks of. So each round still rests on one lower-bound and one upper-bound event, at most i_max
// rounds, plus the fallback at theta_max (which the rule never enters: it stays below theta_max). The cap bounds
// the cost: R1 holds at most kMaxPrecisionGrowth times the round's R1 (its memory and sampling time at most that
// multiple); the greedy re-indexes at each step, usually one. G = 100 is a 10% relative standard error of the
// last seed's gain.
//
// The selection-loss rule (options.max_selection_loss = L > 0, the default 0.005; 0 turns it off). What the
// greedy loses to sampling noise is mostly decided at the cut between the k seeds and the rest: swaps among
// seeds cost nothing, while someone the noise pushed just below the last seed's gain g is left out for someone
// just above it. A count of h sets varies by about s = sqrt(h); taking each count as the mean of a normal of
// that variance (a flat prior), a person left out at h = g - d truly adds more than g by s Psi(d / s) in
// expectation, Psi(z) = phi(z) - z Phi(-z), and a seed that gained g + d truly adds less than g by as much: the
// expected opportunity cost of ranking and selection (Chick and Inoue 2001) summed over both sides of the cut,
// relative to the seeds' coverage of R1, is the estimate. For a density rho of people per set of gain around
// the cut it is rho g / 2 sets, and rho shrinks as 1 / |R1| while g and the coverage grow as |R1|, so the share
// falls as 1 / |R1|; so does the loss measured on Enron (2.3% of Ripples' spread at 6,144 sets of R1 with wc
// weights, 0.7% at twice and 0.3% at four times as many; docs/benchmarks.md). When a round's seeds pass the
// check and the estimate exceeds L, R1 alone grows by estimate / (kLossAim L) at once (in whole blocks), again
// while the grown sample's estimate is above L, until R1 holds options.precision_max_growth times the round's R1
// (default 2) or would reach theta_max; those seeds are then certified against the round's R2 exactly as the G
// rule's are (both rules may run together: R1 grows to the larger of their wishes, each up to its own cap). The
// guarantee argument above applies word for word: whether R1 grows, and how far, is a function of R1's stream
// alone, so the seeds a round would return are independent of R2; the optimum's bound is the round's R1 of the
// schedule's size; one lower-bound and one upper-bound event per round; delta is OPIM-C's. The estimate is a
// model (independent normal counts, the cut's neighbourhood only), not a bound: it decides how much sampling to
// spend, never what is certified; with small counts (a last gain of a few sets) it overstates the loss, and the
// cap then decides. Not applied with a budget (the greedy then ranks by gain per cost). The cap bounds the
// cost: R1's sampling time and memory at most precision_max_growth times the round's R1's. The far cap: where
// the estimate on R1 at the cap is still above kFarLoss times L (1% by default: the spread tolerance of issue 5),
// the seeds are likely short by more than that (on Enron a final estimate of 1% came with seeds 1.2% short of
// Ripples', 0.5% with 0.5%), and R1 grows on toward L, up to options.precision_far_growth times the round's R1
// (default 8), provided the estimate fell at least in proportion to R1's growth from the round's: the sampling
// noise the rule measures falls as 1 / |R1|, and an estimate that does not fall so is not that noise, which more
// sampling would not remove (R-MAT 22 IC wc: 1.5% -> 1.4% for twice the sets, with seeds already level with
// the peers'; Enron IC uniform 0.01: 13% -> 3%). Where the last seeds' gains are a few dozen sets (IC uniform
// 0.01: most RR sets hold their root alone) the first cap leaves an estimate of 3%; near the target (the wc rows)
// it is never reached. Whether it applies is read off R1 like the rest, so the argument above holds unchanged.
//
// The fixed prefix (options.fix_settled_seeds, on by default; every model). After each round's greedy that does
// not end the run (a round that fails the check, or one whose seeds pass and a precision rule grows R1), the
// seeds whose gains g_i stand clear of the last seed's g (g_i - g >= 6 sqrt(g_i + g): a difference of counts
// beyond six of its standard errors; never the last seed) join the fixed prefix, which only ever grows: every
// later greedy of the run takes it first, in the order it was fixed, and picks the rest as usual, and R1's sets
// sampled from then on (later rounds and growths) stop as soon as their walk reaches a fixed seed, storing no
// node (such a set is covered by the fixed seeds whatever else it would hold; it is counted as covered, shared
// among them in proportion to their gains). R1's sets already sampled that hold a newly fixed seed are emptied
// likewise (settled_prefix.h DropSettledSets: one pass over R1, each credited to the earliest fixed seed it
// holds, as a greedy taking the prefix first would), so that later greedies neither index them nor walk them
// when they take the prefix. R2 is always sampled whole. What it saves: the sets that reach the leaders are the
// large ones, so their walks, their storage and their indexing shrink to the steps before the leader; on
// Epinions IC uniform 0.01, where one hub lies in most covered sets and those sets hold thousands of people, R1
// (rounds and growth) came to a fifth of its entries and the run's peak from 117-124 to 35 MB
// (docs/benchmarks.md, "Session 16").
// Why the guarantee and delta stay OPIM-C's. The seeds: which are fixed is read off R1, and the stopped walks
// draw from R1's own streams, so the seeds returned are still a function of R1's stream alone, independent of
// R2, and are certified against the round's R2 with Lemma 4.2 exactly as above. The bound on the optimum: for a
// seed set S that holds the prefix, a stopped or emptied set is covered by S, as the whole set would be, and every
// set S does not cover is whole; so S's coverage and everyone's marginal coverage given S are those of the whole
// sets. The greedy's bound is therefore read only at its steps from the prefix on (coverage so far plus the k
// largest marginals: Lemma 4.3's input is then a bound on the optimum's coverage of the whole sets, as OPIM-C's
// is), and the (1 - 1/e) bound from the greedy's own coverage, which holds for a greedy from scratch only, is not
// taken. The last round, which returns its seeds unchecked on the strength of a greedy on whole sets (R1 at
// theta_max), samples R1 again whole from its own streams (a stream's sets depend on the seed, the stream and
// the stops only) with nothing fixed. What it may cost: later greedies keep the fixed seeds where a greedy on the
// whole sets could have swapped one for a near twin; a seed six standard errors clear of the cut seldom is
// (settled_prefix.h: why 6), and the twin spreads about as far. Shares of the spread (marginal_spread) then
// follow the prefix's order; where a later seed gains more than a fixed one, adjacent shares are averaged so that
// they never increase. An LT set is a walk back from its root, one in-arc a step; it stops likewise at the first
// fixed seed it reaches (docs/benchmarks.md, "Session 20": before, LT sets were sampled whole).
//
// Candidates restrict who may be chosen, and the optimum is then the best among them. With a budget and costs the
// greedy picks by spread gained per unit of cost and keeps the better of that and the best single affordable
// person; that rule's worst case is (1 - 1/e) / 2 (Khuller, Moss, Naor 1999; Leskovec et al. 2007), which is the
// target then, and the record's approximation is the ratio actually proven by the bounds.
//
// RR sets live in flat arrays (one node array, one end offset per set), except the sets that hold only their root
// (singletons), kept as a list of roots (rr_collection.h): the greedy counts them per node into the coverages and
// never indexes or walks them, and the check counts a seed set's singletons by their roots. This changes how the
// sets are stored, not which: every coverage count, and so the greedy's picks, both bounds and the guarantee, are
// those of the sets stored whole. Sampling runs on all threads given, each block of sets with its own random
// stream, appended in stream order, so results depend on the seed and not the thread count.
// Cancellable between blocks; progress in RR sets.
//
// On graphs of 2^19 nodes or more the greedy's index has a slot per person the sample holds, not per node
// (greedy_cover.h), and who may be chosen is kept only when someone may not be: the memory a run writes follows
// its sample, beyond a few bits a node and the per-thread marks (on a VM that hands freed memory back to its
// host, every fresh page inside the timer is costly: docs/benchmarks.md, "Session 22").
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

  // The precision rule grows R1 to at most this many times the round's R1 (see above).
  static constexpr uint64_t kMaxPrecisionGrowth = 16;
  // The selection-loss rule grows R1 to bring its estimate to this share of the target, not to the target itself:
  // the estimate on the grown sample is itself noisy, and aiming at the target left it above about half the time,
  // each time one more step (a greedy on the whole grown sample: on LT, as much as all of its sampling). Measured
  // on Enron, 12 seeds a row, IC and LT (docs/benchmarks.md, "Session 12"): steps per run 1.3-1.8 -> 1.0-1.1,
  // R1 +1-9%.
  static constexpr double kLossAim = 0.85;
  // The selection-loss rule's far growth (options.precision_far_growth): an estimate still above this many times
  // the target once R1 reached precision_max_growth times the round's R1 lifts the cap to precision_far_growth.
  static constexpr double kFarLoss = 2;

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;  // the last run's working memory
  const DiffusionModel& model_;
  InfluenceMaximizerOptions options_;
  RunControl control_;
};

}  // namespace vouch::influence
