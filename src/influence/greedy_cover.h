// The greedy maximum coverage of R1 (opim_c.cc): by cardinality (a lazy bucket queue, with the greedy's own bound
// on the optimum) or by budget (gain per cost, with a fractional-knapsack bound). Not thread-safe; Index() uses the
// calling arena's threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory_resource>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

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
// round before, so that the O(n) arrays are allocated (and their pages faulted in) once per run, not per round.
class GreedyCover {
 public:
  // choosable and memory (where the index and the queue live) must outlive the object.
  GreedyCover(NodeId n, const RunVector<uint8_t>& choosable, std::pmr::memory_resource* memory)
      : n_(n), ok_(choosable), cursor_(memory), offsets_(memory), sets_(memory), gain_(memory), singles_(memory),
        covered_(memory),
        head_(memory), next_(memory), at_least_(memory) {
    // Room for the per-node arrays now, so that they take the run's huge pages before the samples do (their pages
    // are written when the first round's index is built).
    offsets_.reserve(size_t{n} + 1);
    gain_.reserve(n);
    singles_.reserve(n);
    next_.reserve(n);
  }

  // The sets each node lies in, in increasing order, for r's first `sets` sets; resets the coverages for a fresh
  // greedy on them. The index of the call before is extended where it still holds: r in the version it indexed
  // (rr_collection.h: no set removed since) and at least as many sets. Then only the sets added since are filed,
  // after each node's earlier ones, which are moved up to make room; otherwise the index is built afresh, as the
  // extension of an empty one. Why: a run's R1 only grows (rounds double it, the precision rules append to it), and
  // filing all of it again for every greedy was about a third of the greedy's instructions on LT (docs, "Session
  // 11: the LT greedy"); moving a list is a sequential copy, filing it is a count and a scattered write per entry.
  // Filing is a counting sort. Each thread counts and then files one contiguous part of the new sets with its own
  // counters (no atomic operations, which cost more CPU than the counting itself on a shared counter array), so
  // every node's list holds its sets in increasing order whatever the threads. A part costs n counters and a pass
  // over them, so there are at most as many parts as the new entries pay for (one per 2n entries): memory stays
  // within the sets' own size. Only the first `sets` of r's sets are indexed (a prefix: the schedule's R1 inside a
  // larger one; a multiple of kRrSetsPerStream or r.size(), rr_collection.h).
  // Singletons (rr_collection.h) are not filed: each adds 1 to its root's count in singles_ (extended as the index
  // is), which every coverage starts from, and they are never walked: covered iff their root is chosen, nobody
  // else's coverage drops with them. So the coverages, and the greedy's picks and bound, are those of an index
  // that files every set; an emptied singleton counts as an empty set.
  void Index(const RrCollection& r, uint64_t sets) {
    if (version_ == 0 || r.version() != version_ || sets < indexed_stored_ + indexed_singles_ ||
        r.begin(indexed_stored_) != offsets_[n_]) {
      detail::AssignPrefaulted(offsets_, size_t{n_} + 1, 0);  // the empty index
      singles_.clear();  // (written only once some singleton is indexed: none on LT wc, whose walks never stop at
                         // a root with in-arcs)
      indexed_stored_ = indexed_singles_ = 0;
      indexed_empty_ = 0;
    }
    r_ = &r;
    version_ = r.version();
    counted_ = false;
    const uint64_t first = indexed_stored_, stored = r.stored(sets), singles = r.singletons(sets);
    if (singles > indexed_singles_ && singles_.empty()) detail::AssignPrefaulted(singles_, n_, 0);
    for (uint64_t i = indexed_singles_; i < singles; ++i) {
      const NodeId v = r.singles[i];
      if (v == kEmptiedSingleton) {
        ++indexed_empty_;
      } else {
        ++singles_[v];
      }
    }
    const uint64_t old_entries = offsets_[n_];
    const uint64_t entries = r.begin(stored);
    const uint64_t parts = std::clamp<uint64_t>((entries - old_entries) / (2 * uint64_t{n_}), 1,
                                                static_cast<uint64_t>(StepThreads()));
    RoomForEntries(entries, r.nodes.capacity());
    detail::ReservePrefaulted(gain_, n_);
    gain_.resize(n_);
    if (parts == 1) {
      indexed_empty_ += ExtendOnePart(r, first, stored);
    } else {
      ExtendInParts(r, first, stored, parts);
      for (uint64_t set = first; set < stored; ++set) indexed_empty_ += r.begin(set) == r.ends[set];
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
      if (out.seeds.size() < k) Take(v, out);
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
    if (next_.size() < n_) {
      detail::ReservePrefaulted(next_, n_);
      next_.resize(n_);
    }
    // Filed from the last node down, so that each stack pops its nodes in increasing id order.
    at_least_.assign(size_t{max_gain} + 2, 0);
    for (NodeId v = n_; v-- > 0;) {
      Push(v);
      ++at_least_[gain_[v]];
    }
    for (uint32_t g = max_gain; g > 1; --g) at_least_[g - 1] += at_least_[g];  // (at_least_[0]: no meaning)
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
        Take<true>(v, out);
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
  // Chooses v: every set it lies in is covered, and the coverages of the other nodes in them drop (its singletons
  // cover v alone: nothing to walk). held: keep at_least_ (ByCardinality's count of the nodes at each coverage or
  // more) in step: v leaves every level up to its coverage, and each coverage that drops from g leaves level g.
  template <bool held = false>
  void Take(NodeId v, Cover& out) {
    out.seeds.push_back(v);
    out.gains.push_back(gain_[v]);
    out.covered += gain_[v];
    if constexpr (held) {
      for (uint32_t g = gain_[v]; g > 0; --g) --at_least_[g];
    }
    gain_[v] = 0;
    // (The arrays' addresses in locals, and the walk of a set unrolled: a set is 2-10 entries on Enron LT.)
    const RrCollection& r = *r_;
    const NodeId* const nodes = r.nodes.data();
    const uint64_t* const ends = r.ends.data();
    uint32_t* const gain = gain_.data();
    uint32_t* const at_least = at_least_.data();
    uint8_t* const covered = covered_.data();
    for (uint64_t i = offsets_[v]; i < offsets_[v + 1]; ++i) {
      const uint32_t s = sets_[i];
      if (covered[s]) continue;
      covered[s] = 1;
      const uint64_t set_end = ends[s];
#pragma GCC unroll 4
      for (uint64_t j = s == 0 ? 0 : ends[s - 1]; j < set_end; ++j) {
        const NodeId w = nodes[j];
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
    const uint64_t kept = offsets_[n_];
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

  // Moves each node's indexed list up by the new entries of the nodes before it, from the last node down (a list
  // only moves up, past where the lists below it end), and sets its coverage to its whole list's length plus its
  // singletons (singles_, counted before; compiled apart for a sample without any, LT wc, so that its loop reads
  // no singles_). added(v):
  // v's new entries; place(v, at): called with where v's new entries start, after its moved list; it returns where
  // they end. offsets_[v + 1] becomes that end, so that it is v + 1's start once they are filed.
  template <typename Added, typename Place>
  void MoveUp(uint64_t fresh, Added added, Place place) {
    if (singles_.empty()) {
      MoveUpCounting<false>(fresh, added, place);
    } else {
      MoveUpCounting<true>(fresh, added, place);
    }
  }
  template <bool kSingles, typename Added, typename Place>
  void MoveUpCounting(uint64_t fresh, Added added, Place place) {
    // Raw pointers and the old end carried over: with the vectors, every store made the loop reload them.
    uint64_t* const offsets = offsets_.data();
    uint32_t* const sets = sets_.data();
    uint32_t* const gain = gain_.data();
    const uint8_t* const ok = ok_.data();
    const uint32_t* const singles = singles_.data();
    uint64_t shift = fresh;  // new entries of the nodes before v (and of v, until v's are taken off)
    uint64_t old_end = offsets[n_];
    uint32_t max_gain = 0;
    if (old_end == 0) {
      // Nothing indexed yet (a fresh index): no list to move, so a plain prefix sum from the first node up.
      uint64_t at = 0;
      for (NodeId v = 0; v < n_; ++v) {
        const uint64_t count = added(v);
        offsets[v + 1] = place(v, at);
        at += count;
        const uint32_t g = ok[v] ? static_cast<uint32_t>(count + (kSingles ? singles[v] : 0)) : 0;
        gain[v] = g;
        max_gain = std::max(max_gain, g);
      }
      max_gain_ = max_gain;
      return;
    }
    // The lists move in blocks: a node with new entries and the nodes below it without any (down to the next one
    // with some) have the same shift and lie next to each other, so their lists move as one range, the block
    // [lo, block_end), once the loop has found its low end. Why: a node at a time was a branchy small copy per
    // node, all n of them whatever the new entries: 0.65-0.70 ms of a 0.7 ms extension by 15 K entries (a
    // precision rule's last step) on soc-Epinions1 IC wc, 0.27-0.33 ms in blocks (docs/benchmarks.md, session
    // 15). Where most nodes have new entries (a round's doubling) the blocks are single lists, moved as before.
    uint64_t block_end = old_end;  // the pending block's high end; it moves by shift
    auto move_block = [&](uint64_t lo) {
      if (shift == 0 || lo == block_end) return;
      if (block_end - lo <= 16) {
        MoveList(sets, lo, block_end, shift);
      } else {
        std::memmove(sets + lo + shift, sets + lo, (block_end - lo) * sizeof(uint32_t));
      }
    };
    for (NodeId v = n_; v-- > 0;) {
      const uint64_t old_begin = offsets[v];
      const uint64_t count = added(v);
      if (count > 0) {  // v heads a new block
        move_block(old_end);
        shift -= count;
        block_end = old_end;
      }
      offsets[v + 1] = place(v, old_end + shift);
      const uint32_t g = ok[v] ? static_cast<uint32_t>(old_end - old_begin + count + (kSingles ? singles[v] : 0)) : 0;
      gain[v] = g;
      max_gain = std::max(max_gain, g);
      old_end = old_begin;
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

  // Index()'s extension of the stored sets [first, sets) (rr_collection.h's numbers).
  // On this thread (one thread, or too few new entries to pay for more parts): counts into
  // gain_ (rewritten by MoveUp anyway), so that no n-sized counter array is cleared and touched, and files with
  // offsets_[v + 1] as v's cursor, which leaves it at v's end: v + 1's start.
  // Filing walks the new entries once, with the set's end read once per set and the arrays' addresses in locals
  // (about 3 instructions an entry fewer than indexing the vectors per entry). Returns how many of the new sets
  // are empty (counted on the way).
  uint64_t ExtendOnePart(const RrCollection& r, uint64_t first, uint64_t sets) {
    const uint64_t begin = r.begin(first), end = r.begin(sets);
    const NodeId* const nodes = r.nodes.data();
    std::fill(gain_.begin(), gain_.end(), 0);
    uint32_t* const count = gain_.data();
#pragma GCC unroll 4
    for (uint64_t i = begin; i < end; ++i) ++count[nodes[i]];
    MoveUp(
        end - begin, [&](NodeId v) -> uint64_t { return gain_[v]; }, [](NodeId, uint64_t at) { return at; });
    const uint64_t* const ends = r.ends.data();
    uint64_t* const cursor = offsets_.data() + 1;
    uint32_t* const out = sets_.data();
    uint64_t i = begin, empty = 0;
    for (uint64_t set = first; set < sets; ++set) {
      const auto id = static_cast<uint32_t>(set);
      const uint64_t set_end = ends[set];
      empty += i == set_end;
#pragma GCC unroll 4
      for (; i < set_end; ++i) out[cursor[nodes[i]]++] = id;
    }
    return empty;
  }

  // Index()'s extension by `parts` threads, each counting and filing one contiguous part of the new sets with its
  // own counters.
  void ExtendInParts(const RrCollection& r, uint64_t first, uint64_t sets, uint64_t parts) {
    if (cursor_.size() < parts) cursor_.resize(parts);
    const uint64_t per_part = (sets - first + parts - 1) / parts;
    auto part_sets = [&](uint64_t t) {
      return std::pair{std::min(sets, first + t * per_part), std::min(sets, first + (t + 1) * per_part)};
    };
    detail::ParallelFor(parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      detail::AssignPrefaulted(c, n_, 0);
      const auto [lo, hi] = part_sets(t);
      for (uint64_t i = r.begin(lo); i < r.begin(hi); ++i) ++c[r.nodes[i]];
    });
    // Part t files v's sets from cursor_[t][v] on.
    MoveUp(
        r.begin(sets) - r.begin(first),
        [&](NodeId v) {
          uint64_t count = 0;
          for (uint64_t t = 0; t < parts; ++t) count += cursor_[t][v];
          return count;
        },
        [&](NodeId v, uint64_t at) {
          for (uint64_t t = 0; t < parts; ++t) {
            const uint64_t c = cursor_[t][v];
            cursor_[t][v] = at;
            at += c;
          }
          return at;
        });
    detail::ParallelFor(parts, [&](uint64_t t) {
      RunVector<uint64_t>& c = cursor_[t];
      const auto [lo, hi] = part_sets(t);
      for (uint64_t set = lo; set < hi; ++set) {
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
  UnzeroedRunVector<uint32_t> sets_;  // (resized, then filed: never read unwritten)
  RunVector<uint32_t> gain_;
  RunVector<uint32_t> singles_;  // per node: the indexed singletons rooted there (empty while there are none)
  RunVector<uint8_t> covered_;   // per indexed stored set
  uint32_t max_gain_ = 0;  // the largest coverage after Index()
  // What the index holds: the first indexed_stored_ + indexed_singles_ sets of the collection version_ (0: none
  // yet), indexed_stored_ of them stored and indexed_singles_ singletons; indexed_empty_ of them are empty (stopped
  // at or emptied for a fixed seed: ByCardinality credits them to the fixed prefix).
  uint64_t version_ = 0, indexed_stored_ = 0, indexed_singles_ = 0, indexed_empty_ = 0;
  // ByCardinality's bucket queue: the top node of bucket d, and the node below each node in its bucket.
  static constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
  RunVector<NodeId> head_;
  RunVector<NodeId> next_;
  // ByCardinality's count of the nodes not chosen at each coverage g or more, for g >= 1 (at_least_[0]: no
  // meaning), kept by Take<true>; counted_: it holds for the coverages (ByCardinality ran last; GainCounts).
  RunVector<uint32_t> at_least_;
  bool counted_ = false;
};

}  // namespace vouch::influence::detail
