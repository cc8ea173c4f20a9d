// RedditPostReader: Reddit dumps in the pushshift shape, one submission or comment a line, on platform "reddit". A
// submission's text is "title\n\nselftext" (the title alone for link posts and removed bodies); a comment's is
// its body and reply_to its parent_id without the t1_/t3_ prefix. created_utc may be an integer, a float or a
// string of digits, as the dumps vary. [deleted] and [removed] authors are rejected with that reason: such a post
// has no person behind it.
//
// Thread safety: one thread at a time (the reader owns a simdjson parser).
#pragma once

#include <memory>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class JsonPostParser;

class RedditPostReader final : public PostReader {
 public:
  explicit RedditPostReader(PostReaderOptions options);
  ~RedditPostReader() override;
  PostFormat format() const override { return PostFormat::kReddit; }
  Status Read(const Line& line, size_t capacity, ReadBatch& out) override;

 private:
  PostReaderOptions options_;
  std::unique_ptr<JsonPostParser> parser_;
};

}  // namespace vouch::ingest
