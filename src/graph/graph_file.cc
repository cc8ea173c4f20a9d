#include "vouch/graph/graph_file.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "graph/mapped_file.h"

namespace vouch::graph {
namespace {

constexpr char kMagic[8] = {'V', 'G', 'R', 'A', 'P', 'H', 0, 0};
constexpr uint64_t kAlign = 64;
constexpr uint32_t kFlagUndirected = 1, kFlagWeighted = 2, kFlagPeoplePending = 4;

enum Section : int {
  kOutOffsets, kOutTargets, kInOffsets, kInSources, kOutWeights, kInWeights, kIntegerIds, kStringOffsets,
  kStringChars, kSections
};

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t flags;
  uint32_t id_kind;
  uint32_t reserved;
  uint64_t num_nodes;
  uint64_t num_edges;
  uint64_t source_size;
  int64_t source_mtime_ns;
  uint64_t offset[kSections];
  uint64_t length[kSections];  // bytes
  char platform[kMaxGraphPlatformBytes + 1];  // NUL-padded
};
static_assert(sizeof(Header) <= 256);
constexpr uint64_t kHeaderBytes = 256;

struct FileCloser {
  void operator()(FILE* f) const { if (f != nullptr) std::fclose(f); }
};

}  // namespace

Result<SourceStamp> StampOf(const std::filesystem::path& source) {
  struct stat st {};
  if (::stat(source.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", source.string()));
    return Status::IoError(fmt::format("{}: {}", source.string(), std::strerror(errno)));
  }
  return SourceStamp{static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

Status WriteGraphFile(const Graph& graph, const std::filesystem::path& path, SourceStamp source,
                      const GraphFileTags& tags) {
  if (tags.platform.size() > kMaxGraphPlatformBytes) {
    return Status::InvalidArgument(
        fmt::format("platform '{}' is longer than {} bytes", tags.platform, kMaxGraphPlatformBytes));
  }
  const GraphArrays& a = graph.arrays();
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kGraphFileVersion;
  h.flags = (a.undirected ? kFlagUndirected : 0) | (graph.has_weights() ? kFlagWeighted : 0) |
            (tags.people_pending ? kFlagPeoplePending : 0);
  std::memcpy(h.platform, tags.platform.data(), tags.platform.size());
  h.id_kind = static_cast<uint32_t>(a.id_kind);
  h.num_nodes = a.num_nodes;
  h.num_edges = a.num_edges;
  h.source_size = source.size;
  h.source_mtime_ns = source.mtime_ns;
  const void* ptr[kSections] = {};
  auto set = [&](Section s, const auto& span) {
    ptr[s] = span.data();
    h.length[s] = span.size_bytes();
  };
  set(kOutOffsets, a.out_offsets);
  set(kOutTargets, a.out_targets);
  set(kOutWeights, a.out_weights);
  if (!a.undirected) {
    set(kInOffsets, a.in_offsets);
    set(kInSources, a.in_sources);
    set(kInWeights, a.in_weights);
  }
  set(kIntegerIds, a.integer_ids);
  set(kStringOffsets, a.string_offsets);
  set(kStringChars, a.string_chars);
  uint64_t at = kHeaderBytes;
  for (int s = 0; s < kSections; ++s) {
    h.offset[s] = at;
    at += (h.length[s] + kAlign - 1) / kAlign * kAlign;
  }

  std::filesystem::path tmp = path;
  tmp += fmt::format(".tmp{}", static_cast<long>(::getpid()));
  // One sequential write of the whole file (header, arrays, padding) through writev: no copy into a stdio buffer
  // and a handful of system calls for hundreds of megabytes.
  static const char kZeros[kHeaderBytes] = {};
  std::vector<iovec> parts;
  parts.push_back({&h, sizeof h});
  parts.push_back({const_cast<char*>(kZeros), kHeaderBytes - sizeof h});
  for (int s = 0; s < kSections; ++s) {
    if (h.length[s] == 0) continue;
    parts.push_back({const_cast<void*>(ptr[s]), h.length[s]});
    const uint64_t pad = (kAlign - h.length[s] % kAlign) % kAlign;
    if (pad != 0) parts.push_back({const_cast<char*>(kZeros), pad});
  }
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(fmt::format("{}: cannot write: {}", tmp.string(), std::strerror(errno)));
  bool ok = true;
  int err = 0;
  for (size_t i = 0; ok && i < parts.size();) {
    const ssize_t wrote =
        ::writev(fd, parts.data() + i, static_cast<int>(std::min<size_t>(parts.size() - i, IOV_MAX)));
    if (wrote < 0) {
      if (errno == EINTR) continue;
      err = errno;
      ok = false;
      break;
    }
    // Skip what was written: whole parts, then the written front of a part.
    auto left = static_cast<size_t>(wrote);
    while (i < parts.size() && left >= parts[i].iov_len) left -= parts[i++].iov_len;
    if (left > 0) {
      parts[i].iov_base = static_cast<char*>(parts[i].iov_base) + left;
      parts[i].iov_len -= left;
    }
  }
  if (::close(fd) != 0 && ok) {
    err = errno;
    ok = false;
  }
  if (!ok) {
    std::filesystem::remove(tmp);
    return Status::IoError(fmt::format("{}: write failed: {}", tmp.string(), std::strerror(err)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    return Status::IoError(fmt::format("{}: {}", path.string(), ec.message()));
  }
  return Status::Ok();
}

namespace {

Result<Header> CheckHeader(const char* data, uint64_t size, const std::filesystem::path& path) {
  auto bad = [&](std::string_view why) {
    return Status::Corruption(fmt::format("{}: not a Vouch graph file ({})", path.string(), why));
  };
  if (size < kHeaderBytes) return bad("too short");
  Header h;
  std::memcpy(&h, data, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return bad("bad magic");
  if (h.version != kGraphFileVersion) {
    return Status::Corruption(
        fmt::format("{}: graph file version {}, this build reads {}", path.string(), h.version, kGraphFileVersion));
  }
  if (h.id_kind != 1 && h.id_kind != 2) return bad("bad id kind");
  return h;
}

}  // namespace

Result<GraphFileInfo> ReadGraphFileInfo(const std::filesystem::path& path) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path.string()));
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  }
  char buf[kHeaderBytes] = {};
  size_t got = std::fread(buf, 1, kHeaderBytes, f.get());
  VOUCH_ASSIGN_OR_RETURN(Header h, CheckHeader(buf, got, path));
  GraphFileInfo info;
  info.nodes = h.num_nodes;
  info.edges = h.num_edges;
  info.undirected = (h.flags & kFlagUndirected) != 0;
  info.weighted = (h.flags & kFlagWeighted) != 0;
  info.source = {h.source_size, h.source_mtime_ns};
  info.tags.platform = std::string(h.platform, ::strnlen(h.platform, sizeof h.platform));
  info.tags.people_pending = (h.flags & kFlagPeoplePending) != 0;
  return info;
}

Status ClearGraphPeoplePending(const std::filesystem::path& path, uint64_t nodes, uint64_t edges) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "r+b"));
  if (!f) return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  char buf[kHeaderBytes] = {};
  size_t got = std::fread(buf, 1, kHeaderBytes, f.get());
  VOUCH_ASSIGN_OR_RETURN(Header h, CheckHeader(buf, got, path));
  if (h.num_nodes != nodes || h.num_edges != edges || (h.flags & kFlagPeoplePending) == 0) return Status::Ok();
  h.flags &= ~kFlagPeoplePending;
  bool ok = std::fseek(f.get(), static_cast<long>(offsetof(Header, flags)), SEEK_SET) == 0 &&
            std::fwrite(&h.flags, sizeof h.flags, 1, f.get()) == 1 && std::fflush(f.get()) == 0;
  FILE* raw = f.release();
  ok = (std::fclose(raw) == 0) && ok;
  if (!ok) return Status::IoError(fmt::format("{}: cannot update the header", path.string()));
  return Status::Ok();
}

