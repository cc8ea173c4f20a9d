// The greedy maximum coverage of R1 (opim_c.cc): by cardinality (a lazy bucket queue, with the greedy's own bound
// on the optimum) or by budget (gain per cost, with a fractional-knapsack bound). Not thread-safe; Index() uses the
// calling arena's threads.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory_resource>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "influence/node_bits.h"
#include "influence/prefault.h"
#include "influence/rr_collection.h"
#include "influence/run_memory.h"
#include "influence/run_workers.h"

namespace vouch::influence::detail {

// The greedy's seeds on R1, in order, with what each added.
struct Cover {
  std::vector<NodeId> seeds;
  std::vector<uint64_t> gains;  // coverage gained by each seed on R1
  uint64_t covered = 0;
  double optimum_upper = 0;     // upper bound on the optimum's coverage of R1
};

// Greedy maximum coverage of R1 by choosable nodes, with the greedy's own upper bound on the optimum. One object
// serves every round: Index() rebuilds the inverted index of the grown collection into buffers kept from the
// round before, so that its arrays are allocated (and their pages faulted in) once per run, not per round.
//
// The index numbers only the people the indexed sets hold ("present": in a stored set, or the root of a
// singleton), in increasing id order: local number l is the l-th present person, and every per-person array (list
// offsets, coverages, singleton counts, queue links) has one slot per present person instead of one per node. Why:
// a sample holds few of a large graph's people (R-MAT 22 LT wc k = 100 eps = 0.1: 350 K of 2.4 M), and every byte
// of a fresh array is a page the kernel must hand over inside the timed selection: on the benchmark VM that cost
// grows 4-25 fold after a few seconds of idle (docs/benchmarks.md, session 22), and these per-node arrays were 50
// of the run's 82 MB there. The numbers follow the ids, so the bucket queue visits people in the order it did with
// per-node arrays and the greedy's picks are the same. A person's number is read off a rank table: the count of
// present people in the bytes of the presence bitmap before its own, plus those below it in its byte (a 256-entry
// table: no popcount instruction is assumed, the build targets baseline x86-64).
class GreedyCover {
 public:
  // How people are numbered: only those present (kCompact), or every node by its id (kPerNode), or by the
  // graph's size (kBySize: compact from kCompactFrom nodes on).
  enum class Numbering { kBySize, kPerNode, kCompact };
  // Below this many nodes the per-node arrays are under about 10 MB, and numbering only the people present saves
  // less than its work per entry costs (the rank table read at every filing and every walk of a set): on
  // email-Enron (37 K nodes, most of them in a sample) it took 1.18-1.24x the selection time; on R-MAT 20 (646 K
  // nodes) 0.90-1.04x, with 8 MB less peak (docs/benchmarks.md, session 22).
  static constexpr NodeId kCompactFrom = NodeId{1} << 19;

  // The bytes of the per-node and per-person arrays (the latter at their largest, a slot per node) that an index
  // for n nodes cuts from a run's huge-page chunks (run_memory.h): those under 2 MiB (from 2 MiB on an array has
  // its own mapping). Offsets 8 bytes, gains, singleton counts and queue links 4 each; with the compact numbering
  // also the presence bitmaps (2 bits), the rank table (4 bytes per 8 nodes) and the ids (4).
  static size_t ChunkedBytes(NodeId n, Numbering numbering = Numbering::kBySize) {
    const size_t nodes = size_t{n} + 1, bitmap = (nodes + 63) / 64 * 8;
    size_t sum = 0;
    auto add = [&](size_t bytes) { sum += bytes < detail::kHugePage ? bytes : 0; };
    for (size_t bytes : {8 * nodes, 4 * nodes, 4 * nodes, 4 * nodes}) add(bytes);
    if (Compact(n, numbering)) {
      for (size_t bytes : {bitmap, bitmap, 4 * bitmap, 4 * nodes}) add(bytes);
    }
    return sum;
  }

  // choosable (per node, 1: may be chosen; empty: everyone may) and memory (where the index and the queue live)
  // must outlive the object.
  GreedyCover(NodeId n, const RunVector<uint8_t>& choosable, std::pmr::memory_resource* memory,
              Numbering numbering = Numbering::kBySize)
      : n_(n), words_((size_t{n} + 63) / 64),
        compact_(Compact(n, numbering)),
        ok_(choosable), d_(compact_ ? 0 : n), present_(memory), added_(memory), rank_(memory), node_of_(memory),
        cursor_(memory), offsets_(memory), sets_(memory), gain_(memory), singles_(memory), covered_(memory),
        head_(memory), next_(memory), at_least_(memory) {
    // Room for the tables now, so that they take the run's huge pages before the samples do, and for every person
    // in the per-person arrays, so that they never move as the index takes people in: an array of 2 MiB or more
    // has its own mapping (run_memory.h), whose pages are written, and resident, only as far as people are
    // indexed; a smaller one is cut from a chunk of the run's huge pages, resident as a whole (as when the arrays
    // were per node), where moving it would take fresh chunk for each size it grows through.
    if (compact_) {
      present_.reserve(words_);
      added_.reserve(words_);
      rank_.reserve(8 * words_ + 1);
      node_of_.reserve(n);
    }
    offsets_.reserve(size_t{n} + 1);
    offsets_.assign(1, 0);
    gain_.reserve(n);
    singles_.reserve(n);
    next_.reserve(n);
  }

