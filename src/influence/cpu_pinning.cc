#include "influence/cpu_pinning.h"

#include <mutex>
#include <vector>

#include <tbb/task_scheduler_observer.h>

#if defined(__linux__)
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace vouch::influence::detail {

#if defined(__linux__)

namespace {

// Pins each worker that enters the arena to one of `cpus` in turn, remembering its previous affinity by thread
// id, and restores it when the worker leaves the arena or, for workers still inside, when the pinner is destroyed
// (a worker serves many arenas after this one).
class WorkerPinner final : public tbb::task_scheduler_observer {
 public:
  WorkerPinner(tbb::task_arena& arena, std::vector<int> cpus)
      : tbb::task_scheduler_observer(arena), cpus_(std::move(cpus)) {
    observe(true);
  }
  ~WorkerPinner() override {
    observe(false);  // returns once no callback is running
    for (const Saved& w : pinned_) sched_setaffinity(w.tid, sizeof(w.mask), &w.mask);
  }

  void on_scheduler_entry(bool worker) override {
    if (!worker) return;
    Saved w;
    w.tid = static_cast<pid_t>(::syscall(SYS_gettid));
    if (sched_getaffinity(0, sizeof(w.mask), &w.mask) != 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Saved& p : pinned_) {
      if (p.tid == w.tid) return;  // already pinned (entered again)
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpus_[next_++ % cpus_.size()], &one);
    if (sched_setaffinity(0, sizeof(one), &one) == 0) pinned_.push_back(w);
  }
  void on_scheduler_exit(bool worker) override {
    if (!worker) return;
    const auto tid = static_cast<pid_t>(::syscall(SYS_gettid));
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < pinned_.size(); ++i) {
      if (pinned_[i].tid != tid) continue;
      sched_setaffinity(0, sizeof(pinned_[i].mask), &pinned_[i].mask);
      pinned_[i] = pinned_.back();
      pinned_.pop_back();
      return;
    }
  }

 private:
  struct Saved {
    pid_t tid = 0;
    cpu_set_t mask;
  };
  std::vector<int> cpus_;  // the allowed CPUs other than the calling thread's
  std::mutex mutex_;
  size_t next_ = 0;
  std::vector<Saved> pinned_;
};

}  // namespace

struct CpuPinning::State {
  cpu_set_t caller_mask;
  std::unique_ptr<WorkerPinner> pinner;
};

CpuPinning::CpuPinning(tbb::task_arena& arena) {
  auto state = std::make_unique<State>();
  if (sched_getaffinity(0, sizeof(state->caller_mask), &state->caller_mask) != 0) return;
  const int here = sched_getcpu();
  if (here < 0 || !CPU_ISSET(here, &state->caller_mask)) return;
  std::vector<int> others;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (c != here && CPU_ISSET(c, &state->caller_mask)) others.push_back(c);
  }
  if (others.empty()) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(here, &one);
  if (sched_setaffinity(0, sizeof(one), &one) != 0) return;
  state->pinner = std::make_unique<WorkerPinner>(arena, std::move(others));
  state_ = std::move(state);
}

CpuPinning::~CpuPinning() {
  if (!state_) return;
  state_->pinner.reset();  // restores the workers' affinity
  sched_setaffinity(0, sizeof(state_->caller_mask), &state_->caller_mask);
}

#else

struct CpuPinning::State {};
CpuPinning::CpuPinning(tbb::task_arena&) {}
CpuPinning::~CpuPinning() = default;

#endif

}  // namespace vouch::influence::detail
