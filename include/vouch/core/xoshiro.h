// The xoshiro256 family's state transition and the SplitMix64 seeder (Blackman and Vigna, "Scrambled linear
// pseudorandom number generators", 2019; Steele, Lea and Flood, OOPSLA 2014), shared by the generators that differ
// only in how they scramble the state into an output: influence::Rng (xoshiro256++) and synth::Rng
// (xoshiro256**). Not for cryptography.
#pragma once

#include <cstdint>

namespace vouch {

inline constexpr uint64_t Rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Advances state and returns the next SplitMix64 output: fills generator states from one 64-bit seed.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The xoshiro256 linear engine: one step of the 256-bit state. Callers read their output from the state first.
inline void Xoshiro256Step(uint64_t (&s)[4]) {
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = Rotl64(s[3], 45);
}

}  // namespace vouch
