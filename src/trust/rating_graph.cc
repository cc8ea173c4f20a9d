#include "vouch/trust/rating_graph.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <numeric>

namespace vouch::trust {

uint64_t RatingEdges::Bytes() const {
  return rater.size() * sizeof(NodeId) + ratee.size() * sizeof(NodeId) + value.size() * sizeof(float) +
         time.size() * sizeof(int64_t);
}

NodeId PersonIndex::Intern(std::string_view name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  const NodeId id = static_cast<NodeId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(names_.back(), id);
  return id;
}

NodeId PersonIndex::Find(std::string_view name) const {
  auto it = ids_.find(name);
  return it == ids_.end() ? kNoNode : it->second;
}

Result<RatingScale> RatingScale::Parse(std::string_view text) {
  const size_t colon = text.find(':', 1);  // from 1: MIN may start with '-'
  auto bad = [&] {
    return Status::InvalidArgument(fmt::format("scale '{}': expected MIN:MAX with MIN < MAX, e.g. -10:10", text));
  };
  if (colon == std::string_view::npos) return bad();
  RatingScale scale;
  auto parse = [](std::string_view s, double& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
  };
  if (!parse(text.substr(0, colon), scale.min) || !parse(text.substr(colon + 1), scale.max)) return bad();
  if (!(scale.min < scale.max)) return bad();
  return scale;
}

namespace {

constexpr size_t kGrain = 1 << 16;  // edges per parallel task

// Reserves the next slot of row r: rows fill in parallel, so the order inside a row is arbitrary until sorted.
inline EdgeId Claim(std::vector<EdgeId>& cursor, NodeId r) {
  return std::atomic_ref<EdgeId>(cursor[r]).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

Result<RatingGraph> RatingGraph::Build(RatingEdges&& edges, NodeId node_count) {
  const size_t m = edges.size();
  if (edges.ratee.size() != m || edges.value.size() != m || (!edges.time.empty() && edges.time.size() != m)) {
    return Status::InvalidArgument("rating edges: the rater, ratee, value and time arrays differ in length");
  }
  for (size_t i = 0; i < m; ++i) {
    const NodeId u = edges.rater[i], v = edges.ratee[i];
    if (u >= node_count || v >= node_count) {
      return Status::InvalidArgument(
          fmt::format("rating {}: person id {} is out of range (node count {})", i, std::max(u, v), node_count));
    }
    const float w = edges.value[i];
    if (!std::isfinite(w) || w < -1.0f - 1e-5f || w > 1.0f + 1e-5f) {
      return Status::InvalidArgument(fmt::format("rating {}: value {} is outside [-1, 1]", i, w));
    }
  }
  const bool timed = !edges.time.empty();
  RatingGraph g;
  g.node_count_ = node_count;
  if (timed) {
    const auto [lo, hi] = std::minmax_element(edges.time.begin(), edges.time.end());
    if (static_cast<uint64_t>(*hi - *lo) > UINT32_MAX) {
      return Status::InvalidArgument(fmt::format("rating times span {} .. {}: more than 136 years", *lo, *hi));
    }
    g.time_base_ = *lo;  // times are kept as 32-bit offsets from the earliest: half the memory of epoch seconds
  }
  const tbb::blocked_range<size_t> all_edges(0, m, kGrain);

  // Counting sort by rater, in parallel: count, prefix sums, scatter through atomic cursors. The input arrays are
  // freed as soon as they are copied, so peak memory is the input plus the out-rows.
  std::vector<EdgeId> count(static_cast<size_t>(node_count) + 1, 0);
  std::atomic<uint64_t> self{0};
  tbb::parallel_for(all_edges, [&](const tbb::blocked_range<size_t>& r) {
    uint64_t own = 0;
    for (size_t i = r.begin(); i != r.end(); ++i) {
      if (edges.rater[i] == edges.ratee[i]) {
        ++own;
        continue;
      }
      std::atomic_ref<EdgeId>(count[edges.rater[i] + 1]).fetch_add(1, std::memory_order_relaxed);
    }
    self += own;
  });
  g.dropped_self_ = self;
  std::partial_sum(count.begin(), count.end(), count.begin());
  const EdgeId kept_edges = count.back();
  g.out_ratee_.resize(kept_edges);
  g.out_value_.resize(kept_edges);
  if (timed) g.out_time_.resize(kept_edges);
  std::vector<EdgeId> cursor(count.begin(), count.end() - 1);
  tbb::parallel_for(all_edges, [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      const NodeId u = edges.rater[i];
      if (u == edges.ratee[i]) continue;
      const EdgeId p = Claim(cursor, u);
      g.out_ratee_[p] = edges.ratee[i];
      g.out_value_[p] = std::clamp(edges.value[i], -1.0f, 1.0f);
      if (timed) g.out_time_[p] = static_cast<uint32_t>(edges.time[i] - g.time_base_);
    }
  });
  edges = RatingEdges();
  std::vector<EdgeId>().swap(cursor);

  // Sort each row by (ratee, value, time), which makes the result independent of the scatter's order, and merge
  // repeated pairs (mean value, latest time). Rows are independent.
  std::vector<uint32_t> kept(node_count);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, node_count, 1024), [&](const tbb::blocked_range<NodeId>& r) {
    struct Rated {
      NodeId ratee;
      float value;
      uint32_t time;
      bool operator<(const Rated& o) const {
        if (ratee != o.ratee) return ratee < o.ratee;
        if (value != o.value) return value < o.value;
        return time < o.time;
      }
    };
    std::vector<Rated> row;
    for (NodeId u = r.begin(); u != r.end(); ++u) {
      const EdgeId b = count[u];
      const uint32_t n = static_cast<uint32_t>(count[u + 1] - b);
      NodeId* rt = g.out_ratee_.data() + b;
      float* vl = g.out_value_.data() + b;
      uint32_t* tm = timed ? g.out_time_.data() + b : nullptr;
      if (std::is_sorted(rt, rt + n, std::less_equal<>())) {  // strictly increasing: no repeats, nothing to do
        kept[u] = n;
        continue;
      }
      row.resize(n);
      for (uint32_t k = 0; k < n; ++k) row[k] = {rt[k], vl[k], timed ? tm[k] : 0u};
      std::sort(row.begin(), row.end());
      uint32_t out = 0, run = 0;  // run: ratings merged into the current output edge
      for (uint32_t k = 0; k < n; ++k) {
        if (out > 0 && rt[out - 1] == row[k].ratee) {
          ++run;
          vl[out - 1] += (row[k].value - vl[out - 1]) / static_cast<float>(run);  // running mean
          if (timed) tm[out - 1] = std::max(tm[out - 1], row[k].time);
          continue;
        }
        run = 1;
        rt[out] = row[k].ratee;
        vl[out] = row[k].value;
        if (timed) tm[out] = row[k].time;
        ++out;
      }
      kept[u] = out;
    }
  });
  // Offsets of the merged rows; close the gaps left by merged repeats (only when some pair was rated twice).
  g.out_offset_.assign(static_cast<size_t>(node_count) + 1, 0);
  for (NodeId u = 0; u < node_count; ++u) g.out_offset_[u + 1] = g.out_offset_[u] + kept[u];
  const EdgeId total = g.out_offset_[node_count];
  g.merged_repeats_ = kept_edges - total;
  if (g.merged_repeats_ > 0) {
    for (NodeId u = 0; u < node_count; ++u) {
      const EdgeId from = count[u], to = g.out_offset_[u];
      if (from == to) continue;
      for (uint32_t k = 0; k < kept[u]; ++k) {
        g.out_ratee_[to + k] = g.out_ratee_[from + k];
        g.out_value_[to + k] = g.out_value_[from + k];
        if (timed) g.out_time_[to + k] = g.out_time_[from + k];
      }
    }
    g.out_ratee_.resize(total);
    g.out_ratee_.shrink_to_fit();
    g.out_value_.resize(total);
    g.out_value_.shrink_to_fit();
    if (timed) {
      g.out_time_.resize(total);
      g.out_time_.shrink_to_fit();
    }
  }
  std::vector<EdgeId>().swap(count);
  std::vector<uint32_t>().swap(kept);

