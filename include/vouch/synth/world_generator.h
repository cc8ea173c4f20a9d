// WorldGenerator: writes a realistic, deterministic example world for Vouch in its real input formats (the layout
// of docs/formats.md, "Synthetic world"): posts on X, Reddit and Mastodon about a fictional coffee-machine brand and
// two competitors, a follow graph, ratings between people, the shop's CRM, orders, the referral program's traffic,
// and the ground truth (each post's act, the true advocates, the planted fraud) to score the pipeline against.
//
// The model (docs/synth.md has it in full):
//  - People carry hidden traits: trustworthiness, whether they used the brand's products (and how satisfied they
//    are), deal-seeking, activity (log-normal), popularity (Pareto), a community, and presence on Reddit/Mastodon.
//  - The follow graph is a degree-corrected stochastic block model (Karrer and Newman, Phys. Rev. E 83, 016107,
//    2011): each person follows a log-normal number of others, drawn within their community with probability
//    `community_affinity` and otherwise from everyone, in proportion to popularity, so in-degrees are heavy-tailed.
//  - Posts are drawn per index over `days` days with a weekly and a daily rhythm and an outage day (a burst of
//    complaints). Endorsements and complaints come only from people who used the product; deals are shared mostly
//    by deal-seekers; reshares and replies come from followers of the original's author and favour trusted authors,
//    so a trusted advocate's word visibly travels.
//  - Ratings (-10..10) follow the ratee's trustworthiness with noise; rating rings are planted. Orders come from
//    customers, many through advocates' referral codes, with planted fraud (self-referrals with Gmail variants of
//    the advocate's e-mail, referral rings, bursts on one code) and refunds.
//
// Determinism: every random choice is drawn from vouch::synth::Rng keyed by (seed, what, index), and posts are
// generated in fixed-size chunks whose compressed frames are concatenated in order, so the same configuration gives
// byte-identical files whatever the number of threads.
//
// Memory: the people, their handles and the follow graph are held in memory (about 400 bytes a person with the
// default 20 follows); posts are streamed, a bounded number of chunks in flight.
//
// Thread safety: one run() per generator; run() uses up to `threads` threads internally.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/synth/world_output.h"

namespace vouch::synth {

struct SynthConfig {
  uint64_t people = 1000;
  int days = 30;
  uint64_t seed = 1;
  double posts_per_person = 10.0;       // mean posts a person writes over the period (total = people x this)
  double follows_per_person = 20.0;     // mean number of people a person follows
  double community_affinity = 0.85;     // share of follows inside one's own community
  int64_t start_time = 1772409600;      // first day, 00:00 UTC (epoch seconds): Monday 2026-03-02
  int threads = 0;                      // 0: all hardware threads
  int zstd_level = 3;
  int gzip_level = 6;
  size_t posts_per_chunk = 4096;        // the unit of parallel work (part of the output's definition: fixed)

  // InvalidArgument naming the field when a value is out of range.
  Status Validate() const;
};

// The five acts (DESIGN.md, "Listen"), in this order everywhere a count is kept.
enum class Act : uint8_t { kEndorse, kComplain, kShare, kAsk, kOther };
inline constexpr int kActCount = 5;
const char* ActName(Act act);

struct SynthFileInfo {
  std::string path;  // relative to the world's directory
  uint64_t bytes = 0;
  uint64_t records = 0;  // lines, pages or rows, as the file counts them
};

struct SynthSummary {
  uint64_t people = 0;
  uint64_t identities = 0;        // X handles + Reddit + Mastodon accounts
  uint64_t edges = 0;             // follow graph
  uint64_t max_followers = 0;
  double mean_followers = 0;
  uint64_t posts = 0;
  uint64_t posts_x = 0, posts_reddit = 0, posts_mastodon = 0;
  uint64_t reshares = 0, replies = 0;
  std::array<uint64_t, kActCount> acts{};  // brand posts by act (posts without a brand count as other)
  uint64_t ratings = 0;
  uint64_t crm_rows = 0;
  uint64_t orders = 0;
  uint64_t referred_orders = 0;
  uint64_t referral_events = 0;
  uint64_t refunds = 0;
  uint64_t enrolled_advocates = 0;  // advocates.csv rows
  uint64_t true_advocates = 0;      // truth/people.csv advocate = 1 (people, not identities)
  uint64_t fraud_self_referral = 0, fraud_ring = 0, fraud_burst = 0;  // orders
  uint64_t rating_rings = 0;
  int outage_day = -1;              // 0-based day of the planted complaint spike; -1 when days < 3
  std::vector<SynthFileInfo> files;
};

// How the run went: for the CLI's summary and the benchmark.
struct SynthRecord {
  int threads = 0;
  uint64_t chunks = 0;
  std::map<std::string, double> seconds;  // per stage: "people", "graph", "posts", "ratings", "commerce", ...
};

class WorldGenerator final {
 public:
  // output must outlive run(). control's pointers may be null.
  WorldGenerator(SynthConfig config, WorldOutput& output, RunControl control = {});

  // Generates the whole world. Cancelled when control's flag is set (files written so far are incomplete).
  Status run();

  // Valid only after run() returned OK (assertion otherwise).
  const SynthSummary& summary() const;
  const SynthRecord& record() const;

 private:
  Status Generate();  // run()'s body, inside the task arena

  SynthConfig config_;
  WorldOutput& output_;
  RunControl control_;
  bool done_ = false;
  SynthSummary summary_;
  SynthRecord record_;
};

}  // namespace vouch::synth
