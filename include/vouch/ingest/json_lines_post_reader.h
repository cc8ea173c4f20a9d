// JsonLinesPostReader: the generic JSON Lines schema (docs/formats.md#generic-json-lines): one post a line, {"id",
// "platform", "author" (a string or {"handle", "name"}), "time" (RFC 3339 or epoch seconds), "text", "reply_to",
// "reshare_of", "quote_of", "mentions", "hashtags", "urls", "lang", "metrics"}. Unknown fields are ignored; a
// record without "platform" gets PostReaderOptions::default_platform.
//
// Thread safety: one thread at a time (the reader owns a simdjson parser).
#pragma once

#include <memory>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class JsonPostParser;

class JsonLinesPostReader final : public PostReader {
 public:
  explicit JsonLinesPostReader(PostReaderOptions options);
  ~JsonLinesPostReader() override;
  PostFormat format() const override { return PostFormat::kJsonLines; }
  Status Read(const Line& line, size_t capacity, ReadBatch& out) override;

 private:
  PostReaderOptions options_;
  std::unique_ptr<JsonPostParser> parser_;
};

}  // namespace vouch::ingest
