// GraphBuilder: turns RawEdges into a Graph (compressed sparse rows both ways, dense 32-bit ids).
//
// Self-loops are dropped; duplicate arcs are merged (a weighted duplicate keeps its largest weight, the first of
// equal ones); with undirected, every arc also gives its reverse. At most 2^32 - 1 nodes.
//
// Two methods, with the same result. The partitioned one (the default where it applies: unweighted graphs of up
// to 2^21 = 2,097,152 nodes, where a node's offset in its block and a node id fit 32 bits together) groups the
// arcs by blocks of nodes, then sorts each block in cache: the classic two-pass radix build. The per-row scatter
// (weighted or larger graphs) writes every arc straight into its row, a cache miss per arc. kRowScatter forces
// the latter (tests).
//
// Parallel (TBB, the calling arena's threads) over shares of the chunks and ranges of rows; the result does not
// depend on the number of threads. Memory beyond the input and the graph: with integer ids, 1 bit per possible
// id per thread (a bitmap up to the largest id) and 16 bytes per 64 possible ids once; per-row scatter: 8 bytes
// per node per thread (counts and cursors), and a weighted graph's out-rows are first built as (target, weight)
// pairs, 8 bytes per arc; partitioned: 8 bytes per block per thread and, per thread, a sort buffer the size of
// the largest block's arcs. The out-rows are allocated for every arc before duplicates are merged and keep that
// capacity.
#pragma once

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"
#include "vouch/graph/raw_edges.h"

namespace vouch::graph {

enum class GraphBuildMethod { kAuto, kRowScatter };

class GraphBuilder final {
 public:
  GraphBuilder(RawEdges edges, bool undirected, GraphBuildMethod method = GraphBuildMethod::kAuto)
      : edges_(std::move(edges)), undirected_(undirected), method_(method) {}
  Status run();
  // Valid after run() returned OK; moves the graph out (call once).
  Graph TakeGraph();

 private:
  RawEdges edges_;
  bool undirected_;
  GraphBuildMethod method_;
  bool done_ = false;
  Graph graph_;
};

}  // namespace vouch::graph
