// LineReader: streams the lines of a plain, gzip or zstd file in constant memory (the compression is detected
// from the file's first bytes, not its name).
//
// Every line comes with its 1-based number, so that a rejected record can be named as FILE:LINE. The line's bytes
// are followed in memory by at least kPadding readable bytes, so a simdjson parser can read it in place
// (simdjson::padded_string_view(line.data(), line.size(), reader.capacity())).
//
// A line longer than max_line_bytes is not returned whole: Next() reports it as oversized (its first bytes kept
// for the rejects file) and carries on with the next line, so one bad record never stops an ingest.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::ingest {

enum class Compression { kNone, kGzip, kZstd };
const char* CompressionName(Compression c);

struct Line {
  std::string_view text;   // without the trailing "\n" or "\r\n"
  uint64_t number = 0;     // 1-based line number in the (decompressed) file
  bool oversized = false;  // longer than max_line_bytes: text holds only its first bytes
};

class LineReader {
 public:
  static constexpr size_t kPadding = 64;
  static constexpr size_t kDefaultMaxLineBytes = size_t{64} << 20;  // 64 MiB

  // path "-" reads standard input.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  size_t max_line_bytes = kDefaultMaxLineBytes);
  virtual ~LineReader() = default;

  // true and a line, or false at the end of the file. An I/O or decompression error (a truncated gzip stream,
  // say) is a Status naming the file and the line it reached.
  virtual Result<bool> Next(Line& line) = 0;
  // Readable bytes from the current line's first byte (>= line.size() + kPadding).
  virtual size_t capacity() const = 0;

  virtual Compression compression() const = 0;
  // Bytes of the file consumed so far and its size (0 when unknown, e.g. a pipe), for progress.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t total_bytes() const = 0;
  virtual const std::string& path() const = 0;
};

}  // namespace vouch::ingest
