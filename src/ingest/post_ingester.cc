#include "vouch/ingest/post_ingester.h"

#include <fmt/format.h>

#include <cassert>
#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "vouch/identity/normalize.h"

namespace vouch::ingest {

namespace {

// Lines between polls of the cancellation flag and progress reports: often enough to stop within milliseconds,
// rarely enough to cost nothing.
constexpr uint64_t kPollEveryLines = 512;

// Normalised author handle -> identity, so that a known author costs no database lookup. Bounded: when full it
// starts over (authors repeat in bursts, so the recent ones come straight back).
class AuthorCache {
 public:
  // The identity of (platform, handle), resolving (and creating) it through the store on a miss.
  Result<IdentityId> Resolve(Store& store, const Post& post, PostIngestRecord& record) {
    // Keyed by the handle as written: a hit costs one hash of a short string, no normalisation. Two spellings of
    // one handle ("@Jane", "jane") take two entries with the same identity.
    lookup_.assign(post.platform);
    lookup_.push_back('\x1f');
    lookup_.append(post.author);
    auto it = ids_.find(lookup_);
    if (it != ids_.end()) {
      ++record.author_cache_hits;
      return it->second;
    }
    IdentityKey key = identity::HandleKey(post.platform, post.author);
    if (key.value.empty()) return Status::InvalidArgument("field 'author' is empty");
    VOUCH_ASSIGN_OR_RETURN(IdentityRef ref, store.ResolveIdentity(key, post.author));
    if (ref.created) ++record.authors_created;
    if (ids_.size() >= PostIngester::kMaxCachedAuthors) ids_.clear();
    ids_.emplace(lookup_, ref.identity);
    return ref.identity;
  }
  // After a rollback the identities created in the rolled-back transaction are gone.
  void Forget() { ids_.clear(); }

