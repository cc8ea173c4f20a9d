#include "vouch/influence/opim_c.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <functional>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include "graph/stopwatch.h"
#include "influence/cascade.h"
#include "influence/prefault.h"
#include "influence/run_memory.h"
#include "vouch/influence/opim_bounds.h"

namespace vouch::influence {

const std::vector<SeedChoice>& InfluenceMaximizer::seeds() const {
  assert(done_ && "InfluenceMaximizer::seeds before run() succeeded");
  return seeds_;
}

const InfluenceMaximizerRecord& InfluenceMaximizer::record() const {
  assert(done_ && "InfluenceMaximizer::record before run() succeeded");
  return record_;
}

uint64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmHWM:  1234 kB"
  }
  return 0;
}

void StartWorkerThreads(int threads) {
  const int want =
      threads > 0 ? std::min(threads, tbb::info::default_concurrency()) : tbb::info::default_concurrency();
  if (want <= 1) return;
  // An enqueued task asks the scheduler for the arena's workers and returns at once; the workers are created and
  // run the (empty) tasks on their own threads while this one goes on. A worker that finds no more work goes
  // back to the shared pool, where the next arena (each run's own) finds it.
  tbb::task_arena arena(want);
  for (int i = 1; i < want; ++i) arena.enqueue([] {});
}

namespace {

constexpr uint64_t kRrSetsPerStream = 256;  // RR sets per random stream

// Collections grow in whole streams: sets rounded up to a multiple of kRrSetsPerStream.
constexpr uint64_t WholeStreams(uint64_t sets) {
  return (sets + kRrSetsPerStream - 1) / kRrSetsPerStream * kRrSetsPerStream;
}

// Every array of a run lives in the run's RunMemory (run_memory.h): huge pages where the kernel offers them.
template <typename T>
using RunVector = std::pmr::vector<T>;

// RR sets in two flat arrays: the nodes of set i are nodes[begin(i), ends[i]).
struct RrCollection {
  explicit RrCollection(std::pmr::memory_resource* memory) : nodes(memory), ends(memory) {}
  RunVector<NodeId> nodes;
  RunVector<uint64_t> ends;
  uint64_t size() const { return ends.size(); }
  uint64_t begin(uint64_t i) const { return i == 0 ? 0 : ends[i - 1]; }
};

// Grows collections with RR sets, all threads, deterministic per stream.
class RrSampler {
 public:
  // memory: where the scratch and the blocks' buffers live; it must outlive the sampler.
  RrSampler(const DiffusionModel& model, uint64_t seed, const RunControl& control, std::pmr::memory_resource* memory)
      : model_(model), seed_(seed), control_(control), memory_(memory),
        scratch_([n = model.graph().num_nodes(), memory] { return detail::Scratch(n, false, memory); }) {}

