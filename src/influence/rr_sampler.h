// Grows RR collections (rr_collection.h) on all threads of the calling arena, deterministic per random stream:
// the same seed and stream range give the same sets whatever the thread count. One per selection run.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <memory_resource>
#include <optional>
#include <type_traits>
#include <vector>

#include "influence/cascade.h"
#include "influence/node_bits.h"
#include "influence/prefault.h"
#include "influence/rr_collection.h"
#include "influence/run_memory.h"
#include "influence/run_workers.h"
#include "influence/skip_table.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/influence/diffusion_model.h"
#include "vouch/influence/random.h"

namespace vouch::influence::detail {

// Grows collections with RR sets, all threads, deterministic per stream.
class RrSampler {
  // One wave's blocks of sets before they are appended to a collection; kept across calls so that their memory
  // is allocated and faulted in once per run. The block's singletons' roots in singles, the other sets in nodes
  // and sizes (rr_collection.h), each kind in the stream's order.
  struct Local {
    explicit Local(std::pmr::memory_resource* memory) : nodes(memory), sizes(memory), singles(memory) {}
    RunVector<NodeId> nodes;
    RunVector<uint32_t> sizes;
    RunVector<NodeId> singles;
    uint64_t populated = 0;  // nodes' elements whose pages were populated (prefault.h)
    bool sampled = false;    // holds a sampled block not appended yet
  };

  // What is being, or was, sampled ahead (SampleAhead): blocks [first_block, first_block + blocks) of coll's
  // streams from stream_base, under coll's stops of stops_version, into the first locals_ (Grow's own wave
  // buffers: a Grow either takes every block sampled ahead before it samples a wave, or drops them, or reaches
  // its target first); run samples block b (the posted step).
  struct Ahead {
    const RrCollection* coll = nullptr;
    uint64_t stream_base = 0, first_block = 0, blocks = 0, stops_version = 0, block_guess = 0;
    bool posted = false;
    std::function<void(uint64_t)> run;
  };

 public:
  // memory: where the scratch and the blocks' buffers live; it must outlive the sampler. threads: the most threads
  // the run's steps take (StepThreads() in its steps; each has its scratch, made on its first block).
  RrSampler(const DiffusionModel& model, uint64_t seed, const RunControl& control,
            std::pmr::memory_resource* memory, int threads)
      : model_(model), seed_(seed), control_(control), memory_(memory),
        scratch_(static_cast<size_t>(std::max(threads, 1))), stops_bits_(memory) {
    // The IC and WOM walks' Skips (skip_table.h), once for all threads (LT walks take one arc a step: none).
    if (model_.kind() != DiffusionModelKind::kLinearThreshold) skips_.emplace(model_.influence());
    ahead_.run = [this](uint64_t b) {
      DispatchModel(model_.kind(), [&]<typename Tag>(Tag) {
        // (coll's stops: SetStops drops what is being sampled ahead before it changes them.)
        SampleBlock<Tag>(locals_[b], ahead_.stream_base + ahead_.first_block + b, ahead_.block_guess,
                         StopsFor(*ahead_.coll));
      });
    };
  }
  ~RrSampler() { DropAhead(); }
  RrSampler(const RrSampler&) = delete;
  RrSampler& operator=(const RrSampler&) = delete;

  // The fixed seeds (opim_c.h, the fixed prefix) at which the walks of coll's sets sampled from now on stop
  // (cascade.h SampleRrSet's and SampleLtRrSets' stops); every other collection's sets are sampled whole. Empty:
  // none. A set stopped at a fixed seed is stored empty (no set can be empty otherwise: every set holds its root),
  // which the greedy counts as covered by them. Blocks sampled ahead under the previous stops are dropped first
  // (their walks read the bitmap this rewrites).
  void SetStops(const RrCollection& coll, std::span<const NodeId> fixed) {
    DropAhead();
    const NodeId n = model_.graph().num_nodes();
    stops_bits_.assign(fixed.empty() ? 0 : (size_t{n} + 63) / 64, 0);
    for (NodeId v : fixed) detail::AddNode(stops_bits_.data(), v);
    stops_ = fixed.empty() ? nullptr : stops_bits_.data();
    stops_coll_ = &coll;
    ++stops_version_;
  }
  // The stops' bitmap (n bits; null: none).
  const uint64_t* stops() const { return stops_; }

