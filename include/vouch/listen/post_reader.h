// PostReader: posts for the listen verbs from a JSON Lines file in the generic schema (one JSON object per line;
// only "id" (string or integer) and "text" (string) are required; other fields are ignored, except "act" and
// "sentiment" which labelled files for training carry). Parsed with simdjson. Blank lines are skipped.
//
// A bad line never stops the read: it is reported in rejects() with its line number and reason, and the rest is
// read. Only a file that cannot be opened is an error of run().
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"

namespace vouch::listen {

struct InputPost {
  size_t line = 0;
  std::string id_json;  // the id exactly as written (a JSON string with its quotes, or a number), to echo back
  std::string text;
  std::optional<Act> act;              // labelled files only
  std::optional<Sentiment> sentiment;  // labelled files only (null: unknown)
};

struct RejectedLine {
  size_t line = 0;
  std::string reason;
};

class PostReader final {
 public:
  explicit PostReader(std::filesystem::path file) : file_(std::move(file)) {}

  Status run();
  // Reads from memory instead of the file (file_ names it in messages); the text's first line is line
  // first_line of the file. Replaces posts() and rejects(). Lets a caller stream a large file in chunks.
  Status RunOnText(std::string_view text, size_t first_line = 1);
  // The whole file, padded for simdjson, in one read.
  static Result<std::string> ReadFile(const std::filesystem::path& file);

  const std::vector<InputPost>& posts() const { return posts_; }
  std::vector<InputPost>& posts() { return posts_; }
  const std::vector<RejectedLine>& rejects() const { return rejects_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::vector<InputPost> posts_;
  std::vector<RejectedLine> rejects_;
};

}  // namespace vouch::listen
