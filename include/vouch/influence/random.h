// Rng: the random stream of the influence samplers (xoshiro256++, Blackman and Vigna 2019): fast, small, and
// splittable into independent streams, so that a run's result depends on its seed and not on how many threads
// shared the work. Not for cryptography. One Rng per thread; not thread safe.
#pragma once

#include <cstdint>

#include "vouch/core/xoshiro.h"

namespace vouch::influence {

class Rng final {
 public:
  // Stream `stream` of seed `seed`: the state is filled by SplitMix64 from both.
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ (stream + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;
    for (auto& w : s_) w = SplitMix64(x);
  }
  uint64_t Next() {
    const uint64_t result = Rotl64(s_[0] + s_[3], 23) + s_[0];  // the ++ scrambler
    Xoshiro256Step(s_);
    return result;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double UniformOpen() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  // Uniform in [0, n), n > 0: floor(x n / 2^64) for all 64 bits x of one draw, so the bias is below n / 2^64.
  uint32_t BelowExact(uint32_t n) {
    const uint64_t x = Next();
    return static_cast<uint32_t>(((x >> 32) * n + (((x & 0xffffffffu) * n) >> 32)) >> 32);
  }

 private:
  uint64_t s_[4];
};

}  // namespace vouch::influence
