// PostReader: turns the lines of one posts file, in one input format, into vouch::Post records or rejects.
//
// One reader per format (json_lines_post_reader.h, twitter_v2_post_reader.h, reddit_post_reader.h,
// mastodon_post_reader.h, csv_post_reader.h); docs/formats.md describes each format. A reader is fed the file's
// lines in order (a CSV record may span several lines) and appends what it made of them to a ReadBatch: a line may
// yield no post (a blank line), one post, several (an X/Twitter API page) or rejects, each naming the line and the
// reason ("field 'time' must be a string or integer").
//
// JSON readers parse in place with simdjson On-Demand: the line's bytes must be followed by padding, which
// LineReader guarantees (capacity >= size + LineReader::kPadding).
//
// Thread safety: a reader keeps parser state; one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/ingest/line_reader.h"
#include "vouch/store/records.h"

namespace vouch::ingest {

enum class PostFormat { kAuto, kJsonLines, kTwitterV2, kReddit, kMastodon, kCsv };

// "auto", "jsonl", "twitter-v2", "reddit", "mastodon", "csv".
std::string_view PostFormatName(PostFormat format);
std::optional<PostFormat> ParsePostFormat(std::string_view name);

// The format of a file from its name and its first non-empty line (FORMATS_CONTRACT): a .csv or .tsv name
// (before any .gz/.zst suffix) is CSV; otherwise the first line's JSON keys decide ("data"/"includes" or a tweet's
// "author_id": twitter-v2; "created_utc"/"subreddit": reddit; "account" with "content": mastodon), and anything
// else, including a line that is not JSON at all, is the generic JSON Lines schema (whose rejects then explain).
PostFormat DetectPostFormat(std::string_view path, std::string_view first_line, size_t capacity);

// What readers produce. Posts are kept and reused between batches (clearing a std::string keeps its buffer), so
// steady-state reading allocates almost nothing.
class ReadBatch {
 public:
  struct Reject {
    uint64_t line = 0;
    std::string reason;
    std::string record;  // the raw record (the line, or a CSV record's lines)
  };

  // A cleared post to fill, with the line it came from.
  Post& AddPost(uint64_t line);
  // Drops the post added last and rejects it instead.
  void RejectLastPost(std::string reason, std::string_view record);
  void AddReject(uint64_t line, std::string reason, std::string_view record);
  // Drops the posts added after the first count (a line that turned out to be malformed half-way).
  void DropPostsFrom(size_t count) {
    if (count < post_count_) post_count_ = count;
  }
  void Clear();

  size_t post_count() const { return post_count_; }
  Post& post(size_t i) { return posts_[i]; }
  const Post& post(size_t i) const { return posts_[i]; }
  uint64_t post_line(size_t i) const { return lines_[i]; }
  const std::vector<Reject>& rejects() const { return rejects_; }

 private:
  std::vector<Post> posts_;
  std::vector<uint64_t> lines_;
  size_t post_count_ = 0;
  std::vector<Reject> rejects_;
};

// Options shared by every reader.
struct PostReaderOptions {
  // Platform of records that name none (generic JSON Lines, CSV). Fixed-platform formats ignore it.
  std::string default_platform = "generic";
  // CSV: generic field -> column name ("id" -> "tweet_id"), from --map FIELD=COLUMN.
  std::vector<std::pair<std::string, std::string>> column_map;
  // CSV: the delimiter (',' or '\t' for .tsv files).
  char csv_delimiter = ',';
};

class PostReader {
 public:
  virtual ~PostReader() = default;
  virtual PostFormat format() const = 0;
  // Reads one line; capacity: readable bytes from line.text.data() (>= size + LineReader::kPadding). A non-OK
  // Status is a problem with the whole file (a CSV header without a required column), not with one record.
  virtual Status Read(const Line& line, size_t capacity, ReadBatch& out) = 0;
  // The end of the file: a CSV record still open (an unclosed quote) is rejected here.
  virtual Status Finish(ReadBatch& out) {
    (void)out;
    return Status::Ok();
  }
};

// The reader for format (not kAuto). InvalidArgument when the options do not fit it (an unknown --map field).
Result<std::unique_ptr<PostReader>> MakePostReader(PostFormat format, const PostReaderOptions& options);

// The generic fields of a post, as --map and CSV headers name them.
const std::vector<std::string_view>& GenericPostFields();

}  // namespace vouch::ingest
