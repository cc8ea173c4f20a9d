// PostGenerator: the posts of the example world, one chunk of post indices at a time, in the real export formats
// (X API v2 response pages, Reddit dump lines, Mastodon statuses) plus their ground-truth rows.
//
// Post i is a pure function of (seed, i): its time comes from the posting plan (posts are numbered in time order,
// spread over the days with a weekly and a daily rhythm and a spike on the outage day), and every other choice
// from Rng::For(seed, kStreamPosts, i). A reshare or a reply looks back at an earlier post t and regenerates it
// (that is cheap), so chunks need nothing from each other and can be generated in parallel in any order.
//
// Originals: the author is drawn by activity; the topic (the brand, a competitor, nothing, a "nimbus clouds" trap)
// and the act follow the author's hidden traits (only users endorse or complain; deal-seekers share deals; the
// outage day brings complaints). Responses: a recent original is accepted with a probability growing with its
// author's trust (cubed) and reach, and answered by one of the author's followers (a reshare, or a reply whose act
// follows the follower's own experience); on Reddit, by a Reddit user in the same thread.
//
// Thread safety: const after construction; GenerateChunk may run on many threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "synth/follow_graph.h"
#include "synth/phrasebook.h"
#include "synth/population.h"
#include "vouch/core/status.h"

namespace vouch::synth {

enum class Platform : uint8_t { kX, kReddit, kMastodon };

// What one chunk produced: the bytes of each file (x and reddit already compressed) and counts.
struct PostChunk {
  std::string x;         // zstd frame of X API v2 pages
  std::string reddit;    // gzip member of Reddit lines
  std::string mastodon;  // plain Mastodon lines
  std::string truth;     // truth/posts.csv rows
  uint64_t posts = 0, posts_x = 0, posts_reddit = 0, posts_mastodon = 0, pages_x = 0;
  uint64_t reshares = 0, replies = 0;
  std::array<uint64_t, kActCount> acts{};
  Status status;
};

class PostGenerator {
 public:
  PostGenerator(const SynthConfig& config, const Population& people, const FollowGraph& graph);

  uint64_t total_posts() const { return total_; }
  uint64_t chunks() const { return (total_ + chunk_ - 1) / chunk_; }
  int outage_day() const { return outage_day_; }
  // The post's time (epoch seconds); non-decreasing in the index.
  int64_t TimeOf(uint64_t index) const;

  // Generates the posts [c * posts_per_chunk, ...) into out (cleared first); errors go to out.status.
  void GenerateChunk(uint64_t c, PostChunk& out) const;

 private:
  struct Core;
  struct Draft;
  Core DrawCore(uint64_t index, Rng& rng) const;
  void DrawOriginal(uint64_t index, const Core& core, Rng& rng, Draft& d) const;
  bool DrawResponse(uint64_t index, Rng& rng, Draft& d, Draft& target) const;
  void Generate(uint64_t index, Draft& d, Draft& target) const;

  const SynthConfig& config_;
  const Population& people_;
  const FollowGraph& graph_;
  uint64_t total_ = 0;
  uint64_t chunk_ = 4096;
  uint64_t window_ = 64;  // how far back (in posts) responses look: about two days of posts
  int outage_day_ = -1;
  std::vector<uint64_t> day_start_;           // first post index of each day; day_start_[days] = total_
  std::array<double, 25> hour_cdf_{};         // the daily rhythm (UTC), cumulative
};

}  // namespace vouch::synth
