// LoadGraph: a Graph from an edge list, through its binary cache when the cache is fresh.
//
// For a source FILE the cache is FILE.vgraph (graph_file.h). It is used when its header records the source's
// current size and modification time and the same --undirected choice; otherwise FILE is parsed
// (edge_list_parser.h, graph_builder.h) and the cache is (re)written, best effort: a directory that cannot be
// written to only costs the cache, which the record notes. A path that itself ends in ".vgraph" is opened directly.
#pragma once

#include <filesystem>
#include <string>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

struct GraphLoadOptions {
  bool undirected = false;
  bool read_cache = true;
  bool write_cache = true;
  int threads = 0;  // 0: all cores
};

struct GraphLoadRecord {
  bool from_cache = false;
  double parse_seconds = 0;   // text to arcs
  double build_seconds = 0;   // arcs to compressed rows
  double cache_seconds = 0;   // writing the cache, or mapping it
  double total_seconds = 0;
  uint64_t source_bytes = 0;
  uint64_t lines = 0;
  std::filesystem::path cache_path;
  std::string cache_note;     // why the cache was not used or not written, when it was not
};

std::filesystem::path CachePathFor(const std::filesystem::path& source);

Result<Graph> LoadGraph(const std::filesystem::path& source, const GraphLoadOptions& options,
                        const RunControl& control = {}, GraphLoadRecord* record = nullptr);

}  // namespace vouch::graph
