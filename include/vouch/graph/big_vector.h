// BigVector: std::vector for the large arrays of graphs and samples. Its allocator leaves new elements
// uninitialised (the builders write every element anyway, and zeroing hundreds of megabytes first costs as much
// as the work) and asks the kernel for transparent huge pages on large blocks (fewer page faults and TLB misses
// on the random accesses graph algorithms make).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace vouch::graph {

template <typename T>
struct BigAllocator {
  using value_type = T;
  BigAllocator() = default;
  template <typename U>
  BigAllocator(const BigAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  static constexpr size_t kHuge = size_t{2} << 20;

  // From one huge page up: the offsets and id arrays of a million-node graph (5 MB each) took about 1,300 page
  // faults each in 4 KiB pages, and a fault is dear on a virtual machine (docs/benchmarks.md, "Fifth round").
  // Rounding up wastes at most one huge page's worth of untouched address space.
  static constexpr size_t kHugeFrom = kHuge;

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugeFrom) {
      const size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
      void* p = std::aligned_alloc(kHuge, rounded);
      if (p == nullptr) throw std::bad_alloc();
      // The whole rounded block: advising only `bytes` would leave the last, partial huge page outside the
      // advised range, in 4 KiB pages (a few hundred faults per array).
      ::madvise(p, rounded, MADV_HUGEPAGE);
      return static_cast<T*>(p);
    }
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) >= kHugeFrom) {
      std::free(p);
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }
  // Default-initialise: no zeroing of trivially constructible elements.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const BigAllocator<U>&) const { return true; }
};

template <typename T>
using BigVector = std::vector<T, BigAllocator<T>>;

}  // namespace vouch::graph
