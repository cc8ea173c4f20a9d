// Prefault: makes the pages of a range that is about to be written present with one system call
// (madvise MADV_POPULATE_WRITE, Linux 5.14 and later) instead of one page fault per 4 KiB page on first touch.
// Why: on a virtual machine a page fault traps into the hypervisor; measured on the 2-vCPU benchmark machine
// (docs/benchmarks.md, "Fixed cost of a selection"), writing 2,048 fresh pages took 23-30 ms by touching them and
// 3-5 ms after one populate call. A selection on a small graph first-touches about a thousand pages (per-node
// arrays, RR collections, the greedy's index), which was most of its fixed cost. The populated pages are the ones
// the caller writes next, so resident memory does not grow. Where the kernel lacks the advice it fails and the
// pages fault in on touch as before: only a speed-up, never needed for correctness. Thread safe (no state).
// Internal to vouch/influence.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sys/mman.h>
#include <unistd.h>

namespace vouch::influence::detail {

// Populates the pages that [begin, begin + bytes) touches; the range must lie in writable memory the caller
// owns (a vector's allocation). Ranges under two pages are left to ordinary faults (a call costs about what a
// fault does).
inline void Prefault(const void* begin, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr uintptr_t kPage = 4096;
  if (begin == nullptr || bytes < 2 * kPage) return;
  const auto first = reinterpret_cast<uintptr_t>(begin) & ~(kPage - 1);
  const uintptr_t last = (reinterpret_cast<uintptr_t>(begin) + bytes + kPage - 1) & ~(kPage - 1);
  (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
#else
  (void)begin;
  (void)bytes;
#endif
}

// Gives v room for n elements and populates the pages its elements [size(), n) will occupy, so that a following
// resize, assign or append up to n writes present pages. Reserves exactly n when it has to reallocate.
template <typename Vec>
void ReservePrefaulted(Vec& v, size_t n) {
  if (v.capacity() < n) v.reserve(n);
  if (n > v.size()) Prefault(v.data() + v.size(), (n - v.size()) * sizeof(typename Vec::value_type));
}

// v.assign(n, value) on populated pages (the assign's fill would otherwise take one fault per page).
// Pages below v.size() were written before (a buffer reused across rounds), so only those of [size(), n) are
// populated: a populate call walks every page of its range even where the page is present.
template <typename Vec>
void AssignPrefaulted(Vec& v, size_t n, const typename Vec::value_type& value) {
  if (v.capacity() < n) {
    v.clear();  // nothing to copy into the new buffer
    v.reserve(n);
  }
  if (n > v.size()) Prefault(v.data() + v.size(), (n - v.size()) * sizeof(typename Vec::value_type));
  v.assign(n, value);
}

}  // namespace vouch::influence::detail
