#include "vouch/influence/opim_c.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include "graph/stopwatch.h"
#include "influence/greedy_cover.h"
#include "influence/marginal_coverage.h"
#include "influence/prefault.h"
#include "influence/rr_collection.h"
#include "influence/rr_sampler.h"
#include "influence/run_memory.h"
#include "influence/run_workers.h"
#include "influence/seed_ranks.h"
#include "influence/selection_loss.h"
#include "influence/settled_prefix.h"
#include "vouch/influence/opim_bounds.h"

namespace vouch::influence {

const std::vector<SeedChoice>& InfluenceMaximizer::seeds() const {
  assert(done_ && "InfluenceMaximizer::seeds before run() succeeded");
  return seeds_;
}

const InfluenceMaximizerRecord& InfluenceMaximizer::record() const {
  assert(done_ && "InfluenceMaximizer::record before run() succeeded");
  return record_;
}

uint64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmHWM:  1234 kB"
  }
  return 0;
}

void StartWorkerThreads(int threads) {
  const int cores = detail::UsableCores();
  const int want = threads > 0 ? std::min(threads, cores) : cores;
  if (want <= 1) return;
  // The run's own workers (run_workers.h); a run that holds them starts no TBB (its first use would cost the
  // selection ~3 ms and the process its libraries' and threads' pages).
  detail::RunWorkers::Shared().Start(want);
}

namespace {

// Pool-adjacent-violators on the seeds' shares: the nearest never-increasing sequence in squares, same sum.
void PoolRisingShares(std::vector<SeedChoice>& seeds) {
  struct Pool {
    double sum;
    size_t count;
  };
  std::vector<Pool> pools;
  for (const SeedChoice& s : seeds) {
    pools.push_back({s.marginal_spread, 1});
    while (pools.size() > 1) {
      Pool& last = pools.back();
      Pool& before = pools[pools.size() - 2];
      if (last.sum / static_cast<double>(last.count) <= before.sum / static_cast<double>(before.count)) break;
      before.sum += last.sum;
      before.count += last.count;
      pools.pop_back();
    }
  }
  size_t at = 0;
  for (const Pool& p : pools) {
    for (size_t i = 0; i < p.count; ++i) seeds[at++].marginal_spread = p.sum / static_cast<double>(p.count);
  }
}

}  // namespace

using detail::Cover;
using detail::GreedyCover;
using detail::kRrSetsPerStream;
using detail::MarginalCoverage;
using detail::RrCollection;
using detail::RrSampler;
using detail::RunVector;
using detail::SelectionLoss;
using detail::WholeStreams;

// What one run works in, kept by the object after the run (opim_c.h: released with it, outside the timing). All
// of it lives in `memory`, declared first so that it goes last.
struct OpimC::Buffers {
  // restricted: some people may not be chosen (candidates, or someone excluded), so `choosable` is filled.
  Buffers(const DiffusionModel& model, uint64_t seed, const RunControl& control, NodeId n, int threads,
          bool restricted)
      : memory(ChunkedBytes(n, restricted)), choosable(&memory), sampler(model, seed, control, &memory, threads),
        r1(&memory), r2(&memory), greedy(n, choosable, &memory), ranks(n, &memory) {}
  // The per-node arrays cut from the run's huge pages (run_memory.h), which are resident whole once written, so
  // that only arrays sure to fill them count: who may be chosen (1 byte a node, when restricted), the seed ranks'
  // bitmap (1 bit) and the greedy's (GreedyCover::ChunkedBytes), each where it is under 2 MiB (from 2 MiB on, an
  // array has its own pages).
  static size_t ChunkedBytes(NodeId n, bool restricted) {
    const size_t nodes = size_t{n} + 1, bitmap = (nodes + 63) / 64 * 8;
    size_t sum = GreedyCover::ChunkedBytes(n);
    for (size_t bytes : {restricted ? nodes : 0, bitmap}) {
      if (bytes < detail::kHugePage) sum += bytes;
    }
    return sum;
  }
  detail::RunMemory memory;
  RunVector<uint8_t> choosable;  // who may be chosen, per node (empty: everyone)
  RrSampler sampler;
  RrCollection r1, r2;
  GreedyCover greedy;
  detail::SeedRanks ranks;  // MarginalCoverage's and DropSettledSets', nobody marked between calls
};