  // Sampling ahead (one selection run's pipeline): the held workers (run_workers.h) sample coll's next wave of
  // blocks, from its own streams, into Grow's wave buffers, while the calling thread goes on with work that needs
  // no sampling (the greedy, the check); the next Grow of coll appends them first, as if it had sampled them. A
  // stream's sets depend on the seed, the stream and the stops only, so the sets a Grow appends, and every result,
  // are the same with or without sampling ahead, and whatever the workers managed before the Grow: it samples the
  // rest itself. Blocks sampled ahead and not wanted by the next Grow of the same collection, streams and stops
  // are dropped. Nothing is sampled ahead without a held pool with workers, or before a first Grow. It takes no
  // memory of its own. What it saves: the greedy runs on one thread, and the workers would otherwise spin
  // through it.
  void SampleAhead(const RrCollection& coll, uint64_t stream_base) {
    RunWorkers* pool = RunWorkers::Held();
    if (pool == nullptr || pool->width() == 0 || pool->posted() || sampled_sets_ == 0) return;
    DropAhead();
    ahead_.coll = &coll;
    ahead_.stream_base = stream_base;
    ahead_.first_block = coll.size() / kRrSetsPerStream;
    ahead_.blocks = std::min<uint64_t>(WaveBlocks(), locals_.size());
    ahead_.stops_version = stops_version_;
    ahead_.block_guess = BlockGuess();
    ahead_.posted = true;
    pool->Post(ahead_.blocks, ahead_.run);
  }

  // Drops what was sampled ahead (waiting for the blocks being sampled).
  void DropAhead() {
    SettleAhead();
    ahead_.blocks = 0;
    for (Local& l : locals_) l.sampled = false;
  }

  // Adds sets to coll until it holds target; streams continue from where this collection's last call ended.
  // room (0: target): the sets the caller expects coll may come to hold before it samples a new round (R1: the
  // precision rules' first cap). Once the first wave tells the mean set size, coll's arrays are reserved for room
  // sets at that size (1/8 to spare): address space, whose pages are populated only as sets are written, so that
  // a collection grows into one buffer instead of being copied into a fresh, faulted-in one at every doubling and
  // growth step (on Enron LT k = 100 eps = 0.1: 0.6 ms of a 7 ms selection, and a lower peak).
  Status Grow(RrCollection& coll, uint64_t target, uint64_t stream_base, uint64_t& reported, uint64_t total,
              uint64_t room = 0) {
    room = std::max(room, target);
    uint64_t have = coll.size();
    if (have % kRrSetsPerStream != 0) return Status::Internal("RR collection not block aligned");
    SettleAhead();  // (before locals_ may grow: a worker may be sampling into it)
    while (locals_.size() < WaveBlocks()) locals_.emplace_back(memory_);
    // Room for this round (its room) and, in a collection of 2 MiB or more, the next doubling at once (node
    // counts guessed from the sets so far, with 1/8 to spare; a new collection's at its first wave, in Append):
    // growing by doubling, or reserving one round at a time, copies the collection into fresh memory and faults
    // its pages in again every round. Reserved pages not written are never touched, so this costs address space,
    // not resident memory, except in a small collection, whose block is cut from a huge page of the run's memory
    // (RoomFor, run_memory.h).
    // Singletons (rr_collection.h) take no room here but one root each in coll.singles: the split, too, is
    // guessed from the sets so far.
    if (have == 0) {
      if (coll.ends.capacity() < room) Regrow(coll.ends, detail::RoomFor<uint64_t>(room), 0);
    } else {
      auto guess = [&](uint64_t held, uint64_t sets) { return Projected(held, have, sets); };
      if (const uint64_t need = WithinPages<NodeId>(detail::RoomFor<NodeId>(guess(coll.nodes.size(), target)),
                                                    guess(coll.nodes.size(), room));
          coll.nodes.capacity() < need) {
        Regrow(coll.nodes, need, 0);
      }
      // (Stored sets and singletons are at most room each: no more room than the whole collection would take.)
      if (const uint64_t need = std::min(room, guess(coll.ends.size(), room)); coll.ends.capacity() < need) {
        Regrow(coll.ends, detail::RoomFor<uint64_t>(need), 0);
      }
      if (const uint64_t need = std::min(room, guess(coll.singles.size(), room));
          coll.singles.capacity() < need) {
        Regrow(coll.singles, detail::RoomFor<NodeId>(need), 0);
      }
    }
    // Blocks sampled ahead for this collection's next streams under the same stops come first (SampleAhead); any
    // others are dropped (before the waves below reuse their buffers).
    if (ahead_.blocks > 0 && (ahead_.coll != &coll || ahead_.stream_base != stream_base ||
                              ahead_.stops_version != stops_version_ ||
                              ahead_.first_block != have / kRrSetsPerStream)) {
      DropAhead();
    }
    if (ahead_.blocks > 0) {
      const uint64_t use = std::min(ahead_.blocks, (target - have + kRrSetsPerStream - 1) / kRrSetsPerStream);
      Append(coll, std::span<Local>(locals_.data(), use), room, have, reported, total);
      // The rest stays for the next Grow of this collection.
      std::rotate(locals_.begin(), locals_.begin() + static_cast<ptrdiff_t>(use),
                  locals_.begin() + static_cast<ptrdiff_t>(ahead_.blocks));
      ahead_.first_block += use;
      ahead_.blocks -= use;
      if (control_.Cancelled()) return Status::Cancelled("influence maximisation cancelled");
    }
    const uint64_t wave_blocks = WaveBlocks();
    const uint64_t* stops = StopsFor(coll);
    return DispatchModel(model_.kind(), [&]<typename Tag>(Tag) -> Status {
      while (have < target) {
        const uint64_t blocks = std::min(wave_blocks, (target - have + kRrSetsPerStream - 1) / kRrSetsPerStream);
        const uint64_t first_block = have / kRrSetsPerStream;
        const uint64_t block_guess = BlockGuess();
        detail::ParallelFor(blocks, [&](uint64_t b) {
          SampleBlock<Tag>(locals_[b], stream_base + first_block + b, block_guess, stops);
        });
        Append(coll, std::span<Local>(locals_.data(), blocks), room, have, reported, total);
        if (control_.Cancelled()) return Status::Cancelled("influence maximisation cancelled");
      }
      return Status::Ok();
    });
  }

