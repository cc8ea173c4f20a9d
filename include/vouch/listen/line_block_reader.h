// LineBlockReader: a JSON Lines file read in blocks of whole lines through one buffer reused from block to block,
// for `vouch classify` over millions of posts in bounded memory.
//
// Each block is parsed in place by PostReader::RunOnText (simdjson) and classified while it is still in cache.
// The buffer is allocated once and left uninitialised, so only the pages the input reaches are touched (reading a
// whole 19 MB file into memory was 4,700 page faults, a tenth of a classify run). A line longer than the block
// doubles the buffer until it fits whole.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::listen {

struct LineBlock {
  std::string_view text;  // whole lines; the file's last line may lack its "\n"
  size_t first_line = 1;  // 1-based number of the block's first line in the file
};

class LineBlockReader final {
 public:
  // After every block at least kPadding readable bytes follow (zeros past the read data): simdjson may look past
  // the end of the text it is given.
  static constexpr size_t kPadding = 64;

  // block_bytes: the buffer's size, grown only for a line longer than it.
  static Result<std::unique_ptr<LineBlockReader>> Open(const std::filesystem::path& file, size_t block_bytes);
  ~LineBlockReader();
  LineBlockReader(const LineBlockReader&) = delete;
  LineBlockReader& operator=(const LineBlockReader&) = delete;

  // true and the next block, or false at the end of the file. The block's text stays valid until the next call.
  Result<bool> Next(LineBlock& block);

 private:
  LineBlockReader(std::FILE* in, std::filesystem::path file, size_t block_bytes);

  std::FILE* in_;
  std::filesystem::path file_;
  size_t block_bytes_;
  std::unique_ptr<char[]> buffer_;  // [0, filled_): read; [0, returned_) of it the block last returned
  size_t filled_ = 0;
  size_t returned_ = 0;
  size_t next_line_ = 1;
  bool at_end_ = false;
};

}  // namespace vouch::listen
