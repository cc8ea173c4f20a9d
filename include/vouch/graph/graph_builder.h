// GraphBuilder: turns RawEdges into a Graph (compressed sparse rows both ways, dense 32-bit ids).
//
// Self-loops are dropped; duplicate arcs are merged (a weighted duplicate keeps its largest weight, the first of
// equal ones); with undirected, every arc also gives its reverse. At most 2^32 - 1 nodes.
//
// Parallel (TBB, the calling arena's threads) over shares of the chunks and ranges of rows; the result does not
// depend on the number of threads. Memory beyond the input and the graph: 8 bytes per node per thread (counts
// and cursors); the out-rows are allocated for every arc before duplicates are merged and keep that capacity; a
// weighted graph's out-rows are first built as (target, weight) pairs, 8 bytes per arc.
#pragma once

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"
#include "vouch/graph/raw_edges.h"

namespace vouch::graph {

class GraphBuilder final {
 public:
  GraphBuilder(RawEdges edges, bool undirected) : edges_(std::move(edges)), undirected_(undirected) {}
  Status run();
  // Valid after run() returned OK; moves the graph out (call once).
  Graph TakeGraph();

 private:
  RawEdges edges_;
  bool undirected_;
  bool done_ = false;
  Graph graph_;
};

}  // namespace vouch::graph