  // Adds sets to coll until it holds target; streams continue from where this collection's last call ended.
  Status Grow(RrCollection& coll, uint64_t target, uint64_t stream_base, uint64_t& reported, uint64_t total) {
    const NodeId n = model_.graph().num_nodes();
    uint64_t have = coll.size();
    if (have % kRrSetsPerStream != 0) return Status::Internal("RR collection not block aligned");
    const uint64_t wave_blocks = static_cast<uint64_t>(tbb::this_task_arena::max_concurrency()) * 8;
    while (locals_.size() < wave_blocks) locals_.emplace_back(memory_);
    std::vector<Local>& locals = locals_;
    // Room for this round and, in a collection of 2 MiB or more, the next doubling at once (node counts guessed
    // from the sets so far, with 1/8 to spare): growing by doubling, or reserving one round at a time, copies the
    // collection into fresh memory and faults its pages in again every round. Reserved pages not written are never
    // touched, so this costs address space, not resident memory, except in a small collection, whose block is cut
    // from a huge page of the run's memory (RoomFor, run_memory.h).
    if (coll.ends.capacity() < target) Regrow(coll.ends, detail::RoomFor<uint64_t>(target), 0);
    if (have > 0) {
      const double per_set = static_cast<double>(coll.nodes.size()) / static_cast<double>(have);
      const auto need = static_cast<uint64_t>(per_set * static_cast<double>(target) * 9 / 8);
      if (coll.nodes.capacity() < need) Regrow(coll.nodes, detail::RoomFor<NodeId>(need), 0);
    }
    return DispatchModel(model_.kind(), [&]<typename Tag>(Tag) -> Status {
      while (have < target) {
        const uint64_t blocks = std::min(wave_blocks, (target - have + kRrSetsPerStream - 1) / kRrSetsPerStream);
        const uint64_t first_block = have / kRrSetsPerStream;
        // A block's room, from the mean set size seen so far (1/4 to spare), populated up front: the blocks'
        // buffers otherwise fault their pages in while they grow, in every wave that outgrows the ones before.
        const uint64_t block_guess =
            sampled_sets_ == 0 ? 0 : sampled_entries_ * kRrSetsPerStream * 5 / 4 / sampled_sets_;
        tbb::parallel_for(uint64_t{0}, blocks, [&](uint64_t b) {
          Local& l = locals[b];
          l.nodes.clear();
          l.sizes.clear();
          if (block_guess > l.populated) {
            detail::ReservePrefaulted(l.nodes, block_guess);
            l.populated = block_guess;
          }
          if (l.sizes.capacity() < kRrSetsPerStream) detail::ReservePrefaulted(l.sizes, kRrSetsPerStream);
          Rng rng(seed_, stream_base + first_block + b);
          detail::Scratch& s = scratch_.local();
          // The block's roots are drawn first so that each root's row, and its mark, can be fetched from memory a
          // few sets ahead: a random root is a cache miss on a large graph, and most RR sets are small, so these
          // misses, one after another, were much of the sampling time.
          NodeId roots[kRrSetsPerStream];
          for (NodeId& r : roots) r = rng.Below(n);
          const graph::GraphArrays& arrays = model_.graph().arrays();
          if constexpr (std::is_same_v<Tag, LtTag>) {
            if (model_.influence().per_target()) {
              detail::SampleLtRrSets(model_, roots, rng, s, l.nodes, l.sizes);
              return;
            }
          }
          for (uint64_t i = 0; i < kRrSetsPerStream; ++i) {
            if (i + 8 < kRrSetsPerStream) __builtin_prefetch(&arrays.in_offsets[roots[i + 8]]);
            if (i + 4 < kRrSetsPerStream) {
              const NodeId ahead = roots[i + 4];
              // (One past the end for a last node without in-arcs: a prefetch never faults.)
              __builtin_prefetch(arrays.in_sources.data() + arrays.in_offsets[ahead]);
              __builtin_prefetch(&s.in_set[ahead >> 6], 1);
            }
            const size_t before = l.nodes.size();
            detail::SampleRrSet<Tag>(model_, roots[i], rng, s, l.nodes);
            l.sizes.push_back(static_cast<uint32_t>(l.nodes.size() - before));
          }
        });
        // The wave's destination pages are populated in one call each instead of faulting in one by one.
        uint64_t wave_entries = 0;
        for (uint64_t b = 0; b < blocks; ++b) wave_entries += locals[b].nodes.size();
        sampled_entries_ += wave_entries;
        sampled_sets_ += blocks * kRrSetsPerStream;
        GrowPrefaulted(coll.nodes, coll.nodes.size() + wave_entries);
        GrowPrefaulted(coll.ends, coll.ends.size() + blocks * kRrSetsPerStream);
        for (uint64_t b = 0; b < blocks; ++b) {
          uint64_t end = coll.nodes.size();
          coll.nodes.insert(coll.nodes.end(), locals[b].nodes.begin(), locals[b].nodes.end());
          for (uint32_t sz : locals[b].sizes) coll.ends.push_back(end += sz);
        }
        have += blocks * kRrSetsPerStream;
        reported += blocks * kRrSetsPerStream;
        control_.Report({"sampling RR sets", reported, total, "RR sets", 0});
        if (control_.Cancelled()) return Status::Cancelled("influence maximisation cancelled");
      }
      return Status::Ok();
    });
  }

 private:
  // Room for n elements (doubling, as push_back would), with the pages of [size(), n) populated.
  template <typename Vec>
  static void GrowPrefaulted(Vec& v, uint64_t n) {
    if (v.capacity() < n) Regrow(v, std::max<uint64_t>(n, 2 * v.capacity()), n);
    detail::ReservePrefaulted(v, n);
  }

  // Moves v into a buffer of the given capacity whose first `populate` elements' pages are populated before the
  // old contents are copied in (vector::reserve would fault them in one by one while copying).
  template <typename Vec>
  static void Regrow(Vec& v, uint64_t capacity, uint64_t populate) {
    Vec fresh(v.get_allocator());
    fresh.reserve(capacity);
    detail::Prefault(fresh.data(), std::min(capacity, std::max<uint64_t>(populate, v.size())) * sizeof(v[0]));
    fresh.insert(fresh.end(), v.begin(), v.end());
    v.swap(fresh);
  }

  // One wave's blocks of sets before they are appended to a collection; kept across calls so that their memory
  // is allocated and faulted in once per run.
  struct Local {
    explicit Local(std::pmr::memory_resource* memory) : nodes(memory), sizes(memory) {}
    RunVector<NodeId> nodes;
    RunVector<uint32_t> sizes;
    uint64_t populated = 0;  // nodes' elements whose pages were populated (prefault.h)
  };

