// RR sets as the selection keeps them (opim_c.cc): the sets of two or more nodes (and the empty ones) in two flat
// arrays, the sets that hold only their root as a list of roots, grown in whole random streams. Every array of a
// run lives in the run's RunMemory (run_memory.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <limits>
#include <memory_resource>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "vouch/influence/diffusion_model.h"

namespace vouch::influence::detail {

constexpr uint64_t kRrSetsPerStream = 256;  // RR sets per random stream

// Collections grow in whole streams: sets rounded up to a multiple of kRrSetsPerStream.
constexpr uint64_t WholeStreams(uint64_t sets) {
  return (sets + kRrSetsPerStream - 1) / kRrSetsPerStream * kRrSetsPerStream;
}

// Every array of a run lives in the run's RunMemory (run_memory.h): huge pages where the kernel offers them.
template <typename T>
using RunVector = std::pmr::vector<T>;

// A run's allocator (run_memory.h) that leaves the elements a vector grows by unwritten (default-initialised)
// instead of zeroing them: for a buffer whose new elements are all written next (the index's entries, filed after
// each resize), where the zeroing was a second pass over the new entries (about 0.8 M instructions of a 45 M
// Enron LT selection run).
template <typename T>
struct UnzeroedAllocator : std::pmr::polymorphic_allocator<T> {
  using std::pmr::polymorphic_allocator<T>::polymorphic_allocator;
  template <typename U>
  UnzeroedAllocator(const UnzeroedAllocator<U>& other) noexcept : std::pmr::polymorphic_allocator<T>(other) {}
  template <typename U>
  struct rebind {
    using other = UnzeroedAllocator<U>;
  };
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::pmr::polymorphic_allocator<T>::construct(p, std::forward<Args>(args)...);
  }
};

// A run's vector whose growth leaves its new elements unwritten (UnzeroedAllocator).
template <typename T>
using UnzeroedRunVector = std::vector<T, UnzeroedAllocator<T>>;

// A singleton's entry once its set was emptied in place (settled_prefix.h): an empty set, covered by the fixed seeds.
constexpr NodeId kEmptiedSingleton = std::numeric_limits<NodeId>::max();

// RR sets, split by size. A singleton (a set that holds only its root: most sets when probabilities are small, e.g.
// IC uniform 0.01 on Enron, or an LT walk that stops at once) covers nobody but its root, so it needs no end offset,
// no entry in the greedy's index and no walk when its root is chosen: it only adds 1 to its root's coverage and is
// covered iff its root is chosen. Such sets are kept as a list of their roots (`singles`, 4 bytes a set instead of
// 12 here and 4 more in the index); the others in two flat arrays: the nodes of stored set i are
// nodes[begin(i), ends[i]). Readers count singles per node (GreedyCover, MarginalCoverage).
//
// The sets are numbered in the order they were sampled (block by block, each block's sets in its stream's order);
// the split keeps each kind in that order, and `stored(sets)` says how many of the first `sets` sets are stored (the
// rest of them being the first sets - stored(sets) singles), for `sets` a multiple of kRrSetsPerStream or size():
// a prefix of the collection (the schedule's R1 inside a larger one) is a prefix of each kind. Why the list and not
// a count per node: a prefix, and KeepFirst, need the singles in order; counting is the reader's (one increment per
// single, where a stored set costs an end offset, an index entry and a walk).
//
// Sets are only ever appended, except by KeepFirst, or changed in place by a caller who then calls Rewritten();
// both change version(): an index of the sets (GreedyCover) extends itself while the version it indexed holds, and
// starts afresh otherwise. Not copyable (a copy would share the version and grow apart); Assign copies under a new
// version.
struct RrCollection {
  explicit RrCollection(std::pmr::memory_resource* memory)
      : nodes(memory), ends(memory), singles(memory), stored_by_stream_(memory), version_(NextVersion()) {}
  RrCollection(const RrCollection&) = delete;
  RrCollection& operator=(const RrCollection&) = delete;
  RunVector<NodeId> nodes;    // the stored sets' nodes
  RunVector<uint64_t> ends;   // the stored sets' ends
  RunVector<NodeId> singles;  // the singletons' roots, in order (kEmptiedSingleton: emptied in place)

  // Every set held, singletons included.
  uint64_t size() const { return size_; }
  // Stored sets among the first `sets` (a multiple of kRrSetsPerStream, or size()).
  uint64_t stored(uint64_t sets) const {
    if (sets == size_) return ends.size();
    assert(sets % kRrSetsPerStream == 0 && sets < size_ && "RR collection prefix not block aligned");
    return sets == 0 ? 0 : stored_by_stream_[sets / kRrSetsPerStream - 1];
  }
  // Singletons among the first `sets` (same condition).
  uint64_t singletons(uint64_t sets) const { return sets - stored(sets); }
  uint64_t begin(uint64_t i) const { return i == 0 ? 0 : ends[i - 1]; }
  // Nodes in the sets held (an emptied set holds none).
  uint64_t entries() const { return nodes.size() + singles.size() - emptied_singletons_; }

  // Appends one set (a test's or a caller's one at a time).
  void Add(std::span<const NodeId> set) {
    if (set.size() == 1) {
      singles.push_back(set[0]);
    } else {
      nodes.insert(nodes.end(), set.begin(), set.end());
      ends.push_back(nodes.size());
    }
    Counted(1);
  }
  // After a caller appended `sets` sets to the arrays directly (the sampler: a whole stream's block), all within
  // the block of kRrSetsPerStream sets that size() lies in.
  void Counted(uint64_t sets) {
    assert(size_ % kRrSetsPerStream + sets <= kRrSetsPerStream && "RR sets counted across a block");
    size_ += sets;
    if (sets > 0 && size_ % kRrSetsPerStream == 0) stored_by_stream_.push_back(ends.size());
  }
  // A singleton emptied in place (settled_prefix.h DropSettledSets): its entry becomes kEmptiedSingleton.
  void EmptySingleton(uint64_t i) {
    singles[i] = kEmptiedSingleton;
    ++emptied_singletons_;
  }

  // Drops the sets from `sets` on (a multiple of kRrSetsPerStream, or size()): sets appended later are other sets
  // under the same numbers.
  void KeepFirst(uint64_t sets) {
    const uint64_t keep = stored(sets);
    ends.resize(keep);
    nodes.resize(begin(keep));
    singles.resize(sets - keep);
    stored_by_stream_.resize(sets / kRrSetsPerStream);
    size_ = sets;
    emptied_singletons_ = static_cast<uint64_t>(std::count(singles.begin(), singles.end(), kEmptiedSingleton));
    version_ = NextVersion();
  }
  // A copy of other's sets, under a new version.
  void Assign(const RrCollection& other) {
    nodes = other.nodes;
    ends = other.ends;
    singles = other.singles;
    stored_by_stream_ = other.stored_by_stream_;
    size_ = other.size_;
    emptied_singletons_ = other.emptied_singletons_;
    version_ = NextVersion();
  }
  // To be called after the sets held were changed in place (e.g. emptied: settled_prefix.h): an index of them is
  // stale.
  void Rewritten() { version_ = NextVersion(); }
  // The same while the sets held are only appended to; unique in the process (no two collections share one).
  uint64_t version() const { return version_; }

 private:
  static uint64_t NextVersion() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
  RunVector<uint64_t> stored_by_stream_;  // stored sets among the first (i + 1) kRrSetsPerStream sets
  uint64_t size_ = 0;
  uint64_t emptied_singletons_ = 0;
  uint64_t version_;
};

}  // namespace vouch::influence::detail
