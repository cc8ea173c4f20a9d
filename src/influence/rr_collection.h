// RR sets as the selection keeps them (opim_c.cc): two flat arrays per collection, grown in whole random streams.
// Every array of a run lives in the run's RunMemory (run_memory.h).
#pragma once

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

// RR sets in two flat arrays: the nodes of set i are nodes[begin(i), ends[i]).
struct RrCollection {
  explicit RrCollection(std::pmr::memory_resource* memory) : nodes(memory), ends(memory) {}
  RunVector<NodeId> nodes;
  RunVector<uint64_t> ends;
  uint64_t size() const { return ends.size(); }
  uint64_t begin(uint64_t i) const { return i == 0 ? 0 : ends[i - 1]; }
};

}  // namespace vouch::influence::detail
