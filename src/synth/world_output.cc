#include "vouch/synth/world_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

namespace vouch::synth {
namespace {

Status CheckRelative(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos) {
    return Status::InvalidArgument(fmt::format("output path '{}' must be relative, without '..'", path));
  }
  return Status::Ok();
}

// Plain POSIX writes through a large buffer: the posts files run to gigabytes, and stdio's small default buffer
// would cost a system call every few kilobytes.
class DiskFile final : public OutputFile {
 public:
  static constexpr size_t kBufferBytes = size_t{4} << 20;
  DiskFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) { buffer_.reserve(kBufferBytes); }
  ~DiskFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view bytes) override {
    if (buffer_.size() + bytes.size() > kBufferBytes) VOUCH_TRY(Flush());
    if (bytes.size() >= kBufferBytes) return WriteAll(bytes);
    buffer_.append(bytes);
    return Status::Ok();
  }

  Status Close() override {
    VOUCH_TRY(Flush());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Status::IoError(fmt::format("{}: close failed: {}", path_, std::strerror(errno)));
    return Status::Ok();
  }

 private:
  Status Flush() {
    VOUCH_TRY(WriteAll(buffer_));
    buffer_.clear();
    return Status::Ok();
  }
  Status WriteAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  int fd_;
  std::string path_;
  std::string buffer_;
};

class MemoryFile final : public OutputFile {
 public:
  explicit MemoryFile(std::string& target) : target_(target) {}
  Status Append(std::string_view bytes) override {
    target_.append(bytes);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }

 private:
  std::string& target_;
};

}  // namespace

Result<std::unique_ptr<OutputFile>> DirectoryOutput::Create(const std::string& relative_path) {
  VOUCH_TRY(CheckRelative(relative_path));
  const std::filesystem::path path = dir_ / relative_path;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return Status::IoError(fmt::format("cannot create directory {}: {}", path.parent_path().string(), ec.message()));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  return std::unique_ptr<OutputFile>(std::make_unique<DiskFile>(fd, path.string()));
}

Result<std::unique_ptr<OutputFile>> MemoryOutput::Create(const std::string& relative_path) {
  VOUCH_TRY(CheckRelative(relative_path));
  std::string& target = files_[relative_path];
  target.clear();
  return std::unique_ptr<OutputFile>(std::make_unique<MemoryFile>(target));
}

}  // namespace vouch::synth
