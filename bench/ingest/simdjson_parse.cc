// bench_simdjson_parse FILE: the limit for posts ingest. Streams FILE with the same LineReader the ingest uses and
// parses every line with simdjson On-Demand, touching every field a generic JSON Lines post has (strings read,
// numbers converted, arrays walked) and nothing else: no validation messages, no records, no storage. Prints
// lines, seconds and lines per second.
#include <simdjson.h>

#include <chrono>
#include <cstdio>

#include "vouch/ingest/line_reader.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  auto reader = vouch::ingest::LineReader::Open(argv[1]);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  simdjson::ondemand::parser parser;
  vouch::ingest::Line line;
  uint64_t lines = 0, bytes = 0, errors = 0, sum = 0;
  for (;;) {
    auto more = (*reader)->Next(line);
    if (!more.ok() || !*more) break;
    ++lines;
    if (!simdjson::validate_utf8(line.text.data(), line.text.size())) {
      ++errors;
      continue;
    }
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser.iterate(simdjson::padded_string_view(line.text.data(), line.text.size(), (*reader)->capacity()))
            .get(doc) ||
        doc.get_object().get(obj)) {
      ++errors;
      continue;
    }
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) {
        ++errors;
        break;
      }
      simdjson::ondemand::value v;
      if (field.value().get(v)) break;
      simdjson::ondemand::json_type type;
      if (v.type().get(type)) break;
      switch (type) {
        case simdjson::ondemand::json_type::string: {
          std::string_view s;
          if (!v.get_string().get(s)) bytes += s.size();
          break;
        }
        case simdjson::ondemand::json_type::number: {
          int64_t n = 0;
          if (!v.get_int64().get(n)) sum += static_cast<uint64_t>(n);
          break;
        }
        case simdjson::ondemand::json_type::array:
          for (auto item : v.get_array()) {
            std::string_view s;
            if (!item.get_string().get(s)) bytes += s.size();
          }
          break;
        case simdjson::ondemand::json_type::object:
          for (auto f : v.get_object()) {
            simdjson::ondemand::value x;
            if (f.value().get(x)) break;
            std::string_view s;
            int64_t n = 0;
            if (!x.get_string().get(s))
              bytes += s.size();
            else if (!x.get_int64().get(n))
              sum += static_cast<uint64_t>(n);
          }
          break;
        default: break;
      }
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("lines %llu seconds %.3f lines_per_second %.0f (errors %llu, checksum %llu)\n",
              static_cast<unsigned long long>(lines), secs, static_cast<double>(lines) / secs,
              static_cast<unsigned long long>(errors), static_cast<unsigned long long>(bytes + sum));
  return 0;
}
