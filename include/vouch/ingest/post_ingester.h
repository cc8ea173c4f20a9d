// PostIngester: streams posts files through their readers into the Store.
//
// For each file: LineReader (plain, gzip or zstd) -> the format's PostReader (detected from the name and first
// line when the format is kAuto) -> Store::InsertPosts (a thousand posts a call), in transactions of
// options.batch_size posts. Authors resolve to identities through an in-memory cache (handle as written ->
// IdentityId), so a known author costs no database lookup.
//
// Guarantees:
//  - Idempotent: posts are keyed by (platform, id); a post already stored counts as a duplicate and changes
//    nothing, so ingesting a file twice stores nothing the second time.
//  - Every rejected record goes to the file's RejectSink with its line and reason; the file's other records are
//    still stored.
//  - Cancellation (RunControl) is polled every few hundred lines: the open transaction is rolled back, committed
//    batches stay, run() returns Cancelled. Running the same ingest again completes it (idempotency).
//  - A large load (options.suspend_indexes_from) tells the store so for the whole run, however it ends
//    (Store::BeginPostLoad / EndPostLoad: the SQLite store turns foreign-key checks off meanwhile).
//  - Constant memory in the file's size: one line and one batch (a thousand posts) are held at a time, and the identity cache is
//    bounded (kMaxCachedAuthors).
//
// Thread safety: one thread; the Store must not be used by anyone else during run().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/ingest/post_reader.h"
#include "vouch/ingest/rejects.h"
#include "vouch/store/store.h"

namespace vouch::ingest {

// Sees every post an ingest stores, inside the transaction that stores it, so that what it writes (Listen's
// mentions) commits or rolls back with the post. Not called for a duplicate (a post stored before).
class StoredPostObserver {
 public:
  virtual ~StoredPostObserver() = default;
  virtual Status OnStored(const Post& post) = 0;
};

struct PostIngestOptions {
  PostFormat format = PostFormat::kAuto;
  PostReaderOptions reader;                  // default platform, CSV column map
  size_t batch_size = 10000;                 // posts per transaction
  size_t max_line_bytes = size_t{16} << 20;  // a longer line is rejected (16 MiB)
  // A run whose files hold about this many posts or more (estimated from their sizes) is announced to the store
  // as a bulk load until it ends (Store::BeginPostLoad).
  uint64_t suspend_indexes_from = 100000;
  StoredPostObserver* observer = nullptr;    // not owned; must outlive run()
};

struct PostSource {
  std::string path;               // "-" reads standard input
  RejectSink* rejects = nullptr;  // where this file's rejects go; not owned, must outlive run()
};

struct PostFileResult {
  std::string path;
  PostFormat format = PostFormat::kAuto;  // the format used (detected when asked for kAuto)
  Compression compression = Compression::kNone;
  IngestSummary summary;  // committed work only
};

// How the run went, for the CLI, the service and benchmarks alike.
struct PostIngestRecord {
  double seconds = 0;  // wall time of run()
  uint64_t bytes = 0;  // bytes read from the files (compressed size for compressed files)
  uint64_t lines = 0;
  uint64_t transactions = 0;     // committed
  uint64_t authors_created = 0;  // identities (and people) created for new authors
  uint64_t author_cache_hits = 0;
  double records_per_second() const { return seconds > 0 ? static_cast<double>(records) / seconds : 0; }
  uint64_t records = 0;  // records read (posts and rejects)
};

class PostIngester final {
 public:
  static constexpr size_t kMaxCachedAuthors = size_t{1} << 18;

  // store, and every source's RejectSink, must outlive run(). clock times the run.
  PostIngester(Store& store, std::vector<PostSource> sources, PostIngestOptions options, RunControl control = {},
               const Clock& clock = SystemClock::Instance());

  // Ingests every source in order. Stops at the first file-level error (a missing file, a truncated gzip stream,
  // a CSV header without a required column: the Status names the file) or on cancellation; what was committed
  // before stays and is reported by files().
  Status run();

  // Valid once run() has returned (whatever it returned): one entry per file started.
  const std::vector<PostFileResult>& files() const;
  IngestSummary total() const;
  const PostIngestRecord& record() const;

 private:
  class Batch;
  Status IngestFile(const PostSource& source, PostFileResult& result);

  Store& store_;
  std::vector<PostSource> sources_;
  PostIngestOptions options_;
  RunControl control_;
  const Clock& clock_;
  bool ran_ = false;
  std::vector<PostFileResult> files_;
  PostIngestRecord record_;
};

}  // namespace vouch::ingest
