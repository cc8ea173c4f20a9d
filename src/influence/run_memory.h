// RunMemory: where one selection run takes its working memory (std::pmr::memory_resource): RR collections, the
// greedy's index and per-node arrays, the samplers' per-thread scratch and per-block buffers. Small blocks are cut
// from 2 MiB chunks that the kernel may back with one transparent huge page each (madvise MADV_HUGEPAGE; with THP
// in "madvise" mode, the common default, only memory so marked gets them), as many chunks as the run's per-node
// arrays fill, and from the ordinary heap beyond them; blocks of 2 MiB and more get their own huge-page mapping,
// returned to the system when freed.
// Why: on a virtual machine every fresh 4 KiB page is expensive the first time it is written. Measured on the
// 2-vCPU benchmark VM (docs/benchmarks.md, "First-run cost"): a page faulted in by touching it costs about 12 µs,
// one populated in advance (prefault.h) still about 5 µs at its first write, while a 2 MiB huge page costs
// 100-270 µs in all, i.e. under 0.5 µs per 4 KiB. A selection on a small graph wrote about 400 fresh pages (the
// per-node arrays alone are 21 bytes a node), which was a third of its time; the ordinary heap cannot give huge
// pages to blocks this size, since it neither aligns nor advises them.
// Why a budget: a huge page is resident as a whole once any of it is written, so chunks for everything would add
// their unwritten remainders, reserved room and the old buffers of grown vectors to the peak memory (measured:
// +2.6 MB on soc-Epinions1 LT, +4.5 MB on IC, past the peers'; chunks for each round's index as well: +1.5-1.8 MB
// on Epinions IC, also past SUBSIM's). The budget is what the run knows it will write in full and keep: the
// per-node arrays. Freed blocks in a chunk are reused where a later one fits; the rest goes back when the
// RunMemory is destroyed. Thread safe (a mutex around the cut; blocks are taken a few hundred times a run).
// Throws std::bad_alloc when the system has no memory left, as operator new does. Internal to vouch/influence.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace vouch::influence::detail {

inline constexpr size_t kHugePage = size_t{2} << 20;

// Maps at least bytes (a multiple of kHugePage), 2 MiB aligned, advised for huge pages; nullptr on failure.
inline void* MapHuge(size_t bytes) {
  const size_t span = bytes + kHugePage;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  // Give back the unaligned head and the tail beyond the block.
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t tail = aligned + bytes, end = start + span;
  if (end > tail) ::munmap(reinterpret_cast<void*>(tail), end - tail);
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<void*>(aligned);
}

// How many elements of T to reserve for `need` now and a doubling later: twice need where that block would get its
// own mapping (2 MiB and more), in which reserved pages never written cost address space only; need itself where
// it would be cut from a chunk, all of whose huge page is resident once any of it is written.
template <typename T>
uint64_t RoomFor(uint64_t need) {
  return 2 * need * sizeof(T) >= kHugePage ? 2 * need : need;
}

class RunMemory final : public std::pmr::memory_resource {
 public:
  // Up to huge_bytes (rounded up to whole chunks) are cut from huge-page chunks; small blocks beyond them come
  // from the ordinary heap. Huge pages are resident as a whole once written, so the budget is what the caller
  // knows it will fill (the per-node arrays), and the chunks' remainder serves whatever comes first.
  explicit RunMemory(size_t huge_bytes) : budget_(huge_bytes) {}
  RunMemory(const RunMemory&) = delete;
  RunMemory& operator=(const RunMemory&) = delete;
  ~RunMemory() override {
    for (char* chunk : chunks_) ::munmap(chunk, kHugePage);
  }

 private:
  static size_t RoundUp(size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

  void* do_allocate(size_t bytes, size_t alignment) override {
    if (bytes >= kHugePage) {
      if (void* p = MapHuge(RoundUp(bytes))) return p;
      throw std::bad_alloc();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // A freed block that holds this one (first fit; its pages are resident already).
      for (size_t i = 0; i < free_.size(); ++i) {
        const uintptr_t p = (free_[i].first + alignment - 1) & ~(uintptr_t{alignment} - 1);
        if (p + bytes <= free_[i].first + free_[i].second) {
          free_.erase(free_.begin() + static_cast<ptrdiff_t>(i));
          return reinterpret_cast<void*>(p);
        }
      }
      uintptr_t at = (next_ + alignment - 1) & ~(uintptr_t{alignment} - 1);
      if (next_ != 0 && at + bytes <= end_) {
        next_ = at + bytes;
        return reinterpret_cast<void*>(at);
      }
      if (chunks_.size() * kHugePage < budget_) {
        void* chunk = MapHuge(kHugePage);
        if (chunk == nullptr) throw std::bad_alloc();
        chunks_.push_back(static_cast<char*>(chunk));
        at = reinterpret_cast<uintptr_t>(chunk);
        end_ = at + kHugePage;
        next_ = at + bytes;
        return reinterpret_cast<void*>(at);
      }
    }
    return ::operator new (bytes, std::align_val_t{alignment});
  }

  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    if (bytes >= kHugePage) {
      ::munmap(p, RoundUp(bytes));
      return;
    }
    const auto at = reinterpret_cast<uintptr_t>(p);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const char* chunk : chunks_) {
        const auto begin = reinterpret_cast<uintptr_t>(chunk);
        if (at >= begin && at < begin + kHugePage) {
          if (bytes >= kReusable) free_.emplace_back(at, bytes);
          return;
        }
      }
    }
    ::operator delete (p, bytes, std::align_val_t{alignment});
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

  // Freed blocks in chunks at least this large are kept for reuse (a growing vector's old buffers); smaller ones
  // are left where they are.
  static constexpr size_t kReusable = 16 << 10;

  std::mutex mutex_;
  std::vector<std::pair<uintptr_t, size_t>> free_;  // freed blocks in chunks: address, bytes
  uintptr_t next_ = 0, end_ = 0;                    // the free part of the newest chunk
  size_t budget_;                                   // bytes the chunks may grow to (rounded up to whole chunks)
  std::vector<char*> chunks_;
};

}  // namespace vouch::influence::detail