OpimC::OpimC(const DiffusionModel& model, InfluenceMaximizerOptions options, RunControl control)
    : model_(model), options_(std::move(options)), control_(control) {}

OpimC::~OpimC() = default;

Status OpimC::run() {
  Stopwatch total;
  const graph::Graph& g = model_.graph();
  const NodeId n = g.num_nodes();
  if (n == 0) return Status::InvalidArgument("the graph has no nodes");
  const double eps = options_.epsilon;
  if (!(eps > 0 && eps < 1 - std::exp(-1.0))) {
    return Status::InvalidArgument(fmt::format("epsilon {} must lie in (0, 1 - 1/e)", eps));
  }
  // The run's parallel steps go to the process's RunWorkers, held (kept spinning between steps) until the run
  // returns (run_workers.h); taken first, so that the workers are awake by the first step.
  const int cores = detail::UsableCores();
  const int threads = options_.threads > 0 ? std::min(options_.threads, cores) : cores;
  detail::RunWorkersHold hold(threads);
  buffers_.reset();  // a previous run's
  // Who may be chosen, per node; left empty when everyone may (no candidates, nobody excluded): on a large graph
  // its pages were 4 MB written inside the timed selection for nothing (docs/benchmarks.md, session 22).
  const bool restricted = !options_.candidates.empty() || !options_.excluded.empty();
  buffers_ = std::make_unique<Buffers>(model_, options_.seed, control_, n, threads, restricted);
  RunVector<uint8_t>& choosable = buffers_->choosable;
  uint64_t n_choosable = n;
  if (restricted) {
    detail::AssignPrefaulted(choosable, n, options_.candidates.empty() ? 1 : 0);
    for (NodeId c : options_.candidates) {
      if (c >= n) return Status::InvalidArgument("candidate outside the graph");
      choosable[c] = 1;
    }
    for (NodeId x : options_.excluded) {
      if (x >= n) return Status::InvalidArgument("excluded person outside the graph");
      choosable[x] = 0;
    }
    n_choosable = static_cast<uint64_t>(std::count(choosable.begin(), choosable.end(), 1));
  }
  if (n_choosable == 0) return Status::InvalidArgument("nobody may be chosen (candidates minus excluded is empty)");

  const bool budgeted = options_.budget > 0;
  double k = 0;
  if (budgeted) {
    if (options_.cost.size() != n) {
      return Status::InvalidArgument(fmt::format("a budget needs one cost per person ({} given, {} people)",
                                                 options_.cost.size(), n));
    }
    // The most people any affordable set can hold: the cheapest first.
    std::vector<double> costs;
    for (NodeId v = 0; v < n; ++v) {
      if (!(options_.cost[v] > 0)) return Status::InvalidArgument("every cost must be positive");
      if (choosable.empty() || choosable[v]) costs.push_back(options_.cost[v]);
    }
    std::sort(costs.begin(), costs.end());
    double spent = 0;
    for (double c : costs) {
      if (spent + c > options_.budget) break;
      spent += c;
      ++k;
    }
    if (k == 0) return Status::InvalidArgument("the budget affords nobody");
  } else {
    if (options_.k == 0) return Status::InvalidArgument("k must be at least 1");
    k = static_cast<double>(std::min<uint64_t>(options_.k, n_choosable));
  }

  const double delta = options_.delta > 0 ? options_.delta : 1.0 / n;
  const double theta_max = opim::ThetaMax(n, k, eps, delta, static_cast<double>(n_choosable));
  const double theta_0 = opim::Theta0(n, k, eps, delta, static_cast<double>(n_choosable));
  const int i_max = opim::IMax(n, k, eps);
  const double a = opim::BoundSlack(i_max, delta);
  const double target = budgeted ? (1 - std::exp(-1.0)) / 2 - eps : 1 - std::exp(-1.0) - eps;
  record_ = InfluenceMaximizerRecord{};
  record_.algorithm = "OPIM-C with SUBSIM sampling";
  record_.theta_0 = theta_0;
  record_.theta_max = theta_max;
  record_.max_rounds = i_max;
  record_.target_approximation = target;

  record_.threads = threads;
  Status status;
  auto select = [&] {
    RrSampler& sampler = buffers_->sampler;
    RrCollection& r1 = buffers_->r1;
    RrCollection& r2 = buffers_->r2;
    // R1 and R2 draw from disjoint stream ranges.
    const uint64_t r2_streams = uint64_t{1} << 40;
    uint64_t theta = WholeStreams(static_cast<uint64_t>(std::ceil(theta_0)));
    // The quality knob: skip the rounds of the schedule below the minimum (no greedy or check is run on them;
    // the check is only made at rounds of the schedule, at most i_max of them, so the bounds' slack a holds).
    // R1 holds `ratio` times R2's sets (the greedy's sample; R2 only validates); OPIM-C's rule of stopping at
    // theta_max applies to R1, whose greedy carries the guarantee there.
    const uint64_t ratio = std::max<uint64_t>(1, options_.r1_ratio);
    int first_round = 1;
    while (first_round < i_max && theta < options_.min_rr_sets && static_cast<double>(ratio * theta) < theta_max) {
      theta *= 2;
      ++first_round;
    }
    uint64_t reported = 0;
    Cover cover;
    GreedyCover& greedy = buffers_->greedy;
    detail::SeedRanks& ranks = buffers_->ranks;
    // The round's check: the bounds of `c` (seeds from R1's first th1 sets or more) against R2's first th sets,
    // with the bound on the optimum `optimum_cov` from R1's first th1 sets. Writes the record and the seeds.
    auto certify = [&](const Cover& c, double optimum_cov, double th, double th1) {
      std::vector<uint64_t> marginal = MarginalCoverage(r2, ranks, c.seeds);
      const double cov2 = static_cast<double>(std::accumulate(marginal.begin(), marginal.end(), uint64_t{0}));
      record_.spread = cov2 * n / th;
      record_.spread_lower = opim::SpreadLowerBound(cov2, th, n, a);
      record_.spread_upper = opim::SpreadUpperBound(cov2, th, n, a);
      record_.optimum_upper = opim::SpreadUpperBound(optimum_cov, th1, n, a);
      record_.approximation = record_.optimum_upper > 0 ? record_.spread_lower / record_.optimum_upper : 0;
      record_.last_marginal_coverage = c.gains.empty() ? 0 : c.gains.back();
      // Each seed's share of the spread: the greedy's own gain on R1 (what it chose by), scaled so that the
      // shares add up to the unbiased estimate from R2. Taking the marginals measured on R2 instead gives numbers
      // that go up and down with the sampling noise of R2 (a later seed "adding" more than an earlier one),
      // although the greedy's gains never increase under a cardinality constraint.
      const double cov1 = static_cast<double>(c.covered);
      const double scale = cov1 > 0 ? record_.spread / cov1 : 0;
      seeds_.clear();
      for (size_t i = 0; i < c.seeds.size(); ++i) {
        seeds_.push_back({c.seeds[i], static_cast<double>(c.gains[i]) * scale});
      }
      // After a fixed prefix (opim_c.h) a seed picked next may gain more on the grown sample than a fixed one
      // did: the prefix's order is the round's greedy's, not the grown sample's. The shares are then pooled where
      // they would rise (adjacent ones averaged, pool-adjacent-violators), so that they never increase along the
      // order and still add up to the estimate. The greedy's own gains never increase: nothing changes then.
      if (!budgeted) PoolRisingShares(seeds_);
    };
    double loss = 0;  // SelectionLoss of the last choose()'s seeds (0 with a budget)
    // The fixed prefix (opim_c.h) and what each of its seeds covers first of R1's sets emptied for it
    // (settled_prefix.h); empty while nothing is fixed. R1's walks stop at it (the sampler's stops).
    std::vector<NodeId> fixed;
    std::vector<uint64_t> first_covered;
    // The greedy's seeds on R1's first `sets` sets, the fixed prefix taken first.
    auto choose = [&](uint64_t sets) {
      greedy.Index(r1, sets);
      if (budgeted) return greedy.ByBudget(options_.cost, options_.budget);
      Cover c = greedy.ByCardinality(static_cast<uint32_t>(k), fixed);
      detail::CreditSettledSets(c, first_covered);
      loss = SelectionLoss(c, greedy);
      return c;
    };
    const bool fix_prefix = !budgeted && options_.fix_settled_seeds;
    // Extends the fixed prefix by c's seeds that have settled (c's seeds begin with the prefix: choose takes it
    // first; a prefix seed that no longer stands clear ends the extension, and stays fixed): R1's walks stop at
    // them from now on, and R1's sets that hold one are emptied, credited to the earliest they hold.
    auto settle = [&](const Cover& c) {
      if (!fix_prefix) return;
      std::vector<NodeId> settled = detail::SettledPrefix(c);
      if (settled.size() <= fixed.size()) return;
      fixed = std::move(settled);
      sampler.SetStops(r1, fixed);
      const std::vector<uint64_t> now = detail::DropSettledSets(r1, ranks, fixed);
      first_covered.resize(fixed.size(), 0);
      for (size_t i = 0; i < fixed.size(); ++i) first_covered[i] += now[i];
      record_.fixed_seeds = fixed.size();
    };
    const uint64_t min_gain = options_.min_marginal_coverage;
    const double loss_target = budgeted ? 0 : std::max(0.0, options_.max_selection_loss);
    const double loss_growth = std::max(1.0, options_.precision_max_growth);
    const double far_growth = std::max(loss_growth, options_.precision_far_growth);
    for (int round = first_round; round <= i_max; ++round) {
      Stopwatch lap;
      const uint64_t expected_total = (ratio + 1) * theta;
      if (!fixed.empty() && static_cast<double>(ratio * theta) >= theta_max) {
        // The last round returns its greedy's seeds unchecked, on the strength of the greedy on whole sets
        // (OPIM-C's theta_max): R1 is sampled again from its own streams, whole (a stream's sets depend on the
        // seed, the stream and the stops only), and nothing is fixed.
        fixed.clear();
        first_covered.clear();
        record_.fixed_seeds = 0;
        sampler.SetStops(r1, fixed);
        r1.KeepFirst(0);
      }
      // R1 may already hold more than this round's share (the precision rule of an earlier round sampled ahead).
      // R1's room: the precision rules' first cap (their far cap is rare, and reserving for it would only cost
      // address space on graphs whose sets are large).
      const uint64_t r1_room = WholeStreams(
          static_cast<uint64_t>(static_cast<double>(ratio * theta) * (loss_target > 0 ? loss_growth : 1.0)));
      if (r1.size() < ratio * theta) {
        status = sampler.Grow(r1, ratio * theta, 0, reported, expected_total, r1_room);
      }
      if (status.ok()) status = sampler.Grow(r2, theta, r2_streams, reported, expected_total);
      if (!status.ok()) return;
      record_.sampling_seconds += lap.Lap();
      // R1 grows next whatever the check says (the precision rules, or the next round): its next sets are sampled
      // on the other threads while this one chooses and checks (rr_sampler.h SampleAhead), under the fixed prefix's
      // stops so far; seeds that settle after this greedy change the stops, and those sets are then dropped. Not
      // after a growth: the run usually ends there, and the workers' sampling would only slow the greedy's memory.
      sampler.SampleAhead(r1, 0);
      cover = choose(ratio * theta);
      record_.selection_loss = record_.selection_loss_before_growth = loss;
      const double th = static_cast<double>(theta), th1 = static_cast<double>(ratio * theta);
      record_.rounds = round;
      certify(cover, cover.optimum_upper, th, th1);
      record_.selection_seconds += lap.Lap();
      if (th1 >= theta_max) {
        record_.stopped_early = false;
        break;
      }
      if (record_.approximation >= target) {
        // The precision rules (opim_c.h): the greedy's seeds from R1's first th1 sets passed, but their choice may
        // have been noisy: the last one gained fewer than min_gain sets, or the estimated selection loss exceeds
        // its target. Grow R1 alone (R1's own data decides how far) and take the greedy's seeds on the larger
        // sample; the optimum's bound stays the one from the first th1 sets, and the seeds returned are those
        // certified against R2 here, never the passing ones. Both measures scale with R1 (gains in proportion
        // to it, the loss as its inverse), so R1 grows at once by the factor each asks for (the larger one, in
        // whole blocks; the loss rule's aimed a little below its target, kLossAim), and again while one still
        // falls short, each up to its own cap.
        const uint64_t sets0 = ratio * theta;
        const uint64_t below_max =
            (static_cast<uint64_t>(std::ceil(theta_max)) - 1) / kRrSetsPerStream * kRrSetsPerStream;
        const uint64_t gain_cap = std::min(kMaxPrecisionGrowth * sets0, below_max);
        const uint64_t loss_cap = std::min(
            std::max(sets0, static_cast<uint64_t>(loss_growth * th1) / kRrSetsPerStream * kRrSetsPerStream),
            below_max);
        const uint64_t far_cap = std::min(
            std::max(loss_cap, static_cast<uint64_t>(far_growth * th1) / kRrSetsPerStream * kRrSetsPerStream),
            below_max);
        bool far = false;          // the selection-loss rule's far cap is on
        const double loss0 = loss;  // the estimate on the round's R1
        // The size R1 should grow to for the greedy's seeds `c` on its first `sets` sets; 0: it should not.
        auto wanted = [&](const Cover& c, uint64_t sets) -> uint64_t {
          uint64_t want = 0;
          auto ask = [&](double factor, uint64_t cap) {
            if (sets >= cap) return;
            const double more = std::ceil(static_cast<double>(sets) * factor);
            const uint64_t next = WholeStreams(static_cast<uint64_t>(std::min(more, static_cast<double>(cap))));
            want = std::max(want, std::clamp(next, sets + kRrSetsPerStream, cap));
          };
          if (min_gain > 0 && !c.gains.empty() && c.gains.back() < min_gain) {
            ask(static_cast<double>(min_gain) / static_cast<double>(std::max<uint64_t>(c.gains.back(), 1)), gain_cap);
          }
          if (loss_target > 0 && loss > loss_target) {
            // At its cap, an estimate still above kFarLoss times the target, and fallen at least in proportion to
            // R1's growth from the round's (the noise the rule is for), lifts the cap to far_cap for the rest of
            // the growth (opim_c.h).
            if (sets >= loss_cap && loss > kFarLoss * loss_target &&
                loss * static_cast<double>(sets) <= loss0 * static_cast<double>(sets0)) {
              far = true;
            }
            ask(loss / (kLossAim * loss_target), far ? far_cap : loss_cap);
          }
          return want;
        };
        uint64_t sets = sets0;
        Cover grown = cover;
        // The fixed prefix (opim_c.h): the round's settled seeds are taken first on the grown sample, and the sets
        // sampled for the growth stop at them.
        if (wanted(grown, sets) > 0) settle(cover);
        for (uint64_t next = wanted(grown, sets); next > 0; next = wanted(grown, sets)) {
          sets = next;
          if (r1.size() < sets) status = sampler.Grow(r1, sets, 0, reported, sets + theta, sets);
          if (!status.ok()) return;
          record_.sampling_seconds += lap.Lap();
          ++record_.precision_steps;
          grown = choose(sets);
          record_.selection_seconds += lap.Lap();
          if (control_.Cancelled()) {
            status = Status::Cancelled("influence maximisation cancelled");
            return;
          }
        }
        if (sets > sets0) {
          record_.selection_loss = loss;
          certify(grown, cover.optimum_upper, th, th1);
          record_.selection_seconds += lap.Lap();
        }
        if (record_.approximation >= target) {
          record_.stopped_early = true;
          break;
        }
      }
      // The next rounds' walks stop at the seeds settled so far (opim_c.h, the fixed prefix).
      settle(cover);
      if (control_.Cancelled()) {
        status = Status::Cancelled("influence maximisation cancelled");
        return;
      }
      theta *= 2;
    }
    sampler.DropAhead();
    record_.rr_sets = r1.size() + r2.size();
    record_.rr_sets_r1 = r1.size();
    record_.rr_set_entries = r1.entries() + r2.entries();
  };
  // Held workers take every parallel step; without them (one thread, or another run holds them) the steps go to
  // TBB, in an arena of the run's width.
  if (hold.held()) {
    select();
  } else {
    tbb::task_arena arena(threads);
    arena.execute(select);
  }
  VOUCH_TRY(status);
  record_.total_seconds = total.Seconds();
  record_.peak_memory_bytes = PeakResidentBytes();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::influence
