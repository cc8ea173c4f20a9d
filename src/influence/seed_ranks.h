// SeedRanks: each seed's place in a list of seeds, for the passes that look every entry of an RR collection up
// in it (MarginalCoverage's check on R2, DropSettledSets' fixed prefix). Not thread-safe to mark; lookups are
// (const, no state). Internal to vouch/influence.
// Why a bitmap and a small table, not an array of places for every node: a pass tests every entry, and nearly
// none is a seed. The bitmap answers that with one bit (n / 8 bytes, 32 times less than an array of 4-byte
// places, so it stays in cache where the array's reads were at random), and only a seed's entry goes on to the
// table, which holds the seeds alone. The array was also the run's only per-node array used for nothing else:
// 4 bytes a node written at every run's start (9.6 MB on R-MAT 22, where fresh memory is the run's main fixed
// cost: docs/benchmarks.md, "Session 19").
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <memory_resource>
#include <span>
#include <utility>
#include <vector>

#include "influence/node_bits.h"
#include "influence/prefault.h"
#include "influence/rr_collection.h"

namespace vouch::influence::detail {

// A place no seed has: what SeedRanks::Of answers for everyone else.
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

class SeedRanks {
 public:
  // For nodes [0, n); nobody is marked. memory holds the bitmap (its pages written here, at once).
  SeedRanks(NodeId n, std::pmr::memory_resource* memory) : bits_(memory) {
    AssignPrefaulted(bits_, (size_t{n} + 63) / 64, uint64_t{0});
  }

  // Marks seeds[i] with place i (a seed listed twice keeps its first place). Whoever was marked before is
  // unmarked first.
  void Mark(std::span<const NodeId> seeds) {
    Clear();
    // Open addressing with linear probing, at most half full: a lookup is one or two probes.
    size_t slots = 16;
    while (slots < 2 * seeds.size()) slots *= 2;
    table_.assign(slots, {kNone, kNone});
    shift_ = 64 - std::countr_zero(slots);
    for (size_t i = 0; i < seeds.size(); ++i) {
      const NodeId v = seeds[i];
      if (Has(v)) continue;
      AddNode(bits_.data(), v);
      size_t at = Slot(v);
      while (table_[at].first != kNone) at = (at + 1) & (table_.size() - 1);
      table_[at] = {v, static_cast<uint32_t>(i)};
    }
  }

  // Unmarks everyone (a pass over the marked ones only).
  void Clear() {
    for (const auto& [v, place] : table_) {
      if (v != kNone) bits_[v >> 6] = 0;
    }
    table_.clear();
  }

  bool Has(NodeId v) const { return HasNode(bits_.data(), v); }

  // v's place; kNone where v is not marked.
  uint32_t Of(NodeId v) const {
    if (!Has(v)) return kNone;
    for (size_t at = Slot(v);; at = (at + 1) & (table_.size() - 1)) {
      if (table_[at].first == v) return table_[at].second;
    }
  }

 private:
  // Fibonacci hashing: the multiplier's high bits spread ids that differ in their low bits only.
  size_t Slot(NodeId v) const { return static_cast<size_t>((uint64_t{v} * 0x9E3779B97F4A7C15ull) >> shift_); }

  RunVector<uint64_t> bits_;                        // n bits: who is marked
  std::vector<std::pair<NodeId, uint32_t>> table_;  // marked node, its place; {kNone, kNone}: an empty slot
  int shift_ = 60;
};

}  // namespace vouch::influence::detail
