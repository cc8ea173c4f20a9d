// Rng: the synthetic world's source of randomness, counter-based so that any entity (a person, a post, a chunk)
// can be regenerated on its own, in any order and on any thread, with the same result.
//
// Every random choice of `vouch synth` draws from Rng::For(seed, stream, index): a small xoshiro256** generator
// whose state is derived by SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014) from the world's seed, a stream tag (what is being drawn: people, edges, posts, ...) and the entity's
// index. Nothing depends on which thread generates what, so the output is byte-identical whatever the thread count.
//
// The distributions are written out here rather than taken from <random>, whose std::*_distribution results are
// implementation-defined and would make the world differ between standard libraries.
//
// Thread safety: an Rng is a value; one thread at a time. Different Rngs share nothing.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "vouch/core/xoshiro.h"

namespace vouch::synth {

__extension__ typedef unsigned __int128 Uint128;  // __extension__: GCC and Clang have it; -Wpedantic stays quiet

using vouch::SplitMix64;

// A 64-bit hash of (a, b, c), for derived identifiers (link tokens, visitor ids) that must look random.
inline uint64_t Mix(uint64_t a, uint64_t b, uint64_t c = 0) {
  uint64_t s = a * 0xD1B54A32D192ED03ULL ^ b;
  SplitMix64(s);
  s ^= c * 0x8CB92BA72F3D8DD7ULL;
  return SplitMix64(s);
}

class Rng {
 public:
  // The generator of one entity: seed (the world's), stream (what kind of entity), index (which one).
  static Rng For(uint64_t seed, uint64_t stream, uint64_t index) {
    uint64_t s = Mix(seed, stream, index);
    Rng r;
    for (auto& word : r.s_) word = SplitMix64(s);
    return r;
  }

  uint64_t Next() {
    const uint64_t result = Rotl64(s_[1] * 5, 7) * 9;  // the ** scrambler
    Xoshiro256Step(s_);
    return result;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform in [0, n); n > 0. Lemire's multiply-shift (the bias is below 2^-32 for any n a world uses).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi], inclusive.
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1))); }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller; one value per call keeps the generator stateless between calls).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Pareto with minimum xm and shape alpha (heavy tail: the mean is finite only for alpha > 1).
  double Pareto(double xm, double alpha) { return xm * std::pow(1.0 - Uniform(), -1.0 / alpha); }
  double LogNormal(double mu, double sigma) { return std::exp(Normal(mu, sigma)); }
  // Poisson by inversion for small means, a rounded normal for large ones (only counts use it).
  uint64_t Poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 30) {
      const double x = std::round(Normal(mean, std::sqrt(mean)));
      return x < 0 ? 0 : static_cast<uint64_t>(x);
    }
    const double limit = std::exp(-mean);
    double p = Uniform();
    uint64_t k = 0;
    while (p > limit) {
      p *= Uniform();
      ++k;
    }
    return k;
  }
  // One element of a non-empty span.
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  Rng() = default;
  uint64_t s_[4] = {};
};

// AliasTable: O(1) sampling of an index in proportion to fixed non-negative weights (Vose's alias method,
// "A linear algorithm for generating random numbers with a given distribution", IEEE TSE 1991). Built
// deterministically in O(n); read-only afterwards, so any number of threads may sample at once.
class AliasTable {
 public:
  AliasTable() = default;
  // weights must not all be zero.
  explicit AliasTable(std::span<const double> weights);

  bool empty() const { return prob_.empty(); }
  size_t size() const { return prob_.size(); }
  size_t Sample(Rng& rng) const {
    const size_t i = rng.Below(prob_.size());
    return rng.Uniform() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

}  // namespace vouch::synth
