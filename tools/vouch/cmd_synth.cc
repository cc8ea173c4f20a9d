// vouch synth --people N --days D --seed S --out DIR: writes an example world (docs/synth.md).
#include <fmt/format.h>

#include <cmath>

#include "command.h"
#include "terminal.h"
#include "vouch/synth/world_generator.h"

namespace vouch::cli {
namespace {

struct SynthOptions {
  synth::SynthConfig config;
  std::string out = "world";
};

std::string Bytes(uint64_t b) {
  if (b >= 1000000000) return fmt::format("{:.2f} GB", b / 1e9);
  if (b >= 1000000) return fmt::format("{:.1f} MB", b / 1e6);
  if (b >= 1000) return fmt::format("{:.1f} kB", b / 1e3);
  return fmt::format("{} B", b);
}

int RunSynth(const SynthOptions& opts) {
  synth::DirectoryOutput output(opts.out);
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  synth::WorldGenerator generator(opts.config, output, control);
  const Status status = generator.run();
  bar.Finish();
  if (!status.ok()) return Fail(status);
  const synth::SynthSummary& s = generator.summary();
  const synth::SynthRecord& r = generator.record();
  double seconds = 0;
  for (const auto& [stage, t] : r.seconds) seconds += t;
  fmt::print("world       {} (seed {}, {} days from ", opts.out, opts.config.seed, opts.config.days);
  fmt::print("{})\n", opts.config.start_time);
  fmt::print("people      {} ({} identities, {} true advocates, {} enrolled in the program)\n", s.people,
             s.identities, s.true_advocates, s.enrolled_advocates);
  fmt::print("graph       {} follows (mean {:.1f} followers, max {})\n", s.edges, s.mean_followers, s.max_followers);
  fmt::print("posts       {} (x {}, reddit {}, mastodon {}; {} reshares, {} replies)\n", s.posts, s.posts_x,
             s.posts_reddit, s.posts_mastodon, s.reshares, s.replies);
  std::string acts;
  for (int a = 0; a < synth::kActCount; ++a) {
    acts += fmt::format("{}{} {}", a ? ", " : "", synth::ActName(static_cast<synth::Act>(a)), s.acts[a]);
  }
  fmt::print("acts        {}\n", acts);
  if (s.outage_day >= 0) fmt::print("outage      day {} (complaint spike)\n", s.outage_day + 1);
  fmt::print("ratings     {} ({} rating rings)\n", s.ratings, s.rating_rings);
  fmt::print("orders      {} ({} through referral codes, {} refunds, {} program events)\n", s.orders,
             s.referred_orders, s.refunds, s.referral_events);
  fmt::print("fraud       {} self-referral, {} ring, {} burst orders\n", s.fraud_self_referral, s.fraud_ring,
             s.fraud_burst);
  fmt::print("files\n");
  for (const auto& f : s.files) fmt::print("  {:<24} {:>10}  {} records\n", f.path, Bytes(f.bytes), f.records);
  std::string stages;
  for (const auto& [stage, t] : r.seconds) stages += fmt::format("{}{} {:.1f}", stages.empty() ? "" : ", ", stage, t);
  fmt::print("time        {:.1f} s on {} threads ({})\n", seconds, r.threads, stages);
  return kExitOk;
}

void RegisterSynth(CLI::App& app) {
  auto* cmd = app.add_subcommand("synth", "Write a deterministic example world (posts, graph, ratings, orders, "
                                          "referrals, ground truth) in Vouch's input formats");
  auto opts = std::make_shared<SynthOptions>();
  cmd->add_option("--people", opts->config.people, "Number of people")->capture_default_str();
  cmd->add_option("--days", opts->config.days, "Days of activity")->capture_default_str();
  cmd->add_option("--seed", opts->config.seed, "Random seed: the same seed writes the same bytes")
      ->capture_default_str();
  cmd->add_option("--out", opts->out, "Directory to write the world into")->capture_default_str();
  cmd->add_option("--posts-per-person", opts->config.posts_per_person, "Mean posts a person writes over the period")
      ->capture_default_str();
  cmd->add_option("--follows-per-person", opts->config.follows_per_person, "Mean number of people a person follows")
      ->capture_default_str();
  cmd->add_option("--start", opts->config.start_time, "First day, epoch seconds (00:00 UTC)")->capture_default_str();
  cmd->add_option("--threads", opts->config.threads, "Worker threads (0: all cores); the output does not depend "
                                                      "on it")
      ->capture_default_str();
  cmd->callback([opts] { Exit(RunSynth(*opts)); });
}

}  // namespace
VOUCH_COMMAND(15, "synth", RegisterSynth);
}  // namespace vouch::cli
