#include "vouch/trust/rating_graph.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
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

// Moves column[i] to out[position of edge i] for every kept edge, then frees column: one column at a time, so
// that at most one output column exists beside the input (bounded peak memory).
template <typename T>
void Scatter(std::vector<T>& column, const std::vector<NodeId>& rater, const std::vector<NodeId>& ratee,
             const std::vector<EdgeId>& offset, std::vector<EdgeId>& cursor, std::vector<T>& out) {
  out.resize(offset.back());
  std::copy(offset.begin(), offset.end() - 1, cursor.begin());
  for (size_t i = 0; i < column.size(); ++i) {
    if (rater[i] == ratee[i]) continue;
    out[cursor[rater[i]]++] = column[i];
  }
  std::vector<T>().swap(column);
}

}  // namespace

Result<RatingGraph> RatingGraph::Build(RatingEdges&& edges, NodeId node_count) {
  const size_t m = edges.size();
  if (edges.ratee.size() != m || edges.value.size() != m || (!edges.time.empty() && edges.time.size() != m)) {
    return Status::InvalidArgument("rating edges: the rater, ratee, value and time arrays differ in length");
  }
  RatingGraph g;
  g.node_count_ = node_count;
  g.out_offset_.assign(static_cast<size_t>(node_count) + 1, 0);
  for (size_t i = 0; i < m; ++i) {
    const NodeId u = edges.rater[i], v = edges.ratee[i];
    if (u >= node_count || v >= node_count) {
      return Status::InvalidArgument(fmt::format("rating {}: person id {} is out of range (node count {})", i,
                                                 std::max(u, v), node_count));
    }
    const float w = edges.value[i];
    if (!std::isfinite(w) || w < -1.0f - 1e-5f || w > 1.0f + 1e-5f) {
      return Status::InvalidArgument(fmt::format("rating {}: value {} is outside [-1, 1]", i, w));
    }
    edges.value[i] = std::clamp(w, -1.0f, 1.0f);
    if (u == v) {
      ++g.dropped_self_;
      continue;
    }
    ++g.out_offset_[u + 1];
  }
  std::partial_sum(g.out_offset_.begin(), g.out_offset_.end(), g.out_offset_.begin());

  // Counting sort by rater, one column at a time; rater goes last since every scatter reads it.
  std::vector<EdgeId> cursor(node_count);
  const bool timed = !edges.time.empty();
  {
    Scatter(edges.value, edges.rater, edges.ratee, g.out_offset_, cursor, g.out_value_);
    if (timed) {
      // Times as 32-bit offsets from the earliest: half the memory of epoch seconds.
      const auto [lo, hi] = std::minmax_element(edges.time.begin(), edges.time.end());
      if (static_cast<uint64_t>(*hi - *lo) > UINT32_MAX) {
        return Status::InvalidArgument(fmt::format("rating times span {} .. {}: more than 136 years", *lo, *hi));
      }
      g.time_base_ = *lo;
      g.out_time_.resize(g.out_offset_.back());
      std::copy(g.out_offset_.begin(), g.out_offset_.end() - 1, cursor.begin());
      for (size_t i = 0; i < m; ++i) {
        if (edges.rater[i] == edges.ratee[i]) continue;
        g.out_time_[cursor[edges.rater[i]]++] = static_cast<uint32_t>(edges.time[i] - g.time_base_);
      }
      std::vector<int64_t>().swap(edges.time);
    }
    g.out_ratee_.resize(g.out_offset_.back());
    std::copy(g.out_offset_.begin(), g.out_offset_.end() - 1, cursor.begin());
    for (size_t i = 0; i < m; ++i) {
      if (edges.rater[i] == edges.ratee[i]) continue;
      g.out_ratee_[cursor[edges.rater[i]]++] = edges.ratee[i];
    }
    std::vector<NodeId>().swap(edges.ratee);
    std::vector<NodeId>().swap(edges.rater);
  }
  std::vector<EdgeId>().swap(cursor);

  // Sort each row by ratee and merge repeated pairs (mean value, latest time). Rows are independent.
  std::vector<uint32_t> kept(node_count);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, node_count, 1024), [&](const tbb::blocked_range<NodeId>& r) {
    std::vector<uint32_t> order;
    std::vector<NodeId> ratee;
    std::vector<float> value;
    std::vector<uint32_t> time;
    for (NodeId u = r.begin(); u != r.end(); ++u) {
      const EdgeId b = g.out_offset_[u], e = g.out_offset_[u + 1];
      const uint32_t n = static_cast<uint32_t>(e - b);
      NodeId* rt = g.out_ratee_.data() + b;
      if (std::is_sorted(rt, rt + n, std::less_equal<>())) {  // strictly increasing: nothing to do
        kept[u] = n;
        continue;
      }
      order.resize(n);
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t c) { return rt[a] < rt[c]; });
      ratee.clear();
      value.clear();
      time.clear();
      uint32_t run = 0;  // ratings merged into the current output edge
      for (uint32_t k = 0; k < n; ++k) {
        const uint32_t i = order[k];
        const float w = g.out_value_[b + i];
        const uint32_t t = timed ? g.out_time_[b + i] : 0;
        if (!ratee.empty() && ratee.back() == rt[i]) {
          ++run;
          value.back() += (w - value.back()) / static_cast<float>(run);  // running mean
          if (timed) time.back() = std::max(time.back(), t);
          continue;
        }
        run = 1;
        ratee.push_back(rt[i]);
        value.push_back(w);
        if (timed) time.push_back(t);
      }
      std::copy(ratee.begin(), ratee.end(), rt);
      std::copy(value.begin(), value.end(), g.out_value_.begin() + static_cast<std::ptrdiff_t>(b));
      if (timed) std::copy(time.begin(), time.end(), g.out_time_.begin() + static_cast<std::ptrdiff_t>(b));
      kept[u] = static_cast<uint32_t>(ratee.size());
    }
  });
  // Close the gaps left by merged repeats (rare: only when some pair was rated more than once).
  EdgeId write = 0;
  for (NodeId u = 0; u < node_count; ++u) {
    const EdgeId b = g.out_offset_[u];
    if (write != b) {
      for (uint32_t k = 0; k < kept[u]; ++k) {
        g.out_ratee_[write + k] = g.out_ratee_[b + k];
        g.out_value_[write + k] = g.out_value_[b + k];
        if (timed) g.out_time_[write + k] = g.out_time_[b + k];
      }
    }
    g.out_offset_[u] = write;
    write += kept[u];
  }
  g.merged_repeats_ = g.out_offset_[node_count] - write;
  g.out_offset_[node_count] = write;
  if (g.merged_repeats_ > 0) {
    g.out_ratee_.resize(write);
    g.out_ratee_.shrink_to_fit();
    g.out_value_.resize(write);
    g.out_value_.shrink_to_fit();
    if (timed) {
      g.out_time_.resize(write);
      g.out_time_.shrink_to_fit();
    }
  }

  // The in-direction: a counting sort of the out-edges by ratee; raters arrive in increasing order, so each
  // in-row is sorted by rater without further work.
  g.in_offset_.assign(static_cast<size_t>(node_count) + 1, 0);
  for (NodeId v : g.out_ratee_) ++g.in_offset_[v + 1];
  std::partial_sum(g.in_offset_.begin(), g.in_offset_.end(), g.in_offset_.begin());
  g.in_rater_.resize(write);
  g.in_value_.resize(write);
  std::vector<EdgeId> in_cursor(g.in_offset_.begin(), g.in_offset_.end() - 1);
  for (NodeId u = 0; u < node_count; ++u) {
    for (EdgeId e = g.out_offset_[u]; e < g.out_offset_[u + 1]; ++e) {
      const EdgeId p = in_cursor[g.out_ratee_[e]]++;
      g.in_rater_[p] = u;
      g.in_value_[p] = g.out_value_[e];
    }
  }
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
