#include "vouch/ingest/post_ingester.h"

#include <fmt/format.h>

#include <cassert>
#include <filesystem>
#include <string_view>
#include <algorithm>
#include <functional>
#include <optional>

#include "vouch/identity/normalize.h"

namespace vouch::ingest {

namespace {

// Lines between polls of the cancellation flag and progress reports: often enough to stop within milliseconds,
// rarely enough to cost nothing.
constexpr uint64_t kPollEveryLines = 512;

// Posts read before their authors are resolved and they are stored: the new authors among them are then
// created together (Store::ResolveIdentities), in key order, instead of one by one.
constexpr size_t kPostsPerDrain = 1024;

// Handle as written -> identity, so that a known author costs no database lookup. Bounded: when full it starts
// over (authors repeat in bursts, so the recent ones come straight back).
//
// Open addressing (linear probing over a power-of-two table of slots holding the key's hash, where its text
// lies in one arena, and the identity): a hit is a hash, usually one slot and one compare, with no division and
// no node per entry; std::unordered_map's bucket modulo and pointer chasing were 7% of a bulk load.
class AuthorCache {
 public:
  // The identities of every post's author in batch, into ids (0 for a post whose handle is empty): cache hits
  // directly, the misses through one Store::ResolveIdentities.
  Status Resolve(Store& store, const ReadBatch& batch, PostIngestRecord& record, std::vector<IdentityId>& ids) {
    ids.assign(batch.post_count(), 0);
    miss_posts_.clear();
    miss_keys_.clear();
    miss_displays_.clear();
    // Every post's hash first, each slot it leads to prefetched: the table (megabytes) is far larger than the
    // processor's caches, so a lookup's first slot was a memory stall (perf: 5.3% of a bulk load, two thirds of
    // it on that one load); requested together, the slots' fetches overlap instead of following one another
    // (4.1% after).
    hashes_.resize(batch.post_count());
    for (size_t i = 0; i < batch.post_count(); ++i) {
      SetLookup(batch.post(i));
      hashes_[i] = hash_;
      if (!slots_.empty()) __builtin_prefetch(&slots_[hash_ & (slots_.size() - 1)]);
    }
    for (size_t i = 0; i < batch.post_count(); ++i) {
      const Post& post = batch.post(i);
      // Keyed by the handle as written: a hit costs one hash of a short string, no normalisation. Two spellings
      // of one handle ("@Jane", "jane") take two entries with the same identity.
      SetLookup(post, hashes_[i]);
      if (IdentityId id = Find(); id != 0) {
        ++record.author_cache_hits;
        ids[i] = id;
        continue;
      }
      IdentityKey key = identity::HandleKey(post.platform, post.author);
      if (key.value.empty()) continue;  // rejected by the caller
      miss_posts_.push_back(i);
      miss_keys_.push_back(std::move(key));
      miss_displays_.push_back(post.author);
    }
    if (miss_posts_.empty()) return Status::Ok();
    VOUCH_TRY(store.ResolveIdentities(miss_keys_, miss_displays_, refs_));
    if (size_ + miss_posts_.size() > PostIngester::kMaxCachedAuthors || arena_.size() > kMaxArenaBytes) Forget();
    for (size_t m = 0; m < miss_posts_.size(); ++m) {
      if (refs_[m].created) ++record.authors_created;
      ids[miss_posts_[m]] = refs_[m].identity;
      SetLookup(batch.post(miss_posts_[m]));
      Insert(refs_[m].identity);
    }
    return Status::Ok();
  }
  // After a rollback the identities created in the rolled-back transaction are gone.
  void Forget() {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    arena_.clear();
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // of the key's text in arena_
    uint32_t length = 0;
    IdentityId id = 0;    // 0: empty
  };
  // Keys' text beyond this starts the cache over (offsets are 32-bit; handles are short, so the entry bound
  // comes first in practice).
  static constexpr size_t kMaxArenaBytes = size_t{64} << 20;