Result<Graph> OpenGraphFile(const std::filesystem::path& path) {
  // The header and the offsets' last entries are read, not mapped: a read through a mapping makes resident the
  // pages around it too (mapped_file.h, MappedRanges), here the front and back of the out-offsets, which a
  // selection never reads.
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path.string()));
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) != 0) {
    return Status::IoError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  }
  const auto file_size = static_cast<uint64_t>(st.st_size);
  char buf[kHeaderBytes] = {};
  const size_t got = std::fread(buf, 1, kHeaderBytes, f.get());
  VOUCH_ASSIGN_OR_RETURN(Header h, CheckHeader(buf, got, path));
  const uint64_t n = h.num_nodes, m = h.num_edges;
  const bool undirected = (h.flags & kFlagUndirected) != 0;
  const bool weighted = (h.flags & kFlagWeighted) != 0;
  const bool integer = h.id_kind == static_cast<uint32_t>(ExternalIdKind::kInteger);
  const uint64_t expect[kSections] = {
      (n + 1) * 8, m * 4, undirected ? 0 : (n + 1) * 8, undirected ? 0 : m * 4,
      weighted ? m * 4 : 0, (weighted && !undirected) ? m * 4 : 0,
      integer ? n * 8 : 0, integer ? 0 : (n + 1) * 8, h.length[kStringChars]};
  for (int s = 0; s < kSections; ++s) {
    if (h.length[s] != expect[s] || h.offset[s] % kAlign != 0 || h.offset[s] > file_size ||
        h.length[s] > file_size - h.offset[s]) {
      return Status::Corruption(fmt::format("{}: graph file is truncated or damaged (array {})", path.string(), s));
    }
  }
  // The last entry of an offsets array (the count it must end with).
  auto last_offset = [&](Section s, uint64_t& value) {
    return h.length[s] >= 8 && std::fseek(f.get(), static_cast<long>(h.offset[s] + h.length[s] - 8), SEEK_SET) == 0 &&
           std::fread(&value, 8, 1, f.get()) == 1;
  };
  uint64_t out_end = 0, in_end = m, strings_end = h.length[kStringChars];
  if (!last_offset(kOutOffsets, out_end) || (!undirected && !last_offset(kInOffsets, in_end)) ||
      (!integer && !last_offset(kStringOffsets, strings_end)) || out_end != m || in_end != m ||
      strings_end != h.length[kStringChars]) {
    return Status::Corruption(fmt::format("{}: graph file offsets do not match its counts", path.string()));
  }
  f.reset();
  MappedRanges::Range ranges[kSections];
  for (int s = 0; s < kSections; ++s) ranges[s] = {h.offset[s], h.length[s]};
  VOUCH_ASSIGN_OR_RETURN(std::shared_ptr<MappedRanges> file, MappedRanges::Open(path, ranges));
  auto span = [&]<typename T>(Section s, T*) {
    return std::span<const T>(reinterpret_cast<const T*>(file->data(s)), h.length[s] / sizeof(T));
  };
  GraphArrays a;
  a.num_nodes = n;
  a.num_edges = m;
  a.undirected = undirected;
  a.id_kind = static_cast<ExternalIdKind>(h.id_kind);
  a.out_offsets = span(kOutOffsets, static_cast<uint64_t*>(nullptr));
  a.out_targets = span(kOutTargets, static_cast<NodeId*>(nullptr));
  a.out_weights = span(kOutWeights, static_cast<float*>(nullptr));
  if (undirected) {
    a.in_offsets = a.out_offsets;
    a.in_sources = a.out_targets;
    a.in_weights = a.out_weights;
  } else {
    a.in_offsets = span(kInOffsets, static_cast<uint64_t*>(nullptr));
    a.in_sources = span(kInSources, static_cast<NodeId*>(nullptr));
    a.in_weights = span(kInWeights, static_cast<float*>(nullptr));
  }
  a.integer_ids = span(kIntegerIds, static_cast<uint64_t*>(nullptr));
  a.string_offsets = span(kStringOffsets, static_cast<uint64_t*>(nullptr));
  a.string_chars = span(kStringChars, static_cast<char*>(nullptr));
  // The platform is held by the Graph as a view: keep a copy beside the mappings.
  auto storage = std::make_shared<std::pair<std::shared_ptr<MappedRanges>, std::string>>(
      file, std::string(h.platform, ::strnlen(h.platform, kMaxGraphPlatformBytes + 1)));
  a.platform = storage->second;
  a.people_pending = (h.flags & kFlagPeoplePending) != 0;
  return Graph(a, storage);
}

}  // namespace vouch::graph
