// PostBodyFile: the posts' bodies in an append-only side file beside SQLite's database file, for SqliteStore.
//
// A post's row in SQLite keeps what SQL filters and joins on (id, platform, external_id, author_identity, time)
// and where its body lies here (body_offset, body_length); the body is everything else (author_name, text,
// reply_to, reshare_of, quote_of, lang, mentions, hashtags, urls, the metrics). Keeping the ~300 bytes a post of
// text out of SQLite's table, WAL and checkpoint is what lets a load reach the ingest target (docs/benchmarks.md,
// "## Ingest (posts)"). It is an SQLite-store detail: the Store interface never sees it.
//
// Records: a version byte (kVersion), a 64-bit check-sum of the payload, then the payload (EncodePostBody). Writes
// are buffered and go out in kWriteBytes pieces; Sync() writes the rest and fdatasyncs, and the store calls it
// before each COMMIT, so a committed row never points past the file's durable end. The database stays the source
// of truth: bytes past the end of the last committed row (a killed load's, a rolled back transaction's) belong to
// no post, and StartAppending cuts them before anything is appended after them.
//
// Several processes may open the same file: each append happens under SQLite's write lock (StartAppending is
// called inside a write transaction), so appenders never interleave; readers map the file read-only and only read
// committed records, which are never cut.
//
// Thread safety: one PostBodyFile per store (per connection), used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vouch/core/status.h"
#include "vouch/store/records.h"

namespace vouch::store {

// The payload of a post's body: each string as a 32-bit length and its bytes (a missing optional as length
// 0xffffffff), each list as a 32-bit count and its strings, then the metrics as a presence byte (bit i for
// likes, reshares, replies, quotes) and the present ones as 64-bit integers. Little-endian, as the machine writes.
void EncodePostBody(std::string& out, const Post& post);
// Fills post's body fields from payload (its other fields are left as they are); false when payload is not one
// EncodePostBody wrote.
bool DecodePostBody(std::string_view payload, Post& post);

// Where one post's record lies in the file.
struct PostBodyRef {
  uint64_t offset = 0;
  uint64_t length = 0;
};

class PostBodyFile final {
 public:
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kHeaderBytes = 1 + sizeof(uint64_t);  // version, check-sum
  static constexpr size_t kWriteBytes = size_t{1} << 20;

  // Opens (creating) the file at path; an empty path keeps the bodies in memory (an in-memory database's).
  static Result<std::unique_ptr<PostBodyFile>> Open(std::string path);
  PostBodyFile(const PostBodyFile&) = delete;
  PostBodyFile& operator=(const PostBodyFile&) = delete;
  ~PostBodyFile();

  // The file's size in bytes (what is written out; not the buffer).
  Result<uint64_t> Size() const;
  // The file's size, when it holds every committed record (committed_end: where the last committed row's record
  // ends); otherwise Corruption naming the file and last_post, the post whose record is missing.
  Result<uint64_t> CheckHolds(uint64_t committed_end, std::string_view last_post) const;

  // ---- writing (the caller holds the database's write lock from StartAppending to Sync or Abandon) ----

  // Makes committed_end (where the last committed row's record ends) the end of the file: a longer file is cut
  // there, a shorter one is corruption (CheckHolds).
  Status StartAppending(uint64_t committed_end, std::string_view last_post);
  bool appending() const { return appending_; }
  // Appends post's record after the others; writes out a full buffer.
  Result<PostBodyRef> Append(const Post& post);
  // Where the next record goes.
  uint64_t end() const { return end_; }
  // Forgets the records appended from mark on (a mark end() returned before them), when they are still in the
  // buffer: a group of posts that all turned out to be stored already. Returns whether it could.
  bool RewindTo(uint64_t mark);
  // Writes out everything appended and makes it durable (fdatasync); appending ends.
  Status Sync();
  // Drops what is buffered (a rolled back transaction); appending ends, and the next StartAppending cuts what
  // was written.
  void Abandon();

  // ---- reading ----

  // Reads the record at ref (post_row names the post in messages) into post's body fields; checks its version and
  // check-sum. Records still in the buffer (this transaction's own) are read from there.
  Status Read(int64_t post_row, PostBodyRef ref, Post& post);

  const std::string& path() const { return path_; }

 private:
  explicit PostBodyFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  Status WriteOut();
  // The record's bytes, from the buffer, memory or the mapping (remapped when the file grew).
  Result<std::string_view> Bytes(int64_t post_row, PostBodyRef ref);
  std::string Name() const { return path_.empty() ? std::string("(in-memory post bodies)") : path_; }

  std::string path_;
  int fd_ = -1;            // -1: in memory, the bodies in memory_
  std::string memory_;
  std::string buffer_;     // appended, not yet written out
  uint64_t written_ = 0;   // the file's size as this object wrote or cut it (buffer_ starts there)
  uint64_t end_ = 0;       // written_ + buffer_.size()
  bool appending_ = false;
  bool unsynced_ = false;  // bytes written out and not yet fdatasync'ed
  const char* map_ = nullptr;
  size_t mapped_ = 0;
};

}  // namespace vouch::store