  const DiffusionModel& model_;
  uint64_t seed_;
  const RunControl& control_;
  std::pmr::memory_resource* memory_;
  tbb::enumerable_thread_specific<detail::Scratch> scratch_;
  std::vector<Local> locals_;
  uint64_t sampled_sets_ = 0, sampled_entries_ = 0;  // over every collection, for the blocks' room
};

struct Cover {
  std::vector<NodeId> seeds;
  std::vector<uint64_t> gains;  // coverage gained by each seed on R1
  uint64_t covered = 0;
  double optimum_upper = 0;     // upper bound on the optimum's coverage of R1
};

// Greedy maximum coverage of R1 by choosable nodes, with the greedy's own upper bound on the optimum. One object
// serves every round: Index() rebuilds the inverted index of the grown collection into buffers kept from the
// round before, so that the O(n) arrays are allocated (and their pages faulted in) once per run, not per round.
class GreedyCover {
 public:
  // choosable and memory (where the index and the queue live) must outlive the object.
  GreedyCover(NodeId n, const RunVector<uint8_t>& choosable, std::pmr::memory_resource* memory)
      : n_(n), ok_(choosable), cursor_(memory), offsets_(memory), sets_(memory), gain_(memory), covered_(memory),
        head_(memory), next_(memory), count_(memory), seen_(memory) {
    // Room for the per-node arrays now, so that they take the run's huge pages before the samples do (their pages
    // are written when the first round's index is built).
    offsets_.reserve(size_t{n} + 1);
    gain_.reserve(n);
    next_.reserve(n);
  }

  // The sets each node lies in, by counting sort; resets the coverages for a fresh greedy on r. Each thread
  // counts and then files one contiguous part of the sets with its own counters (no atomic operations, which
  // cost more CPU than the counting itself on a shared counter array), so every node's list holds its sets in
  // increasing order whatever the threads. A part costs n counters and a pass over them, so there are at most
  // as many parts as the entries pay for (one per 2n entries): memory stays within the sets' own size.
  // Only the first `sets` of r's sets are indexed (a prefix: the schedule's R1 inside a larger one).
  void Index(const RrCollection& r, uint64_t sets) {
    r_ = &r;
    const uint64_t entries = r.begin(sets);
    const uint64_t parts = std::clamp<uint64_t>(entries / (2 * uint64_t{n_}), 1,
                                                static_cast<uint64_t>(tbb::this_task_arena::max_concurrency()));
    detail::ReservePrefaulted(gain_, n_);
    gain_.resize(n_);
    if (sets_.capacity() < entries) {
      sets_.clear();  // every entry is rewritten below: do not copy the old ones into the new buffer
      sets_.reserve(detail::RoomFor<uint32_t>(entries));
    }
    detail::ReservePrefaulted(sets_, entries);
    sets_.resize(entries);
    if (parts == 1) {
      IndexOnePart(r, sets);
    } else {
      IndexInParts(r, sets, parts);
    }
    detail::AssignPrefaulted(covered_, sets, 0);
  }

  // Lazy greedy over a bucket queue of coverages (as in the OPIM-C and SUBSIM code): bucket d holds nodes whose
  // coverage was d when filed; a node found in a bucket above its current coverage moves down. Before each pick
  // the bound on the optimum is the coverage so far plus the k largest current marginal coverages, found by
  // scanning buckets downward until no lower bucket can hold a larger one.
  // The buckets are stacks threaded through one next-array (a node lies in one bucket at a time): filling them
  // is a pass over the nodes with no allocation, where a vector per bucket cost a push_back call per node, about
  // half of the greedy on a small sample. Bucket 0 collects the nodes that gain nothing and is never visited.
  Cover ByCardinality(uint32_t k) {
    Cover out;
    const uint32_t max_gain = max_gain_;
    head_.assign(max_gain + 1, kNoNode);
    if (next_.size() < n_) {
      detail::ReservePrefaulted(next_, n_);
      next_.resize(n_);
    }
    // Filed from the last node down, so that each stack pops its nodes in increasing id order.
    for (NodeId v = n_; v-- > 0;) Push(v);
    count_.assign(max_gain + 1, 0);
    double bound = std::numeric_limits<double>::infinity();
    for (uint32_t d = max_gain; d > 0 && out.seeds.size() <= k; --d) {
      while (head_[d] != kNoNode) {
        const NodeId v = head_[d];
        if (gain_[v] < d) {
          head_[d] = next_[v];
          Push(v);
          continue;
        }
        bound = std::min(bound, static_cast<double>(out.covered + TopCoverages(d, k)));
        if (out.seeds.size() == k) break;
        head_[d] = next_[v];
        Take(v, out);
      }
      if (out.seeds.size() == k && head_[d] != kNoNode) break;
    }
    if (out.seeds.size() < k || bound == std::numeric_limits<double>::infinity()) {
      // Everything coverable is covered: nothing more can be gained by anyone.
      bound = std::min(bound, static_cast<double>(out.covered));
    }
    // The greedy's own coverage is at least (1 - 1/e) of the optimum's on R1.
    bound = std::min(bound, static_cast<double>(out.covered) / (1 - std::exp(-1.0)));
    out.optimum_upper = bound;
    FillUp(out, k);
    return out;
  }

  // After ByCardinality: how many people, neither chosen nor barred, still add exactly v sets, for v in [lo, hi]
  // (lo >= 1: the greedy leaves the chosen and the barred at 0).
  std::vector<uint64_t> GainCounts(uint32_t lo, uint32_t hi) const {
    std::vector<uint64_t> counts(hi - lo + 1, 0);
    for (uint32_t g : gain_) {
      if (g >= lo && g <= hi) ++counts[g - lo];
    }
    return counts;
  }