  // lookup_ becomes post's key (platform, separator, handle as written) and hash_ its hash.
  void SetLookup(const Post& post) { SetLookup(post, std::nullopt); }
  // The same with the hash already known (computed by the prefetching pass).
  void SetLookup(const Post& post, std::optional<uint64_t> hash) {
    lookup_.assign(post.platform);
    lookup_.push_back('\x1f');
    lookup_.append(post.author);
    hash_ = hash ? *hash : std::hash<std::string_view>{}(lookup_);
  }
  bool Matches(const Slot& slot) const {
    return slot.hash == hash_ && std::string_view(arena_).substr(slot.offset, slot.length) == lookup_;
  }
  // The identity cached for lookup_, or 0.
  IdentityId Find() const {
    if (slots_.empty()) return 0;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash_ & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id == 0) return 0;
      if (Matches(slot)) return slot.id;
    }
  }
  // Caches lookup_ -> id (replacing the identity when lookup_ is there already). At most half full.
  void Insert(IdentityId id) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash_ & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.id != 0 && !Matches(slot)) continue;
      if (slot.id == 0) {
        slot = Slot{hash_, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(lookup_.size()), id};
        arena_ += lookup_;
        ++size_;
      }
      slot.id = id;
      return;
    }
  }
  void Grow() {
    std::vector<Slot> old(std::max<size_t>(slots_.size() * 2, 1024));
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id == 0) continue;
      size_t i = slot.hash & mask;
      while (slots_[i].id != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::string arena_;
  size_t size_ = 0;
  std::string lookup_;
  uint64_t hash_ = 0;
  std::vector<uint64_t> hashes_;  // of the batch's posts, in order
  std::vector<size_t> miss_posts_;
  std::vector<IdentityKey> miss_keys_;
  std::vector<std::string_view> miss_displays_;
  std::vector<IdentityRef> refs_;
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
  // About how many posts are coming: the files' sizes over a generous size per post (generic JSON Lines take
  // about 300 bytes, the platforms' exports more), so the estimate errs low. Standard input counts nothing.
  constexpr uint64_t kBytesPerPostEstimate = 512;
  uint64_t bytes = 0;
  for (const auto& source : sources_) {
    std::error_code ec;
    const auto size = source.path == "-" ? 0 : std::filesystem::file_size(source.path, ec);
    if (!ec) bytes += size;
  }
  const uint64_t incoming = bytes / kBytesPerPostEstimate;
  Status status;
  bool suspended = false;
  if (incoming > 0 && incoming >= options_.suspend_indexes_from) {
    auto begun = store_.BeginPostLoad(incoming);
    if (!begun.ok()) status = begun.status();
    else suspended = *begun;
  }
  for (const auto& source : sources_) {
    if (!status.ok()) break;
    files_.push_back(PostFileResult{source.path, options_.format, Compression::kNone, {}});
    status = IngestFile(source, files_.back());
  }
  if (suspended) {
    Status ended = store_.EndPostLoad();
    if (status.ok()) status = ended;
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
  std::vector<IdentityId> author_ids;
  std::vector<const Post*> to_store;
  std::vector<IdentityId> to_store_authors;
  std::vector<uint8_t> stored;
  // Stores what the reader made of the last lines: their rejects and posts in line order.
  auto drain = [&]() -> Status {
    if (batch.post_count() > 0 && !open) {
      VOUCH_TRY(store_.Begin());
      open = true;
    }
    VOUCH_TRY(authors.Resolve(store_, batch, record_, author_ids));
    auto reject = [&](uint64_t line_number, std::string_view reason, std::string_view record) -> Status {
      ++pending.read;
      ++pending.rejected;
      return source.rejects != nullptr ? source.rejects->Reject(name, line_number, reason, record)
                                       : Status::Ok();
    };
    const auto& rejects = batch.rejects();
    size_t r = 0;
    for (size_t i = 0; i < batch.post_count(); ++i) {
      for (; r < rejects.size() && rejects[r].line <= batch.post_line(i); ++r) {
        VOUCH_TRY(reject(rejects[r].line, rejects[r].reason, rejects[r].record));
      }
      if (author_ids[i] == 0) {
        // A record problem (an empty handle): a reject like any other.
        VOUCH_TRY(reject(batch.post_line(i), "field 'author' is empty", ""));
        continue;
      }
      to_store.push_back(&batch.post(i));
      to_store_authors.push_back(author_ids[i]);
    }
    for (; r < rejects.size(); ++r) VOUCH_TRY(reject(rejects[r].line, rejects[r].reason, rejects[r].record));
    // The batch's posts in one call, which writes them several rows per statement; then the observer sees the
    // stored ones in line order, inside the same transaction.
    VOUCH_TRY(store_.InsertPosts(to_store, to_store_authors, stored));
    for (size_t k = 0; k < to_store.size(); ++k) {
      ++pending.read;
      if (stored[k] && options_.observer != nullptr) VOUCH_TRY(options_.observer->OnStored(*to_store[k]));
      ++(stored[k] ? pending.stored : pending.duplicate);
      ++in_transaction;
    }
    to_store.clear();
    to_store_authors.clear();
    batch.Clear();
    return Status::Ok();
  };

  Status status;
  while (more) {
    ++record_.lines;
    status = reader->Read(line, lines->capacity(), batch);
    if (!status.ok()) break;
    // Drained when full, when the transaction is due (so batches end where they always did), and at a reject
    // (rejects are rare, and reach the reject file promptly).
    if (batch.post_count() >= kPostsPerDrain || in_transaction + batch.post_count() >= options_.batch_size ||
        !batch.rejects().empty()) {
      status = drain();
      if (!status.ok()) break;
    }
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