  // The sets each present person lies in, in increasing order, for r's first `sets` sets; resets the coverages
  // for a fresh greedy on them. The index of the call before is extended where it still holds: r in the version it
  // indexed (rr_collection.h: no set removed since) and at least as many sets. Then only the sets added since are
  // filed, after each person's earlier ones, which are moved up to make room (and to their new numbers, where
  // people new to the index come before them); otherwise the index is built afresh, as the extension of an empty
  // one. Why: a run's R1 only grows (rounds double it, the precision rules append to it), and filing all of it
  // again for every greedy was about a third of the greedy's instructions on LT (docs, "Session 11: the LT
  // greedy"); moving a list is a sequential copy, filing it is a count and a scattered write per entry.
  // Filing is a counting sort. Each thread marks the people new to the index, then counts and files one
  // contiguous part of the new sets with its own counters (no atomic operations, which cost more CPU than the
  // counting itself on a shared counter array; the marks take one only for a person's first mark), so every
  // person's list holds its sets in increasing order whatever the threads. A part costs a counter per present
  // person and a pass over them, so there are at most as many parts as the new entries pay for (one per 2n
  // entries): memory stays within the sets' own size. Only the first `sets` of r's sets are indexed (a prefix:
  // the schedule's R1 inside a larger one; a multiple of kRrSetsPerStream or r.size()).
  // Singletons (rr_collection.h) are not filed: each adds 1 to its root's count in singles_ (extended as the index
  // is), which every coverage starts from, and they are never walked: covered iff their root is chosen, nobody
  // else's coverage drops with them. So the coverages, and the greedy's picks and bound, are those of an index
  // that files every set; an emptied singleton counts as an empty set.
  void Index(const RrCollection& r, uint64_t sets) {
    if (version_ == 0 || r.version() != version_ || sets < indexed_stored_ + indexed_singles_ ||
        r.begin(indexed_stored_) != offsets_[d_]) {
      if (compact_) {  // the empty index
        detail::AssignPrefaulted(present_, words_, 0);
        if (added_.size() != words_) detail::AssignPrefaulted(added_, words_, 0);  // (all clear between calls)
        offsets_.assign(1, 0);
        d_ = 0;
      } else {
        detail::AssignPrefaulted(offsets_, size_t{n_} + 1, 0);
      }
      singles_.clear();  // (written only once some singleton is indexed)
      indexed_stored_ = indexed_singles_ = 0;
      indexed_empty_ = 0;
    }
    r_ = &r;
    version_ = r.version();
    counted_ = false;
    const uint64_t first = indexed_stored_, stored = r.stored(sets), singles = r.singletons(sets);
    const uint64_t old_entries = offsets_[d_];
    const uint64_t entries = r.begin(stored);
    const uint64_t parts = std::clamp<uint64_t>((entries - old_entries) / (2 * uint64_t{n_}), 1,
                                                static_cast<uint64_t>(StepThreads()));
    // The people new to the index, and everyone's number from here on.
    const NodeId d_old = d_;
    NodeId d = d_old;
    if (compact_) {
      d += MarkNew(r, old_entries, entries, indexed_singles_, singles, parts);
      if (d > d_old) Rank();
    }
    RoomForEntries(entries, r.nodes.capacity());
    if (compact_) {
      GrowTo(offsets_, size_t{d} + 1);  // (MoveUp moves the old offsets to their new numbers)
      GrowTo(node_of_, d);
    }
    GrowTo(gain_, d);
    if (!singles_.empty()) GrowTo(singles_, d);
    indexed_empty_ += compact_ ? Extend<true>(r, first, stored, parts, d_old, d)
                               : Extend<false>(r, first, stored, parts, d_old, d);
    d_ = d;
    if (compact_ && d > d_old) std::fill(added_.begin(), added_.end(), 0);
    // The new singletons, after the lists (whose move set every coverage from the singletons counted before).
    if (singles > indexed_singles_ && singles_.empty()) detail::AssignPrefaulted(singles_, d, 0);
    for (uint64_t i = indexed_singles_; i < singles; ++i) {
      const NodeId v = r.singles[i];
      if (v == kEmptiedSingleton) {
        ++indexed_empty_;
        continue;
      }
      const NodeId l = Local(v);
      ++singles_[l];
      if (Choosable(v)) max_gain_ = std::max(max_gain_, ++gain_[l]);
    }
    indexed_stored_ = stored;
    indexed_singles_ = singles;
    detail::AssignPrefaulted(covered_, stored, 0);
  }