  Cover ByBudget(const std::vector<double>& cost, double budget) {
    Cover out;
    const std::vector<uint32_t> initial(gain_.begin(), gain_.end());
    double bound = Knapsack(cost, budget);
    using Entry = std::pair<double, NodeId>;  // gain per cost, node
    std::vector<Entry> heap;
    for (NodeId v = 0; v < n_; ++v) {
      if (gain_[v] > 0 && cost[v] <= budget) heap.emplace_back(gain_[v] / cost[v], v);
    }
    std::make_heap(heap.begin(), heap.end());
    double left = budget;
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end());
      auto [key, v] = heap.back();
      heap.pop_back();
      if (gain_[v] == 0 || cost[v] > left) continue;  // covered away, or no longer affordable: never again
      const double fresh = gain_[v] / cost[v];
      if (fresh != key) {
        heap.emplace_back(fresh, v);
        std::push_heap(heap.begin(), heap.end());
        continue;
      }
      left -= cost[v];
      Take(v, out);
    }
    bound = std::min(bound, static_cast<double>(out.covered) + Knapsack(cost, left));
    // The best single affordable person may beat the ratio greedy.
    NodeId best = n_;
    for (NodeId v = 0; v < n_; ++v) {
      if (initial[v] > 0 && cost[v] <= budget && (best == n_ || initial[v] > initial[best])) best = v;
    }
    if (best != n_ && initial[best] > out.covered) {
      out.seeds = {best};
      out.gains = {initial[best]};
      out.covered = initial[best];
    }
    out.optimum_upper = bound;
    return out;
  }

 private:
  void Take(NodeId v, Cover& out) {
    out.seeds.push_back(v);
    out.gains.push_back(gain_[v]);
    out.covered += gain_[v];
    gain_[v] = 0;
    const RrCollection& r = *r_;
    for (uint64_t i = offsets_[v]; i < offsets_[v + 1]; ++i) {
      const uint32_t s = sets_[i];
      if (covered_[s]) continue;
      covered_[s] = 1;
      for (uint64_t j = r.begin(s); j < r.ends[s]; ++j) {
        const NodeId w = r.nodes[j];
        if (gain_[w] > 0) --gain_[w];
      }
    }
  }

  // Index() on this thread (one thread, or too few entries to pay for more parts): counts straight into offsets_
  // and files with it as the cursor, so no n-sized counter array is cleared and touched. Filing leaves offsets_[v]
  // at the end of v's list, which is where v + 1's starts, so the array is moved up one place afterwards.
  void IndexOnePart(const RrCollection& r, uint64_t sets) {
    const uint64_t entries = r.begin(sets);
    detail::AssignPrefaulted(offsets_, n_ + 1, 0);
    for (uint64_t i = 0; i < entries; ++i) ++offsets_[r.nodes[i]];
    uint64_t at = 0;
    uint32_t max_gain = 0;
    for (NodeId v = 0; v < n_; ++v) {
      const uint64_t count = offsets_[v];
      offsets_[v] = at;
      at += count;
      const uint32_t g = ok_[v] ? static_cast<uint32_t>(count) : 0;
      gain_[v] = g;
      max_gain = std::max(max_gain, g);
    }
    offsets_[n_] = at;
    max_gain_ = max_gain;
    for (uint64_t set = 0; set < sets; ++set) {
      for (uint64_t i = r.begin(set); i < r.ends[set]; ++i) {
        sets_[offsets_[r.nodes[i]]++] = static_cast<uint32_t>(set);
      }
    }
    std::copy_backward(offsets_.begin(), offsets_.begin() + n_, offsets_.begin() + n_ + 1);
    offsets_[0] = 0;
  }

  // Index() by `parts` threads, each counting and filing one contiguous part of the sets with its own counters.
  void IndexInParts(const RrCollection& r, uint64_t sets, uint64_t parts) {
    if (cursor_.size() < parts) cursor_.resize(parts);
    const uint64_t per_part = (sets + parts - 1) / parts;
    auto part_sets = [&](uint64_t t) {
      return std::pair{std::min(sets, t * per_part), std::min(sets, (t + 1) * per_part)};
    };
    tbb::parallel_for(uint64_t{0}, parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      detail::AssignPrefaulted(c, n_, 0);
      const auto [first, last] = part_sets(t);
      for (uint64_t i = r.begin(first); i < r.begin(last); ++i) ++c[r.nodes[i]];
    });
    // Node v's list starts at offsets_[v]; part t files its sets from cursor_[t][v] on.
    detail::ReservePrefaulted(offsets_, n_ + 1);
    offsets_.resize(n_ + 1);
    uint64_t at = 0;
    uint32_t max_gain = 0;
    for (NodeId v = 0; v < n_; ++v) {
      offsets_[v] = at;
      for (uint64_t t = 0; t < parts; ++t) {
        const uint64_t c = cursor_[t][v];
        cursor_[t][v] = at;
        at += c;
      }
      const uint32_t g = ok_[v] ? static_cast<uint32_t>(at - offsets_[v]) : 0;
      gain_[v] = g;
      max_gain = std::max(max_gain, g);
    }
    offsets_[n_] = at;
    max_gain_ = max_gain;
    tbb::parallel_for(uint64_t{0}, parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      const auto [first, last] = part_sets(t);
      for (uint64_t set = first; set < last; ++set) {
        for (uint64_t i = r.begin(set); i < r.ends[set]; ++i) sets_[c[r.nodes[i]]++] = static_cast<uint32_t>(set);
      }
    });
  }

  // Files v in the bucket of its current coverage (ByCardinality's queue).
  void Push(NodeId v) {
    const uint32_t g = gain_[v];
    next_[v] = head_[g];
    head_[g] = v;
  }

  // Sum of the k largest current coverages, scanning buckets from d down (every coverage is at most d). Entries
  // are filed at or above their coverage, so once k values of at least the next bucket's level are held, no entry
  // further down can displace one. The values are counted per coverage (count_, zero between calls) rather than
  // kept in a heap of k: a heap operation per entry was most of the greedy's instructions, and the sum of the k
  // largest, read off the counts from d down, is the same.
  uint64_t TopCoverages(uint32_t d, uint32_t k) {
    seen_.clear();
    uint64_t above = 0;  // values held that exceed the level about to be scanned
    for (uint32_t level = d; level > 0; --level) {
      if (level < d) above += count_[level + 1];  // no value of level + 1 can come from here down
      if (above + count_[level] >= k) break;
      for (NodeId v = head_[level]; v != kNoNode; v = next_[v]) {
        const uint32_t g = gain_[v];
        if (g == 0) continue;
        ++count_[g];
        seen_.push_back(g);
      }
    }
    uint64_t sum = 0;
    uint64_t left = k;
    for (uint32_t g = d; g > 0 && left > 0; --g) {
      const uint64_t take = std::min<uint64_t>(count_[g], left);
      sum += take * g;
      left -= take;
    }
    for (uint32_t g : seen_) count_[g] = 0;
    return sum;
  }

  // Fractional knapsack over the current gains: an upper bound on what any set of cost <= budget adds.
  double Knapsack(const std::vector<double>& cost, double budget) const {
    std::vector<NodeId> order;
    for (NodeId v = 0; v < n_; ++v) {
      if (gain_[v] > 0) order.push_back(v);
    }
    std::sort(order.begin(), order.end(),
              [&](NodeId a, NodeId b) { return gain_[a] / cost[a] > gain_[b] / cost[b]; });
    double sum = 0;
    for (NodeId v : order) {
      if (budget <= 0) break;
      double take = std::min(1.0, budget / cost[v]);
      sum += take * gain_[v];
      budget -= take * cost[v];
    }
    return sum;
  }

  // Fewer than k seeds gain anything: complete the list with choosable people, in id order, who add nothing.
  void FillUp(Cover& out, uint32_t k) const {
    if (out.seeds.size() >= k) return;
    std::vector<uint8_t> taken(n_, 0);
    for (NodeId s : out.seeds) taken[s] = 1;
    for (NodeId v = 0; v < n_ && out.seeds.size() < k; ++v) {
      if (ok_[v] && !taken[v]) {
        out.seeds.push_back(v);
        out.gains.push_back(0);
      }
    }
  }

  const RrCollection* r_ = nullptr;
  NodeId n_;
  const RunVector<uint8_t>& ok_;
  RunVector<RunVector<uint64_t>> cursor_;  // per part of the sets: its count, then its filing position, per node
  RunVector<uint64_t> offsets_;
  RunVector<uint32_t> sets_;
  RunVector<uint32_t> gain_;
  RunVector<uint8_t> covered_;
  uint32_t max_gain_ = 0;  // the largest coverage after Index()
  // ByCardinality's bucket queue: the top node of bucket d, and the node below each node in its bucket.
  static constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
  RunVector<NodeId> head_;
  RunVector<NodeId> next_;
  // TopCoverages': how many of the values it holds equal each coverage (zero between calls), and those values.
  RunVector<uint32_t> count_;
  RunVector<uint32_t> seen_;
};

