// RecordBatch: the transaction discipline the record ingests (ratings, orders, people) share.
//
// Records are written in batches of batch_records, each one transaction: an interrupted ingest leaves whole
// batches and nothing half-written, and since every record is idempotent on its natural key, running the ingest
// again completes it. The summary counts only committed batches, so after a cancellation it says what was kept.
// Internal to src/ingest.
#pragma once

#include <cstdint>
#include <string>

#include "vouch/core/run_control.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/ingest/rejects.h"
#include "vouch/store/store.h"

namespace vouch::ingest {

class RecordBatch final {
 public:
  RecordBatch(Store& store, identity::IdentityResolver& resolver, size_t batch_records)
      : store_(store), resolver_(resolver), batch_records_(batch_records == 0 ? 1 : batch_records) {}
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;
  ~RecordBatch() { Abort(); }

  // Opens a transaction when none is (call before each record's writes).
  Status Open() {
    if (open_) return Status::Ok();
    VOUCH_TRY(store_.Begin());
    open_ = true;
    return Status::Ok();
  }
  // Counts one record into the open batch; commits when the batch is full.
  Status Count(const IngestSummary& record) {
    pending_ += record;
    if (++in_batch_ >= batch_records_) return Flush();
    return Status::Ok();
  }
  // Counts one read record: stored, or already stored (a duplicate) when stored is false.
  Status CountStored(bool stored) {
    IngestSummary s;
    s.read = 1;
    (stored ? s.stored : s.duplicate) = 1;
    return Count(s);
  }
  // Counts one read record that was rejected.
  Status CountRejected() {
    IngestSummary s;
    s.read = 1;
    s.rejected = 1;
    return Count(s);
  }
  // Commits the open batch (if any).
  Status Flush() {
    if (open_) {
      Status s = store_.Commit();
      if (!s.ok()) {
        Abort();
        return s;
      }
      open_ = false;
    }
    committed_ += pending_;
    pending_ = {};
    in_batch_ = 0;
    ++batches_;
    return Status::Ok();
  }
  // Drops the open batch: its records are not stored, and the identities it created are gone from the cache.
  void Abort() {
    if (open_) {
      store_.Rollback();
      resolver_.ClearCache();
      open_ = false;
    }
    pending_ = {};
    in_batch_ = 0;
  }

  const IngestSummary& committed() const { return committed_; }
  // committed() plus the open batch, for progress reports.
  IngestSummary seen() const {
    IngestSummary s = committed_;
    s += pending_;
    return s;
  }
  uint64_t batches() const { return batches_; }

 private:
  Store& store_;
  identity::IdentityResolver& resolver_;
  size_t batch_records_;
  bool open_ = false;
  size_t in_batch_ = 0;
  IngestSummary pending_;
  IngestSummary committed_;
  uint64_t batches_ = 0;
};

}  // namespace vouch::ingest
