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

Result<std::shared_ptr<MappedRanges>> MappedRanges::Open(const std::filesystem::path& path,
                                                         std::span<const Range> ranges) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path.string()));
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  }
  std::shared_ptr<MappedRanges> mapped(new MappedRanges());
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  // In file order: each new mapping lands below the previous one, so two of them never form one run of file
  // pages that the kernel could merge into a single mapping (and fault around across).
  for (const Range& r : ranges) {
    Map m;
    if (r.bytes > 0) {
      const uint64_t start = r.offset / page * page;
      m.skip = r.offset - start;
      m.bytes = m.skip + r.bytes;
      void* p = ::mmap(nullptr, m.bytes, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(start));
      if (p == MAP_FAILED) {
        const int err = errno;
        ::close(fd);
        return Status::IoError(fmt::format("{}: cannot map: {}", path.string(), std::strerror(err)));
      }
      m.data = static_cast<char*>(p);
      // Read ahead into the page cache (not into the resident set): a cached graph is read at random.
      ::madvise(p, m.bytes, MADV_WILLNEED);
    }
    mapped->maps_.push_back(m);
  }
  ::close(fd);
  return mapped;
}

MappedRanges::~MappedRanges() {
  for (const Map& m : maps_) {
    if (m.data != nullptr) ::munmap(m.data, m.bytes);
  }
}

}  // namespace vouch::graph
