// RunControl: how a long computation learns it should stop and tells how far it got.
//
// The library never draws a progress bar; it reports Progress to a sink the front end provides (the CLI draws a
// bar on a terminal, the service ignores it) and polls a cancellation flag (Ctrl-C, a request timeout) at safe
// points, returning Status::Cancelled when it is set. Both pointers may be null.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace vouch {

struct Progress {
  std::string stage;       // "ingest posts", "sampling", ...
  uint64_t done = 0;       // units done so far (records, bytes, samples: see unit)
  uint64_t total = 0;      // 0 when unknown
  std::string unit;        // "records", "bytes", ...
  uint64_t records = 0;    // records handled so far, when the unit is bytes
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Called from the working thread, at most a few times a second by well-behaved callers. Must be cheap.
  virtual void Report(const Progress& progress) = 0;
  // The work is over (successfully or not); a bar may clear itself.
  virtual void Finish() {}
};

struct RunControl {
  const std::atomic<bool>* cancel = nullptr;
  ProgressSink* progress = nullptr;

  bool Cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  void Report(const Progress& p) const {
    if (progress != nullptr) progress->Report(p);
  }
};

}  // namespace vouch
