#include "vouch/graph/graph_builder.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

namespace vouch::graph {
namespace {

constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

// The vectors behind a built graph.
struct OwnedArrays {
  std::vector<uint64_t> out_offsets, in_offsets;
  std::vector<NodeId> out_targets, in_sources;
  std::vector<float> out_weights, in_weights;
  std::vector<uint64_t> integer_ids, string_offsets;
  std::vector<char> string_chars;
};

// Arcs in dense ids, one slice per source chunk.
struct DenseChunk {
  std::vector<NodeId> source, target;
  std::vector<float> weight;
};

template <typename T>
T AtomicAdd(T& x, T d) {
  return std::atomic_ref<T>(x).fetch_add(d, std::memory_order_relaxed);
}

// Counting-sort arcs into rows: row(a) of arc a gets col(a). Rows come out unsorted.
template <typename RowFn>
void FillRows(size_t n_nodes, const std::vector<DenseChunk>& chunks, bool both_ways, bool weights, RowFn keep,
              std::vector<uint64_t>& offsets, std::vector<NodeId>& cols, std::vector<float>& wts) {
  std::vector<uint64_t> degree(n_nodes + 1, 0);
  tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
    const DenseChunk& ch = chunks[c];
    for (size_t i = 0; i < ch.source.size(); ++i) {
      if (!keep(ch.source[i], ch.target[i])) continue;
      AtomicAdd<uint64_t>(degree[ch.source[i]], 1);
      if (both_ways) AtomicAdd<uint64_t>(degree[ch.target[i]], 1);
    }
  });
  offsets.assign(n_nodes + 1, 0);
  uint64_t sum = 0;
  for (size_t v = 0; v < n_nodes; ++v) {
    offsets[v] = sum;
    sum += degree[v];
  }
  offsets[n_nodes] = sum;
  cols.resize(sum);
  if (weights) wts.resize(sum);
  std::copy(offsets.begin(), offsets.end(), degree.begin());  // degree now holds each row's cursor
  tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
    const DenseChunk& ch = chunks[c];
    for (size_t i = 0; i < ch.source.size(); ++i) {
      NodeId u = ch.source[i], v = ch.target[i];
      if (!keep(u, v)) continue;
      uint64_t at = AtomicAdd<uint64_t>(degree[u], 1);
      cols[at] = v;
      if (weights) wts[at] = ch.weight[i];
      if (both_ways) {
        at = AtomicAdd<uint64_t>(degree[v], 1);
        cols[at] = u;
        if (weights) wts[at] = ch.weight[i];
      }
    }
  });
}

// Sorts every row; with dedupe, removes repeated columns (keeping the largest weight) and compacts the arrays.
void SortRows(std::vector<uint64_t>& offsets, std::vector<NodeId>& cols, std::vector<float>& wts, bool dedupe) {
  const size_t n = offsets.size() - 1;
  const bool weights = !wts.empty();
  std::vector<uint64_t> kept(n + 1, 0);
  tbb::enumerable_thread_specific<std::vector<std::pair<NodeId, float>>> buffers;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1024), [&](const tbb::blocked_range<size_t>& r) {
    auto& buf = buffers.local();
    for (size_t v = r.begin(); v < r.end(); ++v) {
      uint64_t b = offsets[v], e = offsets[v + 1];
      if (e - b < 2) {
        kept[v] = e - b;
        continue;
      }
      if (!weights) {
        std::sort(cols.begin() + static_cast<ptrdiff_t>(b), cols.begin() + static_cast<ptrdiff_t>(e));
        uint64_t w = b;
        for (uint64_t i = b; i < e; ++i) {
          if (!dedupe || i == b || cols[i] != cols[w - 1]) cols[w++] = cols[i];
        }
        kept[v] = w - b;
        continue;
      }
      buf.clear();
      for (uint64_t i = b; i < e; ++i) buf.emplace_back(cols[i], wts[i]);
      // Largest weight first among equal columns, so the kept duplicate is the heaviest.
      std::sort(buf.begin(), buf.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second > y.second;
      });
      uint64_t w = b;
      for (size_t i = 0; i < buf.size(); ++i) {
        if (dedupe && i > 0 && buf[i].first == buf[i - 1].first) continue;
        cols[w] = buf[i].first;
        wts[w] = buf[i].second;
        ++w;
      }
      kept[v] = w - b;
    }
  });
  if (!dedupe) return;
  std::vector<uint64_t> fresh(n + 1, 0);
  for (size_t v = 0; v < n; ++v) fresh[v + 1] = fresh[v] + kept[v];
  if (fresh[n] == offsets[n]) return;  // nothing removed
  std::vector<NodeId> c2(fresh[n]);
  std::vector<float> w2(weights ? fresh[n] : 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 4096), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t v = r.begin(); v < r.end(); ++v) {
      std::copy_n(cols.begin() + static_cast<ptrdiff_t>(offsets[v]), kept[v],
                  c2.begin() + static_cast<ptrdiff_t>(fresh[v]));
      if (weights) {
        std::copy_n(wts.begin() + static_cast<ptrdiff_t>(offsets[v]), kept[v],
                    w2.begin() + static_cast<ptrdiff_t>(fresh[v]));
      }
    }
  });
  offsets = std::move(fresh);
  cols = std::move(c2);
  wts = std::move(w2);
}

}  // namespace

