// The diffusion kernels, written once with the model as a template tag (diffusion_model.h): one forward
// simulation (Monte Carlo) and one reverse-reachable (RR) set sampler. Internal to vouch/influence.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <memory_resource>
#include <span>
#include <vector>

#include "influence/node_bits.h"
#include "influence/prefault.h"
#include "influence/skip_table.h"
#include "vouch/influence/diffusion_model.h"
#include "vouch/influence/random.h"

namespace vouch::influence::detail {

// Per-thread scratch, sized for the graph once. Forward simulation marks nodes with stamps, which avoid clearing
// arrays between runs: a node is "marked in this run" when its stamp equals the run's epoch. RR sampling marks
// them in a bitmap instead (in_set), cleared along each set when it is done: one bit a node rather than a 32-bit
// stamp keeps the marks in the first-level cache on small graphs and in far fewer cache lines on large ones, and
// an RR set is short, so clearing its own bits costs less than the misses the larger array took.
struct Scratch {
  // forward: the arrays of Simulate; otherwise only the RR samplers' bitmap. memory: where every array is
  // allocated (a selection run's RunMemory, run_memory.h; the ordinary heap by default); it must outlive the
  // object. The arrays' pages are populated in one call each (prefault.h) rather than faulted in one by one.
  explicit Scratch(NodeId n, bool forward, std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : picked(memory),
        lane_mark(memory),
        lane_path(kLtLanes, memory),
        in_set(memory),
        active(memory),
        aware(memory),
        lt_stamp(memory),
        lt_weight(memory),
        lt_threshold(memory),
        queue(memory),
        share_queue(memory) {
    if (!forward) AssignPrefaulted(in_set, (uint64_t{n} + 63) / 64, uint64_t{0});
    if (forward) {
      AssignPrefaulted(active, n, 0);
      AssignPrefaulted(aware, n, 0);
      AssignPrefaulted(lt_stamp, n, 0);
      AssignPrefaulted(lt_weight, n, 0.0f);
      AssignPrefaulted(lt_threshold, n, 0.0f);
    }
  }
  uint32_t NextEpoch() {
    if (++epoch == 0) {  // wrapped: start clean
      std::fill(active.begin(), active.end(), 0);
      std::fill(aware.begin(), aware.end(), 0);
      std::fill(lt_stamp.begin(), lt_stamp.end(), 0);
      epoch = 1;
    }
    return epoch;
  }
  // The Skips of the rows of a model's probabilities (skip_table.h): the run's shared table when the sampler set
  // one (skips), else one of the scratch's own, made on first use for those probabilities (a test's scratch; a
  // scratch serves the RR walks of one model's probabilities at a time: it only tells others by their address).
  const SkipTable& SkipsFor(const graph::EdgeProbabilities& p) {
    if (skips != nullptr) return *skips;
    if (own_skips == nullptr || !own_skips->For(p)) own_skips = std::make_unique<SkipTable>(p);
    return *own_skips;
  }
  const SkipTable* skips = nullptr;
  Skip spare_skip;  // a Skip of a degree beyond the table (SkipTable::At)
  std::pmr::vector<uint32_t> picked;  // by count: the row positions kept so far, when more than fit on the stack

  // Linear Threshold walks in flight (SampleLtRrSets): bit j of lane_mark[v] says walk j has visited v.
  // Allocated on first use; all zero between calls.
  static constexpr int kLtLanes = 8;
  std::pmr::vector<uint8_t> lane_mark;
  std::pmr::vector<std::pmr::vector<NodeId>> lane_path;  // each walk's set so far (kLtLanes of them)

  std::pmr::vector<uint64_t> in_set;  // RR sampling: bit v of the set being sampled; all zero between sets
  uint32_t epoch = 0;
  std::unique_ptr<SkipTable> own_skips;
  std::pmr::vector<uint32_t> active, aware, lt_stamp;
  std::pmr::vector<float> lt_weight, lt_threshold;
  std::pmr::vector<NodeId> queue, share_queue;
};

struct Outcome {
  uint32_t adopters = 0;  // activated (IC, LT) or adopted (WOM)
  uint32_t aware = 0;     // WOM: heard of it at all; other models: same as adopters
};

// One forward cascade from seeds. Seeds out of range are a programmer error (callers validate).
template <typename Tag>
Outcome Simulate(const DiffusionModel& model, std::span<const NodeId> seeds, Rng& rng, Scratch& s) {
  const graph::GraphArrays& a = model.graph().arrays();
  const graph::EdgeProbabilities& p = model.influence();
  const uint32_t ep = s.NextEpoch();
  s.queue.clear();
  for (NodeId seed : seeds) {
    if (s.active[seed] == ep) continue;
    s.active[seed] = ep;
    s.aware[seed] = ep;
    s.queue.push_back(seed);
  }
  Outcome out;
  for (size_t head = 0; head < s.queue.size(); ++head) {
    const NodeId u = s.queue[head];
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      const NodeId v = a.out_targets[e];
      if (s.active[v] == ep) continue;
      bool activate = false;
      if constexpr (std::is_same_v<Tag, LtTag>) {
        if (s.lt_stamp[v] != ep) {
          s.lt_stamp[v] = ep;
          s.lt_weight[v] = 0;
          s.lt_threshold[v] = static_cast<float>(rng.UniformOpen());
        }
        s.lt_weight[v] += p.Out(e);
        activate = s.lt_weight[v] >= s.lt_threshold[v];
      } else if constexpr (std::is_same_v<Tag, WomTag>) {
        // One draw decides both: below q the listener adopts (and so heard), below p it only heard.
        const double x = rng.Uniform();
        activate = x < p.Out(e);
        if (!activate && x < model.hearing().Out(e) && s.aware[v] != ep) {
          s.aware[v] = ep;
          s.share_queue.push_back(v);
        }
      } else {
        activate = rng.Uniform() < p.Out(e);
      }
      if (activate) {
        s.active[v] = ep;
        s.aware[v] = ep;
        s.queue.push_back(v);
      }
    }
  }
  out.adopters = static_cast<uint32_t>(s.queue.size());
  out.aware = out.adopters;
  if constexpr (std::is_same_v<Tag, WomTag>) {
    // Shares: people who heard but did not adopt pass the news on; it makes listeners aware, never adopters.
    const double share = model.word_of_mouth().share_probability;
    const graph::EdgeProbabilities& hear = model.hearing();
    std::pmr::vector<NodeId>& q = s.share_queue;
    for (size_t head = 0; head < q.size(); ++head) {
      const NodeId u = q[head];
      if (s.active[u] == ep) continue;  // adopted later through another endorsement: counted as an adopter
      ++out.aware;
      if (rng.Uniform() >= share) continue;
      for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
        const NodeId v = a.out_targets[e];
        if (s.aware[v] == ep) continue;
        if (rng.Uniform() < hear.Out(e)) {
          s.aware[v] = ep;
          q.push_back(v);
        }
      }
    }
    q.clear();
  }
  return out;
}

