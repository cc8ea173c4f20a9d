// Rejects and the ingest summary: how an ingest reports what it could not store.
//
// Every rejected record goes to a rejects file, one JSON object a line:
//   {"file": "posts.jsonl", "line": 12, "reason": "missing field 'id'", "record": "<the raw line>"}
// The raw record is kept up to kMaxRecordBytes (longer ones are cut and marked) and any invalid UTF-8 in it is
// replaced, so the rejects file itself is always valid JSON Lines.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::ingest {

struct IngestSummary {
  uint64_t read = 0;       // records read (lines, or CSV records)
  uint64_t stored = 0;     // new records stored
  uint64_t duplicate = 0;  // records whose natural key was already stored
  uint64_t rejected = 0;   // records that were not valid (see the rejects file)
  IngestSummary& operator+=(const IngestSummary& o) {
    read += o.read;
    stored += o.stored;
    duplicate += o.duplicate;
    rejected += o.rejected;
    return *this;
  }
};

class RejectSink {
 public:
  virtual ~RejectSink() = default;
  virtual Status Reject(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) = 0;
};

// Writes rejects to a file, created on the first reject (so a clean ingest leaves no empty file behind).
class RejectsFile final : public RejectSink {
 public:
  static constexpr size_t kMaxRecordBytes = 4096;
  explicit RejectsFile(std::string path) : path_(std::move(path)) {}
  ~RejectsFile() override;
  Status Reject(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) override;
  Status Close();
  const std::string& path() const { return path_; }
  uint64_t count() const { return count_; }

 private:
  std::string path_;
  std::FILE* out_ = nullptr;
  uint64_t count_ = 0;
};

// The JSON line RejectsFile writes, for tests and other sinks.
std::string RejectJson(std::string_view file, uint64_t line, std::string_view reason, std::string_view record);

}  // namespace vouch::ingest
