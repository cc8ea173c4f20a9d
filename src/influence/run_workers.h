// RunWorkers: the threads of one selection run, kept at hand between its parallel steps.
//
// Why not only TBB's parallel_for: a selection on a graph of tens of thousands of people is a few milliseconds of
// many short parallel steps (a wave of RR-set blocks, an index extension, a coverage count: 0.1-1 ms each), with
// serial work between them. Measured on the 2-core benchmark VM (docs/benchmarks.md, "Session 12: the run's
// workers"): a thread woken or created while the waking thread keeps running is often queued on the waker's own
// core, and waits there until the kernel's load balancer moves it to the idle one, up to 4 ms later; TBB's workers
// sleep between steps and so missed whole steps, and two threads sampled no faster than one. Two things here:
// - While a run holds the pool (Hold), its workers wait for the next step by spinning, for up to kSpinSeconds
//   after the last one, and only then sleep; a released pool's workers sleep at once. Hold wakes them, so that
//   they are spinning by the run's first step.
// - The workers may run on every core the process may use except the one the holder runs on when it takes the
//   hold (and, when started, the starting thread's), where cores are left for them: woken, a worker then goes to
//   an idle core at once. The holder itself is not bound, and nothing is bound on a single core.
//
// ForEach(count, f) calls f(i) once for each i in [0, count), on the calling thread and on the held workers, and
// returns when every call has returned. Which thread runs which i is not fixed: callers make results depend on
// i only (the sampler's blocks each have their own random stream). A worker that is late, or never comes, leaves
// its share to the others: no step waits for a worker that has not taken an index. An exception thrown by f is
// rethrown by ForEach on the calling thread once every call has returned (the first one, if several throw).
//
// One run at a time holds the process's pool (Shared): a second run, or a run on a thread without a hold, gets
// tbb::parallel_for from ParallelFor, which is what every parallel step of a run calls.
//
// A held run needs no TBB at all (StepThreads, ThreadSlot and UsableCores below answer without it), and `vouch
// advocates` on a cached graph then never starts TBB: its first use loads two more shared libraries (TBB's
// allocator and an OpenMP runtime it looks for), reads /proc, and starts TBB's own workers; measured on Enron
// (docs/benchmarks.md, "Session 13"): about 3 ms, and the libraries' and threads' pages in the peak memory.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace vouch::influence::detail {

class RunWorkers {
 public:
  // How long a held pool's workers spin after a step before they sleep: longer than the serial work between two
  // steps of a small run (the append of a wave, a greedy pass), short against a large run's serial phases.
  static constexpr double kSpinSeconds = 0.002;

  // The process's pool (its workers are joined at exit).
  static RunWorkers& Shared() {
    static RunWorkers pool;
    return pool;
  }

  RunWorkers() = default;
  RunWorkers(const RunWorkers&) = delete;
  RunWorkers& operator=(const RunWorkers&) = delete;
  ~RunWorkers() {
    stop_.store(true, std::memory_order_seq_cst);
    Wake();
    for (std::thread& t : threads_) t.join();
  }

  // Starts workers so that threads - 1 exist (none for threads <= 1); they sleep until a run holds the pool.
  void Start(int threads) {
    std::lock_guard<std::mutex> lock(start_mutex_);
    if (static_cast<int>(threads_.size()) >= threads - 1) return;
    while (static_cast<int>(threads_.size()) < threads - 1) {
      const int index = static_cast<int>(threads_.size());
      threads_.emplace_back([this, index] {
        worker_slot_ = index + 1;
        Work(index);
      });
    }
    KeepOffCallersCore();
  }

  // The calling thread holds the pool with threads - 1 of its workers (started if needed) and wakes them; false
  // when another run holds it. Release() ends the hold.
  bool Hold(int threads) {
    bool expected = false;
    if (!held_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) return false;
    Start(threads);
    KeepOffCallersCore();
    width_.store(threads - 1, std::memory_order_relaxed);
    holder_ = this;
    Wake();
    return true;
  }
  void Release() {
    Finish(false);
    holder_ = nullptr;
    width_.store(0, std::memory_order_relaxed);
    held_.store(false, std::memory_order_release);
  }

  // The pool the calling thread holds, or null.
  static RunWorkers* Held() { return holder_; }
  // On a pool's worker thread, its index + 1; 0 on any other thread.
  static int WorkerSlot() { return worker_slot_; }

  template <typename F>
  void ForEach(uint64_t count, F&& f) {
    for (uint64_t first = 0; first < count; first += kMaxCount) {
      const uint64_t n = std::min(count - first, kMaxCount);
      auto call = [&f, first](uint64_t i) { f(first + i); };
      Run(n, &Invoke<decltype(call)>, &call);
    }
  }

