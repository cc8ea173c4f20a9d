// The binary graph file (".vgraph"): a Graph as it lies in memory, memory-mapped back without parsing.
//
// Layout (little-endian, the machine's own): a 256-byte header (magic "VGRAPH\0\0", format version, flags,
// counts, the source file's size and modification time, and the byte offset and length of each array), then the
// arrays, each aligned to 64 bytes. An undirected graph stores its one adjacency once. Opening checks the magic,
// the version and that every array lies inside the file with the length the counts imply; the arrays' contents
// are trusted (the file is written by Vouch, next to its source or in a workspace).
//
// Writing goes to a temporary file renamed into place, so a reader never sees half a file.
#pragma once

#include <cstdint>
#include <filesystem>

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

inline constexpr uint32_t kGraphFileVersion = 1;

// What a cache is checked against: the source's size and modification time (nanoseconds since the epoch).
struct SourceStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const SourceStamp&) const = default;
};
Result<SourceStamp> StampOf(const std::filesystem::path& source);

struct GraphFileInfo {
  uint64_t nodes = 0;
  uint64_t edges = 0;  // arcs
  bool undirected = false;
  bool weighted = false;
  SourceStamp source;
};

Status WriteGraphFile(const Graph& graph, const std::filesystem::path& path, SourceStamp source = {});
// Maps path; Corruption (naming the file) when it is not a valid graph file of this version.
Result<Graph> OpenGraphFile(const std::filesystem::path& path);
// Reads only the header: cheap, for `vouch status`.
Result<GraphFileInfo> ReadGraphFileInfo(const std::filesystem::path& path);

}  // namespace vouch::graph
