#include "vouch/listen/line_block_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace vouch::listen {

Result<std::unique_ptr<LineBlockReader>> LineBlockReader::Open(const std::filesystem::path& file,
                                                               size_t block_bytes) {
  std::FILE* in = std::fopen(file.c_str(), "rb");
  if (in == nullptr) return Status::IoError(fmt::format("{}: cannot open", file.string()));
  return std::unique_ptr<LineBlockReader>(new LineBlockReader(in, file, std::max<size_t>(block_bytes, 1)));
}

LineBlockReader::LineBlockReader(std::FILE* in, std::filesystem::path file, size_t block_bytes)
    : in_(in),
      file_(std::move(file)),
      block_bytes_(block_bytes),
      buffer_(std::make_unique_for_overwrite<char[]>(block_bytes + kPadding)) {}

LineBlockReader::~LineBlockReader() {
  std::fclose(in_);
}

Result<bool> LineBlockReader::Next(LineBlock& block) {
  // The block returned last is done with: what follows it moves to the front.
  std::memmove(buffer_.get(), buffer_.get() + returned_, filled_ - returned_);
  filled_ -= returned_;
  returned_ = 0;
  while (true) {
    if (!at_end_ && filled_ < block_bytes_) {
      const size_t want = block_bytes_ - filled_;
      const size_t got = std::fread(buffer_.get() + filled_, 1, want, in_);
      filled_ += got;
      std::memset(buffer_.get() + filled_, 0, kPadding);
      if (got < want) {
        if (std::ferror(in_) != 0) return Status::IoError(fmt::format("{}: read failed", file_.string()));
        at_end_ = true;
      }
    }
    if (filled_ == 0) return false;
    const std::string_view data(buffer_.get(), filled_);
    size_t end = filled_;
    if (!at_end_) {
      const size_t nl = data.rfind('\n');
      if (nl == std::string_view::npos) {  // a line longer than the block: read on into one twice the size
        auto larger = std::make_unique_for_overwrite<char[]>(2 * block_bytes_ + kPadding);
        std::memcpy(larger.get(), buffer_.get(), filled_);
        buffer_ = std::move(larger);
        block_bytes_ *= 2;
        continue;
      }
      end = nl + 1;
    }
    block.text = data.substr(0, end);
    block.first_line = next_line_;
    size_t lines = static_cast<size_t>(std::count(block.text.begin(), block.text.end(), '\n'));
    if (block.text.back() != '\n') ++lines;  // the file's last line, without its newline
    next_line_ += lines;
    returned_ = end;
    return true;
  }
}

}  // namespace vouch::listen