  // Lazy greedy over a bucket queue of coverages (as in the OPIM-C and SUBSIM code): bucket d holds nodes whose
  // coverage was d when filed; a node found in a bucket above its current coverage moves down. Before each pick
  // the bound on the optimum is the coverage so far plus the k largest current marginal coverages, read off a
  // count of the nodes still held at each coverage or more (TopCoverages).
  // The buckets are stacks threaded through one next-array (a node lies in one bucket at a time): filling them
  // is a pass over the nodes with no allocation, where a vector per bucket cost a push_back call per node, about
  // half of the greedy on a small sample. Bucket 0 collects the nodes that gain nothing and is never visited.
  //
  // fixed (opim_c.h, the fixed prefix): seeds taken first, in order, before the greedy picks the rest. The indexed
  // sets that are empty (sampled with these seeds as stops: each reached one of them) count as covered by them,
  // shared among them in proportion to what each covers of the other sets (which one a stopped set reached first
  // in selection order is not kept).
  Cover ByCardinality(uint32_t k, std::span<const NodeId> fixed = {}) {
    Cover out;
    for (NodeId v : fixed) {
      if (out.seeds.size() < k) TakeNode(v, out);
    }
    if (!out.seeds.empty() && indexed_empty_ > 0) {
      const uint64_t base = out.covered;
      uint64_t given = 0;
      for (uint64_t& gain : out.gains) {
        const uint64_t share = base > 0 ? static_cast<uint64_t>(static_cast<double>(indexed_empty_) *
                                                                static_cast<double>(gain) / static_cast<double>(base))
                                        : 0;
        gain += share;
        given += share;
      }
      out.gains.front() += indexed_empty_ - std::min(given, indexed_empty_);
      out.covered += indexed_empty_;
    }
    const uint32_t max_gain = max_gain_;
    head_.assign(max_gain + 1, kNoNode);
    if (next_.size() < d_) GrowTo(next_, d_);
    // Filed from the last person down, so that each stack pops its people in increasing number (and id) order.
    at_least_.assign(size_t{max_gain} + 2, 0);
    for (NodeId l = d_; l-- > 0;) {
      Push(l);
      ++at_least_[gain_[l]];
    }
    for (uint32_t g = max_gain; g > 1; --g) at_least_[g - 1] += at_least_[g];  // (at_least_[0]: no meaning)
    double bound = std::numeric_limits<double>::infinity();
    for (uint32_t d = max_gain; d > 0 && out.seeds.size() <= k; --d) {
      while (head_[d] != kNoNode) {
        const NodeId l = head_[d];
        if (gain_[l] < d) {
          head_[d] = next_[l];
          Push(l);
          continue;
        }
        bound = std::min(bound, static_cast<double>(out.covered + TopCoverages(d, k)));
        if (out.seeds.size() == k) break;
        head_[d] = next_[l];
        TakeNumber<true>(l, out);
      }
      if (out.seeds.size() == k && head_[d] != kNoNode) break;
    }
    if (out.seeds.size() < k || bound == std::numeric_limits<double>::infinity()) {
      // Everything coverable is covered: nothing more can be gained by anyone.
      bound = std::min(bound, static_cast<double>(out.covered));
    }
    // The greedy's own coverage is at least (1 - 1/e) of the optimum's on R1; not a greedy's with a fixed prefix,
    // whose bound is read at the steps from the prefix on only (the coverages of the others before it would miss
    // the sets emptied for it; from it on, every set it does not cover is whole: opim_c.h, the fixed prefix).
    if (fixed.empty()) bound = std::min(bound, static_cast<double>(out.covered) / (1 - std::exp(-1.0)));
    out.optimum_upper = bound;
    FillUp(out, k);
    counted_ = true;
    return out;
  }

  // After ByCardinality: how many people, neither chosen nor barred, still add exactly v sets, for v in [lo, hi]
  // (lo >= 1: the greedy leaves the chosen and the barred at 0). Read off the greedy's count of them at each
  // coverage or more (a pass over every node was 0.9 M of the 20 M instructions of the greedies of an Enron LT
  // k = 50 run).
  std::vector<uint64_t> GainCounts(uint32_t lo, uint32_t hi) const {
    std::vector<uint64_t> counts(hi - lo + 1, 0);
    if (counted_) {
      auto at_least = [&](uint32_t g) -> uint64_t { return g < at_least_.size() ? at_least_[g] : 0; };
      for (uint32_t g = lo; g <= hi; ++g) counts[g - lo] = at_least(g) - at_least(g + 1);
      return counts;
    }
    for (uint32_t g : gain_) {
      if (g >= lo && g <= hi) ++counts[g - lo];
    }
    return counts;
  }

