// GraphBuilder: turns RawEdges into a Graph (compressed sparse rows both ways, dense 32-bit ids).
//
// Self-loops are dropped; duplicate arcs are merged (a weighted duplicate keeps its largest weight); with
// undirected, every arc also gives its reverse. Parallel (TBB) over arcs and rows. At most 2^32 - 1 nodes.
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
