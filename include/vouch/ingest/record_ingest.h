// What the record ingests (ratings, orders, people: ratings_ingest.h, orders_ingest.h, people_ingest.h) share:
// their common options, the run record each of them keeps beside its IngestSummary, and RecordIngest, their base.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/ingest/rejects.h"
#include "vouch/store/store.h"

namespace vouch::identity {
class IdentityResolver;
}  // namespace vouch::identity

namespace vouch::ingest {

struct RecordIngestOptions {
  size_t batch_records = 10'000;                    // records per transaction
  const Clock* clock = &SystemClock::Instance();    // times the run; must outlive the ingest
};

// How a run went, apart from what it stored (IngestSummary): for the CLI's --verbose, benchmarks and logs.
struct RecordIngestRecord {
  double seconds = 0;              // wall time of run()
  uint64_t passes = 0;             // passes over the file (ratings with an inferred scale read it twice)
  uint64_t bytes = 0;              // bytes of the file read in the storing pass
  uint64_t batches = 0;            // transactions committed
  uint64_t identity_lookups = 0;   // identifiers resolved
  uint64_t identity_cache_hits = 0;
  uint64_t identities_created = 0;
  uint64_t merges = 0;             // automatic merges recorded
  uint64_t kept_apart = 0;         // links not made because the user had undone that merge
};

class CsvRecordReader;
struct CsvRecord;
class RecordBatch;

// RecordIngest: the base of the record ingests. It holds what they share (store, file, reject sink, run control,
// the summary and run record), runs them (run() times StoreRecords(), the one step each ingest implements) and
// refuses to answer before run() finished. Its protected helpers are the batch plumbing of one storing pass:
// rejecting a record, failing or cancelling mid-batch, reporting progress and closing the pass.
//
// Not thread-safe: one run() at a time. store and rejects must outlive the ingest.
class RecordIngest {
 public:
  RecordIngest(const RecordIngest&) = delete;
  RecordIngest& operator=(const RecordIngest&) = delete;
  virtual ~RecordIngest() = default;

  // Reads and stores the file. An error (file unreadable, bad header or scale, database failure, cancellation) is
  // returned as a Status; rejected records are not errors. A cancelled or failed run still finishes: the getters
  // say what was kept.
  Status run();

  bool finished() const { return finished_; }
  // What was read, stored, found already stored and rejected (committed batches only after a cancellation).
  const IngestSummary& summary() const;
  const RecordIngestRecord& record() const;

 protected:
  static constexpr uint64_t kProgressEvery = 4096;  // records between progress reports

  RecordIngest(Store& store, std::string path, const RecordIngestOptions& options, RejectSink& rejects,
               RunControl control);

  // Reads the file and stores its records, filling summary_ and record_ (run() has reset both).
  virtual Status StoreRecords() = 0;

  // Rejects a record (to the sink, counted into the batch).
  Status Reject(RecordBatch& batch, const CsvRecord& record, std::string_view reason);
  // Rejects a record the CSV reader could not parse or, given header_size, one with more fields than the header.
  // True when it was rejected.
  Result<bool> RejectMalformed(RecordBatch& batch, const CsvRecord& record, std::optional<size_t> header_size);
  // Drops the open batch and returns failure, naming FILE:LINE.
  Status Fail(RecordBatch& batch, const CsvRecord& record, const Status& failure);
  // Before each record: Status::Cancelled (the open batch dropped) when control asks to stop, and a progress report
  // (task, in bytes of the file) every few thousand records.
  Status CheckControl(RecordBatch& batch, const CsvRecordReader& reader, const char* task);
  // Commits the last batch and fills summary_ and record_ from the pass.
  Status FinishPass(RecordBatch& batch, const CsvRecordReader& reader, const identity::IdentityResolver& resolver);

  Store& store_;
  const std::string path_;
  RejectSink& rejects_;
  RunControl control_;
  const size_t batch_records_;
  IngestSummary summary_;
  RecordIngestRecord record_;

 private:
  const Clock* clock_;
  bool finished_ = false;
};

}  // namespace vouch::ingest