// Appends one random RR set rooted at root to out: the nodes that would have activated root in a random
// live-edge world (Borgs et al. 2014). IC and WOM walk the reversed graph breadth first, keeping each in-arc with
// its probability; where all of a listener's in-arcs share one probability (wc, uniform) the kept arcs of a row
// are drawn by their count or by geometric skipping, whichever suits the row's degree (skip_table.h).
// LT walks back along at most one in-arc per node, chosen with its weight.
inline constexpr uint64_t kPickedOnStack = 32;

// Nodes: a vector of NodeId (any allocator).
// stops (null: none): a bitmap of n bits, the seeds fixed ahead of a growth of R1 (opim_c.h, the fixed prefix).
// The walk ends as soon as it reaches one of them, root included, and appends nothing: such a set is covered by
// the fixed seeds whatever else it holds. Returns false then, true when the set was appended.
template <typename Tag, typename Nodes>
bool SampleRrSet(const DiffusionModel& model, NodeId root, Rng& rng, Scratch& s, Nodes& out,
                 const uint64_t* stops = nullptr) {
  const graph::GraphArrays& a = model.graph().arrays();
  const graph::EdgeProbabilities& p = model.influence();
  const size_t start = out.size();
  uint64_t* const in_set = s.in_set.data();
  auto marked = [in_set](NodeId u) { return HasNode(in_set, u); };
  auto mark = [in_set](NodeId u) { AddNode(in_set, u); };
  mark(root);
  if constexpr (std::is_same_v<Tag, LtTag>) {
    out.push_back(root);
    NodeId v = root;
    bool stopped = stops != nullptr && HasNode(stops, root);
    while (!stopped) {
      const graph::EdgeIndex b = a.in_offsets[v], e_end = a.in_offsets[v + 1];
      const uint32_t d = static_cast<uint32_t>(e_end - b);
      if (d == 0) break;
      NodeId u;
      if (p.per_target()) {
        // Every in-arc weighs w = TargetProbability(v); index floor(x / w) picks one, or none past the end.
        const double w = p.TargetProbability(v);
        const double idx = rng.Uniform() / w;
        if (idx >= d) break;
        u = a.in_sources[b + static_cast<graph::EdgeIndex>(idx)];
      } else {
        double x = rng.Uniform();
        graph::EdgeIndex e = b;
        for (; e < e_end; ++e) {
          x -= p.In(v, e);
          if (x < 0) break;
        }
        if (e == e_end) break;
        u = a.in_sources[e];
      }
      if (marked(u)) break;
      mark(u);
      out.push_back(u);
      if (stops != nullptr && HasNode(stops, u)) stopped = true;
      v = u;
    }
    if (stopped) {  // covered by the fixed seeds: nothing is appended (the marks are cleared first)
      for (size_t i = start; i < out.size(); ++i) in_set[out[i] >> 6] = 0;
      out.resize(start);
      return false;
    }
  } else {
    // The set is built in the scratch queue, a plain array with room checked once per row, and appended to out
    // at the end: push_back's check per entry and its reloads of out's ends were a good part of the cost. The
    // stream is copied into a local for the walk (and written back) so that its state stays in registers.
    Rng r = rng;
    const graph::EdgeIndex* const offsets = a.in_offsets.data();
    const NodeId* const sources = a.in_sources.data();
    std::pmr::vector<NodeId>& queue = s.queue;
    if (queue.size() < 64) queue.resize(64);
    NodeId* q = queue.data();
    size_t room = queue.size();
    // Read once: the stores into the set and the marks cannot change them, but the compiler cannot tell.
    const bool per_target = p.per_target();
    const bool wc = p.uniform_over_in_arcs();
    const SkipTable& skips = s.SkipsFor(p);
    size_t len = 0;
    q[len++] = root;
    bool stopped = stops != nullptr && HasNode(stops, root);
    auto visit = [&](NodeId u) __attribute__((always_inline)) {
      if (!marked(u)) {
        mark(u);
        q[len++] = u;
        // u's row is read when the queue reaches it: start the (likely) cache miss now.
        __builtin_prefetch(offsets + u);
        if (stops != nullptr && HasNode(stops, u)) stopped = true;
      }
    };
    // The walk, compiled apart for wc (kWc: every row's Skip found by in-degree, no other scheme's code in the
    // loop), so that the loop carries no test of the scheme per row and fewer live values.
    auto walk = [&]<bool kWc>() __attribute__((always_inline)) {
      for (size_t head = 0; head < len && !stopped; ++head) {
        const NodeId v = q[head];
        const graph::EdgeIndex b = offsets[v], e_end = offsets[v + 1];
        if (b == e_end) continue;
        if (len + (e_end - b) > room) {  // room for the whole row
          queue.resize(std::max<size_t>(2 * room, len + (e_end - b)));
          q = queue.data();
          room = queue.size();
        }
        if (kWc || per_target) {
          const uint64_t d = e_end - b;
          const NodeId* row = sources + b;
          const Skip* skip;
          if constexpr (kWc) {
            if (d == 1) {  // probability 1
              visit(row[0]);
              continue;
            }
            skip = &skips.At(d, s.spare_skip);
          } else {
            const float prob = p.TargetProbability(v);
            if (prob >= 1.0) {
              for (uint64_t i = 0; i < d; ++i) visit(row[i]);
              continue;
            }
            if (prob <= 0.0) continue;
            skip = &skips.At(d, s.spare_skip);
          }
          const Skip& sk = *skip;
          if (sk.by_count) {
            const double u = r.Uniform();
            if (u < sk.none) continue;  // no arc kept: the common case with small p
            // K = the least k with P(Binomial(d, p) <= k) > u, from the recurrence P(k) = P(k - 1) (d - k + 1) / k
            // p / (1 - p); at most d (rounding in the sum cannot carry it past the row). Its first two steps are
            // the Skip's.
            double pmf = sk.pmf1, cdf = sk.cdf1;
            uint64_t kept = 1;
            if (u >= cdf && kept < d) {
              kept = 2;
              pmf = sk.pmf2;
              cdf = sk.cdf2;
            }
            if (kept == 1) {  // Floyd's one step below, with nothing taken before it
              visit(row[r.BelowExact(static_cast<uint32_t>(d))]);
              continue;
            }
            while (u >= cdf && kept < d) {
              ++kept;
              pmf *= sk.odds * static_cast<double>(d - kept + 1) / static_cast<double>(kept);
              cdf += pmf;
            }
            // Floyd: for j = d - K .. d - 1 take a uniform position t <= j, or j itself if t is taken already.
            // (The positions taken so far are few: on the stack, or in scratch for the rare long list.)
            uint32_t on_stack[kPickedOnStack];
            if (kept > kPickedOnStack && s.picked.size() < kept) s.picked.resize(kept);
            uint32_t* const picked = kept > kPickedOnStack ? s.picked.data() : on_stack;
            uint32_t n_picked = 0;
            for (uint64_t j = d - kept; j < d; ++j) {
              uint32_t t = r.BelowExact(static_cast<uint32_t>(j + 1));
              if (std::find(picked, picked + n_picked, t) != picked + n_picked) t = static_cast<uint32_t>(j);
              picked[n_picked++] = t;
              visit(row[t]);
            }
            continue;
          }
          const double x = r.UniformOpen();
          if (x <= sk.none) continue;
          const double per_log = sk.per_log;
          // gap >= 0 (ln x <= 0, per_log < 0); while it is below the integer d - i, truncation is its floor.
          double gap = std::log(x) * per_log;
          uint64_t i = 0;
          while (gap < static_cast<double>(d - i)) {
            i += static_cast<uint64_t>(gap);
            visit(row[i]);
            if (++i >= d) break;
            gap = std::log(r.UniformOpen()) * per_log;
          }
        } else {
          for (graph::EdgeIndex e = b; e < e_end; ++e) {
            const NodeId u = sources[e];
            if (marked(u)) continue;
            if (r.Uniform() < p.In(v, e)) visit(u);
          }
        }
      }
    };
    if (wc) {
      walk.template operator()<true>();
    } else {
      walk.template operator()<false>();
    }
    rng = r;
    if (stopped) {  // covered by a fixed seed: nothing appended, the marks cleared along the walk's queue
      for (size_t i = 0; i < len; ++i) in_set[q[i] >> 6] = 0;
      return false;
    }
    if (len == 1) {
      // A singleton (its root alone: most sets when probabilities are small): vector::insert's general path cost
      // about 60 instructions a call, a sixth of such a set's whole sampling (Enron IC uniform 0.01).
      out.push_back(root);
    } else {
      out.insert(out.end(), q, q + len);
    }
  }
  // The set's own nodes are exactly the marked ones: unmark them, leaving the bitmap all zero.
  for (size_t i = start; i < out.size(); ++i) in_set[out[i] >> 6] = 0;
  return true;
}

