// MappedFile: a read-only memory mapping of a whole file (internal to vouch/graph).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "vouch/core/status.h"

namespace vouch::graph {

class MappedFile final {
 public:
  // NotFound when path does not exist, IoError when it cannot be opened or mapped. An empty file maps to
  // data() == nullptr, size() == 0.
  static Result<std::shared_ptr<MappedFile>> Open(const std::filesystem::path& path, bool sequential);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

}  // namespace vouch::graph
