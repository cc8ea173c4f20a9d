// CpuPinning: for the lifetime of the object, the calling thread runs on the CPU it is on now and each worker
// that enters the given TBB arena runs on one of the process's other allowed CPUs (in turn); every thread's own
// affinity is restored (a worker's when it leaves the arena, or in the destructor if it is still inside; the
// calling thread's in the destructor). Construct it before the arena's first task, destroy it before the arena.
// Internal to vouch/influence; Linux only (elsewhere, and where fewer than two CPUs are allowed, it does nothing).
//
// Why: on the project's 2-vCPU Firecracker VM, which reports no cache topology, short parallel phases (a few
// milliseconds: RR sampling on a small graph) often run on one CPU only: a woken worker is queued on the waker's
// CPU and the idle vCPU stays asleep until the balancer moves it (docs/benchmarks.md, "Influence", burst tests).
// Pinning the worker to the other CPU makes its wake-up target that CPU. It also stops the scheduler from moving
// a thread to a less loaded CPU, so it is an option (InfluenceMaximizerOptions::pin_threads), off by default.
// Not thread safe: one object per arena, made and destroyed on the thread that runs the arena.
#pragma once

#include <memory>

#include <tbb/task_arena.h>

namespace vouch::influence::detail {

class CpuPinning final {
 public:
  explicit CpuPinning(tbb::task_arena& arena);
  ~CpuPinning();
  CpuPinning(const CpuPinning&) = delete;
  CpuPinning& operator=(const CpuPinning&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vouch::influence::detail
