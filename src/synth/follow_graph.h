// FollowGraph: who follows whom in the example world, a degree-corrected stochastic block model (Karrer and
// Newman, "Stochastic blockmodels and community structure in networks", Phys. Rev. E 83, 016107, 2011) sampled the
// Chung-Lu way: person v follows a log-normal number of people (mean follows_per_person, sigma 0.9); each follow
// is drawn, with probability community_affinity, from v's own community, otherwise from everyone, in proportion to
// popularity (Pareto, shape 1.5), so in-degrees (followers) are heavy-tailed. Repeats and self-follows are dropped.
//
// Stored as the followers of each person (CSR, sorted), because that is what spreading word needs: the people who
// hear u are the people who follow u.
//
// Thread safety: read-only after Build().
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "synth/population.h"

namespace vouch::synth {

class FollowGraph {
 public:
  // Draws the graph; parallel over fixed blocks of people (the result does not depend on the thread count).
  void Build(const Population& people, const SynthConfig& config);

  std::span<const uint32_t> Followers(uint32_t u) const {
    return {followers_.data() + offsets_[u], followers_.data() + offsets_[u + 1]};
  }
  uint32_t FollowerCount(uint32_t u) const { return static_cast<uint32_t>(offsets_[u + 1] - offsets_[u]); }
  uint32_t FollowingCount(uint32_t v) const { return following_[v]; }
  uint64_t edges() const { return followers_.size(); }
  uint32_t max_followers() const { return max_followers_; }

 private:
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> followers_;
  std::vector<uint32_t> following_;
  uint32_t max_followers_ = 0;
};

}  // namespace vouch::synth
