// RawEdges: the arcs of an edge list before they become a Graph, in the source's own ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vouch/graph/big_vector.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

// One slice of the arcs (a parser thread's share of the file, or an existing graph's arcs).
//
// The ids are held in one of two widths: 64-bit (source, target) in general, or 32-bit (source32, target32) when
// every id of the chunk fits, which is how the parser hands over integer ids (half the memory to write and read
// on a 16-million-arc file). Exactly one pair is filled; narrow() says which. WidenIds turns a narrow chunk into
// a wide one for code that only handles 64-bit ids.
struct EdgeChunk {
  BigVector<uint64_t> source;  // external integer ids, or indexes into RawEdges::strings
  BigVector<uint64_t> target;
  BigVector<uint32_t> source32;  // the same, when narrow
  BigVector<uint32_t> target32;
  BigVector<float> weight;  // empty unless RawEdges::has_weights

  bool narrow() const { return !source32.empty(); }
  size_t size() const { return narrow() ? source32.size() : source.size(); }
};

// Moves a narrow chunk's ids into the 64-bit columns (no-op on a wide chunk).
void WidenIds(EdgeChunk& chunk);

struct RawEdges {
  ExternalIdKind id_kind = ExternalIdKind::kInteger;
  bool has_weights = false;
  std::vector<EdgeChunk> chunks;
  std::vector<std::string> strings;  // the distinct string ids, when id_kind is kString

  uint64_t size() const {
    uint64_t n = 0;
    for (const auto& c : chunks) n += c.size();
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
