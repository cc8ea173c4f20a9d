// rmat: writes an R-MAT graph (Chakrabarti, Zhan, Faloutsos 2004) with the Graph500 parameters as a SNAP-style
// edge list: 2^SCALE nodes, EDGE_FACTOR * 2^SCALE arcs drawn with a = 0.57, b = 0.19, c = 0.19, d = 0.05, node
// labels randomly permuted (as Graph500 does), self-loops and repeated arcs removed.
//
//   rmat SCALE EDGE_FACTOR SEED OUT.txt
//
// Standalone (standard C++ only) so the benchmark script can build it with one compiler call.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

namespace {

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: rmat SCALE EDGE_FACTOR SEED OUT.txt\n");
    return 2;
  }
  const int scale = std::atoi(argv[1]);
  const uint64_t factor = std::strtoull(argv[2], nullptr, 10);
  uint64_t state = std::strtoull(argv[3], nullptr, 10);
  const uint64_t n = uint64_t{1} << scale, m = factor * n;
  // Probabilities as 32-bit thresholds: a, a+b, a+b+c.
  const uint64_t ta = static_cast<uint64_t>(0.57 * 4294967296.0), tb = static_cast<uint64_t>(0.76 * 4294967296.0),
                 tc = static_cast<uint64_t>(0.95 * 4294967296.0);
  std::vector<uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0u);
  for (uint64_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[SplitMix(state) % (i + 1)]);
  std::vector<uint64_t> arcs;
  arcs.reserve(m);
  for (uint64_t e = 0; e < m; ++e) {
    uint64_t u = 0, v = 0;
    for (int level = 0; level < scale; ++level) {
      const uint64_t r = SplitMix(state) & 0xffffffffULL;
      const uint64_t bit_u = r >= tb ? 1 : 0;             // quadrants c, d: lower half
      const uint64_t bit_v = (r >= ta && r < tb) || r >= tc ? 1 : 0;  // quadrants b, d: right half
      u = (u << 1) | bit_u;
      v = (v << 1) | bit_v;
    }
    u = perm[u];
    v = perm[v];
    if (u != v) arcs.push_back((u << 32) | v);
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  FILE* out = std::fopen(argv[4], "w");
  if (out == nullptr) {
    std::perror(argv[4]);
    return 1;
  }
  std::fprintf(out, "# R-MAT scale %d, edge factor %llu (Graph500 a=0.57 b=0.19 c=0.19), seed %s: %llu arcs\n", scale,
               static_cast<unsigned long long>(factor), argv[3], static_cast<unsigned long long>(arcs.size()));
  // Shuffle line order so the file is not sorted (real edge lists rarely are).
  for (uint64_t i = arcs.size() - 1; i > 0; --i) std::swap(arcs[i], arcs[SplitMix(state) % (i + 1)]);
  for (uint64_t a : arcs) std::fprintf(out, "%u\t%u\n", static_cast<unsigned>(a >> 32), static_cast<unsigned>(a & 0xffffffffu));
  return std::fclose(out) == 0 ? 0 : 1;
}
