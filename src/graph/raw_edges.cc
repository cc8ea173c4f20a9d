#include "vouch/graph/raw_edges.h"

namespace vouch::graph {

void WidenIds(EdgeChunk& chunk) {
  if (!chunk.narrow()) return;
  chunk.source.assign(chunk.source32.begin(), chunk.source32.end());
  chunk.target.assign(chunk.target32.begin(), chunk.target32.end());
  chunk.source32 = {};
  chunk.target32 = {};
}

}  // namespace vouch::graph
