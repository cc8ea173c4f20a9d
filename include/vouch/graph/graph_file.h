// The binary graph file (".vgraph"): a Graph as it lies in memory, memory-mapped back without parsing.
//
// Layout (little-endian, the machine's own): a 256-byte header (magic "VGRAPH\0\0", format version, flags,
// counts, the source file's size and modification time, the byte offset and length of each array, and the
// platform whose handles the node ids are, up to 47 bytes, NUL-padded), then the arrays, each aligned to 64 bytes.
// Files written before the platform and the "people pending" flag existed hold zeros there: no platform, no
// people pending (their ingest created every node's person). An undirected graph stores its one adjacency once.
// Opening checks the magic, the version and that every array lies inside the file with the length the counts
// imply; the arrays' contents are trusted (the file is written by Vouch, next to its source or in a workspace).
//
// Writing goes to a temporary file renamed into place, so a reader never sees half a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

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

// What a workspace graph records beside its arrays (graph_ingest.h, graph_people.h).
struct GraphFileTags {
  std::string platform;         // the platform whose handles the node ids are; empty: unknown
  bool people_pending = false;  // some node may have no person yet (GraphPeopleMapper creates them)
};

struct GraphFileInfo {
  uint64_t nodes = 0;
  uint64_t edges = 0;  // arcs
  bool undirected = false;
  bool weighted = false;
  SourceStamp source;
  GraphFileTags tags;
};

inline constexpr size_t kMaxGraphPlatformBytes = 47;

// InvalidArgument when tags.platform is longer than kMaxGraphPlatformBytes.
Status WriteGraphFile(const Graph& graph, const std::filesystem::path& path, SourceStamp source = {},
                      const GraphFileTags& tags = {});
// Maps path; Corruption (naming the file) when it is not a valid graph file of this version.
Result<Graph> OpenGraphFile(const std::filesystem::path& path);
// Reads only the header: cheap, for `vouch status`.
Result<GraphFileInfo> ReadGraphFileInfo(const std::filesystem::path& path);
// Clears the "people pending" flag in place (one small write to the header), when the file still has `nodes`
// nodes and `edges` arcs (so a graph replaced in between keeps its flag).
Status ClearGraphPeoplePending(const std::filesystem::path& path, uint64_t nodes, uint64_t edges);

}  // namespace vouch::graph
