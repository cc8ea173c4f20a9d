// MappedFile: a read-only memory mapping of a whole file; MappedRanges: of several byte ranges of one file, each
// its own mapping (internal to vouch/graph).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

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

// Why several mappings: the kernel maps a file page's neighbours (up to 64 KiB around it, "fault-around") with it
// when they are in the page cache, and they count in the resident set. Within one mapping of a whole graph file,
// a read near an array's edge thus makes resident the next array's pages, which the run may never read (a
// selection reads the in-arcs only, and the out-arcs' pages beside them came with them: 184 KB on Enron). Each
// range in a mapping of its own bounds that spill, since fault-around stays inside one mapping.
class MappedRanges final {
 public:
  struct Range {
    uint64_t offset = 0, bytes = 0;
  };
  // Maps each range (an empty one maps nothing; its data() is nullptr). The ranges must lie inside the file.
  // IoError naming the path when the file cannot be opened or a range mapped.
  static Result<std::shared_ptr<MappedRanges>> Open(const std::filesystem::path& path, std::span<const Range> ranges);
  ~MappedRanges();
  MappedRanges(const MappedRanges&) = delete;
  MappedRanges& operator=(const MappedRanges&) = delete;
  // The first byte of range i.
  const char* data(size_t i) const { return maps_[i].data == nullptr ? nullptr : maps_[i].data + maps_[i].skip; }

 private:
  struct Map {
    char* data = nullptr;  // page-aligned start of the mapping
    size_t bytes = 0;      // its length
    size_t skip = 0;       // the range's offset within it
  };
  MappedRanges() = default;
  std::vector<Map> maps_;
};

}  // namespace vouch::graph