  // A step for the workers alone, while the holder goes on with other work: f(i) for i in [0, count) (count <
  // 2^20), on the held workers as they come. f must live until Finish, which the holder calls before any other
  // step of its own (a ParallelFor in between runs on the holder alone). Finish(true) runs the indices no worker
  // has taken on the calling thread, Finish(false) drops them; both return once every call taken has returned,
  // and Finish(true) rethrows what one threw.
  template <typename F>
  void Post(uint64_t count, F& f) {
    Publish(count, &Invoke<F>, &f);
    posted_ = true;
  }
  void Finish(bool run_rest) {
    if (!posted_) return;
    posted_ = false;
    const uint64_t gen = Gen(ticket_.load(std::memory_order_relaxed));
    if (run_rest) {
      Take(gen);
    } else {
      Drop(gen);
    }
    Wait(Count(ticket_.load(std::memory_order_acquire)));
    if (run_rest && failed_.load(std::memory_order_acquire)) std::rethrow_exception(error_);
  }
  // Whether the holder has posted a step and not finished it.
  bool posted() const { return posted_; }
  // How many workers the holder has (0: none, or not held).
  int width() const { return width_.load(std::memory_order_relaxed); }

 private:
  // The ticket packs a step's generation (high 24 bits), its index count (20) and the next index to take (20), so
  // that a thread takes an index of the step it saw, or none, in one compare-and-swap.
  static constexpr uint64_t kMaxCount = (uint64_t{1} << 20) - 1;
  static uint64_t Gen(uint64_t t) { return t >> 40; }
  static uint64_t Count(uint64_t t) { return (t >> 20) & kMaxCount; }
  static uint64_t Next(uint64_t t) { return t & kMaxCount; }

  template <typename C>
  static void Invoke(void* context, uint64_t i) {
    (*static_cast<C*>(context))(i);
  }

  void Run(uint64_t count, void (*call)(void*, uint64_t), void* context) {
    const uint64_t gen = Publish(count, call, context);
    Take(gen);
    Wait(count);
    if (failed_.load(std::memory_order_acquire)) std::rethrow_exception(error_);
  }

  // Makes a step of count indices the current one; returns its generation.
  uint64_t Publish(uint64_t count, void (*call)(void*, uint64_t), void* context) {
    call_ = call;
    context_ = context;
    error_ = nullptr;
    failed_.store(false, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    const uint64_t gen = (Gen(ticket_.load(std::memory_order_relaxed)) + 1) & ((uint64_t{1} << 24) - 1);
    // Sequentially consistent, as the sleeper's count and its last look are: either a worker about to sleep
    // sees this step, or this thread sees it counted among the sleepers and wakes it.
    ticket_.store(gen << 40 | count << 20, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) Wake();
    return gen;
  }

  void Wait(uint64_t count) {
    while (done_.load(std::memory_order_acquire) < count) Pause();
  }

  // Takes every index of step gen that no thread has taken, without running it, and counts it as done.
  void Drop(uint64_t gen) {
    uint64_t t = ticket_.load(std::memory_order_acquire);
    while (Gen(t) == gen && Next(t) < Count(t)) {
      const uint64_t rest = Count(t) - Next(t);
      if (ticket_.compare_exchange_weak(t, t + rest, std::memory_order_acq_rel, std::memory_order_acquire)) {
        done_.fetch_add(rest, std::memory_order_release);
        return;
      }
    }
  }

  // Runs indices of step gen until none is left.
  void Take(uint64_t gen) {
    uint64_t t = ticket_.load(std::memory_order_acquire);
    while (Gen(t) == gen && Next(t) < Count(t)) {
      if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
      try {
        call_(context_, Next(t));
      } catch (...) {
        if (!failed_.exchange(true, std::memory_order_acq_rel)) error_ = std::current_exception();
      }
      done_.fetch_add(1, std::memory_order_release);
      t = ticket_.load(std::memory_order_acquire);
    }
  }

  void Work(int index) {
    uint64_t seen = Gen(ticket_.load(std::memory_order_acquire));
    auto last_step = std::chrono::steady_clock::now();
    uint32_t spins = 0;
    while (!stop_.load(std::memory_order_acquire)) {
      const uint64_t t = ticket_.load(std::memory_order_acquire);
      if (Gen(t) != seen) {
        seen = Gen(t);
        if (index < width_.load(std::memory_order_relaxed)) Take(seen);
        last_step = std::chrono::steady_clock::now();
        continue;
      }
      if (index < width_.load(std::memory_order_relaxed) && (++spins & 63) != 0) {
        Pause();
        continue;
      }
      if (index < width_.load(std::memory_order_relaxed) &&
          std::chrono::duration<double>(std::chrono::steady_clock::now() - last_step).count() < kSpinSeconds) {
        continue;
      }
      // Sleep until a step or a hold comes (an epoch taken before the last look, so that no wake-up is missed).
      const uint32_t epoch = epoch_.load(std::memory_order_seq_cst);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      if (Gen(ticket_.load(std::memory_order_seq_cst)) == seen && !stop_.load(std::memory_order_seq_cst)) {
        epoch_.wait(epoch, std::memory_order_seq_cst);
      }
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      last_step = std::chrono::steady_clock::now();
    }
  }

  // Binds the workers to the cores the process may use except the calling thread's (where there are others).
  void KeepOffCallersCore() {
    cpu_set_t cores;
    CPU_ZERO(&cores);
    if (::sched_getaffinity(0, sizeof(cores), &cores) != 0) return;
    const int here = ::sched_getcpu();
    if (here < 0 || CPU_COUNT(&cores) < 2) return;
    CPU_CLR(here, &cores);
    for (std::thread& t : threads_) ::pthread_setaffinity_np(t.native_handle(), sizeof(cores), &cores);
  }

  void Wake() {
    epoch_.fetch_add(1, std::memory_order_seq_cst);
    epoch_.notify_all();
  }

  static void Pause() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }

