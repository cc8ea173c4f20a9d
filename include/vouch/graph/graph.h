// Graph: a directed social graph in compressed sparse rows, with 32-bit node ids and a mapping back to the ids
// the source file used (its "external" ids).
//
// Node ids are dense, 0..num_nodes()-1. When every external id of the source was a non-negative integer, the
// internal order is the ascending order of those integers (so a file with ids 0..n-1 keeps them); otherwise the
// ids are strings, numbered in order of first appearance. Both the out-adjacency (u -> its listeners) and the
// in-adjacency (v <- its speakers) are held, each row sorted ascending and free of duplicates and self-loops. An
// undirected graph holds every edge as two arcs and shares one array for both adjacencies.
//
// Edge weights (the optional third column of the source) are held per arc in both orders.
//
// A Graph owns its storage: either vectors it built (GraphBuilder) or a memory-mapped cache file (graph_cache.h).
// It is immutable once built and safe to read from any number of threads; FindNode builds its string index once,
// on first use, under a lock.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vouch::graph {

using NodeId = uint32_t;
using EdgeIndex = uint64_t;

enum class ExternalIdKind : uint32_t { kInteger = 1, kString = 2 };

// The arrays of a graph, as views. GraphBuilder fills owned vectors and points these at them; the cache points
// them into the mapped file.
struct GraphArrays {
  uint64_t num_nodes = 0;
  uint64_t num_edges = 0;  // arcs: an undirected edge counts twice
  bool undirected = false;
  ExternalIdKind id_kind = ExternalIdKind::kInteger;
  std::span<const uint64_t> out_offsets;  // num_nodes + 1
  std::span<const NodeId> out_targets;    // num_edges
  std::span<const uint64_t> in_offsets;   // num_nodes + 1
  std::span<const NodeId> in_sources;     // num_edges
  std::span<const float> out_weights;     // num_edges, or empty when the source had no weight column
  std::span<const float> in_weights;      // num_edges, or empty
  std::span<const uint64_t> integer_ids;  // num_nodes when id_kind is kInteger, ascending
  std::span<const uint64_t> string_offsets;  // num_nodes + 1 when id_kind is kString
  std::span<const char> string_chars;
  // From a workspace graph file's header (graph_file.h); empty and false for graphs built in memory.
  std::string_view platform;
  bool people_pending = false;
};

class Graph final {
 public:
  Graph() = default;
  // storage keeps whatever the spans of arrays point into alive (vectors, a mapping).
  Graph(GraphArrays arrays, std::shared_ptr<const void> storage);
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  NodeId num_nodes() const { return static_cast<NodeId>(a_.num_nodes); }
  uint64_t num_edges() const { return a_.num_edges; }
  bool undirected() const { return a_.undirected; }
  bool has_weights() const { return !a_.out_weights.empty(); }
  ExternalIdKind id_kind() const { return a_.id_kind; }

  std::span<const NodeId> OutNeighbours(NodeId u) const {
    return a_.out_targets.subspan(a_.out_offsets[u], a_.out_offsets[u + 1] - a_.out_offsets[u]);
  }
  std::span<const NodeId> InNeighbours(NodeId v) const {
    return a_.in_sources.subspan(a_.in_offsets[v], a_.in_offsets[v + 1] - a_.in_offsets[v]);
  }
  uint32_t OutDegree(NodeId u) const { return static_cast<uint32_t>(a_.out_offsets[u + 1] - a_.out_offsets[u]); }
  uint32_t InDegree(NodeId v) const { return static_cast<uint32_t>(a_.in_offsets[v + 1] - a_.in_offsets[v]); }
  // Index of u's first out-arc (v's first in-arc) in the arc arrays.
  EdgeIndex OutBegin(NodeId u) const { return a_.out_offsets[u]; }
  EdgeIndex InBegin(NodeId v) const { return a_.in_offsets[v]; }

  // The id the source file gave node u.
  std::string ExternalId(NodeId u) const;
  // The node the source called external, if any.
  std::optional<NodeId> FindNode(std::string_view external) const;

  const GraphArrays& arrays() const { return a_; }

 private:
  GraphArrays a_;
  std::shared_ptr<const void> storage_;
  // Built on first FindNode for string ids.
  struct StringIndex {
    std::once_flag once;
    std::unordered_map<std::string_view, NodeId> map;
  };
  std::unique_ptr<StringIndex> index_ = std::make_unique<StringIndex>();
};

}  // namespace vouch::graph
