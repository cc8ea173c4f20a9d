// RawEdges: the arcs of an edge list before they become a Graph, in the source's own ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vouch/graph/big_vector.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

// One slice of the arcs (a parser thread's share of the file, or an existing graph's arcs).
struct EdgeChunk {
  BigVector<uint64_t> source;  // external integer ids, or indexes into RawEdges::strings
  BigVector<uint64_t> target;
  BigVector<float> weight;     // empty unless RawEdges::has_weights
};

struct RawEdges {
  ExternalIdKind id_kind = ExternalIdKind::kInteger;
  bool has_weights = false;
  std::vector<EdgeChunk> chunks;
  std::vector<std::string> strings;  // the distinct string ids, when id_kind is kString

  uint64_t size() const {
    uint64_t n = 0;
    for (const auto& c : chunks) n += c.source.size();
    return n;
  }
};

// The arcs of graph as RawEdges in its external ids (each arc once; an undirected graph gives both arcs), for
// building a union of two graphs.
RawEdges ToRawEdges(const Graph& graph);

// Appends other's arcs to into, converting integer ids to strings when the two kinds differ. Weights are kept only
// when both have them.
void AppendRawEdges(RawEdges& into, RawEdges other);

}  // namespace vouch::graph
