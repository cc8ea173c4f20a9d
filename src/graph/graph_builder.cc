#include "vouch/graph/graph_builder.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include "graph/row_sort.h"
#include "vouch/graph/big_vector.h"

namespace vouch::graph {
namespace {

constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
// How many arcs ahead a scatter asks for the cursor it will need (a few cache misses' worth of work).
constexpr size_t kPrefetch = 16;

// The arrays behind a built graph.
struct OwnedArrays {
  BigVector<uint64_t> out_offsets, in_offsets;
  BigVector<NodeId> out_targets, in_sources;
  BigVector<float> out_weights, in_weights;
  BigVector<uint64_t> integer_ids;
  std::vector<uint64_t> string_offsets;
  std::vector<char> string_chars;
};

// 64 possible integer ids: which are present, and how many present ids come before them.
struct IdWord {
  uint64_t bits;
  uint64_t before;
};

// Rewrites ids[0, count) from integer ids to dense ids through the bitmap of the ids present. Compiled twice, for
// processors with the popcnt instruction and without (chosen once at load time): the build targets baseline
// x86-64, where std::popcount is a library call, and this loop is one lookup and one count per id of the file.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
void ToDenseIds(uint32_t* ids, size_t count, const IdWord* present) {
  for (size_t i = 0; i < count; ++i) {
    const uint32_t x = ids[i];
    const IdWord& word = present[x >> 6];
    ids[i] = static_cast<NodeId>(
        word.before + static_cast<uint64_t>(std::popcount(word.bits & ((uint64_t{1} << (x & 63)) - 1))));
  }
}

// An out-arc with its weight, for sorting weighted rows.
struct WeightedArc {
  NodeId target;
  float weight;
};

// Per-worker counts of arcs per row (counts[g][v] for v < n), each worker counting its own share of the arcs:
// no atomic increments, which contend on hub nodes.
using WorkerCounts = std::vector<BigVector<uint64_t>>;

WorkerCounts ZeroCounts(size_t workers, uint64_t n) {
  WorkerCounts counts(workers);
  for (auto& c : counts) c.assign(n, 0);
  return counts;
}

// Row offsets from per-worker counts, in place: offsets[v] is the start of row v (offsets[n] the end of the
// last), and counts[g][v] becomes worker g's first slot in row v, so that workers scatter into disjoint slots
// and each row holds worker 0's arcs, then worker 1's, and so on (the order of the input when workers own
// consecutive shares of it).
uint64_t CountsToCursors(WorkerCounts& counts, BigVector<uint64_t>& offsets, uint64_t n) {
  offsets.resize(n + 1);
  uint64_t sum = 0;
  for (uint64_t v = 0; v < n; ++v) {
    offsets[v] = sum;
    for (auto& c : counts) {
      const uint64_t d = c[v];
      c[v] = sum;
      sum += d;
    }
  }
  offsets[n] = sum;
  return sum;
}

// Worker g's share [begin, end) of items 0..count-1, in consecutive blocks.
std::pair<size_t, size_t> Share(size_t count, size_t workers, size_t g) {
  return {count * g / workers, count * (g + 1) / workers};
}

// Nodes per block (as a power of two) for the partitioned path: about kBlockArcs arcs per block on average, so
// that a block's arcs and its sort's scratch stay in the core's L2 cache, and at most 2^kMaxBucketBits blocks, so
// that the partition's write streams (one per block) stay in the L1 cache.
constexpr uint64_t kBlockArcs = 16384;
constexpr int kMaxBucketBits = 11;

int BlockBits(uint64_t n, int key_bits, uint64_t arcs) {
  if (n <= 1 || arcs == 0) return 0;
  const uint64_t nodes_per_block = std::max<uint64_t>(1, kBlockArcs * n / arcs);
  const int by_arcs = static_cast<int>(std::bit_width(nodes_per_block)) - 1;
  // Smaller blocks than the arcs ask for where a block offset and a node id would not fit 32 bits together; the
  // caller falls back to the per-row scatter when even 2^kMaxBucketBits blocks are too few.
  return std::min(std::clamp(by_arcs, std::max(0, key_bits - kMaxBucketBits), key_bits),
                  std::max(32 - key_bits, std::max(0, key_bits - kMaxBucketBits)));
}

// Sorts each block's packed arcs (a node's offset in its block above key_bits, the other end below) by the
// whole packed value, so that they come out in rows by node and sorted within each row; unpacks them in place to
// the other end only, and writes each node's row length to length[node] (the node's arcs after merging
// duplicates when dedup). With ends_sorted, each block's arcs are already in order of their other end, and a
// stable sort on the node's offset alone (one pass) gives the same order. kept[b] is the number of arcs block b
// keeps, at the front of its region. A block's arcs, its sort's scratch and its lengths are small enough to stay
// in cache (BlockBits).
void SortBlocks(NodeId* arcs, const std::vector<uint64_t>& block_start, uint64_t n, int key_bits, int block_bits,
                bool dedup, bool ends_sorted, uint64_t* length, std::vector<uint64_t>& kept) {
  const size_t blocks = block_start.size() - 1;
  kept.assign(blocks, 0);
  const uint32_t key_mask = key_bits == 32 ? ~uint32_t{0} : (uint32_t{1} << key_bits) - 1;
  tbb::enumerable_thread_specific<std::vector<NodeId>> scratches;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks, 1), [&](const tbb::blocked_range<size_t>& r) {
    std::vector<NodeId>& scratch = scratches.local();
    for (size_t b = r.begin(); b < r.end(); ++b) {
      const uint64_t lo = uint64_t{b} << block_bits, hi = std::min<uint64_t>(n, (uint64_t{b} + 1) << block_bits);
      std::fill(length + lo, length + hi, 0);
      NodeId* row = arcs + block_start[b];
      const size_t len = block_start[b + 1] - block_start[b];
      SortRow(row, len, block_bits + key_bits, scratch, ends_sorted ? key_bits : 0);
      size_t w = 0;
      for (size_t i = 0; i < len; ++i) {
        if (dedup && w > 0 && row[i] == row[w - 1]) continue;
        ++length[lo + (row[i] >> key_bits)];
        row[w++] = row[i];
      }
      // Unpacked after the merge: the merge compares whole packed values (an arc is its row and its other end).
      for (size_t i = 0; i < w; ++i) row[i] &= key_mask;
      kept[b] = w;
    }
  });
}

