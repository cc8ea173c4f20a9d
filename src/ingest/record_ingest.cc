#include "vouch/ingest/record_ingest.h"

#include <fmt/format.h>

#include <cassert>
#include <utility>

#include "ingest/record_batch.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/ingest/csv_records.h"

namespace vouch::ingest {
RecordIngest::RecordIngest(Store& store, std::string path, const RecordIngestOptions& options, RejectSink& rejects,
                           RunControl control)
    : store_(store),
      path_(std::move(path)),
      rejects_(rejects),
      control_(control),
      batch_records_(options.batch_records),
      clock_(options.clock) {}

const IngestSummary& RecordIngest::summary() const {
  assert(finished_ && "RecordIngest::summary() before run() finished");
  return summary_;
}
const RecordIngestRecord& RecordIngest::record() const {
  assert(finished_ && "RecordIngest::record() before run() finished");
  return record_;
}

Status RecordIngest::run() {
  finished_ = false;
  summary_ = {};
  record_ = {};
  int64_t start = clock_->NowMillis();
  Status status = StoreRecords();
  record_.seconds = static_cast<double>(clock_->NowMillis() - start) / 1000.0;
  finished_ = true;
  if (control_.progress != nullptr) control_.progress->Finish();
  return status;
}

Status RecordIngest::Reject(RecordBatch& batch, const CsvRecord& record, std::string_view reason) {
  VOUCH_TRY(rejects_.Reject(path_, record.line, reason, record.raw));
  return batch.CountRejected();
}

Result<bool> RecordIngest::RejectMalformed(RecordBatch& batch, const CsvRecord& record,
                                           std::optional<size_t> header_size) {
  if (!record.error.empty()) {
    VOUCH_TRY(Reject(batch, record, record.error));
    return true;
  }
  if (header_size && record.fields.size() > *header_size) {
    VOUCH_TRY(Reject(batch, record,
                     fmt::format("found {} fields, the header has {}", record.fields.size(), *header_size)));
    return true;
  }
  return false;
}

Status RecordIngest::Fail(RecordBatch& batch, const CsvRecord& record, const Status& failure) {
  batch.Abort();
  summary_ = batch.committed();
  return Status(failure.code(), fmt::format("{}:{}: {}", path_, record.line, failure.message()));
}

Status RecordIngest::CheckControl(RecordBatch& batch, const CsvRecordReader& reader, const char* task) {
  if (control_.Cancelled()) {
    batch.Abort();
    summary_ = batch.committed();
    return Status::Cancelled(fmt::format("ingest of {} interrupted; run it again to complete it", path_));
  }
  IngestSummary seen = batch.seen();
  if (seen.read % kProgressEvery == 0 && seen.read > 0) {
    control_.Report({task, reader.bytes_read(), reader.total_bytes(), "bytes", seen.read});
  }
  return Status::Ok();
}

Status RecordIngest::FinishPass(RecordBatch& batch, const CsvRecordReader& reader,
                                const identity::IdentityResolver& resolver) {
  VOUCH_TRY(batch.Flush());
  summary_ = batch.committed();
  record_.bytes = reader.bytes_read();
  record_.batches = batch.batches();
  record_.identity_lookups = resolver.cache_hits() + resolver.cache_misses();
  record_.identity_cache_hits = resolver.cache_hits();
  return Status::Ok();
}

}  // namespace vouch::ingest
