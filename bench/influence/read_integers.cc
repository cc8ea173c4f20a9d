// read_integers: the baseline for graph ingest speed: read an edge list and parse its integers, nothing more
// (one thread, one buffered pass, '#' lines skipped). Prints the seconds taken and a checksum so the work is not
// optimised away.
//
//   read_integers FILE
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: read_integers FILE\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<char> buf(1 << 20);
  uint64_t sum = 0, count = 0, value = 0;
  bool in_number = false, comment = false, line_start = true;
  size_t got;
  while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    for (size_t i = 0; i < got; ++i) {
      const char c = buf[i];
      if (line_start && c == '#') comment = true;
      line_start = c == '\n';
      if (comment) {
        if (c == '\n') comment = false;
        continue;
      }
      if (c >= '0' && c <= '9') {
        value = value * 10 + static_cast<uint64_t>(c - '0');
        in_number = true;
      } else if (in_number) {
        sum += value;
        ++count;
        value = 0;
        in_number = false;
      }
    }
  }
  std::fclose(f);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.6f %llu %llu\n", s, static_cast<unsigned long long>(count), static_cast<unsigned long long>(sum));
  return 0;
}
