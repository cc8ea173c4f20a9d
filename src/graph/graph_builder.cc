#include "vouch/graph/graph_builder.h"

#include <algorithm>
#include <atomic>
#include <limits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include "vouch/graph/big_vector.h"

namespace vouch::graph {
namespace {

constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

// The arrays behind a built graph.
struct OwnedArrays {
  BigVector<uint64_t> out_offsets, in_offsets;
  BigVector<NodeId> out_targets, in_sources;
  BigVector<float> out_weights, in_weights;
  std::vector<uint64_t> integer_ids, string_offsets;
  std::vector<char> string_chars;
};

// Offsets from degrees (degree[v] for v < n), in place: degree becomes the start of each row, and the returned
// total is the end of the last.
uint64_t PrefixSum(BigVector<uint64_t>& degree, size_t n) {
  uint64_t sum = 0;
  for (size_t v = 0; v < n; ++v) {
    uint64_t d = degree[v];
    degree[v] = sum;
    sum += d;
  }
  degree[n] = sum;
  return sum;
}

}  // namespace

Graph GraphBuilder::TakeGraph() {
  assert(done_ && "GraphBuilder::TakeGraph before run() succeeded");
  return std::move(graph_);
}

// Three counting-sort passes instead of sorting rows:
//   A. arcs grouped by target (rows in file order);
//   B. walking targets in ascending order, each arc appended to its source's row: out-rows come out sorted, so
//      duplicates are adjacent and removed in one linear sweep;
//   C. walking sources in ascending order, each out-arc appended to its target's row: in-rows come out sorted.
// Each pass is one sequential read and one scatter; no comparison sort at all.
Status GraphBuilder::run() {
  auto owned = std::make_shared<OwnedArrays>();
  const bool weights = edges_.has_weights;
  auto& chunks = edges_.chunks;
  uint64_t n = 0;

  // Dense ids: a direct table for integer ids that are dense enough (the usual SNAP case), a sorted list
  // otherwise; string ids are dense already.
  std::vector<NodeId> table;
  bool direct = false;
  if (edges_.id_kind == ExternalIdKind::kInteger) {
    uint64_t max_id = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, chunks.size()), uint64_t{0},
        [&](const tbb::blocked_range<size_t>& r, uint64_t m) {
          for (size_t c = r.begin(); c < r.end(); ++c) {
            for (uint64_t x : chunks[c].source) m = std::max(m, x);
            for (uint64_t x : chunks[c].target) m = std::max(m, x);
          }
          return m;
        },
        [](uint64_t a, uint64_t b) { return std::max(a, b); });
    const uint64_t arcs = edges_.size();
    direct = arcs > 0 && max_id < kNoNode && max_id <= 4 * arcs + (1 << 20);
    if (direct) {
      table.assign(max_id + 1, 0);
      tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
        for (uint64_t x : chunks[c].source) std::atomic_ref<NodeId>(table[x]).store(1, std::memory_order_relaxed);
        for (uint64_t x : chunks[c].target) std::atomic_ref<NodeId>(table[x]).store(1, std::memory_order_relaxed);
      });
      for (uint64_t id = 0; id <= max_id; ++id) {
        if (table[id] != 0) {
          table[id] = static_cast<NodeId>(owned->integer_ids.size());
          owned->integer_ids.push_back(id);
        } else {
          table[id] = kNoNode;
        }
      }
    } else if (arcs > 0) {
      std::vector<uint64_t> all;
      all.reserve(2 * arcs);
      for (const auto& c : chunks) {
        all.insert(all.end(), c.source.begin(), c.source.end());
        all.insert(all.end(), c.target.begin(), c.target.end());
      }
      tbb::parallel_sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      owned->integer_ids = std::move(all);
    }
    n = owned->integer_ids.size();
  } else {
    n = edges_.strings.size();
    owned->string_offsets.reserve(n + 1);
    owned->string_offsets.push_back(0);
    for (const auto& s : edges_.strings) {
      owned->string_chars.insert(owned->string_chars.end(), s.begin(), s.end());
      owned->string_offsets.push_back(owned->string_chars.size());
    }
    edges_.strings.clear();
  }
  if (n >= kNoNode) return Status::InvalidArgument(fmt::format("graph has {} nodes, more than 2^32 - 1", n));
  // Rewrite every chunk's ids as dense ones, in place (they still fit the 64-bit slots).
  if (edges_.id_kind == ExternalIdKind::kInteger && !direct) {
    const auto& ids = owned->integer_ids;
    tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
      for (auto* col : {&chunks[c].source, &chunks[c].target}) {
        for (uint64_t& x : *col) x = static_cast<uint64_t>(std::lower_bound(ids.begin(), ids.end(), x) - ids.begin());
      }
    });
  } else if (direct) {
    tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
      for (auto* col : {&chunks[c].source, &chunks[c].target}) {
        for (uint64_t& x : *col) x = table[x];
      }
    });
  }
  table = {};

  // Pass A: by target. With undirected every line gives both arcs. Self-loops are dropped.
  BigVector<uint64_t> by_target_offsets(n + 1);
  std::fill(by_target_offsets.begin(), by_target_offsets.end(), 0);
  tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
    const EdgeChunk& ch = chunks[c];
    for (size_t i = 0; i < ch.source.size(); ++i) {
      if (ch.source[i] == ch.target[i]) continue;
      std::atomic_ref<uint64_t>(by_target_offsets[ch.target[i]]).fetch_add(1, std::memory_order_relaxed);
      if (undirected_) {
        std::atomic_ref<uint64_t>(by_target_offsets[ch.source[i]]).fetch_add(1, std::memory_order_relaxed);
      }
    }
  });
  const uint64_t raw_arcs = PrefixSum(by_target_offsets, n);
  BigVector<NodeId> by_target(raw_arcs);
  BigVector<float> by_target_w(weights ? raw_arcs : 0);
  {
    BigVector<uint64_t> cursor(by_target_offsets.begin(), by_target_offsets.end());
    for (EdgeChunk& ch : chunks) {
      for (size_t i = 0; i < ch.source.size(); ++i) {
        const NodeId u = static_cast<NodeId>(ch.source[i]), v = static_cast<NodeId>(ch.target[i]);
        if (u == v) continue;
        uint64_t at = cursor[v]++;
        by_target[at] = u;
        if (weights) by_target_w[at] = ch.weight[i];
        if (undirected_) {
          at = cursor[u]++;
          by_target[at] = v;
          if (weights) by_target_w[at] = ch.weight[i];
        }
      }
      ch = EdgeChunk{};  // free the wide ids as we go
    }
  }
  chunks.clear();

  // Pass B: out-rows, sorted by target because targets are walked in order.
  auto& out_off = owned->out_offsets;
  out_off.assign(n + 1, 0);
  for (NodeId u : by_target) ++out_off[u];
  PrefixSum(out_off, n);
  auto& out_t = owned->out_targets;
  auto& out_w = owned->out_weights;
  out_t.resize(raw_arcs);
  if (weights) out_w.resize(raw_arcs);
  {
    BigVector<uint64_t> cursor(out_off.begin(), out_off.end());
    for (uint64_t v = 0; v < n; ++v) {
      for (uint64_t e = by_target_offsets[v]; e < by_target_offsets[v + 1]; ++e) {
        const uint64_t at = cursor[by_target[e]]++;
        out_t[at] = static_cast<NodeId>(v);
        if (weights) out_w[at] = by_target_w[e];
      }
    }
  }
  by_target = {};
  by_target_w = {};
  by_target_offsets = {};
  // Duplicates are adjacent now: keep the first of each run (with the run's largest weight), compacting in place.
  {
    uint64_t w = 0;
    for (uint64_t u = 0; u < n; ++u) {
      const uint64_t b = out_off[u], e = out_off[u + 1];
      out_off[u] = w;
      const uint64_t row = w;
      for (uint64_t i = b; i < e; ++i) {
        if (w > row && out_t[w - 1] == out_t[i]) {
          if (weights) out_w[w - 1] = std::max(out_w[w - 1], out_w[i]);
          continue;
        }
        out_t[w] = out_t[i];
        if (weights) out_w[w] = out_w[i];
        ++w;
      }
    }
    out_off[n] = w;
    out_t.resize(w);
    out_t.shrink_to_fit();
    if (weights) {
      out_w.resize(w);
      out_w.shrink_to_fit();
    }
  }
  const uint64_t m = out_t.size();

  // Pass C: in-rows, sorted by source because sources are walked in order. An undirected graph's in-rows are
  // its out-rows.
  if (!undirected_) {
    auto& in_off = owned->in_offsets;
    in_off.assign(n + 1, 0);
    for (NodeId v : out_t) ++in_off[v];
    PrefixSum(in_off, n);
    owned->in_sources.resize(m);
    if (weights) owned->in_weights.resize(m);
    BigVector<uint64_t> cursor(in_off.begin(), in_off.end());
    for (uint64_t u = 0; u < n; ++u) {
      for (uint64_t e = out_off[u]; e < out_off[u + 1]; ++e) {
        const uint64_t at = cursor[out_t[e]]++;
        owned->in_sources[at] = static_cast<NodeId>(u);
        if (weights) owned->in_weights[at] = out_w[e];
      }
    }
  }

  GraphArrays a;
  a.num_nodes = n;
  a.num_edges = m;
  a.undirected = undirected_;
  a.id_kind = edges_.id_kind;
  a.out_offsets = owned->out_offsets;
  a.out_targets = owned->out_targets;
  a.out_weights = owned->out_weights;
  if (undirected_) {
    a.in_offsets = owned->out_offsets;
    a.in_sources = owned->out_targets;
    a.in_weights = owned->out_weights;
  } else {
    a.in_offsets = owned->in_offsets;
    a.in_sources = owned->in_sources;
    a.in_weights = owned->in_weights;
  }
  if (a.id_kind == ExternalIdKind::kInteger) {
    a.integer_ids = owned->integer_ids;
  } else {
    a.string_offsets = owned->string_offsets;
    a.string_chars = owned->string_chars;
  }
  graph_ = Graph(a, owned);
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::graph