  Cover ByBudget(const std::vector<double>& cost, double budget) {
    counted_ = false;
    Cover out;
    const std::vector<uint32_t> initial(gain_.begin(), gain_.end());
    double bound = Knapsack(cost, budget);
    using Entry = std::pair<double, NodeId>;  // gain per cost, person's number
    std::vector<Entry> heap;
    for (NodeId l = 0; l < d_; ++l) {
      if (gain_[l] > 0 && cost[NodeOf(l)] <= budget) heap.emplace_back(gain_[l] / cost[NodeOf(l)], l);
    }
    std::make_heap(heap.begin(), heap.end());
    double left = budget;
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end());
      auto [key, l] = heap.back();
      heap.pop_back();
      const double c = cost[NodeOf(l)];
      if (gain_[l] == 0 || c > left) continue;  // covered away, or no longer affordable: never again
      const double fresh = gain_[l] / c;
      if (fresh != key) {
        heap.emplace_back(fresh, l);
        std::push_heap(heap.begin(), heap.end());
        continue;
      }
      left -= c;
      TakeNumber(l, out);
    }
    bound = std::min(bound, static_cast<double>(out.covered) + Knapsack(cost, left));
    // The best single affordable person may beat the ratio greedy.
    NodeId best = d_;
    for (NodeId l = 0; l < d_; ++l) {
      if (initial[l] > 0 && cost[NodeOf(l)] <= budget && (best == d_ || initial[l] > initial[best])) best = l;
    }
    if (best != d_ && initial[best] > out.covered) {
      out.seeds = {NodeOf(best)};
      out.gains = {initial[best]};
      out.covered = initial[best];
    }
    out.optimum_upper = bound;
    return out;
  }

 private:
  static bool Compact(NodeId n, Numbering numbering) {
    return numbering == Numbering::kCompact || (numbering == Numbering::kBySize && n >= kCompactFrom);
  }

  // Resizes a per-number array to n, its contents kept (within the room the constructor gave it), with the pages
  // of the elements added populated first.
  template <typename Vec>
  static void GrowTo(Vec& v, size_t n) {
    detail::ReservePrefaulted(v, n);
    v.resize(n);
  }

  bool Choosable(NodeId v) const { return ok_.empty() || ok_[v] != 0; }

  // The person v's number in the index; v must be present (in an indexed set, or a singleton's root).
  NodeId Local(NodeId v) const { return compact_ ? LocalOf<true>(present_bytes(), rank_.data(), v) : v; }
  // The person numbered l.
  NodeId NodeOf(NodeId l) const { return compact_ ? node_of_[l] : l; }
  const uint8_t* present_bytes() const { return reinterpret_cast<const uint8_t*>(present_.data()); }
  template <bool kCompact>
  [[gnu::always_inline]] static NodeId LocalOf(const uint8_t* present, const uint32_t* rank, NodeId v) {
    if constexpr (kCompact) {
      return rank[v >> 3] + kBitsIn[present[v >> 3] & ((1u << (v & 7)) - 1)];
    } else {
      return v;
    }
  }

  // Chooses the person v, present or not (a fixed seed the indexed sets may not hold: it covers nothing here).
  void TakeNode(NodeId v, Cover& out) {
    if (!compact_) {
      Take<false, false>(v, out);
    } else if (HasNode(present_.data(), v)) {
      Take<false, true>(Local(v), out);
    } else {
      out.seeds.push_back(v);
      out.gains.push_back(0);
    }
  }

  // Chooses the person numbered l (Take, compiled for the numbering in use).
  template <bool held = false>
  void TakeNumber(NodeId l, Cover& out) {
    if (compact_) {
      Take<held, true>(l, out);
    } else {
      Take<held, false>(l, out);
    }
  }
  // Chooses the person numbered l: every set they lie in is covered, and the coverages of the others in them drop
  // (their singletons cover them alone: nothing to walk). held: keep at_least_ (ByCardinality's count of the
  // people at each coverage or more) in step: l leaves every level up to its coverage, and each coverage that
  // drops from g leaves level g. kCompact: compact_ (the numbering, compiled apart).
  template <bool held, bool kCompact>
  void Take(NodeId l, Cover& out) {
    out.seeds.push_back(NodeOf(l));
    out.gains.push_back(gain_[l]);
    out.covered += gain_[l];
    if constexpr (held) {
      for (uint32_t g = gain_[l]; g > 0; --g) --at_least_[g];
    }
    gain_[l] = 0;
    // (The arrays' addresses in locals, and the walk of a set unrolled: a set is 2-10 entries on Enron LT.)
    const RrCollection& r = *r_;
    const NodeId* const nodes = r.nodes.data();
    const uint64_t* const ends = r.ends.data();
    const uint8_t* const present = present_bytes();
    const uint32_t* const rank = rank_.data();
    uint32_t* const gain = gain_.data();
    uint32_t* const at_least = at_least_.data();
    uint8_t* const covered = covered_.data();
    for (uint64_t i = offsets_[l]; i < offsets_[l + 1]; ++i) {
      const uint32_t s = sets_[i];
      if (covered[s]) continue;
      covered[s] = 1;
      const uint64_t set_end = ends[s];
#pragma GCC unroll 4
      for (uint64_t j = s == 0 ? 0 : ends[s - 1]; j < set_end; ++j) {
        const NodeId w = LocalOf<kCompact>(present, rank, nodes[j]);
        if (const uint32_t g = gain[w]; g > 0) {
          gain[w] = g - 1;
          if constexpr (held) --at_least[g];
        }
      }
    }
  }

  // Room in sets_ for `entries`, keeping the entries already indexed: a new buffer's pages are populated before
  // they are copied in (a plain reserve would fault them in one by one while copying). A new buffer is reserved
  // for `room` entries when that is more, up to twice its need: the collection's own room (rr_sampler.h reserves
  // R1 for the round's growth), which the index of a grown R1 then extends in place. Why: a buffer for the
  // round's entries alone was replaced at the growth by one whose pages were all populated again and the old
  // entries copied in, about half of the extension's time on Enron LT k = 100 (selection -8-13%). Why at most
  // twice: a room that had run further ahead (a collection regrown by doubling) took the free end of the run's
  // huge-page chunk from blocks that then went to fresh heap pages (+1 MB of peak on Epinions IC).
  void RoomForEntries(uint64_t entries, uint64_t room) {
    const uint64_t kept = offsets_[d_];
    if (sets_.capacity() < entries) {
      UnzeroedRunVector<uint32_t> fresh(sets_.get_allocator());
      fresh.reserve(std::max(detail::RoomFor<uint32_t>(entries), std::min(room, 2 * entries)));
      detail::Prefault(fresh.data(), entries * sizeof(uint32_t));
      // (resize, then one copy: with this allocator insert copied an entry at a time.)
      fresh.resize(kept);
      if (kept > 0) std::memcpy(fresh.data(), sets_.data(), kept * sizeof(uint32_t));
      sets_.swap(fresh);
    } else {
      detail::ReservePrefaulted(sets_, entries);  // (entries up to size() were written before: present)
    }
    sets_.resize(entries);
  }

  // Moves each present person's indexed list up by the new entries of the people numbered before them, from the
  // last one down (a list only moves up, past where the lists below it end), and to their number among the d now
  // present (people new to the index, marked in added_, come in with an empty list); sets each one's coverage to
  // their whole list's length plus their singletons (singles_, counted before and moved to the new numbers with
  // the lists; compiled apart for a sample without any, so that its loop reads no singles_), and writes node_of_.
  // added(l): l's new entries; place(l, at): called with where l's new entries start, after their moved list; it
  // returns where they end. offsets_[l + 1] becomes that end, so that it is l + 1's start once they are filed.
  // A person's old offset and singleton count are read at their old number before anything is written at their
  // new one, which is never lower than it, and higher than every old number still to be read.
  template <bool kCompact, typename Added, typename Place>
  void MoveUp(uint64_t fresh, NodeId d_old, NodeId d, Added added, Place place) {
    if (singles_.empty()) {
      MoveUpCounting<false, kCompact>(fresh, d_old, d, added, place);
    } else {
      MoveUpCounting<true, kCompact>(fresh, d_old, d, added, place);
    }
  }
  template <bool kSingles, bool kCompact, typename Added, typename Place>
  void MoveUpCounting(uint64_t fresh, NodeId d_old, NodeId d, Added added, Place place) {
    // Raw pointers and the old end carried over: with the vectors, every store made the loop reload them.
    uint64_t* const offsets = offsets_.data();
    uint32_t* const sets = sets_.data();
    uint32_t* const gain = gain_.data();
    NodeId* const node_of = node_of_.data();
    const uint8_t* const ok = ok_.empty() ? nullptr : ok_.data();  // (null: everyone may be chosen)
    uint32_t* const singles = singles_.data();
    const uint64_t* const present = present_.data();
    const uint64_t* const is_new = added_.data();
    uint32_t max_gain = 0;
    if (kCompact ? d_old == 0 : offsets[d_old] == 0) {
      // Nothing indexed yet (a fresh index, whose singletons are counted after this, or in the per-node numbering
      // an index of singletons only): no list to move, so a plain prefix sum from the first person up.
      uint64_t at = 0;
      auto person = [&](NodeId v, NodeId l) {
        const uint64_t count = added(l);
        offsets[l + 1] = place(l, at);
        at += count;
        const uint32_t g = ok == nullptr || ok[v] ? static_cast<uint32_t>(count + (kSingles ? singles[l] : 0)) : 0;
        gain[l] = g;
        max_gain = std::max(max_gain, g);
      };
      if constexpr (kCompact) {
        NodeId l = 0;
        for (size_t w = 0; w < words_; ++w) {
          for (uint64_t bits = present[w]; bits != 0; bits &= bits - 1) {
            const auto v = static_cast<NodeId>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
            node_of[l] = v;
            person(v, l++);
          }
        }
      } else {
        for (NodeId v = 0; v < n_; ++v) person(v, v);
      }
      max_gain_ = max_gain;
      return;
    }
    uint64_t shift = fresh;  // new entries of the people before l (and of l, until l's are taken off)
    uint64_t old_end = offsets[d_old];
    // The lists move in blocks: a person with new entries and the people below them without any (down to the next
    // one with some) have the same shift and lie next to each other, so their lists move as one range, the block
    // [lo, block_end), once the loop has found its low end. Why: a node at a time was a branchy small copy per
    // node, all n of them whatever the new entries: 0.65-0.70 ms of a 0.7 ms extension by 15 K entries (a
    // precision rule's last step) on soc-Epinions1 IC wc, 0.27-0.33 ms in blocks (docs/benchmarks.md, session
    // 15). Where most people have new entries (a round's doubling) the blocks are single lists, moved as before.
    uint64_t block_end = old_end;  // the pending block's high end; it moves by shift
    auto move_block = [&](uint64_t lo) {
      if (shift == 0 || lo == block_end) return;
      if (block_end - lo <= 16) {
        MoveList(sets, lo, block_end, shift);
      } else {
        std::memmove(sets + lo + shift, sets + lo, (block_end - lo) * sizeof(uint32_t));
      }
    };
    // The person v, numbered l now and o before (kNoNode: new to the index, no list yet).
    auto person = [&](NodeId v, NodeId l, NodeId o) {
      uint64_t old_begin = old_end;
      uint32_t single = 0;
      if (o != kNoNode) {
        old_begin = offsets[o];
        if constexpr (kSingles) single = singles[o];
      }
      if constexpr (kSingles && kCompact) singles[l] = single;
      const uint64_t count = added(l);
      if (count > 0) {  // l heads a new block
        move_block(old_end);
        shift -= count;
        block_end = old_end;
      }
      offsets[l + 1] = place(l, old_end + shift);
      const uint32_t g = ok == nullptr || ok[v] ? static_cast<uint32_t>(old_end - old_begin + count + single) : 0;
      gain[l] = g;
      max_gain = std::max(max_gain, g);
      old_end = old_begin;
    };
    if constexpr (kCompact) {
      NodeId l = d, o = d_old;  // the next person's new and old numbers, plus one
      for (size_t w = words_; w-- > 0;) {
        for (uint64_t bits = present[w]; bits != 0;) {
          const int b = 63 - std::countl_zero(bits);
          bits &= ~(uint64_t{1} << b);
          const auto v = static_cast<NodeId>(w * 64 + static_cast<size_t>(b));
          node_of[--l] = v;
          person(v, l, ((is_new[w] >> b) & 1) != 0 ? kNoNode : --o);
        }
      }
    } else {
      for (NodeId v = n_; v-- > 0;) person(v, v, v);
    }
    move_block(old_end);
    max_gain_ = max_gain;
  }

  // Moves the list sets[begin, end) up by shift > 0 (onto itself where shift is short). Every piece is read
  // before any of it is written, and a piece's stores land at or above its own reads and below nothing read
  // later: a list of up to 8 entries as its first and last two or four (overlapping where it is shorter), a longer
  // one in blocks of four from the top down after its lowest four were read. Why: an entry at a time was 6
  // instructions per entry moved plus a loop per node, most of the index's extension on LT (a list is 1-10
  // entries on Enron; a block is one 8- or 16-byte load and store).
  [[gnu::always_inline]] static void MoveList(uint32_t* sets, uint64_t begin, uint64_t end, uint64_t shift) {
    const uint64_t len = end - begin;
    if (len < 4) {
      if (len >= 2) {
        uint64_t low, high;
        std::memcpy(&low, sets + begin, sizeof(low));
        std::memcpy(&high, sets + end - 2, sizeof(high));
        std::memcpy(sets + begin + shift, &low, sizeof(low));
        std::memcpy(sets + end - 2 + shift, &high, sizeof(high));
      } else if (len == 1) {
        sets[begin + shift] = sets[begin];
      }
      return;
    }
    uint32_t low[4], block[4];
    std::memcpy(low, sets + begin, sizeof(low));
    if (len <= 8) {
      std::memcpy(block, sets + end - 4, sizeof(block));
      std::memcpy(sets + end - 4 + shift, block, sizeof(block));
    } else {
      for (uint64_t i = end - 4; i > begin; i -= std::min<uint64_t>(4, i - begin)) {
        std::memcpy(block, sets + i, sizeof(block));
        std::memcpy(sets + i + shift, block, sizeof(block));
      }
    }
    std::memcpy(sets + begin + shift, low, sizeof(low));
  }

  // Marks the people that r's entries [begin, end) and singleton roots [s_from, s_to) hold and the index does not
  // yet, in present_ and in added_ (which MoveUp reads to tell them from the people indexed before); returns how
  // many. In `parts` contiguous parts of the entries on as many threads, where a word's bits are set with an
  // atomic or (a person's first mark only: the others find their bit set).
  NodeId MarkNew(const RrCollection& r, uint64_t begin, uint64_t end, uint64_t s_from, uint64_t s_to,
                 uint64_t parts) {
    uint64_t* const present = present_.data();
    uint64_t* const added = added_.data();
    const NodeId* const nodes = r.nodes.data();
    auto mark = [&](NodeId v) {
      if (!HasNode(present, v)) {
        AddNode(present, v);
        AddNode(added, v);
      }
    };
    if (parts == 1) {
#pragma GCC unroll 4
      for (uint64_t i = begin; i < end; ++i) mark(nodes[i]);
    } else {
      detail::ParallelFor(parts, [&](uint64_t t) {
        for (uint64_t i = begin + (end - begin) * t / parts, e = begin + (end - begin) * (t + 1) / parts; i < e;
             ++i) {
          const NodeId v = nodes[i];
          const uint64_t bit = uint64_t{1} << (v & 63);
          if ((__atomic_load_n(&present[v >> 6], __ATOMIC_RELAXED) & bit) == 0) {
            __atomic_fetch_or(&present[v >> 6], bit, __ATOMIC_RELAXED);
            __atomic_fetch_or(&added[v >> 6], bit, __ATOMIC_RELAXED);
          }
        }
      });
    }
    for (uint64_t i = s_from; i < s_to; ++i) {
      if (const NodeId v = r.singles[i]; v != kEmptiedSingleton) mark(v);
    }
    NodeId fresh = 0;
    for (size_t w = 0; w < words_; ++w) fresh += static_cast<NodeId>(std::popcount(added[w]));
    return fresh;
  }

  // The rank table of present_: rank_[b] people are present in the bitmap's bytes before byte b.
  void Rank() {
    const uint8_t* const bytes = present_bytes();
    rank_.resize(8 * words_ + 1);
    uint32_t* const rank = rank_.data();
    uint32_t sum = 0;
    for (size_t b = 0; b < 8 * words_; ++b) {
      rank[b] = sum;
      sum += kBitsIn[bytes[b]];
    }
    rank[8 * words_] = sum;
  }

  // Index()'s extension of the stored sets [first, sets) (rr_collection.h's numbers), d_old people indexed before
  // and d now, in `parts` parts; returns how many of the new sets are empty.
  template <bool kCompact>
  uint64_t Extend(const RrCollection& r, uint64_t first, uint64_t sets, uint64_t parts, NodeId d_old, NodeId d) {
    if (parts == 1) return ExtendOnePart<kCompact>(r, first, sets, d_old, d);
    ExtendInParts<kCompact>(r, first, sets, parts, d_old, d);
    uint64_t empty = 0;
    for (uint64_t set = first; set < sets; ++set) empty += r.begin(set) == r.ends[set];
    return empty;
  }

  // On this thread (one thread, or too few new entries to pay for more parts): counts into gain_ (rewritten by
  // MoveUp anyway), so that no counter array is cleared and touched, and files with offsets_[l + 1] as l's cursor,
  // which leaves it at l's end: l + 1's start.
  // Filing walks the new entries once, with the set's end read once per set and the arrays' addresses in locals
  // (about 3 instructions an entry fewer than indexing the vectors per entry). Returns how many of the new sets
  // are empty (counted on the way).
  template <bool kCompact>
  uint64_t ExtendOnePart(const RrCollection& r, uint64_t first, uint64_t sets, NodeId d_old, NodeId d) {
    const uint64_t begin = r.begin(first), end = r.begin(sets);
    const NodeId* const nodes = r.nodes.data();
    const uint8_t* const present = present_bytes();
    const uint32_t* const rank = rank_.data();
    std::fill(gain_.begin(), gain_.end(), 0);
    uint32_t* const count = gain_.data();
#pragma GCC unroll 4
    for (uint64_t i = begin; i < end; ++i) ++count[LocalOf<kCompact>(present, rank, nodes[i])];
    MoveUp<kCompact>(
        end - begin, d_old, d, [&](NodeId l) -> uint64_t { return gain_[l]; },
        [](NodeId, uint64_t at) { return at; });
    const uint64_t* const ends = r.ends.data();
    uint64_t* const cursor = offsets_.data() + 1;
    uint32_t* const out = sets_.data();
    uint64_t i = begin, empty = 0;
    for (uint64_t set = first; set < sets; ++set) {
      const auto id = static_cast<uint32_t>(set);
      const uint64_t set_end = ends[set];
      empty += i == set_end;
#pragma GCC unroll 4
      for (; i < set_end; ++i) out[cursor[LocalOf<kCompact>(present, rank, nodes[i])]++] = id;
    }
    return empty;
  }

  // Index()'s extension by `parts` threads, each counting and filing one contiguous part of the new sets with its
  // own counters.
  template <bool kCompact>
  void ExtendInParts(const RrCollection& r, uint64_t first, uint64_t sets, uint64_t parts, NodeId d_old,
                     NodeId d) {
    if (cursor_.size() < parts) cursor_.resize(parts);
    const uint64_t per_part = (sets - first + parts - 1) / parts;
    auto part_sets = [&](uint64_t t) {
      return std::pair{std::min(sets, first + t * per_part), std::min(sets, first + (t + 1) * per_part)};
    };
    const uint8_t* const present = present_bytes();
    const uint32_t* const rank = rank_.data();
    detail::ParallelFor(parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      detail::AssignPrefaulted(c, d, 0);
      const auto [lo, hi] = part_sets(t);
      for (uint64_t i = r.begin(lo); i < r.begin(hi); ++i) ++c[LocalOf<kCompact>(present, rank, r.nodes[i])];
    });
    // Part t files l's sets from cursor_[t][l] on.
    MoveUp<kCompact>(
        r.begin(sets) - r.begin(first), d_old, d,
        [&](NodeId l) {
          uint64_t count = 0;
          for (uint64_t t = 0; t < parts; ++t) count += cursor_[t][l];
          return count;
        },
        [&](NodeId l, uint64_t at) {
          for (uint64_t t = 0; t < parts; ++t) {
            const uint64_t c = cursor_[t][l];
            cursor_[t][l] = at;
            at += c;
          }
          return at;
        });
    detail::ParallelFor(parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      const auto [lo, hi] = part_sets(t);
      for (uint64_t set = lo; set < hi; ++set) {
        for (uint64_t i = r.begin(set); i < r.ends[set]; ++i) {
          sets_[c[LocalOf<kCompact>(present, rank, r.nodes[i])]++] = static_cast<uint32_t>(set);
        }
      }
    });
  }

  // Files the person numbered l in the bucket of their current coverage (ByCardinality's queue).
  void Push(NodeId l) {
    const uint32_t g = gain_[l];
    next_[l] = head_[g];
    head_[g] = l;
  }

  // Sum of the k largest current coverages of the nodes not chosen, all of which are at most d: the sum over the
  // levels g = 1..d of min(k, at_least_[g]) (each of the k largest counts once at every level up to its own
  // coverage), read from d down until a level holds k nodes, below which every level adds k. Why counts kept
  // per coverage: scanning the buckets for the k largest visited every node filed above them, most of them stale,
  // hundreds per pick at k = 100: half of the greedy's instructions on LT (docs, "Session 11: the LT greedy").
  // Why the count of those at each coverage or more rather than at each coverage: a coverage that drops then
  // changes one count, not two (session 12; v chosen leaves all levels up to its coverage, a short loop).
  uint64_t TopCoverages(uint32_t d, uint32_t k) const {
    uint64_t sum = 0;
    for (uint32_t g = d; g > 0; --g) {
      if (at_least_[g] >= k) return sum + uint64_t{k} * g;
      sum += at_least_[g];
    }
    return sum;
  }

  // Fractional knapsack over the current gains: an upper bound on what any set of cost <= budget adds.
  double Knapsack(const std::vector<double>& cost, double budget) const {
    std::vector<NodeId> order;  // people's numbers
    for (NodeId l = 0; l < d_; ++l) {
      if (gain_[l] > 0) order.push_back(l);
    }
    std::sort(order.begin(), order.end(),
              [&](NodeId a, NodeId b) { return gain_[a] / cost[NodeOf(a)] > gain_[b] / cost[NodeOf(b)]; });
    double sum = 0;
    for (NodeId l : order) {
      if (budget <= 0) break;
      const double c = cost[NodeOf(l)];
      double take = std::min(1.0, budget / c);
      sum += take * gain_[l];
      budget -= take * c;
    }
    return sum;
  }

  // Fewer than k seeds gain anything: complete the list with choosable people, in id order, who add nothing.
  void FillUp(Cover& out, uint32_t k) const {
    if (out.seeds.size() >= k) return;
    std::vector<uint8_t> taken(n_, 0);
    for (NodeId s : out.seeds) taken[s] = 1;
    for (NodeId v = 0; v < n_ && out.seeds.size() < k; ++v) {
      if (Choosable(v) && !taken[v]) {
        out.seeds.push_back(v);
        out.gains.push_back(0);
      }
    }
  }

  // A byte's set bits.
  static constexpr auto kBitsIn = [] {
    std::array<uint8_t, 256> bits{};
    for (size_t b = 0; b < 256; ++b) bits[b] = static_cast<uint8_t>(std::popcount(b));
    return bits;
  }();

  const RrCollection* r_ = nullptr;
  NodeId n_;
  size_t words_;  // of a bitmap of n bits
  bool compact_;  // people numbered among those present (else by id)
  const RunVector<uint8_t>& ok_;
  // The people numbered, d_ of them (compact: those the index holds; per node: n), and, compact, the people the
  // index holds and those new to it during Index().
  NodeId d_;
  RunVector<uint64_t> present_, added_;
  RunVector<uint32_t> rank_;               // Rank()
  RunVector<NodeId> node_of_;              // per person's number: the person
  RunVector<RunVector<uint64_t>> cursor_;  // per part of the sets: its count, then its filing position, per number
  RunVector<uint64_t> offsets_;            // per number, and the end
  UnzeroedRunVector<uint32_t> sets_;       // (resized, then filed: never read unwritten)
  RunVector<uint32_t> gain_;               // per number
  RunVector<uint32_t> singles_;  // per number: the indexed singletons rooted there (empty while there are none)
  RunVector<uint8_t> covered_;   // per indexed stored set
  uint32_t max_gain_ = 0;        // the largest coverage after Index()
  // What the index holds: the first indexed_stored_ + indexed_singles_ sets of the collection version_ (0: none
  // yet), indexed_stored_ of them stored and indexed_singles_ singletons; indexed_empty_ of them are empty
  // (stopped at or emptied for a fixed seed: ByCardinality credits them to the fixed prefix).
  uint64_t version_ = 0, indexed_stored_ = 0, indexed_singles_ = 0, indexed_empty_ = 0;
  // ByCardinality's bucket queue: the top person of bucket d, and the one below each person in their bucket (by
  // number).
  static constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
  RunVector<NodeId> head_;
  RunVector<NodeId> next_;
  // ByCardinality's count of the nodes not chosen at each coverage g or more, for g >= 1 (at_least_[0]: no
  // meaning), kept by Take<true>; counted_: it holds for the coverages (ByCardinality ran last; GainCounts).
  RunVector<uint32_t> at_least_;
  bool counted_ = false;
};

}  // namespace vouch::influence::detail
