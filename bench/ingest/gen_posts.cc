// bench_gen_posts N OUT: writes N generic JSON Lines posts (docs/formats.md) to OUT, deterministically, for the
// ingest benchmark. Shapes like real posts: 100,000 authors with a heavy tail (a few post a lot), texts of 5 to 40
// words, some mentions, hashtags, links, replies and reshares, metrics on most.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

const char* const kWords[] = {"the",     "acme",  "rocket", "is",        "great",    "love",   "my",       "new",
                              "just",    "got",   "it",     "works",     "battery",  "lasts",  "all",      "day",
                              "support", "was",   "slow",   "but",       "fixed",    "anyone", "tried",    "deal",
                              "today",   "off",   "worth",  "price",     "honestly", "best",   "worst",    "ever",
                              "bought",  "again", "would",  "recommend", "friends",  "family", "shipping", "fast",
                              "broke",   "after", "week",   "refund",    "please",   "help",   "thinking", "about",
                              "buying",  "one",   "😀",      "🚀",         "café",     "naïve",  "really",   "so",
                              "good",    "bad",   "okay",   "meh",       "wow",      "check",  "this",     "out"};
constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s N OUT\n", argv[0]);
    return 2;
  }
  long long n = std::atoll(argv[1]);
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  std::mt19937_64 rng(42);
  // Zipf-like author choice: a power of a uniform draw concentrates posts on low author numbers.
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> word(0, kWordCount - 1), words(5, 40), pct(0, 99), count(0, 500);
  std::string line, text;
  line.reserve(1024);
  for (long long i = 0; i < n; ++i) {
    int author = static_cast<int>(100000 * unit(rng) * unit(rng));
    text.clear();
    int w = words(rng);
    for (int k = 0; k < w; ++k) {
      if (k) text += ' ';
      text += kWords[word(rng)];
    }
    int r = pct(rng);
    line = "{\"id\": \"" + std::to_string(1000000000000LL + i) + "\", \"platform\": \"x\", \"author\": ";
    if (r < 20) {
      line += "{\"handle\": \"User" + std::to_string(author) + "\", \"name\": \"User Number " +
              std::to_string(author) + "\"}";
    } else {
      line += "\"user" + std::to_string(author) + "\"";
    }
    line += ", \"time\": ";
    long long t = 1700000000LL + i / 4;
    if (r % 2) {
      line += std::to_string(t);
    } else {
      // RFC 3339 with a Z offset, the way most exports write it.
      long long days = t / 86400, secs = t % 86400;
      // 1700000000 is 2023-11-14T22:13:20Z; the benchmark needs well-formed times, not calendar arithmetic.
      char buf[40];
      std::snprintf(buf, sizeof buf, "\"2023-11-%02lldT%02lld:%02lld:%02lldZ\"", 14 + (days - 19675) % 15,
                    secs / 3600, secs % 3600 / 60, secs % 60);
      line += buf;
    }
    line += ", \"text\": \"" + text + "\"";
    if (r < 30) line += ", \"mentions\": [\"user" + std::to_string(author / 2 + 1) + "\"]";
    if (r >= 30 && r < 50) line += ", \"hashtags\": [\"acme\", \"rocket\"]";
    if (r >= 50 && r < 60) line += ", \"urls\": [\"https://acme.example/p/" + std::to_string(i % 977) + "\"]";
    if (r >= 60 && r < 75) line += ", \"reply_to\": \"" + std::to_string(1000000000000LL + i / 2) + "\"";
    if (r >= 75 && r < 85) line += ", \"reshare_of\": \"" + std::to_string(1000000000000LL + i / 3) + "\"";
    line += ", \"lang\": \"en\"";
    if (r < 80) {
      line += ", \"metrics\": {\"likes\": " + std::to_string(count(rng)) +
              ", \"reshares\": " + std::to_string(count(rng) / 10) +
              ", \"replies\": " + std::to_string(count(rng) / 20) + "}";
    }
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), out);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