Graph GraphBuilder::TakeGraph() {
  assert(done_ && "GraphBuilder::TakeGraph before run() succeeded");
  return std::move(graph_);
}

Status GraphBuilder::run() {
  auto owned = std::make_shared<OwnedArrays>();
  const bool weights = edges_.has_weights;
  std::vector<DenseChunk> dense(edges_.chunks.size());
  uint64_t n = 0;

  if (edges_.id_kind == ExternalIdKind::kInteger) {
    uint64_t max_id = tbb::parallel_reduce(
        tbb::blocked_range<size_t>(0, edges_.chunks.size()), uint64_t{0},
        [&](const tbb::blocked_range<size_t>& r, uint64_t m) {
          for (size_t c = r.begin(); c < r.end(); ++c) {
            for (uint64_t x : edges_.chunks[c].source) m = std::max(m, x);
            for (uint64_t x : edges_.chunks[c].target) m = std::max(m, x);
          }
          return m;
        },
        [](uint64_t a, uint64_t b) { return std::max(a, b); });
    const uint64_t arcs = edges_.size();
    if (arcs == 0) max_id = 0;
    // Ids dense enough for a direct table (the usual SNAP case) are mapped through one; sparse ids are sorted.
    const bool direct = arcs > 0 && max_id < (uint64_t{1} << 32) && max_id <= 4 * arcs + (1 << 20);
    std::vector<NodeId> table;
    if (direct) {
      table.assign(max_id + 1, 0);
      tbb::parallel_for(size_t{0}, edges_.chunks.size(), [&](size_t c) {
        for (uint64_t x : edges_.chunks[c].source) std::atomic_ref<NodeId>(table[x]).store(1, std::memory_order_relaxed);
        for (uint64_t x : edges_.chunks[c].target) std::atomic_ref<NodeId>(table[x]).store(1, std::memory_order_relaxed);
      });
      for (uint64_t id = 0; id <= max_id; ++id) {
        if (table[id] != 0) {
          table[id] = static_cast<NodeId>(owned->integer_ids.size());
          owned->integer_ids.push_back(id);
        } else {
          table[id] = kNoNode;
        }
      }
    } else {
      std::vector<uint64_t> all;
      all.reserve(2 * arcs);
      for (const auto& c : edges_.chunks) {
        all.insert(all.end(), c.source.begin(), c.source.end());
        all.insert(all.end(), c.target.begin(), c.target.end());
      }
      tbb::parallel_sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      owned->integer_ids = std::move(all);
    }
    n = owned->integer_ids.size();
    if (n >= kNoNode) return Status::InvalidArgument(fmt::format("graph has {} nodes, more than 2^32 - 1", n));
    const auto& ids = owned->integer_ids;
    tbb::parallel_for(size_t{0}, edges_.chunks.size(), [&](size_t c) {
      EdgeChunk& in = edges_.chunks[c];
      DenseChunk& out = dense[c];
      auto map = [&](uint64_t x) {
        return direct ? table[x] : static_cast<NodeId>(std::lower_bound(ids.begin(), ids.end(), x) - ids.begin());
      };
      out.source.resize(in.source.size());
      out.target.resize(in.target.size());
      for (size_t i = 0; i < in.source.size(); ++i) {
        out.source[i] = map(in.source[i]);
        out.target[i] = map(in.target[i]);
      }
      out.weight = std::move(in.weight);
      in = EdgeChunk{};  // free the wide ids as we go
    });
  } else {
    n = edges_.strings.size();
    if (n >= kNoNode) return Status::InvalidArgument(fmt::format("graph has {} nodes, more than 2^32 - 1", n));
    owned->string_offsets.reserve(n + 1);
    owned->string_offsets.push_back(0);
    for (const auto& s : edges_.strings) {
      owned->string_chars.insert(owned->string_chars.end(), s.begin(), s.end());
      owned->string_offsets.push_back(owned->string_chars.size());
    }
    edges_.strings.clear();
    tbb::parallel_for(size_t{0}, edges_.chunks.size(), [&](size_t c) {
      EdgeChunk& in = edges_.chunks[c];
      DenseChunk& out = dense[c];
      out.source.assign(in.source.begin(), in.source.end());
      out.target.assign(in.target.begin(), in.target.end());
      out.weight = std::move(in.weight);
      in = EdgeChunk{};
    });
  }
  edges_.chunks.clear();

  auto no_loop = [](NodeId u, NodeId v) { return u != v; };
  FillRows(n, dense, undirected_, weights, no_loop, owned->out_offsets, owned->out_targets, owned->out_weights);
  dense.clear();
  SortRows(owned->out_offsets, owned->out_targets, owned->out_weights, true);

  if (!undirected_) {
    // The in-adjacency is the transpose of the (deduplicated) out-adjacency.
    // Transposed straight from the CSR, without materialising an arc list.
    const uint64_t m = owned->out_targets.size();
    std::vector<uint64_t> degree(n + 1, 0);
    tbb::parallel_for(tbb::blocked_range<uint64_t>(0, m, 1 << 16), [&](const tbb::blocked_range<uint64_t>& r) {
      for (uint64_t e = r.begin(); e < r.end(); ++e) AtomicAdd<uint64_t>(degree[owned->out_targets[e]], 1);
    });
    owned->in_offsets.assign(n + 1, 0);
    uint64_t sum = 0;
    for (uint64_t v = 0; v < n; ++v) {
      owned->in_offsets[v] = sum;
      sum += degree[v];
    }
    owned->in_offsets[n] = sum;
    std::copy(owned->in_offsets.begin(), owned->in_offsets.end(), degree.begin());
    owned->in_sources.resize(m);
    if (weights) owned->in_weights.resize(m);
    tbb::parallel_for(tbb::blocked_range<uint64_t>(0, n, 2048), [&](const tbb::blocked_range<uint64_t>& r) {
      for (uint64_t u = r.begin(); u < r.end(); ++u) {
        for (uint64_t e = owned->out_offsets[u]; e < owned->out_offsets[u + 1]; ++e) {
          uint64_t at = AtomicAdd<uint64_t>(degree[owned->out_targets[e]], 1);
          owned->in_sources[at] = static_cast<NodeId>(u);
          if (weights) owned->in_weights[at] = owned->out_weights[e];
        }
      }
    });
    SortRows(owned->in_offsets, owned->in_sources, owned->in_weights, false);
  }

  GraphArrays a;
  a.num_nodes = n;
  a.num_edges = owned->out_targets.size();
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
