// RunWorkers (src/influence/run_workers.h): every index once, on the holder and its workers; a second holder and
// an unheld thread fall back to TBB; exceptions reach the caller; a hold ends cleanly.
#include "influence/run_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <tbb/task_arena.h>

namespace vouch::influence::detail {
namespace {

// Runs many steps of varied sizes and checks that each index of each step ran exactly once.
void ExpectEveryIndexOnce(RunWorkers& pool) {
  for (uint64_t count : {0, 1, 2, 3, 16, 100, 4097}) {
    for (int step = 0; step < 20; ++step) {
      std::vector<std::atomic<int>> calls(count);
      pool.ForEach(count, [&](uint64_t i) { calls[i].fetch_add(1, std::memory_order_relaxed); });
      for (uint64_t i = 0; i < count; ++i) ASSERT_EQ(calls[i].load(), 1) << "count " << count << " index " << i;
    }
  }
}

TEST(RunWorkersTest, HeldPoolRunsEveryIndexOnceOnSeveralThreads) {
  RunWorkers pool;
  ASSERT_TRUE(pool.Hold(3));
  EXPECT_EQ(RunWorkers::Held(), &pool);
  ExpectEveryIndexOnce(pool);
  // The workers take part: over many slow-enough steps some index runs off the holder's thread (two workers
  // spinning for the next step; the machine may have a single core, so this asks only for one such call).
  std::set<std::thread::id> seen;
  std::mutex mutex;
  for (int step = 0; step < 200 && seen.size() < 2; ++step) {
    pool.ForEach(64, [&](uint64_t) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
      while (std::chrono::steady_clock::now() < until) {
      }
      std::lock_guard<std::mutex> lock(mutex);
      seen.insert(std::this_thread::get_id());
    });
  }
  EXPECT_GE(seen.size(), 2u);
  pool.Release();
  EXPECT_EQ(RunWorkers::Held(), nullptr);
}

TEST(RunWorkersTest, OneHolderAtATime) {
  RunWorkers pool;
  ASSERT_TRUE(pool.Hold(2));
  bool second = true;
  std::thread other([&] { second = pool.Hold(2); });
  other.join();
  EXPECT_FALSE(second);
  pool.Release();
  std::thread again([&] {
    second = pool.Hold(2);
    if (second) pool.Release();
  });
  again.join();
  EXPECT_TRUE(second);
}

TEST(RunWorkersTest, ExceptionReachesTheCallerAfterEveryCall) {
  RunWorkers pool;
  ASSERT_TRUE(pool.Hold(2));
  std::atomic<int> calls{0};
  EXPECT_THROW(pool.ForEach(50,
                            [&](uint64_t i) {
                              calls.fetch_add(1);
                              if (i % 7 == 3) throw std::runtime_error("step failed");
                            }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 50);
  // The pool still works afterwards.
  ExpectEveryIndexOnce(pool);
  pool.Release();
}

TEST(RunWorkersTest, APostedStepRunsOnTheWorkersWhileTheHolderGoesOn) {
  RunWorkers pool;
  ASSERT_TRUE(pool.Hold(2));
  for (int step = 0; step < 50; ++step) {
    std::vector<std::atomic<int>> calls(40);
    auto f = [&](uint64_t i) { calls[i].fetch_add(1); };
    pool.Post(calls.size(), f);
    EXPECT_TRUE(pool.posted());
    // A ParallelFor meanwhile runs on the holder alone, every index once.
    std::vector<std::atomic<int>> inner(100);
    ParallelFor(inner.size(), [&](uint64_t i) { inner[i].fetch_add(1); });
    for (auto& c : inner) ASSERT_EQ(c.load(), 1);
    if (step % 2 == 0) {
      pool.Finish(true);  // every index once
      for (auto& c : calls) ASSERT_EQ(c.load(), 1);
    } else {
      pool.Finish(false);  // each at most once, and none after Finish returns
      int before = 0;
      for (auto& c : calls) {
        ASSERT_LE(c.load(), 1);
        before += c.load();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      int after = 0;
      for (auto& c : calls) after += c.load();
      EXPECT_EQ(before, after);
    }
    EXPECT_FALSE(pool.posted());
  }
  // A posted step left open is finished by Release.
  std::atomic<int> late{0};
  auto g = [&](uint64_t) { late.fetch_add(1); };
  pool.Post(1000, g);
  pool.Release();
  const int seen = late.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(late.load(), seen);
  EXPECT_LE(seen, 1000);
}

TEST(RunWorkersTest, ParallelForWithoutAHoldRunsOnTbb) {
  ASSERT_EQ(RunWorkers::Held(), nullptr);
  std::vector<std::atomic<int>> calls(1000);
  ParallelFor(calls.size(), [&](uint64_t i) { calls[i].fetch_add(1); });
  for (auto& c : calls) EXPECT_EQ(c.load(), 1);
  {
    RunWorkersHold hold(2);
    std::vector<std::atomic<int>> held_calls(1000);
    ParallelFor(held_calls.size(), [&](uint64_t i) { held_calls[i].fetch_add(1); });
    for (auto& c : held_calls) EXPECT_EQ(c.load(), 1);
  }
  EXPECT_EQ(RunWorkers::Held(), nullptr);
}

TEST(RunWorkersTest, HoldWithOneThreadTakesNoWorkers) {
  {
    RunWorkersHold hold(1);
    EXPECT_EQ(RunWorkers::Held(), nullptr);
  }
  RunWorkers pool;
  ASSERT_TRUE(pool.Hold(1));
  ExpectEveryIndexOnce(pool);  // the holder alone
  pool.Release();
}

// Runs steps through ParallelFor and checks the per-thread slots (ThreadSlot) against the step's width
// (StepThreads): every slot below it, and no slot shared by two threads at once (a thread's slot is the same in
// every step; two threads never report the same one).
void ExpectDistinctSlots(int width) {
  EXPECT_EQ(StepThreads(), width);
  std::mutex mutex;
  std::map<std::thread::id, std::set<int>> slots;
  for (int step = 0; step < 50; ++step) {
    ParallelFor(64, [&](uint64_t) {
      const int slot = ThreadSlot();
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(5);
      while (std::chrono::steady_clock::now() < until) {
      }
      std::lock_guard<std::mutex> lock(mutex);
      slots[std::this_thread::get_id()].insert(slot);
    });
  }
  std::set<int> taken;
  for (const auto& [thread, its] : slots) {
    ASSERT_EQ(its.size(), 1u) << "a thread changed its slot";
    const int slot = *its.begin();
    EXPECT_GE(slot, 0);
    EXPECT_LT(slot, width);
    EXPECT_TRUE(taken.insert(slot).second) << "slot " << slot << " shared";
  }
}

TEST(RunWorkersTest, ThreadSlotsAreDistinctAndBelowTheStepsWidth) {
  EXPECT_GE(UsableCores(), 1);
  {
    RunWorkersHold hold(3);  // the holder and two workers
    ASSERT_TRUE(hold.held());
    ExpectDistinctSlots(3);
  }
  tbb::task_arena arena(2);  // no hold: TBB's threads, by their arena index
  arena.execute([] { ExpectDistinctSlots(2); });
}

}  // namespace
}  // namespace vouch::influence::detail