// Sets of r that contain some seed, and the sets first covered by each seed in order.
// rank: n entries of kNone on entry, restored on return (kept by the caller across rounds).
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
std::vector<uint64_t> MarginalCoverage(const RrCollection& r, RunVector<uint32_t>& rank,
                                       const std::vector<NodeId>& seeds) {
  for (size_t i = 0; i < seeds.size(); ++i) {
    if (rank[seeds[i]] == kNone) rank[seeds[i]] = static_cast<uint32_t>(i);
  }
  tbb::combinable<std::vector<uint64_t>> hist([&] { return std::vector<uint64_t>(seeds.size(), 0); });
  tbb::parallel_for(tbb::blocked_range<uint64_t>(0, r.size(), 4096), [&](const auto& range) {
    auto& h = hist.local();
    for (uint64_t s = range.begin(); s < range.end(); ++s) {
      uint32_t first = kNone;
      for (uint64_t i = r.begin(s); i < r.ends[s]; ++i) first = std::min(first, rank[r.nodes[i]]);
      if (first != kNone) ++h[first];
    }
  });
  std::vector<uint64_t> out(seeds.size(), 0);
  hist.combine_each([&](const std::vector<uint64_t>& h) {
    for (size_t i = 0; i < h.size(); ++i) out[i] += h[i];
  });
  for (NodeId v : seeds) rank[v] = kNone;
  return out;
}

