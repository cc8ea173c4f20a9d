#include "vouch/influence/spread_estimator.h"

#include <atomic>
#include <cmath>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "graph/stopwatch.h"
#include "influence/cascade.h"

namespace vouch::influence {
namespace {

constexpr uint64_t kBlock = 64;  // runs per random stream

double ZFor(double confidence) {
  if (confidence >= 0.99) return 2.5758;
  if (confidence >= 0.95) return 1.9600;
  return 1.6449;
}

Interval MakeInterval(double sum, double sum_sq, uint64_t n, double z) {
  Interval i;
  if (n == 0) return i;
  i.mean = sum / static_cast<double>(n);
  double var = n > 1 ? (sum_sq - sum * i.mean) / static_cast<double>(n - 1) : 0;
  i.stddev = std::sqrt(std::max(0.0, var));
  double half = z * i.stddev / std::sqrt(static_cast<double>(n));
  i.low = i.mean - half;
  i.high = i.mean + half;
  return i;
}

}  // namespace

SpreadEstimator::SpreadEstimator(const DiffusionModel& model, std::vector<NodeId> seeds,
                                 SpreadEstimatorOptions options, RunControl control)
    : model_(model), seeds_(std::move(seeds)), options_(options), control_(control) {}

const SpreadEstimate& SpreadEstimator::estimate() const {
  assert(done_ && "SpreadEstimator::estimate before run() succeeded");
  return estimate_;
}

Status SpreadEstimator::run() {
  Stopwatch clock;
  const NodeId n = model_.graph().num_nodes();
  for (NodeId s : seeds_) {
    if (s >= n) return Status::InvalidArgument("seed outside the graph");
  }
  const uint64_t runs = options_.runs;
  const uint64_t blocks = (runs + kBlock - 1) / kBlock;
  struct Sums {
    double spread = 0, spread_sq = 0, reach = 0, reach_sq = 0;
  };
  std::vector<Sums> per_block(blocks);
  std::atomic<uint64_t> finished{0};
  std::atomic<bool> cancelled{false};
  tbb::enumerable_thread_specific<detail::Scratch> scratch([n] { return detail::Scratch(n, true); });
  int threads = options_.threads > 0 ? std::min(options_.threads, tbb::info::default_concurrency())
                                     : tbb::info::default_concurrency();
  tbb::task_arena arena(threads);
  DispatchModel(model_.kind(), [&]<typename Tag>(Tag) {
    arena.execute([&] {
      tbb::parallel_for(uint64_t{0}, blocks, [&](uint64_t b) {
        if (cancelled.load(std::memory_order_relaxed)) return;
        if (control_.Cancelled()) {
          cancelled = true;
          return;
        }
        Rng rng(options_.seed, b);
        detail::Scratch& s = scratch.local();
        Sums sums;
        const uint64_t end = std::min(runs, (b + 1) * kBlock);
        for (uint64_t r = b * kBlock; r < end; ++r) {
          detail::Outcome o = detail::Simulate<Tag>(model_, seeds_, rng, s);
          sums.spread += o.adopters;
          sums.spread_sq += static_cast<double>(o.adopters) * o.adopters;
          sums.reach += o.aware;
          sums.reach_sq += static_cast<double>(o.aware) * o.aware;
        }
        per_block[b] = sums;
        uint64_t done = finished.fetch_add(end - b * kBlock) + (end - b * kBlock);
        if ((b & 63) == 0) control_.Report({"simulating", done, runs, "runs", 0});
      });
    });
  });
  if (cancelled) return Status::Cancelled("spread estimation cancelled");
  Sums total;
  for (const Sums& s : per_block) {  // summed in block order: the result does not depend on scheduling
    total.spread += s.spread;
    total.spread_sq += s.spread_sq;
    total.reach += s.reach;
    total.reach_sq += s.reach_sq;
  }
  const double z = ZFor(options_.confidence);
  estimate_.spread = MakeInterval(total.spread, total.spread_sq, runs, z);
  estimate_.reach = MakeInterval(total.reach, total.reach_sq, runs, z);
  estimate_.runs = runs;
  estimate_.confidence = options_.confidence;
  estimate_.seconds = clock.Seconds();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::influence