// Row offsets from row lengths (offsets[v] holds v's length on entry), in place; returns the total.
uint64_t LengthsToOffsets(BigVector<uint64_t>& offsets, uint64_t n) {
  uint64_t sum = 0;
  for (uint64_t v = 0; v < n; ++v) {
    const uint64_t d = offsets[v];
    offsets[v] = sum;
    sum += d;
  }
  offsets[n] = sum;
  return sum;
}

// The partitioned path, for unweighted graphs: the classic two-pass radix build of compressed sparse rows.
// cursor holds each worker's arc counts per block of 2^block_bits nodes (from the dense-id pass). Each worker
// writes its chunks' arcs, packed into 32 bits (the source's offset in its block, then the target), into their
// source block's region of the out-row array: one sequential write stream per block, a few hundred streams that
// the cache holds, instead of a random write per arc into a 64 MB array. Each block's region (cache-sized on
// average) is then sorted as a whole by a radix sort on the packed value, which puts its arcs in rows and each
// row in order, duplicates adjacent. The in-rows are built the same way from the out-rows, walked in source
// order, into the in-row array. The two arrays are the only large memory touched.
void BuildPartitioned(RawEdges& edges, bool undirected, OwnedArrays& owned, WorkerCounts& cursor, uint64_t n,
                      int key_bits, int block_bits, size_t workers) {
  auto& chunks = edges.chunks;
  const uint64_t blocks = cursor.empty() ? 0 : cursor[0].size();
  auto pack = [&](NodeId u, NodeId v) {
    return static_cast<NodeId>((uint64_t{u} & ((uint64_t{1} << block_bits) - 1)) << key_bits | v);
  };
  // Block b's region is [block_start[b], block_start[b + 1]); within it, worker 0's arcs, then worker 1's...
  auto regions = [&](std::vector<uint64_t>& block_start) {
    BigVector<uint64_t> starts;
    const uint64_t total = CountsToCursors(cursor, starts, blocks);
    block_start.assign(starts.begin(), starts.end());
    return total;
  };

  // Out-rows.
  std::vector<uint64_t> block_start;
  const uint64_t raw_arcs = regions(block_start);
  auto& out_t = owned.out_targets;
  out_t.resize(raw_arcs);
  tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
    auto [first, last] = Share(chunks.size(), workers, g);
    BigVector<uint64_t>& at = cursor[g];
    NodeId* out = out_t.data();
    for (size_t c = first; c < last; ++c) {
      EdgeChunk& ch = chunks[c];
      const NodeId* source = ch.source32.data();
      const NodeId* target = ch.target32.data();
      const size_t arcs = ch.source32.size();
      for (size_t i = 0; i < arcs; ++i) {
        const NodeId u = source[i], v = target[i];
        if (u == v) continue;
        out[at[u >> block_bits]++] = pack(u, v);
        if (undirected) out[at[v >> block_bits]++] = pack(v, u);
      }
      ch = EdgeChunk{};  // free the arcs as we go
    }
  });
  chunks.clear();
  auto& out_off = owned.out_offsets;
  out_off.resize(n + 1);
  std::vector<uint64_t> kept;
  SortBlocks(out_t.data(), block_start, n, key_bits, block_bits, true, false, out_off.data(), kept);
  // Close the gaps the merged duplicates left, a block at a time (blocks only move towards the front).
  uint64_t m = 0;
  for (size_t b = 0; b < blocks; ++b) {
    if (m != block_start[b] && kept[b] != 0) {
      std::memmove(out_t.data() + m, out_t.data() + block_start[b], kept[b] * sizeof(NodeId));
    }
    m += kept[b];
  }
  out_t.resize(m);  // not shrink_to_fit: that would copy the array to give back the duplicates' few percent
  LengthsToOffsets(out_off, n);
  if (undirected) return;

  // In-rows: the out-rows walked in source order by workers owning ranges of sources with about equal numbers
  // of arcs, partitioned by target block (so each block's region holds its arcs in ascending source order), then
  // sorted per block on the target alone (no duplicates left to merge).
  std::vector<uint64_t> first_source(workers + 1);
  for (size_t g = 0; g < workers; ++g) {
    const auto row_end = out_off.begin() + static_cast<ptrdiff_t>(n + 1);
    first_source[g] =
        static_cast<uint64_t>(std::lower_bound(out_off.begin(), row_end, m * g / workers) - out_off.begin());
  }
  first_source[workers] = n;
  for (auto& c : cursor) std::fill(c.begin(), c.end(), 0);
  tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
    BigVector<uint64_t>& count = cursor[g];
    for (uint64_t e = out_off[first_source[g]]; e < out_off[first_source[g + 1]]; ++e) {
      ++count[out_t[e] >> block_bits];
    }
  });
  regions(block_start);
  auto& in_s = owned.in_sources;
  in_s.resize(m);
  tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
    BigVector<uint64_t>& at = cursor[g];
    NodeId* in = in_s.data();
    for (uint64_t u = first_source[g]; u < first_source[g + 1]; ++u) {
      for (uint64_t e = out_off[u]; e < out_off[u + 1]; ++e) {
        const NodeId v = out_t[e];
        in[at[v >> block_bits]++] = pack(v, static_cast<NodeId>(u));
      }
    }
  });
  auto& in_off = owned.in_offsets;
  in_off.resize(n + 1);
  // Each block's region holds its arcs in ascending source order (worker 0's, walking the lowest sources in
  // order, then worker 1's...): sorting on the target's offset alone keeps that order within each in-row.
  SortBlocks(in_s.data(), block_start, n, key_bits, block_bits, false, true, in_off.data(), kept);
  LengthsToOffsets(in_off, n);
}

