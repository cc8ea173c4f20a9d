// to_subsim: rewrites a SNAP-style edge list in the input format of the SUBSIM peer ("n m" then one "u v" per
// line, ids 0..n-1): ids are numbered in ascending order of the integer ids of the source (as Vouch numbers them),
// self-loops and repeated arcs are dropped, and with --undirected each line gives both arcs. Writes OUT.ids
// too: line i holds the source id of dense id i, to map the peer's seeds back.
//
//   to_subsim IN.txt OUT [--undirected]
//
// Part of the benchmark's preparation of the peer's input, timed as the peer's formatting; it builds nothing of
// the peer.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: to_subsim IN.txt OUT [--undirected]\n");
    return 2;
  }
  const bool undirected = argc > 3 && std::strcmp(argv[3], "--undirected") == 0;
  FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<uint64_t> src, dst;
  char line[4096];
  while (std::fgets(line, sizeof line, in) != nullptr) {
    if (line[0] == '#' || line[0] == '\n') continue;
    unsigned long long u = 0, v = 0;
    if (std::sscanf(line, "%llu %llu", &u, &v) != 2) continue;
    src.push_back(u);
    dst.push_back(v);
  }
  std::fclose(in);
  std::vector<uint64_t> ids(src);
  ids.insert(ids.end(), dst.begin(), dst.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto dense = [&](uint64_t x) { return static_cast<uint64_t>(std::lower_bound(ids.begin(), ids.end(), x) - ids.begin()); };
  std::vector<uint64_t> arcs;
  arcs.reserve(src.size() * (undirected ? 2 : 1));
  for (size_t i = 0; i < src.size(); ++i) {
    uint64_t u = dense(src[i]), v = dense(dst[i]);
    if (u == v) continue;
    arcs.push_back(u << 32 | v);
    if (undirected) arcs.push_back(v << 32 | u);
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  FILE* out = std::fopen(argv[2], "w");
  std::fprintf(out, "%zu %zu\n", ids.size(), arcs.size());
  for (uint64_t a : arcs) std::fprintf(out, "%llu\t%llu\n", static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>(a & 0xffffffffULL));
  std::fclose(out);
  char name[4096];
  std::snprintf(name, sizeof name, "%s.ids", argv[2]);
  FILE* map = std::fopen(name, "w");
  for (uint64_t x : ids) std::fprintf(map, "%llu\n", static_cast<unsigned long long>(x));
  std::fclose(map);
  return 0;
}