// The selection-loss rule's statistic (opim_c.h): the expected share of c's coverage of R1 that sampling noise
// costs the greedy at the cut between the seeds and the rest, read from the greedy's state right after choosing
// c. The cut lies at the last seed's gain g. A count of h sets varies by about s = sqrt(h), so someone left out
// who would still add h = g - d sets truly adds more than g with an expected excess of s Psi(d / s), Psi(z) =
// phi(z) - z Phi(-z) (the expected opportunity cost of ranking and selection), and a seed that gained g + d truly
// adds less than g by as much in expectation: the sum over both sides is the expected loss (people beyond 3 s
// add under 0.4% of s each and are left out). For a density rho of people per set of gain around the cut it is
// rho g / 2 sets: with rho ~ 1 / |R1| and g, the coverage ~ |R1|, the share falls as 1 / |R1|. 0 when nothing
// is left to gain.
double SelectionLoss(const Cover& c, const GreedyCover& greedy) {
  if (c.gains.empty() || c.covered == 0 || c.gains.back() == 0) return 0;
  const uint64_t g = c.gains.back();
  auto expected_excess = [](uint64_t count, uint64_t d) {
    const double s = std::sqrt(static_cast<double>(count));
    const double z = static_cast<double>(d) / s;
    const double tail = 0.5 * std::erfc(z / std::sqrt(2.0));
    const double density = std::exp(-z * z / 2) / std::sqrt(2 * std::acos(-1.0));
    return s * (density - z * tail);
  };
  const auto reach = static_cast<uint64_t>(std::ceil(3 * std::sqrt(static_cast<double>(g))));
  double loss = 0;
  for (uint64_t gain : c.gains) {  // the seeds, above the cut
    if (gain - g <= reach) loss += expected_excess(gain, gain - g);
  }
  const uint64_t lo = g > reach ? g - reach : 1;
  const std::vector<uint64_t> below = greedy.GainCounts(static_cast<uint32_t>(lo), static_cast<uint32_t>(g));
  for (uint64_t h = lo; h <= g; ++h) loss += static_cast<double>(below[h - lo]) * expected_excess(h, g - h);
  return loss / static_cast<double>(c.covered);
}

}  // namespace

// What one run works in, kept by the object after the run (opim_c.h: released with it, outside the timing). All
// of it lives in `memory`, declared first so that it goes last.
struct OpimC::Buffers {
  Buffers(const DiffusionModel& model, uint64_t seed, const RunControl& control, NodeId n)
      : memory(ChunkedBytes(n)), choosable(&memory), sampler(model, seed, control, &memory), r1(&memory),
        r2(&memory), greedy(n, choosable, &memory), rank(&memory) {
    detail::AssignPrefaulted(rank, n, kNone);
  }
  // The per-node arrays cut from the run's huge pages (run_memory.h), which are resident whole once written, so
  // that only arrays sure to fill them count: who may be chosen (1 byte a node), rank (4), the greedy's offsets
  // (8), gains (4) and queue links (4), each where it is under 2 MiB (from 2 MiB on, an array has its own pages).
  static size_t ChunkedBytes(NodeId n) {
    size_t sum = 0;
    for (size_t per_node : {1, 4, 8, 4, 4}) {
      if (const size_t bytes = per_node * (size_t{n} + 1); bytes < detail::kHugePage) sum += bytes;
    }
    return sum;
  }
  detail::RunMemory memory;
  RunVector<uint8_t> choosable;  // who may be chosen, per node
  RrSampler sampler;
  RrCollection r1, r2;
  GreedyCover greedy;
  RunVector<uint32_t> rank;  // MarginalCoverage's, kNone between calls
};

OpimC::OpimC(const DiffusionModel& model, InfluenceMaximizerOptions options, RunControl control)
    : model_(model), options_(std::move(options)), control_(control) {}

OpimC::~OpimC() = default;