// SampleLtRrSets with the in-arc pick fixed at compile time (kUniformPick: the wc case, one draw below d), and
// whether walks may stop at fixed seeds (kStops: stops is not null), so that a run without stops tests nothing.
template <bool kUniformPick, bool kStops, typename Nodes, typename Sizes>
void SampleLtRrSetsPicking(const DiffusionModel& model, std::span<const NodeId> roots, Rng& rng, Scratch& s,
                           Nodes& nodes, Sizes& sizes, Nodes* singles, const uint64_t* stops) {
  const graph::GraphArrays& a = model.graph().arrays();
  const graph::EdgeProbabilities& p = model.influence();
  const graph::EdgeIndex* const offsets = a.in_offsets.data();
  const NodeId* const sources = a.in_sources.data();
  constexpr int kLanes = Scratch::kLtLanes;
  if (s.lane_mark.size() != a.num_nodes) AssignPrefaulted(s.lane_mark, a.num_nodes, 0);
  uint8_t* const mark = s.lane_mark.data();
  // The walk's set so far is path[0, len), in its lane's buffer (room for cap nodes, grown by doubling): a store
  // and an increment a step where push_back also reloaded and compared the vector's ends.
  struct Walk {
    NodeId at;                      // the walk's last node
    uint8_t bit;                    // the walk's bit in mark
    uint32_t len;                   // nodes in the walk's set so far
    NodeId* path;                   // its lane's buffer's nodes
    size_t cap;                     // its lane's buffer's size
    std::pmr::vector<NodeId>* own;  // its lane's buffer
  };
  Walk walk[kLanes];
  size_t next_root = 0;
  int live = 0;
  // Starts the next root's walk in w; false when none is left. A root that is a fixed seed ends its walk at once:
  // an empty set.
  auto begin = [&](Walk& w) {
    NodeId root;
    do {
      if (next_root == roots.size()) return false;
      root = roots[next_root++];
      if (!kStops || !HasNode(stops, root)) break;
      sizes.push_back(0);
    } while (true);
    w.at = root;
    w.path[0] = root;
    w.len = 1;
    mark[root] |= w.bit;
    __builtin_prefetch(offsets + root);
    return true;
  };
  for (int j = 0; j < kLanes; ++j) {
    walk[j].bit = static_cast<uint8_t>(1u << j);
    walk[j].own = &s.lane_path[static_cast<size_t>(j)];
    if (walk[j].own->size() < 64) walk[j].own->resize(64);
    walk[j].path = walk[j].own->data();
    walk[j].cap = walk[j].own->size();
    if (begin(walk[j])) ++live;
  }
  // The stream in a local for the walks (written back below), so that its state stays in registers.
  Rng r = rng;
  while (live > 0) {
    for (int j = 0; j < live; ++j) {
      Walk& w = walk[j];
      const graph::EdgeIndex b = offsets[w.at];
      const auto d = static_cast<uint32_t>(offsets[w.at + 1] - b);
      bool ends = d == 0, stopped = false;
      NodeId u = 0;
      if (!ends) {
        graph::EdgeIndex pick;
        if constexpr (kUniformPick) {
          pick = r.Below(d);
        } else {
          const double idx = r.Uniform() / p.TargetProbability(w.at);
          ends = idx >= static_cast<double>(d);
          pick = ends ? 0 : static_cast<graph::EdgeIndex>(idx);
        }
        if (!ends) {
          u = sources[b + pick];
          if constexpr (kStops) stopped = HasNode(stops, u);
          ends = stopped || (mark[u] & w.bit) != 0;
        }
      }
      if (!ends) {
        mark[u] |= w.bit;
        if (w.len == w.cap) [[unlikely]] {
          w.own->resize(2 * w.cap);
          w.path = w.own->data();
          w.cap = w.own->size();
        }
        w.path[w.len++] = u;
        w.at = u;
        __builtin_prefetch(offsets + u);
        continue;
      }
      // The walk is over: its set goes to nodes (empty when it reached a fixed seed), its bits are cleared, and
      // its lane takes the next root or, with none left, the last live walk (this lane is then visited again in
      // this turn).
      const NodeId* const path = w.path;
      const uint32_t len = w.len;
      if (stopped) {
        sizes.push_back(0);
      } else if (singles != nullptr && len == 1) {
        singles->push_back(path[0]);
      } else {
        nodes.insert(nodes.end(), path, path + len);
        sizes.push_back(len);
      }
      const auto keep = static_cast<uint8_t>(~w.bit);
#pragma GCC unroll 4
      for (uint32_t i = 0; i < len; ++i) mark[path[i]] &= keep;
      if (!begin(w)) {
        std::swap(w, walk[--live]);
        --j;
      }
    }
  }
  rng = r;
}