 private:
  // The stops of coll's walks (SetStops), null for whole sets.
  const uint64_t* StopsFor(const RrCollection& coll) const { return &coll == stops_coll_ ? stops_ : nullptr; }

  // Ends the posted step, if any: blocks no worker has started are dropped, those started are waited for. The
  // workers take blocks in order, so what was sampled is a prefix of the wave: ahead_.blocks becomes its length.
  void SettleAhead() {
    if (!ahead_.posted) return;
    // (A pool no longer held finished the step when it was released.)
    if (RunWorkers* pool = RunWorkers::Held()) pool->Finish(false);
    ahead_.posted = false;
    uint64_t done = 0;
    while (done < ahead_.blocks && locals_[done].sampled) ++done;
    ahead_.blocks = done;
  }

  // One wave: eight blocks a thread, so that a thread that starts late or runs slow leaves little to wait for.
  static uint64_t WaveBlocks() { return static_cast<uint64_t>(StepThreads()) * 8; }

  // The calling thread's scratch (ThreadSlot), made on its first use.
  detail::Scratch& LocalScratch() {
    const auto slot = static_cast<size_t>(ThreadSlot());
    assert(slot < scratch_.size() && "RR sampling on more threads than the sampler was made for");
    std::unique_ptr<detail::Scratch>& s = scratch_[slot];
    if (s == nullptr) {
      s = std::make_unique<detail::Scratch>(model_.graph().num_nodes(), false, memory_);
      if (skips_) s->skips = &*skips_;
    }
    return *s;
  }

  // A block's room, from the mean set size seen so far (1/4 to spare), populated up front: the blocks' buffers
  // otherwise fault their pages in while they grow, in every wave that outgrows the ones before.
  uint64_t BlockGuess() const {
    return sampled_sets_ == 0 ? 0 : sampled_entries_ * kRrSetsPerStream * 5 / 4 / sampled_sets_;
  }

