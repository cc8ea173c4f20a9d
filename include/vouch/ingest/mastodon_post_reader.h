// MastodonPostReader: Mastodon Status entities, one a line as the API returns them, on platform "mastodon".
// content is HTML, stored as plain text (html_text.h). The handle is account.acct, with the instance host taken
// from account.url appended when acct has none, so every handle reads user@instance. A status with a reblog
// reshares it: reshare_of is the reblog's id and the text, tags and mentions are the reblogged status's (a
// reblog's own content is empty).
//
// Thread safety: one thread at a time (the reader owns a simdjson parser).
#pragma once

#include <memory>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class JsonPostParser;

class MastodonPostReader final : public PostReader {
 public:
  explicit MastodonPostReader(PostReaderOptions options);
  ~MastodonPostReader() override;
  PostFormat format() const override { return PostFormat::kMastodon; }
  Status Read(const Line& line, size_t capacity, ReadBatch& out) override;

 private:
  PostReaderOptions options_;
  std::unique_ptr<JsonPostParser> parser_;
};

}  // namespace vouch::ingest