// The per-row path: out-degrees per worker are in cursor (one slot per node); each worker scatters its chunks'
// arcs into their sources' rows, each row is sorted and merged, and the in-rows come from walking the sources in
// order. Every arc is a random write into arrays of the size of the arc list.
void BuildByRowScatter(RawEdges& edges, bool undirected, OwnedArrays& owned_arrays, WorkerCounts& cursor,
                       uint64_t n, size_t workers) {
  OwnedArrays* owned = &owned_arrays;
  const bool weights = edges.has_weights;
  auto& chunks = edges.chunks;
  // 2. Out-rows: scatter, then sort and merge each row.
  auto& out_off = owned->out_offsets;
  auto& out_t = owned->out_targets;
  auto& out_w = owned->out_weights;
  const uint64_t raw_arcs = CountsToCursors(cursor, out_off, n);
  BigVector<WeightedArc> weighted(weights ? raw_arcs : 0);
  out_t.resize(weights ? 0 : raw_arcs);
  tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
    auto [first, last] = Share(chunks.size(), workers, g);
    BigVector<uint64_t>& at = cursor[g];
    for (size_t c = first; c < last; ++c) {
      EdgeChunk& ch = chunks[c];
      const NodeId* source = ch.source32.data();
      const size_t arcs = ch.source32.size();
      for (size_t i = 0; i < arcs; ++i) {
        // The cursors are random reads the loop would wait on (sources come in file order); asking for one
        // kPrefetch arcs ahead cut this loop's time by a quarter on R-MAT 20. (Asking for the slots too did not
        // help, nor did prefetching in the in-row scatter, whose cursors a sorted row visits in order.)
        if (i + kPrefetch < arcs) __builtin_prefetch(&at[source[i + kPrefetch]], 1);
        const NodeId u = source[i], v = ch.target32[i];
        if (u == v) continue;
        if (weights) {
          weighted[at[u]++] = {v, ch.weight[i]};
          if (undirected) weighted[at[v]++] = {u, ch.weight[i]};
        } else {
          out_t[at[u]++] = v;
          if (undirected) out_t[at[v]++] = u;
        }
      }
      ch = EdgeChunk{};  // free the arcs as we go
    }
  });
  chunks.clear();
  // Each row sorted by target, duplicates merged; the row's new length goes to cursor[0]. A weighted duplicate
  // keeps its largest weight: the sort is stable (rows hold their arcs in input order), so ties between equal
  // weights resolve as they always have, to the first.
  BigVector<uint64_t>& length = cursor[0];
  const int key_bits = n <= 1 ? 0 : static_cast<int>(std::bit_width(n - 1));
  tbb::parallel_for(tbb::blocked_range<uint64_t>(0, n, 256), [&](const tbb::blocked_range<uint64_t>& r) {
    std::vector<NodeId> scratch;
    for (uint64_t u = r.begin(); u < r.end(); ++u) {
      const uint64_t b = out_off[u], e = out_off[u + 1];
      if (weights) {
        auto row = weighted.begin() + static_cast<ptrdiff_t>(b);
        std::stable_sort(row, row + static_cast<ptrdiff_t>(e - b),
                         [](const WeightedArc& x, const WeightedArc& y) { return x.target < y.target; });
        uint64_t w = b;
        for (uint64_t i = b; i < e; ++i) {
          if (w > b && weighted[w - 1].target == weighted[i].target) {
            weighted[w - 1].weight = std::max(weighted[w - 1].weight, weighted[i].weight);
            continue;
          }
          weighted[w++] = weighted[i];
        }
        length[u] = w - b;
      } else {
        NodeId* row = out_t.data() + b;
        SortRow(row, e - b, key_bits, scratch);
        length[u] = static_cast<uint64_t>(std::unique(row, row + (e - b)) - row);
      }
    }
  });
  uint64_t m = 0;
  for (uint64_t u = 0; u < n; ++u) m += length[u];
  if (weights) {
    out_t.resize(m);
    out_w.resize(m);
  }
  // Close the gaps the merged duplicates left (rows only move towards the front, so in place is safe).
  {
    uint64_t w = 0;
    for (uint64_t u = 0; u < n; ++u) {
      const uint64_t b = out_off[u];
      out_off[u] = w;
      if (weights) {
        for (uint64_t i = 0; i < length[u]; ++i, ++w) {
          out_t[w] = weighted[b + i].target;
          out_w[w] = weighted[b + i].weight;
        }
      } else {
        if (w != b) {
          std::copy(out_t.begin() + static_cast<ptrdiff_t>(b),
                    out_t.begin() + static_cast<ptrdiff_t>(b + length[u]),
                    out_t.begin() + static_cast<ptrdiff_t>(w));
        }
        w += length[u];
      }
    }
    out_off[n] = w;
    // Not shrink_to_fit: that would copy the whole array to give back the few percent the duplicates took.
    out_t.resize(w);
  }
  weighted = {};
  cursor.clear();

  // 3. In-rows, sorted by source because each worker walks its sources in order and the workers' slots in a row
  // follow their order. An undirected graph's in-rows are its out-rows.
  if (!undirected) {
    // Workers own ranges of sources with about equal numbers of arcs.
    std::vector<uint64_t> first_source(workers + 1);
    for (size_t g = 0; g <= workers; ++g) {
      const auto row_end = out_off.begin() + static_cast<ptrdiff_t>(n + 1);
      first_source[g] =
          static_cast<uint64_t>(std::lower_bound(out_off.begin(), row_end, m * g / workers) - out_off.begin());
    }
    first_source[workers] = n;
    WorkerCounts in_cursor = ZeroCounts(workers, n);
    tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
      for (uint64_t e = out_off[first_source[g]]; e < out_off[first_source[g + 1]]; ++e) ++in_cursor[g][out_t[e]];
    });
    auto& in_off = owned->in_offsets;
    CountsToCursors(in_cursor, in_off, n);
    owned->in_sources.resize(m);
    if (weights) owned->in_weights.resize(m);
    tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
      BigVector<uint64_t>& at = in_cursor[g];
      for (uint64_t u = first_source[g]; u < first_source[g + 1]; ++u) {
        for (uint64_t e = out_off[u]; e < out_off[u + 1]; ++e) {
          const uint64_t slot = at[out_t[e]]++;
          owned->in_sources[slot] = static_cast<NodeId>(u);
          if (weights) owned->in_weights[slot] = out_w[e];
        }
      }
    });
  }
}

}  // namespace

