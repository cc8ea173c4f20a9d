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
  // A graph opened from a cache (graph_file.h) is mapped, not read: its pages join the process, and its bytes
  // the CPU's caches, only as a run first touches them, one page fault and one cache miss at a time. With this
  // set, the load ends by mapping the in-arc rows (in_offsets, in_sources, in_weights: what reverse sampling
  // reads) resident in one call and reading them through once, in order, as parsing would have left them: a
  // sequential pass costs a fraction of the scattered misses it saves (docs/benchmarks.md, "Session 12: the
  // run's workers"). Counted in cache_seconds. No effect on a graph just parsed (already in memory).
  bool warm_in_arcs = false;
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