 private:
  std::unordered_map<std::string, IdentityId> ids_;
  std::string lookup_;
};

}  // namespace

PostIngester::PostIngester(Store& store, std::vector<PostSource> sources, PostIngestOptions options,
                           RunControl control, const Clock& clock)
    : store_(store),
      sources_(std::move(sources)),
      options_(std::move(options)),
      control_(control),
      clock_(clock) {}

const std::vector<PostFileResult>& PostIngester::files() const {
  assert(ran_ && "PostIngester::files() before run()");
  return files_;
}

IngestSummary PostIngester::total() const {
  assert(ran_ && "PostIngester::total() before run()");
  IngestSummary sum;
  for (const auto& f : files_) sum += f.summary;
  return sum;
}

const PostIngestRecord& PostIngester::record() const {
  assert(ran_ && "PostIngester::record() before run()");
  return record_;
}

Status PostIngester::run() {
  const int64_t start = clock_.NowMillis();
  files_.clear();
  record_ = {};
  Status status;
  for (const auto& source : sources_) {
    files_.push_back(PostFileResult{source.path, options_.format, Compression::kNone, {}});
    status = IngestFile(source, files_.back());
    if (!status.ok()) break;
  }
  record_.seconds = static_cast<double>(clock_.NowMillis() - start) / 1000.0;
  if (control_.progress != nullptr) control_.progress->Finish();
  ran_ = true;
  return status;
}

Status PostIngester::IngestFile(const PostSource& source, PostFileResult& result) {
  VOUCH_ASSIGN_OR_RETURN(auto lines, LineReader::Open(source.path, options_.max_line_bytes));
  result.compression = lines->compression();
  const std::string name = source.path == "-" ? "stdin" : source.path;
  auto in_file = [&](const Status& s) { return Status(s.code(), fmt::format("{}: {}", name, s.message())); };

  Line line;
  VOUCH_ASSIGN_OR_RETURN(bool more, lines->Next(line));
  // Auto-detection looks at the first non-blank line; blank lines before it are skipped (readers skip them too).
  while (more && line.text.find_first_not_of(" \t") == std::string_view::npos && !line.oversized) {
    VOUCH_ASSIGN_OR_RETURN(more, lines->Next(line));
  }
  PostFormat format = options_.format;
  if (format == PostFormat::kAuto) {
    format = more && !line.oversized ? DetectPostFormat(source.path, line.text, lines->capacity())
                                     : DetectPostFormat(source.path, "", LineReader::kPadding);
  }
  result.format = format;
  PostReaderOptions reader_options = options_.reader;
  if (format == PostFormat::kCsv) {
    std::string_view p = source.path;
    for (std::string_view suffix : {".gz", ".zst", ".zstd"}) {
      if (p.ends_with(suffix)) p.remove_suffix(suffix.size());
    }
    if (p.ends_with(".tsv") || p.ends_with(".TSV")) reader_options.csv_delimiter = '\t';
  }
  VOUCH_ASSIGN_OR_RETURN(auto reader, MakePostReader(format, reader_options));

  AuthorCache authors;
  ReadBatch batch;
  IngestSummary pending;  // the open transaction's counts, added to the result when it commits
  size_t in_transaction = 0;
  bool open = false;
  Progress progress{fmt::format("ingest {}", std::filesystem::path(name).filename().string()), 0,
                    lines->total_bytes(), "bytes", 0};

  auto commit = [&]() -> Status {
    if (open) {
      VOUCH_TRY(store_.Commit());
      open = false;
      ++record_.transactions;
    }
    result.summary += pending;
    pending = {};
    in_transaction = 0;
    return Status::Ok();
  };
  auto rollback = [&] {
    if (open) store_.Rollback();
    open = false;
    authors.Forget();
  };
  // Stores what the reader made of the last line(s).
  auto drain = [&]() -> Status {
    for (const auto& rej : batch.rejects()) {
      VOUCH_TRY(source.rejects != nullptr ? source.rejects->Reject(name, rej.line, rej.reason, rej.record)
                                          : Status::Ok());
      ++pending.read;
      ++pending.rejected;
    }
    for (size_t i = 0; i < batch.post_count(); ++i) {
      const Post& post = batch.post(i);
      ++pending.read;
      if (!open) {
        VOUCH_TRY(store_.Begin());
        open = true;
      }
      auto author = authors.Resolve(store_, post, record_);
      if (!author.ok()) {
        if (author.status().code() != StatusCode::kInvalidArgument) return author.status();
        // A record problem (an empty handle): a reject like any other.
        VOUCH_TRY(source.rejects != nullptr
                      ? source.rejects->Reject(name, batch.post_line(i), author.status().message(), "")
                      : Status::Ok());
        ++pending.rejected;
        continue;
      }
      VOUCH_ASSIGN_OR_RETURN(bool stored, store_.InsertPost(post, *author));
      if (stored && options_.observer != nullptr) VOUCH_TRY(options_.observer->OnStored(post));
      ++(stored ? pending.stored : pending.duplicate);
      ++in_transaction;
    }
    batch.Clear();
    return Status::Ok();
  };

  Status status;
  while (more) {
    ++record_.lines;
    status = reader->Read(line, lines->capacity(), batch);
    if (!status.ok()) break;
    status = drain();
    if (!status.ok()) break;
    if (in_transaction >= options_.batch_size) {
      status = commit();
      if (!status.ok()) break;
    }
    if (record_.lines % kPollEveryLines == 0) {
      if (control_.Cancelled()) {
        status = Status::Cancelled(fmt::format(
            "interrupted after line {}: the batch in progress was rolled back, the batches before it are stored "
            "(run the same ingest again to complete it)",
            line.number));
        break;
      }
      progress.done = lines->bytes_read();
      progress.records = result.summary.read + pending.read;
      control_.Report(progress);
    }
    auto next = lines->Next(line);
    if (!next.ok()) {
      status = next.status();
      break;
    }
    more = *next;
  }
  if (status.ok()) status = reader->Finish(batch);
  if (status.ok()) status = drain();
  if (status.ok()) status = commit();
  record_.bytes += lines->bytes_read();
  record_.records += result.summary.read;
  if (!status.ok()) {
    rollback();
    // The Status from LineReader already names the file; others get it here.
    if (status.code() == StatusCode::kCancelled || status.message().starts_with(name)) return status;
    return in_file(status);
  }
  progress.done = lines->bytes_read();
  progress.records = result.summary.read;
  control_.Report(progress);
  return Status::Ok();
}

}  // namespace vouch::ingest
