// bench_post_reader FILE: the ingest minus storage. Streams FILE through LineReader and the generic JSON Lines
// PostReader (parsing, validation, Post records) and stores nothing, to split the ingest's time between reading
// and the database. Prints lines, posts, seconds and posts per second.
#include <chrono>
#include <cstdio>

#include "vouch/ingest/line_reader.h"
#include "vouch/ingest/post_reader.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  auto lines = vouch::ingest::LineReader::Open(argv[1]);
  auto reader = vouch::ingest::MakePostReader(vouch::ingest::PostFormat::kJsonLines, {});
  if (!lines.ok() || !reader.ok()) return 1;
  vouch::ingest::ReadBatch batch;
  vouch::ingest::Line line;
  uint64_t n = 0, posts = 0, rejects = 0;
  for (;;) {
    auto more = (*lines)->Next(line);
    if (!more.ok() || !*more) break;
    ++n;
    if (!(*reader)->Read(line, (*lines)->capacity(), batch).ok()) return 1;
    posts += batch.post_count();
    rejects += batch.rejects().size();
    batch.Clear();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("lines %llu posts %llu rejects %llu seconds %.3f posts_per_second %.0f\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(posts),
              static_cast<unsigned long long>(rejects), secs, static_cast<double>(posts) / secs);
  return 0;
}
