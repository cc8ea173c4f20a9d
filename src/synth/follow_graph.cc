#include "synth/follow_graph.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace vouch::synth {

void FollowGraph::Build(const Population& people, const SynthConfig& config) {
  const uint32_t n = people.size();
  // Members of each community and a popularity table per community.
  const uint32_t k = people.communities();
  std::vector<std::vector<uint32_t>> members(k);
  for (uint32_t i = 0; i < n; ++i) members[people[i].community].push_back(i);
  std::vector<AliasTable> by_community(k);
  tbb::parallel_for(uint32_t{0}, k, [&](uint32_t c) {
    if (members[c].empty()) return;
    std::vector<double> w(members[c].size());
    for (size_t j = 0; j < w.size(); ++j) w[j] = people[members[c][j]].popularity;
    by_community[c] = AliasTable(w);
  });

  // Follows of each block of people; the block size is fixed so the result does not depend on scheduling.
  constexpr uint32_t kBlock = 8192;
  const uint32_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<uint32_t>> targets(blocks);
  following_.assign(n, 0);
  const double sigma = 0.9;
  const double mu = std::log(config.follows_per_person) - 0.5 * sigma * sigma;
  const double cap = std::min<double>(n > 1 ? n - 1 : 0, 5000);
  tbb::parallel_for(uint32_t{0}, blocks, [&](uint32_t b) {
    std::vector<uint32_t>& out = targets[b];
    std::vector<uint32_t> mine;
    const uint32_t end = std::min(n, (b + 1) * kBlock);
    for (uint32_t v = b * kBlock; v < end; ++v) {
      Rng rng = Rng::For(config.seed, kStreamFollows, v);
      const auto want = static_cast<uint32_t>(std::clamp(std::round(rng.LogNormal(mu, sigma)), 1.0, cap));
      const uint32_t c = people[v].community;
      mine.clear();
      for (uint32_t j = 0; j < want; ++j) {
        uint32_t u;
        if (members[c].size() > 1 && rng.Chance(config.community_affinity)) {
          u = members[c][by_community[c].Sample(rng)];
        } else {
          u = people.SampleByPopularity(rng);
        }
        if (u != v) mine.push_back(u);
      }
      std::sort(mine.begin(), mine.end());
      mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
      following_[v] = static_cast<uint32_t>(mine.size());
      out.insert(out.end(), mine.begin(), mine.end());
    }
  });

  // Transpose: followers of each u, sorted by follower because v is visited in order.
  offsets_.assign(size_t{n} + 1, 0);
  for (const auto& block : targets)
    for (uint32_t u : block) ++offsets_[u + 1];
  for (uint32_t u = 0; u < n; ++u) offsets_[u + 1] += offsets_[u];
  followers_.resize(offsets_[n]);
  std::vector<uint64_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (uint32_t b = 0; b < blocks; ++b) {
    size_t pos = 0;
    const uint32_t end = std::min(n, (b + 1) * kBlock);
    for (uint32_t v = b * kBlock; v < end; ++v) {
      for (uint32_t j = 0; j < following_[v]; ++j) {
        const uint32_t u = targets[b][pos++];
        followers_[fill[u]++] = v;
      }
    }
    std::vector<uint32_t>().swap(targets[b]);
  }
  max_followers_ = 0;
  for (uint32_t u = 0; u < n; ++u) max_followers_ = std::max(max_followers_, FollowerCount(u));
}

}  // namespace vouch::synth