  // The in-direction: each in-row gathers its raters from the out-rows, in parallel over ratees... which needs
  // the in-offsets first (a parallel count), then a parallel scatter, then a sort of each in-row by rater.
  g.in_offset_.assign(static_cast<size_t>(node_count) + 1, 0);
  const tbb::blocked_range<NodeId> all_people(0, node_count, 1024);
  tbb::parallel_for(all_people, [&](const tbb::blocked_range<NodeId>& r) {
    for (EdgeId e = g.out_offset_[r.begin()]; e < g.out_offset_[r.end()]; ++e) {
      std::atomic_ref<EdgeId>(g.in_offset_[g.out_ratee_[e] + 1]).fetch_add(1, std::memory_order_relaxed);
    }
  });
  std::partial_sum(g.in_offset_.begin(), g.in_offset_.end(), g.in_offset_.begin());
  g.in_rater_.resize(total);
  g.in_value_.resize(total);
  std::vector<EdgeId> in_cursor(g.in_offset_.begin(), g.in_offset_.end() - 1);
  tbb::parallel_for(all_people, [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId u = r.begin(); u != r.end(); ++u) {
      for (EdgeId e = g.out_offset_[u]; e < g.out_offset_[u + 1]; ++e) {
        const EdgeId p = Claim(in_cursor, g.out_ratee_[e]);
        g.in_rater_[p] = u;
        g.in_value_[p] = g.out_value_[e];
      }
    }
  });
  std::vector<EdgeId>().swap(in_cursor);
  tbb::parallel_for(all_people, [&](const tbb::blocked_range<NodeId>& r) {
    std::vector<std::pair<NodeId, float>> row;
    for (NodeId v = r.begin(); v != r.end(); ++v) {
      const EdgeId b = g.in_offset_[v], e = g.in_offset_[v + 1];
      NodeId* rr = g.in_rater_.data() + b;
      float* rv = g.in_value_.data() + b;
      const auto n = static_cast<size_t>(e - b);
      if (std::is_sorted(rr, rr + n)) continue;
      row.resize(n);
      for (size_t k = 0; k < n; ++k) row[k] = {rr[k], rv[k]};
      std::sort(row.begin(), row.end(), [](const auto& a, const auto& c) { return a.first < c.first; });
      for (size_t k = 0; k < n; ++k) {
        rr[k] = row[k].first;
        rv[k] = row[k].second;
      }
    }
  });
  return g;
}

std::optional<EdgeId> RatingGraph::FindEdge(NodeId u, NodeId v) const {
  if (u >= node_count_) return std::nullopt;
  auto row = OutRatees(u);
  auto it = std::lower_bound(row.begin(), row.end(), v);
  if (it == row.end() || *it != v) return std::nullopt;
  return OutBegin(u) + static_cast<EdgeId>(it - row.begin());
}

uint64_t RatingGraph::MemoryBytes() const {
  return (out_offset_.size() + in_offset_.size()) * sizeof(EdgeId) +
         (out_ratee_.size() + in_rater_.size()) * sizeof(NodeId) +
         (out_value_.size() + in_value_.size()) * sizeof(float) + out_time_.size() * sizeof(uint32_t);
}

}  // namespace vouch::trust
