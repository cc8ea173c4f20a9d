// CsvRecordReader: RFC 4180 CSV records from a plain, gzip or zstd file (through LineReader), in constant memory.
//
//  - Fields are separated by the delimiter (',' by default). A field that starts with '"' is quoted: it may hold
//    delimiters, doubled quotes ("" for ") and line breaks, so one record may span several lines. A '"' inside an
//    unquoted field is kept as an ordinary character (lenient, as most spreadsheets write it).
//  - Every record carries the number of its first line and its raw text (its lines joined by "\n"), so a rejected
//    record is named FILE:LINE and kept verbatim in the rejects file.
//  - Blank lines are skipped; a UTF-8 byte order mark at the start of the file is dropped. Line ends are "\n" or
//    "\r\n"; a line break inside a quoted field is read as "\n".
//  - A malformed record does not stop the reader: Next() returns it with error set (the caller rejects it) and
//    carries on. A quoted field left open (no closing quote before the end of the file, or longer than
//    max_record_bytes) makes only its first line a bad record: the lines after it are read again as records of
//    their own, so one stray quote cannot swallow the rest of a file.
//  - Records that are not valid UTF-8 are returned with error set.
//
// Headers are the caller's business (some formats require one, ratings detect it); CsvHeader maps column names.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/ingest/line_reader.h"

namespace vouch::ingest {

struct CsvRecord {
  std::vector<std::string> fields;
  uint64_t line = 0;   // 1-based number of the record's first line
  std::string raw;     // the record as it stands in the file
  std::string error;   // non-empty: the record is malformed, and why
};

class CsvRecordReader final {
 public:
  struct Options {
    char delimiter = ',';
    size_t max_record_bytes = size_t{1} << 20;  // a quoted field open longer than this is a bad record
  };

  // path "-" reads standard input.
  static Result<std::unique_ptr<CsvRecordReader>> Open(const std::string& path, Options options);
  static Result<std::unique_ptr<CsvRecordReader>> Open(const std::string& path) { return Open(path, Options{}); }
  CsvRecordReader(std::unique_ptr<LineReader> lines, Options options);

  // true and the next record, or false at the end of the file. A Status only for I/O or decompression errors.
  Result<bool> Next(CsvRecord& record);

  uint64_t bytes_read() const { return lines_->bytes_read(); }
  uint64_t total_bytes() const { return lines_->total_bytes(); }
  const std::string& path() const { return lines_->path(); }

 private:
  struct PendingLine {
    uint64_t number = 0;
    std::string text;
    bool oversized = false;
  };
  Result<bool> NextLine(PendingLine& line);

  std::unique_ptr<LineReader> lines_;
  Options options_;
  std::deque<PendingLine> pending_;  // lines read ahead and to be read again (after an unclosed quote)
  bool first_line_ = true;
};

// The columns of a header record: names trimmed and compared case-insensitively.
class CsvHeader final {
 public:
  CsvHeader() = default;
  explicit CsvHeader(const std::vector<std::string>& names);
  // Index of the column, or nullopt when the header has none of that name.
  std::optional<size_t> Find(std::string_view name) const;
  size_t size() const { return names_.size(); }
  // A column named twice, for an error message; empty when none is.
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<std::string> names_;
  std::string duplicate_;
};

// The header a format requires, from the file's first record: a malformed record or a column named twice is
// refused, naming path:line.
Result<CsvHeader> ReadRequiredHeader(const std::string& path, const CsvRecord& first);

// The field at index, or "" when the record is shorter (a missing trailing field reads as empty).
std::string_view FieldOr(const CsvRecord& record, std::optional<size_t> index);

// true when text is valid UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace vouch::ingest
