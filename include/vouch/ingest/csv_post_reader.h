// CsvPostReader: posts from a CSV (or TSV) file with a header line, RFC 4180 quoting (a quoted field may hold the
// delimiter, doubled quotes and newlines, so one record may span several lines).
//
// Columns map to the generic post fields (GenericPostFields(): id, platform, author, author_name, time, text,
// reply_to, reshare_of, quote_of, mentions, hashtags, urls, lang, likes, reshares, replies, quotes): a field takes
// the column PostReaderOptions::column_map names for it (--map FIELD=COLUMN), else the column of its own name.
// id, author, time and text must have a column, or the file is refused at its header. mentions, hashtags and urls
// are lists separated by spaces or commas ("@" and "#" dropped). time accepts everything ParsePostTime does.
// Rejects name the record's first line.
//
// Thread safety: one thread at a time.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class CsvPostReader final : public PostReader {
 public:
  explicit CsvPostReader(PostReaderOptions options);
  PostFormat format() const override { return PostFormat::kCsv; }
  Status Read(const Line& line, size_t capacity, ReadBatch& out) override;
  Status Finish(ReadBatch& out) override;

  // The column map checked against the known fields (InvalidArgument naming an unknown field); called by
  // MakePostReader before any line is read.
  Status CheckOptions() const;

 private:
  // Splits record_ into fields_; false when a quote is still open (the record continues on the next line).
  bool Split();
  Status ReadHeader(ReadBatch& out);
  void ReadRecord(ReadBatch& out);

  PostReaderOptions options_;
  bool have_header_ = false;
  std::string record_;        // the record so far (its lines joined by "\n")
  uint64_t record_line_ = 0;  // its first line
  std::vector<std::string> fields_;
  std::vector<std::string> header_;
  // Column index of each generic field (GenericPostFields() order), -1 when the file has none.
  std::vector<int> column_of_;
};

}  // namespace vouch::ingest
