#include "startup_pages.h"

#include <sys/mman.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace vouch::cli {
namespace {

struct Mapping {
  uintptr_t begin = 0, end = 0;
  bool read_only_file = false;  // r--/r-x, backed by a file (a path, not [vdso] or an anonymous region)
  bool private_pages = false;   // Anonymous: > 0 kB in smaps: copy-on-write pages differ from the file
};

// /proc/self/smaps: a header line per mapping ("begin-end perms offset dev inode [path]"), then "Key: value kB"
// lines, Anonymous among them. Read with stdio; the key lines are skipped by their first characters (a
// sscanf on each of the ~1,000 lines cost 2.7 M instructions, a tenth of an Enron selection's process).
std::vector<Mapping> ReadMappings() {
  std::vector<Mapping> maps;
  FILE* f = std::fopen("/proc/self/smaps", "re");
  if (f == nullptr) return maps;
  char line[4096];
  while (std::fgets(line, sizeof line, f) != nullptr) {
    // Most lines are "Key: value kB"; only Anonymous matters among them. A mapping's header starts with its
    // address in lower-case hex, which no key does.
    if (std::strncmp(line, "Anonymous:", 10) == 0) {
      if (!maps.empty() && std::strtoul(line + 10, nullptr, 10) > 0) maps.back().private_pages = true;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(line[0])) || std::isupper(static_cast<unsigned char>(line[0]))) {
      continue;
    }
    unsigned long begin = 0, end = 0, offset = 0, inode = 0;
    char perms[8] = {}, dev[32] = {};
    int path_at = 0;
    if (std::sscanf(line, "%lx-%lx %7s %lx %31s %lu %n", &begin, &end, perms, &offset, dev, &inode, &path_at) <
            6 ||
        std::strlen(perms) != 4) {
      continue;
    }
    Mapping m;
    m.begin = begin;
    m.end = end;
    m.read_only_file =
        perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p' && inode != 0 && path_at > 0 && line[path_at] == '/';
    maps.push_back(m);
  }
  std::fclose(f);
  return maps;
}

}  // namespace

uint64_t ReleaseStartupPages() {
  uint64_t released = 0;
  for (const Mapping& m : ReadMappings()) {
    if (!m.read_only_file || m.private_pages) continue;
    if (madvise(reinterpret_cast<void*>(m.begin), m.end - m.begin, MADV_DONTNEED) == 0)
      released += m.end - m.begin;
  }
  return released;
}

}  // namespace vouch::cli
