// RR sets as the selection keeps them (opim_c.cc): two flat arrays per collection, grown in whole random streams.
// Every array of a run lives in the run's RunMemory (run_memory.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory_resource>
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

// RR sets in two flat arrays: the nodes of set i are nodes[begin(i), ends[i]). Sets are only ever appended, except
// by KeepFirst, or changed in place by a caller who then calls Rewritten(); both change version(): an index of the sets (GreedyCover) extends itself while the version it
// indexed holds, and starts afresh otherwise. Not copyable (a copy would share the version and grow apart).
struct RrCollection {
  explicit RrCollection(std::pmr::memory_resource* memory) : nodes(memory), ends(memory), version_(NextVersion()) {}
  RrCollection(const RrCollection&) = delete;
  RrCollection& operator=(const RrCollection&) = delete;
  RunVector<NodeId> nodes;
  RunVector<uint64_t> ends;
  uint64_t size() const { return ends.size(); }
  uint64_t begin(uint64_t i) const { return i == 0 ? 0 : ends[i - 1]; }

  // Drops the sets from `sets` on: sets appended later are other sets under the same numbers.
  void KeepFirst(uint64_t sets) {
    ends.resize(sets);
    nodes.resize(begin(sets));
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
  uint64_t version_;
};

}  // namespace vouch::influence::detail
