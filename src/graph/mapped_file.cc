#include "graph/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vouch::graph {

Result<std::shared_ptr<MappedFile>> MappedFile::Open(const std::filesystem::path& path, bool sequential) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path.string()));
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(err)));
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return std::shared_ptr<MappedFile>(new MappedFile(nullptr, 0));
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int err = errno;
  ::close(fd);
  if (p == MAP_FAILED) return Status::IoError(fmt::format("{}: cannot map: {}", path.string(), std::strerror(err)));
  // Sequential readers (the parser) gain from aggressive read-ahead; random readers (a cached graph) do not.
  ::madvise(p, size, sequential ? MADV_SEQUENTIAL : MADV_WILLNEED);
  return std::shared_ptr<MappedFile>(new MappedFile(static_cast<const char*>(p), size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace vouch::graph
