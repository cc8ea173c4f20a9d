// InfluenceMaximizer: the family of algorithms that choose a seed set (the advocates to invite) whose expected
// spread under a diffusion model is as large as possible. OpimC (opim_c.h) is the member Vouch ships.
//
// Contract shared by the family: inputs in the constructor, work in run(), results through getters that
// assert run() succeeded. Results (seeds, with the marginal spread each added) and the run record (samples,
// times, memory, the bounds behind the guarantee) are separate values so that every front end prints the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/influence/diffusion_model.h"

namespace vouch::influence {

struct InfluenceMaximizerOptions {
  uint32_t k = 50;                 // seed set size (ignored when a budget is set)
  double epsilon = 0.1;            // the guarantee is (1 - 1/e - epsilon)
  double delta = 0;                // failure probability; 0 means 1/n
  int threads = 0;                 // 0: all cores
  uint64_t seed = 1;               // of the random streams
  std::vector<NodeId> candidates;  // only these may be chosen (e.g. advocates); empty: everybody
  std::vector<NodeId> excluded;    // never chosen
  std::vector<double> cost;        // per node (graph order), with budget; empty: every person costs 1
  double budget = 0;               // > 0: choose people of total cost at most budget instead of k of them
  // Quality knob: at least this many RR sets in each collection (R1 then holds r1_ratio times as many) before
  // the greedy's seeds may be returned (until R1 reaches theta_max). Sampling starts at the first round of the
  // doubling schedule that holds this many, so the rounds, their bounds and the guarantee are OPIM-C's
  // unchanged; more sets make the greedy's seeds better on average at the cost of sampling time. 0: stop as soon
  // as OPIM-C's bound allows.
  uint64_t min_rr_sets = 0;
  // R1, the greedy's sample, holds this many times R2's RR sets (R2 only validates the seeds). OPIM-C's bounds
  // take each collection's own size, so the guarantee is unchanged (opim_c.h); a larger R1 gives the greedy a
  // better choice and a tighter bound on the optimum, which can end the doubling a round earlier. 1: OPIM-C's
  // equal collections. The default 8 bought 1.5-2.5% more spread on Enron for about the same selection CPU with
  // uniform weights and ~2x with wc (docs/benchmarks.md, "Influence").
  uint64_t r1_ratio = 8;
  // Precision of the greedy (opim_c.h): once OPIM-C's bounds have passed, R1 alone grows (by G / gain) while
  // the last seed's marginal coverage on R1 is below this many RR sets (a count of g sets has a relative
  // standard error of about 1/sqrt(g), so 100 means about 10%), the grown sample's seeds re-certified against the
  // round's R2, at most OpimC::kMaxPrecisionGrowth times the round's R1 and never past theta_max. 0: off
  // (R1 = r1_ratio x R2). Off by default: G = 100 bought 0.6-2.4% spread on Enron and Epinions but cost IC wc
  // 1.6-2.2x its selection time and Epinions IC uniform 17x (docs/benchmarks.md, "Influence").
  uint64_t min_marginal_coverage = 0;
  // The greedy's selection loss (opim_c.h, "The selection-loss rule"): once OPIM-C's bounds have passed, R1 alone
  // grows while the estimated share of the seeds' coverage that sampling noise costs the greedy exceeds this
  // fraction. The estimate is read off R1: the expected opportunity cost of the people on either side of the cut
  // at the last seed's gain (each count taken as a normal of its own variance). It falls as 1 / |R1|, so R1 grows
  // by estimate / target at once, again while it stays above, at most precision_max_growth times the round's R1
  // and never past theta_max; the grown sample's seeds are re-certified against the round's R2 (the guarantee is
  // unchanged). Computed and recorded (InfluenceMaximizerRecord::selection_loss) even when off. 0: off. Not
  // applied with a budget. Default 0.5%: half the 1% spread tolerance (docs/benchmarks.md, "Influence").
  double max_selection_loss = 0.005;
  // The selection-loss rule's cap: R1 grows to at most this many times the round's R1 (its sampling time and
  // memory at most about this multiple of R1's; 2 keeps the selection within about twice the time without the
  // rule). 1: the rule never grows R1.
  double precision_max_growth = 2;
  // The selection-loss rule's far cap (opim_c.h): once R1 holds precision_max_growth times the round's R1, an
  // estimate still above OpimC::kFarLoss times max_selection_loss (1% by default: the spread tolerance)
  // says the seeds are likely to fall short by more than that; R1 then keeps growing toward the target, to at most
  // this many times the round's R1 (or precision_max_growth, the larger), where the estimate fell at least in
  // proportion to R1's growth up to the first cap (opim_c.h). 1: no far growth. On Enron the wc rows'
  // estimates end below 1% at the first cap (59 of 60 runs), the IC uniform 0.01 rows' at 2.8-3.3% (their seeds
  // 1.2-2.9% short of Ripples' without it; docs/benchmarks.md, "Session 13").
  double precision_far_growth = 8;
  // The fixed prefix (opim_c.h): after a round's greedy, its seeds whose gains stand clear of the last seed's
  // (6 standard errors) are taken first by every later greedy of the run (later rounds and the precision rules'
  // growth), and R1's sets sampled from then on stop as soon as they reach one of them (every model; a round that
  // reaches theta_max samples R1 whole again). false: R1 is sampled whole and every greedy runs from scratch.
  bool fix_settled_seeds = true;
};

struct SeedChoice {
  NodeId node = 0;
  // Estimated people added by this seed given the ones before it: the greedy's coverage gain on its own sample,
  // scaled so that the seeds' shares add up to the record's unbiased spread estimate. Never increases along the
  // selection order when choosing k people (greedy maximum coverage); with a budget the order is by gain per
  // unit of cost, so shares may rise.
  double marginal_spread = 0;
};

struct InfluenceMaximizerRecord {
  std::string algorithm;
  int rounds = 0;                 // rounds of sampling (OPIM-C doublings)
  int max_rounds = 0;
  uint64_t rr_sets = 0;           // in R1 and R2 together
  uint64_t rr_sets_r1 = 0;        // in R1, the greedy's sample (r1_ratio times R2's)
  uint64_t rr_set_entries = 0;    // total nodes over all RR sets
  int precision_steps = 0;        // times R1 alone grew by the min_marginal_coverage rule (all rounds)
  uint64_t last_marginal_coverage = 0;  // the last seed's coverage gain on R1 (RR sets), for the returned seeds
  // The selection-loss rule's estimate (max_selection_loss) for the returned seeds' sample, and for the round's
  // R1 before it grew (equal when R1 did not grow); computed with the rule off too; 0 with a budget.
  double selection_loss = 0;
  double selection_loss_before_growth = 0;
  uint64_t fixed_seeds = 0;       // the fixed prefix's length at the end of the run (fix_settled_seeds)
  double theta_0 = 0, theta_max = 0;
  double spread = 0;              // unbiased estimate of the seeds' spread (from R2)
  double spread_lower = 0;        // holds with probability >= 1 - delta
  double spread_upper = 0;
  double optimum_upper = 0;       // upper bound on the best possible spread
  double approximation = 0;       // spread_lower / optimum_upper: the guarantee reached
  double target_approximation = 0;
  bool stopped_early = false;     // the bound was reached before theta_max
  double sampling_seconds = 0, selection_seconds = 0, total_seconds = 0;
  uint64_t peak_memory_bytes = 0; // of the process, when known
  int threads = 0;
};

class InfluenceMaximizer {
 public:
  virtual ~InfluenceMaximizer() = default;
  virtual Status run() = 0;
  // In selection order.
  const std::vector<SeedChoice>& seeds() const;
  const InfluenceMaximizerRecord& record() const;

 protected:
  bool done_ = false;
  std::vector<SeedChoice> seeds_;
  InfluenceMaximizerRecord record_;
};

// The process's peak resident memory in bytes (VmHWM), 0 where unknown.
uint64_t PeakResidentBytes();

// Starts the worker threads that a run on `threads` threads (0: all cores) will use (the run's own pool, not
// TBB's: a run that holds it starts no TBB at all), and returns without waiting for them: their creation then
// overlaps with what the caller does next, such as loading the graph, instead of being paid inside the first
// run(). Optional: a run starts any thread it lacks itself. Idle workers sleep until a run wakes them. Thread
// safe; cheap to call again.
void StartWorkerThreads(int threads);

}  // namespace vouch::influence