  // Samples the block of kRrSetsPerStream sets of `stream` into l (its singletons' roots in l.singles, the other
  // sets in l.nodes and l.sizes, each kind in the stream's order).
  template <typename Tag>
  void SampleBlock(Local& l, uint64_t stream, uint64_t block_guess, const uint64_t* stops) {
    const NodeId n = model_.graph().num_nodes();
    l.nodes.clear();
    l.sizes.clear();
    l.singles.clear();
    if (block_guess > l.populated) {
      detail::ReservePrefaulted(l.nodes, block_guess);
      l.populated = block_guess;
    }
    if (l.sizes.capacity() < kRrSetsPerStream) detail::ReservePrefaulted(l.sizes, kRrSetsPerStream);
    // (singles: room on the first singleton only, so that a model with none, LT wc, takes no more of the run's
    // memory than before.)
    Rng rng(seed_, stream);
    detail::Scratch& s = LocalScratch();
    // The block's roots are drawn first so that each root's row, and its mark, can be fetched from memory a
    // few sets ahead: a random root is a cache miss on a large graph, and most RR sets are small, so these
    // misses, one after another, were much of the sampling time.
    NodeId roots[kRrSetsPerStream];
    for (NodeId& r : roots) r = rng.Below(n);
    const graph::GraphArrays& arrays = model_.graph().arrays();
    if constexpr (std::is_same_v<Tag, LtTag>) {
      if (model_.influence().per_target()) {
        detail::SampleLtRrSets(model_, roots, rng, s, l.nodes, l.sizes, &l.singles, stops);
        l.sampled = true;
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
      detail::SampleRrSet<Tag>(model_, roots[i], rng, s, l.nodes, stops);  // empty when stopped
      if (const size_t size = l.nodes.size() - before; size == 1) {
        l.singles.push_back(l.nodes.back());  // its root: a singleton (rr_collection.h)
        l.nodes.pop_back();
      } else {
        l.sizes.push_back(static_cast<uint32_t>(size));
      }
    }
    l.sampled = true;
  }

  // Appends the blocks (the collection's next streams, in order) to coll, and counts them as sampled.
  // room: Grow's (the collection's arrays are reserved for that many sets once they must grow).
  void Append(RrCollection& coll, std::span<Local> blocks, uint64_t room, uint64_t& have, uint64_t& reported,
              uint64_t total) {
    // The wave's destination pages are populated in one call each instead of faulting in one by one.
    // Blocks are appended in stream order, so the sets' numbers, and each kind's order, are the streams'.
    uint64_t wave_entries = 0, wave_stored = 0, wave_singles = 0;
    for (const Local& l : blocks) {
      wave_entries += l.nodes.size();
      wave_stored += l.sizes.size();
      wave_singles += l.singles.size();
    }
    sampled_entries_ += wave_entries;
    sampled_sets_ += blocks.size() * kRrSetsPerStream;
    // Room for the collection at `room` sets, by its own mean so far.
    const uint64_t sets_after = coll.size() + blocks.size() * kRrSetsPerStream;
    auto expect = [&](uint64_t held) { return room > sets_after ? Projected(held, sets_after, room) : 0; };
    GrowPrefaulted(coll.nodes, coll.nodes.size() + wave_entries, expect(coll.nodes.size() + wave_entries));
    GrowPrefaulted(coll.ends, coll.ends.size() + wave_stored,
                   std::min(room, expect(coll.ends.size() + wave_stored)));
    GrowPrefaulted(coll.singles, coll.singles.size() + wave_singles,
                   std::min(room, expect(coll.singles.size() + wave_singles)));
    for (Local& l : blocks) {
      uint64_t end = coll.nodes.size();
      coll.nodes.insert(coll.nodes.end(), l.nodes.begin(), l.nodes.end());
      for (uint32_t sz : l.sizes) coll.ends.push_back(end += sz);
      coll.singles.insert(coll.singles.end(), l.singles.begin(), l.singles.end());
      coll.Counted(kRrSetsPerStream);
      l.sampled = false;
    }
    have += blocks.size() * kRrSetsPerStream;
    reported += blocks.size() * kRrSetsPerStream;
    control_.Report({"sampling RR sets", reported, total, "RR sets", 0});
  }

  // What `held` elements over `sets` sets come to at `to` sets, with 1/8 to spare.
  static uint64_t Projected(uint64_t held, uint64_t sets, uint64_t to) {
    return static_cast<uint64_t>(static_cast<double>(held) / static_cast<double>(sets) * static_cast<double>(to) *
                                 9 / 8);
  }

  // Room for n elements (doubling, as push_back would, or for `expected` elements at once when that is more;
  // WithinPages), with the pages of [size(), n) populated.
  template <typename Vec>
  static void GrowPrefaulted(Vec& v, uint64_t n, uint64_t expected = 0) {
    using T = typename Vec::value_type;
    if (v.capacity() < n) Regrow(v, WithinPages<T>(std::max<uint64_t>(n, 2 * v.capacity()), expected), n);
    detail::ReservePrefaulted(v, n);
  }

  // The room for a block that needs `need` elements now and is expected to need `expected` (Grow's room): the
  // larger, except that the expectation alone never makes a block of 2 MiB or more (run_memory.h: such a block
  // gets its own huge-page mapping, resident in whole 2 MiB pages as it is written; measured on Enron IC
  // k = 100 eps = 0.05 +1.5 MB of peak where a room of twice the round crossed it), so it stops just below.
  template <typename T>
  static uint64_t WithinPages(uint64_t need, uint64_t expected) {
    constexpr uint64_t kBelowHuge = (kHugePage - 1) / sizeof(T);
    if (expected <= need) return need;
    if (need > kBelowHuge || expected <= kBelowHuge) return expected;
    return kBelowHuge;
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


  const DiffusionModel& model_;
  uint64_t seed_;
  const RunControl& control_;
  std::pmr::memory_resource* memory_;
  std::optional<detail::SkipTable> skips_;                 // IC and WOM: read by every thread's walks
  std::vector<std::unique_ptr<detail::Scratch>> scratch_;  // by ThreadSlot
  std::vector<Local> locals_;
  RunVector<uint64_t> stops_bits_;            // SetStops' bitmap
  const uint64_t* stops_ = nullptr;           // stops_bits_'s data, null when there are no stops
  const RrCollection* stops_coll_ = nullptr;  // the collection whose walks stop there
  uint64_t stops_version_ = 0;                // SetStops calls
  Ahead ahead_;
  uint64_t sampled_sets_ = 0, sampled_entries_ = 0;  // over every collection, for the blocks' room
};

}  // namespace vouch::influence::detail
