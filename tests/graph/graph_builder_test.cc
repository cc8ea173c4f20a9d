// GraphBuilder's two methods (the partitioned build and the per-row scatter) against each other and against a
// naive build from sets, on random graphs with duplicates, self-loops, hubs, several chunks of both id widths,
// directed and undirected.
#include "vouch/graph/graph_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace vouch::graph {
namespace {

struct Arc {
  uint64_t source, target;
};

RawEdges ToRaw(const std::vector<Arc>& arcs, size_t chunks, ExternalIdKind kind, size_t strings) {
  RawEdges raw;
  raw.id_kind = kind;
  for (size_t s = 0; s < strings; ++s) raw.strings.push_back("n" + std::to_string(s));
  for (size_t c = 0; c < chunks; ++c) {
    EdgeChunk chunk;
    const size_t first = arcs.size() * c / chunks, last = arcs.size() * (c + 1) / chunks;
    for (size_t i = first; i < last; ++i) {
      chunk.source.push_back(arcs[i].source);
      chunk.target.push_back(arcs[i].target);
    }
    // Odd chunks narrow (as the parser hands over ids that fit in 32 bits), when they can be.
    const bool fits =
        std::all_of(arcs.begin() + static_cast<ptrdiff_t>(first), arcs.begin() + static_cast<ptrdiff_t>(last),
                    [](const Arc& a) { return (a.source | a.target) <= 0xFFFFFFFFu; });
    if (c % 2 == 1 && fits && last > first) {
      chunk.source32.assign(chunk.source.begin(), chunk.source.end());
      chunk.target32.assign(chunk.target.begin(), chunk.target.end());
      chunk.source = {};
      chunk.target = {};
    }
    raw.chunks.push_back(std::move(chunk));
  }
  return raw;
}

Graph Build(const std::vector<Arc>& arcs, size_t chunks, bool undirected, GraphBuildMethod method,
            ExternalIdKind kind = ExternalIdKind::kInteger, size_t strings = 0) {
  GraphBuilder b(ToRaw(arcs, chunks, kind, strings), undirected, method);
  EXPECT_TRUE(b.run().ok());
  return b.TakeGraph();
}

template <typename T>
std::vector<T> Vec(std::span<const T> s) {
  return {s.begin(), s.end()};
}

// Every array of a and b equal.
void ExpectSame(const Graph& a, const Graph& b) {
  const GraphArrays& x = a.arrays();
  const GraphArrays& y = b.arrays();
  ASSERT_EQ(x.num_nodes, y.num_nodes);
  ASSERT_EQ(x.num_edges, y.num_edges);
  EXPECT_EQ(Vec(x.out_offsets), Vec(y.out_offsets));
  EXPECT_EQ(Vec(x.out_targets), Vec(y.out_targets));
  EXPECT_EQ(Vec(x.in_offsets), Vec(y.in_offsets));
  EXPECT_EQ(Vec(x.in_sources), Vec(y.in_sources));
  EXPECT_EQ(Vec(x.integer_ids), Vec(y.integer_ids));
  EXPECT_EQ(Vec(x.string_offsets), Vec(y.string_offsets));
}

// g against a naive build (all arcs sorted, duplicates and self-loops dropped), in external (integer) ids.
void ExpectNaive(const Graph& g, const std::vector<Arc>& arcs, bool undirected) {
  std::vector<std::pair<uint64_t, uint64_t>> out, in;
  std::vector<uint64_t> nodes;
  for (const Arc& a : arcs) {
    nodes.push_back(a.source);
    nodes.push_back(a.target);
    if (a.source == a.target) continue;
    out.emplace_back(a.source, a.target);
    in.emplace_back(a.target, a.source);
    if (undirected) {
      out.emplace_back(a.target, a.source);
      in.emplace_back(a.source, a.target);
    }
  }
  for (auto* v : {&out, &in}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  // Dense ids follow the external integers' order.
  ASSERT_EQ(Vec(g.arrays().integer_ids), nodes);
  ASSERT_EQ(g.num_edges(), out.size());
  auto rows = [&](auto neighbours) {
    std::vector<std::pair<uint64_t, uint64_t>> all;
    for (NodeId u = 0; u < g.num_nodes(); ++u) {
      for (NodeId v : neighbours(u)) all.emplace_back(nodes[u], nodes[v]);
    }
    return all;
  };
  EXPECT_EQ(rows([&](NodeId u) { return g.OutNeighbours(u); }), out);
  EXPECT_EQ(rows([&](NodeId u) { return g.InNeighbours(u); }), in);
}

// Random arcs among ids below `ids` (scaled by `stride`, so the dense ids are a real mapping), with a hub, a
// share of exact duplicates and self-loops.
std::vector<Arc> RandomArcs(uint64_t seed, size_t count, uint64_t ids, uint64_t stride) {
  std::mt19937_64 rng(seed);
  std::vector<Arc> arcs;
  for (size_t i = 0; i < count; ++i) {
    uint64_t u = rng() % ids, v = rng() % ids;
    if (i % 7 == 0) u = 3;  // a hub
    if (i % 11 == 0) v = 3;
    if (i % 13 == 0) v = u;  // self-loops (some nodes appear in nothing else)
    arcs.push_back({u * stride, v * stride});
    if (i % 5 == 0) arcs.push_back(arcs.back());  // duplicates, in and across chunks
  }
  std::shuffle(arcs.begin() + static_cast<ptrdiff_t>(arcs.size() / 2), arcs.end(), rng);
  return arcs;
}

TEST(GraphBuilderTest, PartitionedBuildEqualsRowScatterAndNaiveOnRandomGraphs) {
  struct Case {
    size_t arcs;
    uint64_t ids, stride;
    size_t chunks;
  };
  // Small blocks (comparison-sorted), cache-sized blocks (radix-sorted), sparse ids, ids above 2^32, one chunk,
  // and few arcs per node over 2^19 nodes (blocks made smaller than the arcs ask, to fit 32 bits).
  for (const Case& c :
       {Case{50, 20, 1, 3}, Case{3000, 400, 3, 4}, Case{200000, 50000, 1, 5}, Case{60000, 200000, 7, 2},
        Case{20000, 3000, uint64_t{1} << 31, 3}, Case{1000, 5000, 1, 1}, Case{300000, 1200000, 1, 4}}) {
    for (bool undirected : {false, true}) {
      SCOPED_TRACE(testing::Message() << c.arcs << " arcs, ids < " << c.ids << " x " << c.stride
                                      << (undirected ? ", undirected" : ""));
      const auto arcs = RandomArcs(c.arcs + c.ids, c.arcs, c.ids, c.stride);
      Graph part = Build(arcs, c.chunks, undirected, GraphBuildMethod::kAuto);
      Graph rows = Build(arcs, c.chunks, undirected, GraphBuildMethod::kRowScatter);
      ExpectSame(part, rows);
      ExpectNaive(part, arcs, undirected);
    }
  }
}

TEST(GraphBuilderTest, PartitionedBuildHandlesStringIdsEmptyAndSelfLoopOnlyGraphs) {
  // String ids are dense already: the arcs' ids index the strings.
  std::vector<Arc> arcs = RandomArcs(5, 5000, 700, 1);
  for (bool undirected : {false, true}) {
    Graph part = Build(arcs, 3, undirected, GraphBuildMethod::kAuto, ExternalIdKind::kString, 700);
    Graph rows = Build(arcs, 3, undirected, GraphBuildMethod::kRowScatter, ExternalIdKind::kString, 700);
    ExpectSame(part, rows);
  }
  Graph empty = Build({}, 1, false, GraphBuildMethod::kAuto);
  EXPECT_EQ(empty.num_nodes(), 0u);
  EXPECT_EQ(empty.num_edges(), 0u);
  Graph loops = Build({{4, 4}, {9, 9}, {4, 4}}, 2, false, GraphBuildMethod::kAuto);
  EXPECT_EQ(loops.num_nodes(), 2u);
  EXPECT_EQ(loops.num_edges(), 0u);
  EXPECT_EQ(loops.arrays().out_offsets.size(), 3u);
  EXPECT_EQ(loops.arrays().in_offsets.size(), 3u);
}

}  // namespace
}  // namespace vouch::graph