Status OpimC::run() {
  Stopwatch total;
  const graph::Graph& g = model_.graph();
  const NodeId n = g.num_nodes();
  if (n == 0) return Status::InvalidArgument("the graph has no nodes");
  const double eps = options_.epsilon;
  if (!(eps > 0 && eps < 1 - std::exp(-1.0))) {
    return Status::InvalidArgument(fmt::format("epsilon {} must lie in (0, 1 - 1/e)", eps));
  }
  buffers_.reset();  // a previous run's
  buffers_ = std::make_unique<Buffers>(model_, options_.seed, control_, n);
  RunVector<uint8_t>& choosable = buffers_->choosable;
  detail::AssignPrefaulted(choosable, n, options_.candidates.empty() ? 1 : 0);
  for (NodeId c : options_.candidates) {
    if (c >= n) return Status::InvalidArgument("candidate outside the graph");
    choosable[c] = 1;
  }
  for (NodeId x : options_.excluded) {
    if (x >= n) return Status::InvalidArgument("excluded person outside the graph");
    choosable[x] = 0;
  }
  const uint64_t n_choosable = static_cast<uint64_t>(std::count(choosable.begin(), choosable.end(), 1));
  if (n_choosable == 0) return Status::InvalidArgument("nobody may be chosen (candidates minus excluded is empty)");

  const bool budgeted = options_.budget > 0;
  double k = 0;
  if (budgeted) {
    if (options_.cost.size() != n) {
      return Status::InvalidArgument(fmt::format("a budget needs one cost per person ({} given, {} people)",
                                                 options_.cost.size(), n));
    }
    // The most people any affordable set can hold: the cheapest first.
    std::vector<double> costs;
    for (NodeId v = 0; v < n; ++v) {
      if (!(options_.cost[v] > 0)) return Status::InvalidArgument("every cost must be positive");
      if (choosable[v]) costs.push_back(options_.cost[v]);
    }
    std::sort(costs.begin(), costs.end());
    double spent = 0;
    for (double c : costs) {
      if (spent + c > options_.budget) break;
      spent += c;
      ++k;
    }
    if (k == 0) return Status::InvalidArgument("the budget affords nobody");
  } else {
    if (options_.k == 0) return Status::InvalidArgument("k must be at least 1");
    k = static_cast<double>(std::min<uint64_t>(options_.k, n_choosable));
  }

  const double delta = options_.delta > 0 ? options_.delta : 1.0 / n;
  const double theta_max = opim::ThetaMax(n, k, eps, delta, static_cast<double>(n_choosable));
  const double theta_0 = opim::Theta0(n, k, eps, delta, static_cast<double>(n_choosable));
  const int i_max = opim::IMax(n, k, eps);
  const double a = opim::BoundSlack(i_max, delta);
  const double target = budgeted ? (1 - std::exp(-1.0)) / 2 - eps : 1 - std::exp(-1.0) - eps;
  record_ = InfluenceMaximizerRecord{};
  record_.algorithm = "OPIM-C with SUBSIM sampling";
  record_.theta_0 = theta_0;
  record_.theta_max = theta_max;
  record_.max_rounds = i_max;
  record_.target_approximation = target;

  const int threads = options_.threads > 0 ? std::min(options_.threads, tbb::info::default_concurrency())
                                           : tbb::info::default_concurrency();
  record_.threads = threads;
  tbb::task_arena arena(threads);
  arena.initialize();
  Status status;
  arena.execute([&] {
    RrSampler& sampler = buffers_->sampler;
    RrCollection& r1 = buffers_->r1;
    RrCollection& r2 = buffers_->r2;
    // R1 and R2 draw from disjoint stream ranges.
    const uint64_t r2_streams = uint64_t{1} << 40;
    uint64_t theta = WholeStreams(static_cast<uint64_t>(std::ceil(theta_0)));
    // The quality knob: skip the rounds of the schedule below the minimum (no greedy or check is run on them;
    // the check is only made at rounds of the schedule, at most i_max of them, so the bounds' slack a holds).
    // R1 holds `ratio` times R2's sets (the greedy's sample; R2 only validates); OPIM-C's rule of stopping at
    // theta_max applies to R1, whose greedy carries the guarantee there.
    const uint64_t ratio = std::max<uint64_t>(1, options_.r1_ratio);
    int first_round = 1;
    while (first_round < i_max && theta < options_.min_rr_sets && static_cast<double>(ratio * theta) < theta_max) {
      theta *= 2;
      ++first_round;
    }
    uint64_t reported = 0;
    Cover cover;
    GreedyCover& greedy = buffers_->greedy;
    RunVector<uint32_t>& rank = buffers_->rank;
    // The round's check: the bounds of `c` (seeds from R1's first th1 sets or more) against R2's first th sets,
    // with the bound on the optimum `optimum_cov` from R1's first th1 sets. Writes the record and the seeds.
    auto certify = [&](const Cover& c, double optimum_cov, double th, double th1) {
      std::vector<uint64_t> marginal = MarginalCoverage(r2, rank, c.seeds);
      const double cov2 = static_cast<double>(std::accumulate(marginal.begin(), marginal.end(), uint64_t{0}));
      record_.spread = cov2 * n / th;
      record_.spread_lower = opim::SpreadLowerBound(cov2, th, n, a);
      record_.spread_upper = opim::SpreadUpperBound(cov2, th, n, a);
      record_.optimum_upper = opim::SpreadUpperBound(optimum_cov, th1, n, a);
      record_.approximation = record_.optimum_upper > 0 ? record_.spread_lower / record_.optimum_upper : 0;
      record_.last_marginal_coverage = c.gains.empty() ? 0 : c.gains.back();
      // Each seed's share of the spread: the greedy's own gain on R1 (what it chose by), scaled so that the
      // shares add up to the unbiased estimate from R2. Taking the marginals measured on R2 instead gives numbers
      // that go up and down with the sampling noise of R2 (a later seed "adding" more than an earlier one),
      // although the greedy's gains never increase under a cardinality constraint.
      const double cov1 = static_cast<double>(c.covered);
      const double scale = cov1 > 0 ? record_.spread / cov1 : 0;
      seeds_.clear();
      for (size_t i = 0; i < c.seeds.size(); ++i) {
        seeds_.push_back({c.seeds[i], static_cast<double>(c.gains[i]) * scale});
      }
    };
    double loss = 0;  // SelectionLoss of the last choose()'s seeds (0 with a budget)
    auto choose = [&](uint64_t sets) {
      greedy.Index(r1, sets);
      if (budgeted) return greedy.ByBudget(options_.cost, options_.budget);
      Cover c = greedy.ByCardinality(static_cast<uint32_t>(k));
      loss = SelectionLoss(c, greedy);
      return c;
    };
    const uint64_t min_gain = options_.min_marginal_coverage;
    const double loss_target = budgeted ? 0 : std::max(0.0, options_.max_selection_loss);
    const double loss_growth = std::max(1.0, options_.precision_max_growth);
    for (int round = first_round; round <= i_max; ++round) {
      Stopwatch lap;
      const uint64_t expected_total = (ratio + 1) * theta;
      // R1 may already hold more than this round's share (the precision rule of an earlier round sampled ahead).
      if (r1.size() < ratio * theta) status = sampler.Grow(r1, ratio * theta, 0, reported, expected_total);
      if (status.ok()) status = sampler.Grow(r2, theta, r2_streams, reported, expected_total);
      if (!status.ok()) return;
      record_.sampling_seconds += lap.Lap();
      cover = choose(ratio * theta);
      record_.selection_loss = record_.selection_loss_before_growth = loss;
      const double th = static_cast<double>(theta), th1 = static_cast<double>(ratio * theta);
      record_.rounds = round;
      certify(cover, cover.optimum_upper, th, th1);
      record_.selection_seconds += lap.Lap();
      if (th1 >= theta_max) {
        record_.stopped_early = false;
        break;
      }
      if (record_.approximation >= target) {
        // The precision rules (opim_c.h): the greedy's seeds from R1's first th1 sets passed, but their choice may
        // have been noisy: the last one gained fewer than min_gain sets, or the estimated selection loss exceeds
        // its target. Grow R1 alone (R1's own data decides how far) and take the greedy's seeds on the larger
        // sample; the optimum's bound stays the one from the first th1 sets, and the seeds returned are those
        // certified against R2 here, never the passing ones. Both measures scale with R1 (gains in proportion
        // to it, the loss as its inverse), so R1 grows at once by the factor each asks for (the larger one, in
        // whole blocks), and again while one still falls short, each up to its own cap.
        const uint64_t sets0 = ratio * theta;
        const uint64_t below_max =
            (static_cast<uint64_t>(std::ceil(theta_max)) - 1) / kRrSetsPerStream * kRrSetsPerStream;
        const uint64_t gain_cap = std::min(kMaxPrecisionGrowth * sets0, below_max);
        const uint64_t loss_cap = std::min(
            std::max(sets0, static_cast<uint64_t>(loss_growth * th1) / kRrSetsPerStream * kRrSetsPerStream),
            below_max);
        // The size R1 should grow to for the greedy's seeds `c` on its first `sets` sets; 0: it should not.
        auto wanted = [&](const Cover& c, uint64_t sets) -> uint64_t {
          uint64_t want = 0;
          auto ask = [&](double factor, uint64_t cap) {
            if (sets >= cap) return;
            const double more = std::ceil(static_cast<double>(sets) * factor);
            const uint64_t next = WholeStreams(static_cast<uint64_t>(std::min(more, static_cast<double>(cap))));
            want = std::max(want, std::clamp(next, sets + kRrSetsPerStream, cap));
          };
          if (min_gain > 0 && !c.gains.empty() && c.gains.back() < min_gain) {
            ask(static_cast<double>(min_gain) / static_cast<double>(std::max<uint64_t>(c.gains.back(), 1)), gain_cap);
          }
          if (loss_target > 0 && loss > loss_target) ask(loss / loss_target, loss_cap);
          return want;
        };
        uint64_t sets = sets0;
        Cover grown = cover;
        for (uint64_t next = wanted(grown, sets); next > 0; next = wanted(grown, sets)) {
          sets = next;
          if (r1.size() < sets) status = sampler.Grow(r1, sets, 0, reported, sets + theta);
          if (!status.ok()) return;
          record_.sampling_seconds += lap.Lap();
          ++record_.precision_steps;
          grown = choose(sets);
          record_.selection_seconds += lap.Lap();
          if (control_.Cancelled()) {
            status = Status::Cancelled("influence maximisation cancelled");
            return;
          }
        }
        if (sets > sets0) {
          record_.selection_loss = loss;
          certify(grown, cover.optimum_upper, th, th1);
          record_.selection_seconds += lap.Lap();
        }
        if (record_.approximation >= target) {
          record_.stopped_early = true;
          break;
        }
      }
      if (control_.Cancelled()) {
        status = Status::Cancelled("influence maximisation cancelled");
        return;
      }
      theta *= 2;
    }
    record_.rr_sets = r1.size() + r2.size();
    record_.rr_sets_r1 = r1.size();
    record_.rr_set_entries = r1.nodes.size() + r2.nodes.size();
  });
  VOUCH_TRY(status);
  record_.total_seconds = total.Seconds();
  record_.peak_memory_bytes = PeakResidentBytes();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::influence
