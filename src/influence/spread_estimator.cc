#include "vouch/influence/spread_estimator.h"

#include <atomic>
#include <cmath>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "graph/stopwatch.h"
#include "influence/cascade.h"
#include "influence/interval_sums.h"

namespace vouch::influence {
namespace {

constexpr uint64_t kSpreadRunsPerStream = 64;  // runs per random stream

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
  const uint64_t blocks = (runs + kSpreadRunsPerStream - 1) / kSpreadRunsPerStream;
  struct Sums {
    detail::Sums spread, reach;
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
        const uint64_t end = std::min(runs, (b + 1) * kSpreadRunsPerStream);
        for (uint64_t r = b * kSpreadRunsPerStream; r < end; ++r) {
          detail::Outcome o = detail::Simulate<Tag>(model_, seeds_, rng, s);
          sums.spread.Add(o.adopters);
          sums.reach.Add(o.aware);
        }
        per_block[b] = sums;
        uint64_t done = finished.fetch_add(end - b * kSpreadRunsPerStream) + (end - b * kSpreadRunsPerStream);
        if ((b & 63) == 0) control_.Report({"simulating", done, runs, "runs", 0});
      });
    });
  });
  if (cancelled) return Status::Cancelled("spread estimation cancelled");
  Sums total;
  for (const Sums& s : per_block) {  // summed in block order: the result does not depend on scheduling
    total.spread.Merge(s.spread);
    total.reach.Merge(s.reach);
  }
  const double z = detail::ZFor(options_.confidence);
  estimate_.spread = total.spread.ToInterval(z);
  estimate_.reach = total.reach.ToInterval(z);
  estimate_.runs = runs;
  estimate_.confidence = options_.confidence;
  estimate_.seconds = clock.Seconds();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::influence
