#include "vouch/influence/exact_spread.h"

#include <fmt/format.h>

namespace vouch::influence {
namespace {

// Nodes reachable from seeds over the live arcs (live[e] per out-arc).
double Reached(const graph::Graph& g, const std::vector<NodeId>& seeds, const std::vector<char>& live) {
  const graph::GraphArrays& a = g.arrays();
  std::vector<char> seen(g.num_nodes(), 0);
  std::vector<NodeId> queue;
  for (NodeId s : seeds) {
    if (!seen[s]) {
      seen[s] = 1;
      queue.push_back(s);
    }
  }
  for (size_t h = 0; h < queue.size(); ++h) {
    NodeId u = queue[h];
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      NodeId v = a.out_targets[e];
      if (live[e] && !seen[v]) {
        seen[v] = 1;
        queue.push_back(v);
      }
    }
  }
  return static_cast<double>(queue.size());
}

}  // namespace

Result<double> ExactSpread(const DiffusionModel& model, const std::vector<NodeId>& seeds) {
  const graph::Graph& g = model.graph();
  const graph::GraphArrays& a = g.arrays();
  const graph::EdgeProbabilities& p = model.influence();
  const uint64_t m = a.num_edges;
  for (NodeId s : seeds) {
    if (s >= g.num_nodes()) return Status::InvalidArgument("seed outside the graph");
  }
  std::vector<char> live(m, 0);
  double expected = 0;
  if (model.kind() != DiffusionModelKind::kLinearThreshold) {
    if (m > 22) return Status::InvalidArgument(fmt::format("exact spread: {} arcs is too many to enumerate", m));
    for (uint64_t world = 0; world < (uint64_t{1} << m); ++world) {
      double prob = 1;
      for (uint64_t e = 0; e < m; ++e) {
        live[e] = static_cast<char>((world >> e) & 1);
        double pe = p.Out(e);
        prob *= live[e] ? pe : 1 - pe;
      }
      if (prob > 0) expected += prob * Reached(g, seeds, live);
    }
    return expected;
  }
  // LT: node v keeps in-arc i of its row with weight w_i, or none with 1 - sum w.
  double worlds = 1;
  for (NodeId v = 0; v < g.num_nodes(); ++v) worlds *= g.InDegree(v) + 1;
  if (worlds > double(1 << 22)) return Status::InvalidArgument("exact spread: too many live-edge worlds");
  std::vector<uint32_t> choice(g.num_nodes(), 0);  // 0: none, i: the i-th in-arc
  // Out-arc index of each in-arc, to mark it live.
  std::vector<graph::EdgeIndex> out_of_in(m);
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      NodeId v = a.out_targets[e];
      auto row = g.InNeighbours(v);
      out_of_in[a.in_offsets[v] + static_cast<uint64_t>(std::lower_bound(row.begin(), row.end(), u) - row.begin())] = e;
    }
  }
  for (;;) {
    double prob = 1;
    std::fill(live.begin(), live.end(), 0);
    for (NodeId v = 0; v < g.num_nodes() && prob > 0; ++v) {
      double sum = 0;
      for (graph::EdgeIndex e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) sum += p.In(v, e);
      if (choice[v] == 0) {
        prob *= std::max(0.0, 1 - sum);
      } else {
        graph::EdgeIndex e = a.in_offsets[v] + choice[v] - 1;
        prob *= p.In(v, e);
        live[out_of_in[e]] = 1;
      }
    }
    if (prob > 1e-15) expected += prob * Reached(g, seeds, live);
    NodeId v = 0;
    for (; v < g.num_nodes(); ++v) {  // next world: an odometer over the choices
      if (++choice[v] <= g.InDegree(v)) break;
      choice[v] = 0;
    }
    if (v == g.num_nodes()) break;
  }
  return expected;
}

}  // namespace vouch::influence