// Linear Threshold RR sets for many roots, Scratch::kLtLanes walks at a time, appended to nodes with each set's
// size in sizes, in the order the walks finish (deterministic: it depends only on the stream; the roots are
// drawn independently, so the order says nothing). Needs per-target probabilities (wc, uniform: every in-arc of
// v weighs the same w(v)). Each set has the distribution of SampleRrSet<LtTag> from its root (the same steps).
// Why several walks: a walk's every step is a dependent load (the chosen in-neighbour's id, then its mark, then
// its row), so one walk at a time waits on one load after another; with several in flight the processor overlaps
// the loads of different walks, and each step prefetches the row its next step reads.
// Why so plain: the former three-phase lanes (a branch on the phase and a dead-lane test per step, the path
// copied twice, into a stage and then into nodes) cost ~162 instructions per entry (docs/benchmarks.md, session
// 9). Here a step is one pass: pick the in-arc, read its source, test and set the walk's mark bit; a walk that
// ends copies its path once, into nodes, and clears its bits along it; the live walks are kept at the front.
// With wc (uniform_over_in_arcs) the pick is one bounded draw; otherwise index floor(x / w) picks one arc, or
// none past the row's end, as SampleRrSet does.
// singles (optional): the sets that hold only their root (a walk that stops at once) go there as their root
// alone, in the same order among themselves, and not to nodes and sizes (rr_collection.h's singletons).
// stops (null: none): the fixed seeds' bitmap, as for SampleRrSet: a walk that reaches one, root included, ends
// there and its set is stored empty (size 0 in sizes, nothing in nodes).
template <typename Nodes, typename Sizes>
void SampleLtRrSets(const DiffusionModel& model, std::span<const NodeId> roots, Rng& rng, Scratch& s, Nodes& nodes,
                    Sizes& sizes, Nodes* singles = nullptr, const uint64_t* stops = nullptr) {
  const bool uniform_pick = model.influence().uniform_over_in_arcs();
  if (stops != nullptr) {
    if (uniform_pick) {
      SampleLtRrSetsPicking<true, true>(model, roots, rng, s, nodes, sizes, singles, stops);
    } else {
      SampleLtRrSetsPicking<false, true>(model, roots, rng, s, nodes, sizes, singles, stops);
    }
  } else if (uniform_pick) {
    SampleLtRrSetsPicking<true, false>(model, roots, rng, s, nodes, sizes, singles, stops);
  } else {
    SampleLtRrSetsPicking<false, false>(model, roots, rng, s, nodes, sizes, singles, stops);
  }
}

}  // namespace vouch::influence::detail
