// A set of people as a bitmap of n bits (one per node, in 64-bit words): the RR sampler's marks and the fixed
// seeds' stops (cascade.h, settled_prefix.h, opim_c.cc).
#pragma once

#include <cstdint>

#include "vouch/influence/diffusion_model.h"

namespace vouch::influence::detail {

inline bool HasNode(const uint64_t* bits, NodeId v) {
  return (bits[v >> 6] >> (v & 63)) & 1;
}
inline void AddNode(uint64_t* bits, NodeId v) {
  bits[v >> 6] |= uint64_t{1} << (v & 63);
}

}  // namespace vouch::influence::detail
