#include "vouch/graph/graph_loader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <span>

#include <fmt/format.h>

#include "graph/stopwatch.h"
#include "vouch/graph/edge_list_parser.h"
#include "vouch/graph/graph_builder.h"
#include "vouch/graph/graph_file.h"

namespace vouch::graph {

std::filesystem::path CachePathFor(const std::filesystem::path& source) {
  std::filesystem::path p = source;
  p += ".vgraph";
  return p;
}

namespace {

// GraphLoadOptions::warm_in_arcs: the in-arc rows' pages mapped in one call (MADV_POPULATE_READ, Linux 5.14;
// where it is missing, the read below faults them in), then one read per cache line.
void WarmInArcs(const Graph& g) {
  const GraphArrays& a = g.arrays();
  uint64_t sum = 0;
  auto warm = [&]<typename T>(std::span<const T> rows) {
    if (rows.empty()) return;
    const auto* bytes = reinterpret_cast<const unsigned char*>(rows.data());
#ifdef MADV_POPULATE_READ
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<uintptr_t>(bytes) / page * page;
    ::madvise(reinterpret_cast<void*>(begin), reinterpret_cast<uintptr_t>(bytes) + rows.size_bytes() - begin,
              MADV_POPULATE_READ);
#endif
    for (size_t i = 0; i < rows.size_bytes(); i += 64) sum += bytes[i];
  };
  warm(a.in_offsets);
  warm(a.in_sources);
  warm(a.in_weights);
  // The reads must happen: their sum handed to an empty asm statement keeps the compiler from dropping them.
  __asm__ volatile("" : : "r"(sum) : "memory");
}

}  // namespace

Result<Graph> LoadGraph(const std::filesystem::path& source, const GraphLoadOptions& options,
                        const RunControl& control, GraphLoadRecord* record) {
  GraphLoadRecord local;
  GraphLoadRecord& rec = record != nullptr ? *record : local;
  rec = GraphLoadRecord{};
  Stopwatch total;
  if (source.extension() == ".vgraph") {
    VOUCH_ASSIGN_OR_RETURN(Graph g, OpenGraphFile(source));
    if (options.undirected && !g.undirected()) {
      return Status::InvalidArgument(
          fmt::format("{}: this graph file holds a directed graph; --undirected needs the edge list", source.string()));
    }
    rec.from_cache = true;
    rec.cache_path = source;
    if (options.warm_in_arcs) WarmInArcs(g);
    rec.cache_seconds = rec.total_seconds = total.Seconds();
    return g;
  }
  VOUCH_ASSIGN_OR_RETURN(SourceStamp stamp, StampOf(source));
  rec.source_bytes = stamp.size;
  rec.cache_path = CachePathFor(source);
  if (options.read_cache) {
    auto info = ReadGraphFileInfo(rec.cache_path);
    if (!info.ok()) {
      rec.cache_note = info.status().code() == StatusCode::kNotFound ? "no cache yet" : info.status().message();
    } else if (info->source != stamp) {
      rec.cache_note = "cache is stale (source changed)";
    } else if (info->undirected != options.undirected) {
      rec.cache_note = "cache was built with another --undirected choice";
    } else {
      auto g = OpenGraphFile(rec.cache_path);
      if (g.ok()) {
        rec.from_cache = true;
        if (options.warm_in_arcs) WarmInArcs(*g);
        rec.cache_seconds = rec.total_seconds = total.Seconds();
        return std::move(g).value();
      }
      rec.cache_note = g.status().message();
    }
  }
  Stopwatch lap;
  EdgeListParser parser(source, {options.threads}, control);
  VOUCH_TRY(parser.run());
  rec.lines = parser.lines();
  rec.parse_seconds = lap.Lap();
  GraphBuilder builder(parser.TakeEdges(), options.undirected);
  VOUCH_TRY(builder.run());
  Graph g = builder.TakeGraph();
  rec.build_seconds = lap.Lap();
  if (options.write_cache) {
    Status written = WriteGraphFile(g, rec.cache_path, stamp);
    if (!written.ok()) rec.cache_note = "cache not written: " + written.message();
    rec.cache_seconds = lap.Lap();
  }
  rec.total_seconds = total.Seconds();
  return g;
}

}  // namespace vouch::graph
