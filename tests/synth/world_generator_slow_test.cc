// A 100,000-person world (1M posts): the same bytes on 1 and 2 threads, and the properties that only show at
// scale (in-degree tail, every act and every fraud kind present, ground truth as long as the posts).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string_view>

#include "vouch/synth/world_generator.h"

namespace vouch::synth {
namespace {

size_t CountLines(std::string_view text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST(SynthSlowTest, HundredThousandPeople) {
  SynthConfig config;
  config.people = 100000;
  std::map<std::string, std::string> files[2];
  SynthSummary summary;
  for (int t = 0; t < 2; ++t) {
    config.threads = t + 1;
    MemoryOutput output;
    WorldGenerator generator(config, output);
    const Status status = generator.run();
    ASSERT_TRUE(status.ok()) << status.ToString();
    files[t] = output.files();
    summary = generator.summary();
  }
  ASSERT_EQ(files[0].size(), files[1].size());
  for (const auto& [path, bytes] : files[0]) EXPECT_TRUE(bytes == files[1][path]) << path;

  EXPECT_EQ(summary.posts, 1000000u);
  EXPECT_EQ(CountLines(files[0]["truth/posts.csv"]), summary.posts + 1);
  for (uint64_t n : summary.acts) EXPECT_GT(n, 10000u);
  EXPECT_GT(summary.max_followers, 100 * summary.mean_followers);
  EXPECT_GT(summary.fraud_self_referral, 10u);
  EXPECT_GT(summary.fraud_ring, 10u);
  EXPECT_GT(summary.fraud_burst, 15u);
  EXPECT_GT(summary.true_advocates, 1000u);
}

}  // namespace
}  // namespace vouch::synth
