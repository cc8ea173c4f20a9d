// Tiny graphs for the influence tests.
#pragma once

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "vouch/graph/graph_builder.h"

namespace vouch::influence::test {

// A graph on integer ids 0..n-1 (every id must appear in some arc).
inline graph::Graph MakeGraph(const std::vector<std::pair<uint64_t, uint64_t>>& arcs, bool undirected = false) {
  graph::RawEdges raw;
  graph::EdgeChunk c;
  for (auto [u, v] : arcs) {
    c.source.push_back(u);
    c.target.push_back(v);
  }
  raw.chunks.push_back(std::move(c));
  graph::GraphBuilder b(std::move(raw), undirected);
  EXPECT_TRUE(b.run().ok());
  return b.TakeGraph();
}

}  // namespace vouch::influence::test
