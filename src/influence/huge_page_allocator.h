// HugePageAllocator: a std::allocator for the samplers' large arrays (RR collections, the greedy's inverted
// index) that backs blocks of 2 MiB and more with memory the kernel may map in 2 MiB pages (madvise
// MADV_HUGEPAGE; transparent huge pages in "madvise" mode, the common default, only serve memory so marked).
// Why: the arrays are written once, front to back, into fresh memory, and on a virtual machine each 4 KiB page
// fault is expensive: on Enron, IC uniform 0.01, 786,432 RR sets, 12,239 page faults took about a fifth of the
// process's CPU; with huge pages 3,644 (measured with glibc's equivalent tunable, docs/benchmarks.md). A block
// is aligned to 2 MiB so that the kernel can use huge pages for all of it; on systems without them it keeps 4 KiB
// pages (the advice is only advice). Smaller blocks come from the ordinary allocator. Throws std::bad_alloc like
// std::allocator. Stateless, thread safe. Internal to vouch/influence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include <sys/mman.h>

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

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(n);
    if (void* p = MapHuge(RoundUp(bytes))) return static_cast<T*>(p);
    throw std::bad_alloc();
  }
  void deallocate(T* p, size_t n) noexcept {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().deallocate(p, n);
    ::munmap(p, RoundUp(bytes));
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }

 private:
  static size_t RoundUp(size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }
};

}  // namespace vouch::influence::detail