Graph GraphBuilder::TakeGraph() {
  assert(done_ && "GraphBuilder::TakeGraph before run() succeeded");
  return std::move(graph_);
}

// Dense ids first (a bitmap of the integer ids present, a sorted list of them when they are too sparse, string
// ids as they are), rewritten in place in the narrow columns while each worker counts its arcs per block of
// sources (partitioned) or per source (per-row scatter); then the rows by one of the two methods:
//   partitioned (BuildPartitioned): arcs grouped by source block, each block sorted in cache, duplicates merged;
//     in-rows the same way from the out-rows taken in source order;
//   per-row scatter (BuildByRowScatter): each worker scatters its arcs into their sources' rows, each row is
//     sorted and merged, and each worker appends its range of sources' out-arcs to their targets' rows.
// Both give in-rows sorted by source because the arcs reach each row in source order, worker by worker.
Status GraphBuilder::run() {
  auto owned = std::make_shared<OwnedArrays>();
  const bool weights = edges_.has_weights;
  auto& chunks = edges_.chunks;
  uint64_t n = 0;
  const size_t workers = std::max<size_t>(
      1, std::min<size_t>(chunks.size(), static_cast<size_t>(tbb::this_task_arena::max_concurrency())));

  // Dense ids: a direct table for integer ids that are dense enough (the usual SNAP case), a sorted list
  // otherwise; string ids are dense already.
  BigVector<IdWord> present;
  bool direct = false;
  auto for_each_id = [](const EdgeChunk& c, auto&& f) {
    if (c.narrow()) {
      for (uint32_t x : c.source32) f(x);
      for (uint32_t x : c.target32) f(x);
    } else {
      for (uint64_t x : c.source) f(x);
      for (uint64_t x : c.target) f(x);
    }
  };
  if (edges_.id_kind == ExternalIdKind::kInteger) {
    const uint64_t arcs = edges_.size();
    // The direct table serves ids up to this bound (a sorted list serves sparser ones).
    const uint64_t direct_bound = 4 * arcs + (1 << 20);
    // One pass finds the largest id and marks the ids present up to direct_bound in a bitmap per worker (no
    // atomics), grown as larger ids come: a separate pass for the largest id first (to size the bitmaps) read
    // every id of the file once more.
    std::vector<BigVector<uint64_t>> marks(workers);
    std::vector<uint64_t> worker_max(workers, 0);
    tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
      BigVector<uint64_t>& bits = marks[g];
      uint64_t most = 0;
      auto grow = [&](uint64_t word) {
        const size_t old = bits.size();
        const uint64_t limit = (direct_bound >> 6) + 1;
        bits.resize(static_cast<size_t>(std::min(limit, std::max<uint64_t>(word + 1, 2 * uint64_t{old} + 1024))));
        std::fill(bits.begin() + static_cast<ptrdiff_t>(old), bits.end(), 0);  // BigVector leaves them unset
      };
      auto [first, last] = Share(chunks.size(), workers, g);
      for (size_t c = first; c < last; ++c) {
        for_each_id(chunks[c], [&](uint64_t x) {
          most = std::max(most, x);
          if (x > direct_bound) return;
          const uint64_t word = x >> 6;
          if (word >= bits.size()) [[unlikely]] grow(word);
          bits[word] |= uint64_t{1} << (x & 63);
        });
      }
      worker_max[g] = most;
    });
    const uint64_t max_id = *std::max_element(worker_max.begin(), worker_max.end());
    direct = arcs > 0 && max_id < kNoNode && max_id <= direct_bound;
    if (direct) {
      // A bitmap of the ids present with the count of ids before each word: a dense id is that count plus the
      // set bits below it in its word. 16 bytes per 64 possible ids, so the lookups stay in cache where a
      // 4-byte-per-id table would not (1 million ids: 256 KB against 4 MB).
      const uint64_t words = (max_id >> 6) + 1;
      present.resize(words);
      constexpr uint64_t kWordsPerTask = 4096;
      const uint64_t tasks = (words + kWordsPerTask - 1) / kWordsPerTask;
      std::vector<uint64_t> task_ids(tasks + 1, 0);
      tbb::parallel_for(uint64_t{0}, tasks, [&](uint64_t t) {
        uint64_t count = 0;
        for (uint64_t w = t * kWordsPerTask; w < std::min(words, (t + 1) * kWordsPerTask); ++w) {
          uint64_t bits = 0;
          for (const auto& m : marks) bits |= w < m.size() ? m[w] : 0;
          present[w] = {bits, count};  // the count within the task for now
          count += static_cast<uint64_t>(std::popcount(bits));
        }
        task_ids[t + 1] = count;
      });
      marks.clear();
      for (uint64_t t = 0; t < tasks; ++t) task_ids[t + 1] += task_ids[t];
      owned->integer_ids.resize(task_ids[tasks]);
      tbb::parallel_for(uint64_t{0}, tasks, [&](uint64_t t) {
        for (uint64_t w = t * kWordsPerTask; w < std::min(words, (t + 1) * kWordsPerTask); ++w) {
          present[w].before += task_ids[t];
          uint64_t at = present[w].before;
          for (uint64_t bits = present[w].bits; bits != 0; bits &= bits - 1) {
            owned->integer_ids[at++] = (w << 6) + static_cast<uint64_t>(std::countr_zero(bits));
          }
        }
      });
    } else if (arcs > 0) {
      marks.clear();
      BigVector<uint64_t> all;
      all.reserve(2 * arcs);
      for (const auto& c : chunks) for_each_id(c, [&](uint64_t x) { all.push_back(x); });
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

  // 1. Dense ids in the narrow columns, and out-degrees per worker. Self-loops are dropped; with undirected every
  // arc also gives its reverse.
  // The bitmap serves narrow chunks through ToDenseIds; a direct table implies every id fits 32 bits, so every
  // chunk is narrow, and the lookup below only meets sparse integer ids (or string ids, dense already).
  const auto& ids = owned->integer_ids;
  auto dense = [&](uint64_t x) -> NodeId {
    if (edges_.id_kind == ExternalIdKind::kInteger) {
      return static_cast<NodeId>(std::lower_bound(ids.begin(), ids.end(), x) - ids.begin());
    }
    return static_cast<NodeId>(x);
  };
  // The partitioned path (BuildPartitioned) when the graph is unweighted and a node's offset within its block
  // and a node id fit in 32 bits together; otherwise the per-row scatter below.
  const int key_bits = n <= 1 ? 0 : static_cast<int>(std::bit_width(n - 1));
  const uint64_t raw_estimate = (undirected_ ? 2 : 1) * edges_.size();
  const int block_bits = BlockBits(n, key_bits, raw_estimate);
  const bool partitioned = method_ != GraphBuildMethod::kRowScatter && !weights && block_bits + key_bits <= 32;
  const int shift = partitioned ? block_bits : 0;
  const uint64_t slots = partitioned ? (n == 0 ? 0 : ((n - 1) >> block_bits) + 1) : n;
  WorkerCounts cursor = ZeroCounts(workers, slots);
  tbb::parallel_for(size_t{0}, workers, [&](size_t g) {
    auto [first, last] = Share(chunks.size(), workers, g);
    BigVector<uint64_t>& degree = cursor[g];
    for (size_t c = first; c < last; ++c) {
      EdgeChunk& ch = chunks[c];
      if (ch.narrow() && direct) {
        ToDenseIds(ch.source32.data(), ch.source32.size(), present.data());
        ToDenseIds(ch.target32.data(), ch.target32.size(), present.data());
      } else if (ch.narrow()) {
        for (uint32_t& x : ch.source32) x = dense(x);
        for (uint32_t& x : ch.target32) x = dense(x);
      } else {
        ch.source32.resize(ch.source.size());
        ch.target32.resize(ch.target.size());
        for (size_t i = 0; i < ch.source.size(); ++i) ch.source32[i] = dense(ch.source[i]);
        for (size_t i = 0; i < ch.target.size(); ++i) ch.target32[i] = dense(ch.target[i]);
        ch.source = {};
        ch.target = {};
      }
      for (size_t i = 0; i < ch.source32.size(); ++i) {
        const NodeId u = ch.source32[i], v = ch.target32[i];
        if (u == v) continue;
        ++degree[u >> shift];
        if (undirected_) ++degree[v >> shift];
      }
    }
  });
  present = {};
  if (partitioned) {
    BuildPartitioned(edges_, undirected_, *owned, cursor, n, key_bits, block_bits, workers);
  } else {
    BuildByRowScatter(edges_, undirected_, *owned, cursor, n, workers);
  }
  const uint64_t m = owned->out_targets.size();

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
