// RatingGraph: a compact signed, weighted, directed graph of ratings ("u rated v with value w at time t") in
// compressed sparse row form, both directions, with 32-bit person ids.
//
// Input is RatingEdges, four parallel arrays (the "edge arrays": rater, ratee, value, time), which Build()
// consumes column by column so that peak memory stays close to the input's size (see docs/benchmarks.md).
// Values are ratings scaled to [-1, 1] (RatingScale); times are epoch seconds, or absent altogether.
//
// Repeated ratings of the same (rater, ratee) pair are merged into one edge: the mean value and the latest time.
// Self-ratings carry no information about trust between people and are dropped (counted in dropped_self()).
//
// Thread safety: immutable after Build(); any number of threads may read it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::trust {

using NodeId = uint32_t;
using EdgeId = uint64_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// Ratings as parallel arrays. time is either empty (no times) or as long as the others.
struct RatingEdges {
  std::vector<NodeId> rater;
  std::vector<NodeId> ratee;
  std::vector<float> value;   // in [-1, 1]
  std::vector<int64_t> time;  // epoch seconds; empty when the ratings have none

  size_t size() const { return rater.size(); }
  void Add(NodeId from, NodeId to, float v) {
    rater.push_back(from);
    ratee.push_back(to);
    value.push_back(v);
  }
  void Add(NodeId from, NodeId to, float v, int64_t t) {
    Add(from, to, v);
    time.push_back(t);
  }
  // Bytes held by the four arrays (their sizes, not capacities).
  uint64_t Bytes() const;
};

// Maps people's external ids (any string: a person id, a handle) to dense NodeIds in order of first appearance.
class PersonIndex {
 public:
  NodeId Intern(std::string_view name);
  // kNoNode when name was never interned.
  NodeId Find(std::string_view name) const;
  const std::string& Name(NodeId id) const { return names_[id]; }
  NodeId size() const { return static_cast<NodeId>(names_.size()); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, NodeId, Hash, std::equal_to<>> ids_;
};

// A linear map from a rating scale [min, max] onto [-1, 1] and back.
struct RatingScale {
  double min = -1;
  double max = 1;
  double ToUnit(double raw) const { return max == min ? 0.0 : 2.0 * (raw - min) / (max - min) - 1.0; }
  double FromUnit(double unit) const { return min + (unit + 1.0) * 0.5 * (max - min); }
  // "MIN:MAX", e.g. "-10:10" or "1:5"; MIN < MAX.
  static Result<RatingScale> Parse(std::string_view text);
};

class RatingGraph {
 public:
  RatingGraph() = default;
  // Builds the graph over node_count people (every id in edges must be below it), emptying edges as it goes.
  // InvalidArgument when an id is out of range, a value is not a finite number in [-1, 1], time's length
  // differs from the others, or the times span more than 136 years (they are kept as 32-bit offsets).
  static Result<RatingGraph> Build(RatingEdges&& edges, NodeId node_count);

  NodeId node_count() const { return node_count_; }
  EdgeId edge_count() const { return out_ratee_.size(); }
  bool has_time() const { return !out_time_.empty(); }
  uint64_t dropped_self() const { return dropped_self_; }
  uint64_t merged_repeats() const { return merged_repeats_; }

  // Out-edges of u, sorted by ratee; edge ids OutBegin(u) .. OutEnd(u)-1 index the out arrays.
  EdgeId OutBegin(NodeId u) const { return out_offset_[u]; }
  EdgeId OutEnd(NodeId u) const { return out_offset_[u + 1]; }
  uint32_t OutDegree(NodeId u) const { return static_cast<uint32_t>(OutEnd(u) - OutBegin(u)); }
  std::span<const NodeId> OutRatees(NodeId u) const { return {out_ratee_.data() + OutBegin(u), OutDegree(u)}; }
  std::span<const float> OutValues(NodeId u) const { return {out_value_.data() + OutBegin(u), OutDegree(u)}; }
  NodeId Ratee(EdgeId e) const { return out_ratee_[e]; }
  float Value(EdgeId e) const { return out_value_[e]; }
  // Epoch seconds of edge e; 0 when the graph has no times.
  int64_t Time(EdgeId e) const { return out_time_.empty() ? 0 : time_base_ + out_time_[e]; }

  // In-edges of v, sorted by rater.
  uint32_t InDegree(NodeId v) const { return static_cast<uint32_t>(in_offset_[v + 1] - in_offset_[v]); }
  std::span<const NodeId> InRaters(NodeId v) const { return {in_rater_.data() + in_offset_[v], InDegree(v)}; }
  std::span<const float> InValues(NodeId v) const { return {in_value_.data() + in_offset_[v], InDegree(v)}; }

  // The edge u -> v, if any (binary search over u's out-edges).
  std::optional<EdgeId> FindEdge(NodeId u, NodeId v) const;

  // Bytes held by the graph's arrays.
  uint64_t MemoryBytes() const;

 private:
  NodeId node_count_ = 0;
  uint64_t dropped_self_ = 0;
  uint64_t merged_repeats_ = 0;
  std::vector<EdgeId> out_offset_;  // node_count + 1
  std::vector<NodeId> out_ratee_;
  std::vector<float> out_value_;
  int64_t time_base_ = 0;           // the earliest time; times are stored as 32-bit offsets from it
  std::vector<uint32_t> out_time_;  // empty when no times
  std::vector<EdgeId> in_offset_;
  std::vector<NodeId> in_rater_;
  std::vector<float> in_value_;
};

}  // namespace vouch::trust
