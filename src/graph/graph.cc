#include "vouch/graph/graph.h"

#include <algorithm>
#include <charconv>

#include "vouch/graph/raw_edges.h"

namespace vouch::graph {

Graph::Graph(GraphArrays arrays, std::shared_ptr<const void> storage)
    : a_(arrays), storage_(std::move(storage)) {}

std::string Graph::ExternalId(NodeId u) const {
  if (a_.id_kind == ExternalIdKind::kInteger) return std::to_string(a_.integer_ids[u]);
  return std::string(a_.string_chars.data() + a_.string_offsets[u], a_.string_offsets[u + 1] - a_.string_offsets[u]);
}

std::optional<NodeId> Graph::FindNode(std::string_view external) const {
  if (a_.id_kind == ExternalIdKind::kInteger) {
    uint64_t x = 0;
    auto [ptr, ec] = std::from_chars(external.data(), external.data() + external.size(), x);
    if (ec != std::errc() || ptr != external.data() + external.size() || external.empty() || external[0] == '+') {
      return std::nullopt;
    }
    auto it = std::lower_bound(a_.integer_ids.begin(), a_.integer_ids.end(), x);
    if (it == a_.integer_ids.end() || *it != x) return std::nullopt;
    return static_cast<NodeId>(it - a_.integer_ids.begin());
  }
  std::call_once(index_->once, [this] {
    index_->map.reserve(a_.num_nodes);
    for (NodeId u = 0; u < a_.num_nodes; ++u) {
      index_->map.emplace(std::string_view(a_.string_chars.data() + a_.string_offsets[u],
                                           a_.string_offsets[u + 1] - a_.string_offsets[u]),
                          u);
    }
  });
  auto it = index_->map.find(external);
  if (it == index_->map.end()) return std::nullopt;
  return it->second;
}

RawEdges ToRawEdges(const Graph& graph) {
  RawEdges raw;
  raw.id_kind = graph.id_kind();
  raw.has_weights = graph.has_weights();
  EdgeChunk chunk;
  chunk.source.reserve(graph.num_edges());
  chunk.target.reserve(graph.num_edges());
  const GraphArrays& a = graph.arrays();
  for (NodeId u = 0; u < graph.num_nodes(); ++u) {
    for (EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      NodeId v = a.out_targets[e];
      if (raw.id_kind == ExternalIdKind::kInteger) {
        chunk.source.push_back(a.integer_ids[u]);
        chunk.target.push_back(a.integer_ids[v]);
      } else {
        chunk.source.push_back(u);
        chunk.target.push_back(v);
      }
      if (raw.has_weights) chunk.weight.push_back(a.out_weights[e]);
    }
  }
  if (raw.id_kind == ExternalIdKind::kString) {
    raw.strings.reserve(graph.num_nodes());
    for (NodeId u = 0; u < graph.num_nodes(); ++u) raw.strings.push_back(graph.ExternalId(u));
  }
  raw.chunks.push_back(std::move(chunk));
  return raw;
}

namespace {
// Rewrites integer-id arcs as string ids, adding the strings to table.
void ToStrings(RawEdges& raw, std::vector<std::string>& strings,
               std::unordered_map<std::string, uint64_t>& index) {
  auto id_of = [&](const std::string& s) {
    auto [it, inserted] = index.try_emplace(s, strings.size());
    if (inserted) strings.push_back(s);
    return it->second;
  };
  for (auto& c : raw.chunks) {
    WidenIds(c);
    for (auto* col : {&c.source, &c.target}) {
      for (uint64_t& x : *col) {
        x = raw.id_kind == ExternalIdKind::kInteger ? id_of(std::to_string(x)) : id_of(raw.strings[x]);
      }
    }
  }
  raw.id_kind = ExternalIdKind::kString;
}
}  // namespace

void AppendRawEdges(RawEdges& into, RawEdges other) {
  const bool weights = into.has_weights && other.has_weights;
  if (into.id_kind != other.id_kind || into.id_kind == ExternalIdKind::kString) {
    // Renumber both sides into one string table.
    std::vector<std::string> strings;
    std::unordered_map<std::string, uint64_t> index;
    ToStrings(into, strings, index);
    ToStrings(other, strings, index);
    into.strings = std::move(strings);
  }
  for (auto& c : other.chunks) into.chunks.push_back(std::move(c));
  if (!weights) {
    for (auto& c : into.chunks) c.weight.clear();
  }
  into.has_weights = weights;
}

}  // namespace vouch::graph
