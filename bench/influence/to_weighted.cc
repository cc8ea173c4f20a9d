// to_weighted: rewrites a SNAP-style edge list as the Ripples peer's weighted input, one arc "u v p" a line, with
// the probability Vouch's scheme gives it: wc is 1 / in-degree, counting distinct arcs; uniform:P is P. Ids stay
// the source's. Self-loops and repeated arcs are dropped, and with --undirected each line gives both arcs (wc
// weighs them apart). Streams the arcs as integer pairs: a graph of 67 million arcs needs about 2 GB, where the
// Python set of string pairs it replaces needed 14 GB.
//
//   to_weighted IN.txt OUT wc|uniform:P [--undirected]
//
// Part of the benchmark's preparation of the peer's input; it builds nothing of the peer.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: to_weighted IN.txt OUT wc|uniform:P [--undirected]\n");
    return 2;
  }
  const bool wc = std::strcmp(argv[3], "wc") == 0;
  double uniform = 0;
  if (!wc) {
    if (std::strncmp(argv[3], "uniform:", 8) != 0 || (uniform = std::atof(argv[3] + 8)) <= 0 || uniform > 1) {
      std::fprintf(stderr, "to_weighted: weights must be wc or uniform:P with 0 < P <= 1, not %s\n", argv[3]);
      return 2;
    }
  }
  const bool undirected = argc > 4 && std::strcmp(argv[4], "--undirected") == 0;
  FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<std::pair<uint64_t, uint64_t>> arcs;
  char line[4096];
  while (std::fgets(line, sizeof line, in) != nullptr) {
    if (line[0] == '#' || line[0] == '\n') continue;
    unsigned long long u = 0, v = 0;
    if (std::sscanf(line, "%llu %llu", &u, &v) != 2 || u == v) continue;
    arcs.emplace_back(u, v);
    if (undirected) arcs.emplace_back(v, u);
  }
  std::fclose(in);
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  // In-degrees by target: the targets sorted, each one's count found by binary search.
  std::vector<uint64_t> targets(arcs.size());
  for (size_t i = 0; i < arcs.size(); ++i) targets[i] = arcs[i].second;
  std::sort(targets.begin(), targets.end());
  FILE* out = std::fopen(argv[2], "w");
  if (out == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  for (const auto& [u, v] : arcs) {
    double p = uniform;
    if (wc) {
      const auto [lo, hi] = std::equal_range(targets.begin(), targets.end(), v);
      p = 1.0 / static_cast<double>(hi - lo);
    }
    std::fprintf(out, "%llu %llu %.9g\n", static_cast<unsigned long long>(u), static_cast<unsigned long long>(v), p);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
