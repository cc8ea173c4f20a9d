// TwitterV2PostReader: X/Twitter API v2 responses as twarc2 writes them, one a line: {"data": [tweet...],
// "includes": {"users": [...]}}. Each tweet in data is one post on platform "x", its author the username found in
// includes.users (the author_id when the page does not include the user); referenced_tweets give reply_to /
// reshare_of / quote_of. A line holding a single tweet object is accepted too. A bad tweet is rejected alone, the
// reason naming its id; the other tweets of the page are kept.
//
// Thread safety: one thread at a time (the reader owns a simdjson parser).
#pragma once

#include <memory>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class JsonPostParser;

class TwitterV2PostReader final : public PostReader {
 public:
  explicit TwitterV2PostReader(PostReaderOptions options);
  ~TwitterV2PostReader() override;
  PostFormat format() const override { return PostFormat::kTwitterV2; }
  Status Read(const Line& line, size_t capacity, ReadBatch& out) override;

 private:
  PostReaderOptions options_;
  std::unique_ptr<JsonPostParser> parser_;
};

}  // namespace vouch::ingest