  std::vector<std::thread> threads_;
  std::mutex start_mutex_;
  std::atomic<bool> held_{false}, stop_{false}, failed_{false};
  std::atomic<int> width_{0};
  alignas(64) std::atomic<uint64_t> ticket_{0};
  alignas(64) std::atomic<uint64_t> done_{0};
  alignas(64) std::atomic<uint32_t> epoch_{0};
  std::atomic<int> sleepers_{0};
  void (*call_)(void*, uint64_t) = nullptr;
  void* context_ = nullptr;
  std::exception_ptr error_;
  bool posted_ = false;  // the holder's posted step (Post) is not finished
  static inline thread_local RunWorkers* holder_ = nullptr;
  static inline thread_local int worker_slot_ = 0;
};

// The cores the process may run on (its affinity mask; at least 1), read without starting TBB: TBB's default
// concurrency where no CPU quota applies.
inline int UsableCores() {
  cpu_set_t cores;
  CPU_ZERO(&cores);
  if (::sched_getaffinity(0, sizeof(cores), &cores) != 0) {
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  return std::max(1, CPU_COUNT(&cores));
}

// How many threads a parallel step of the calling thread may run on: the held pool's workers and the holder, else
// the calling TBB arena's concurrency.
inline int StepThreads() {
  if (RunWorkers* pool = RunWorkers::Held()) return pool->width() + 1;
  return tbb::this_task_arena::max_concurrency();
}

// The calling thread's slot among the threads of the steps it runs, in [0, StepThreads() of the step's caller):
// the holder of a pool 0, a held pool's worker its index + 1, a thread of a TBB arena its index there. No two
// threads running steps of one caller at the same time share a slot (per-thread scratch is kept by slot).
inline int ThreadSlot() {
  if (RunWorkers::Held() != nullptr) return 0;
  if (const int slot = RunWorkers::WorkerSlot(); slot > 0) return slot;
  return std::max(0, tbb::this_task_arena::current_thread_index());
}

// f(i) for each i in [0, count): on the pool the calling thread holds (RunWorkers), else tbb::parallel_for (in
// the calling arena).
template <typename F>
void ParallelFor(uint64_t count, F&& f) {
  if (RunWorkers* pool = RunWorkers::Held()) {
    if (pool->posted()) {
      for (uint64_t i = 0; i < count; ++i) f(i);  // the workers are busy with the posted step
    } else {
      pool->ForEach(count, f);
    }
  } else {
    tbb::parallel_for(uint64_t{0}, count, [&f](uint64_t i) { f(i); });
  }
}

// Holds the shared pool for one run on the calling thread (threads <= 1, or a pool held elsewhere: no hold, and
// ParallelFor runs on TBB).
class RunWorkersHold {
 public:
  explicit RunWorkersHold(int threads) {
    if (threads > 1 && RunWorkers::Held() == nullptr && RunWorkers::Shared().Hold(threads)) {
      pool_ = &RunWorkers::Shared();
    }
  }
  ~RunWorkersHold() {
    if (pool_ != nullptr) pool_->Release();
  }
  RunWorkersHold(const RunWorkersHold&) = delete;
  RunWorkersHold& operator=(const RunWorkersHold&) = delete;
  // Whether this run holds the pool (its steps then run on it, with no TBB).
  bool held() const { return pool_ != nullptr; }

 private:
  RunWorkers* pool_ = nullptr;
};

}  // namespace vouch::influence::detail
