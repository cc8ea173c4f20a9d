// SortRow: sorts one adjacency row of node ids in place (internal to vouch/graph, for GraphBuilder).
//
// Rows of a skewed graph range from a handful of arcs to a hub's hundreds of thousands. A comparison sort pays a
// log factor and a mispredicted branch per comparison on the long rows, which are most of the arcs; an LSD radix
// sort on the bits a node id of this graph can have (2 passes of at most 11 bits up to 4 million nodes) reads
// and writes each id twice, from a row that fits the cache. Short rows keep std::sort (the radix sort's counts
// would cost more than the row).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace vouch::graph {

inline constexpr size_t kRadixRowMin = 256;

// Sorts row[0, len) ascending. Every id must be below 2^key_bits. scratch is reused between calls (one per
// thread). When the row is already in order by its bits below sorted_bits (as where it was filled in that
// order), only the bits from sorted_bits up are sorted on, stably: fewer passes for the same result.
inline void SortRow(uint32_t* row, size_t len, int key_bits, std::vector<uint32_t>& scratch, int sorted_bits = 0) {
  if (len < kRadixRowMin || key_bits <= sorted_bits) {
    if (key_bits > sorted_bits) std::sort(row, row + len);
    return;
  }
  const int passes = (key_bits - sorted_bits + 10) / 11;
  const int digit_bits = (key_bits - sorted_bits + passes - 1) / passes;
  const uint32_t mask = (uint32_t{1} << digit_bits) - 1;
  if (scratch.size() < len) scratch.resize(len);
  std::vector<uint32_t> count((size_t{1} << digit_bits) + 1);
  uint32_t* from = row;
  uint32_t* to = scratch.data();
  for (int shift = sorted_bits; shift < key_bits; shift += digit_bits) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < len; ++i) ++count[((from[i] >> shift) & mask) + 1];
    for (size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (size_t i = 0; i < len; ++i) to[count[(from[i] >> shift) & mask]++] = from[i];
    std::swap(from, to);
  }
  if (from != row) std::memcpy(row, from, len * sizeof(uint32_t));
}

}  // namespace vouch::graph
