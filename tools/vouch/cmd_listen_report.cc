// vouch listen report --brand NAME [--since] [--until] [--by day|week] [--json|--csv]: volume by act, share of
// voice, net sentiment, act mix, word-of-mouth-to-share ratio, top endorsers and complainers, alerts. The work is
// listen::ListenReport's (definitions in its header and docs/listen.md).
#include <fmt/format.h>

#include <memory>
#include <string>

#include "command.h"
#include "listen_command.h"
#include "vouch/listen/listen_report.h"
#include "vouch/listen/workspace_listen.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ListenReportCliOptions {
  std::string workspace;
  std::string brand;
  std::string since, until;
  std::string by = "day";
  bool json = false;
  bool csv = false;
  listen::ListenReportOptions report;
};

std::string Opt(const std::optional<double>& v, const char* spec = "{:.3f}") {
  return v ? fmt::format(fmt::runtime(spec), *v) : std::string("n/a");
}

void PrintVoices(const char* title, const std::vector<listen::ReportVoice>& voices, bool trust) {
  fmt::print("\n{}\n", title);
  if (voices.empty()) fmt::print("  (none)\n");
  for (const auto& v : voices) {
    if (trust) {
      fmt::print("  {:<24} {:>4} posts  reputation {:>6}  score {:.2f}  latest {}\n", v.handle, v.posts,
                 Opt(v.reputation, "{:+.2f}"), v.score, v.latest_post);
    } else {
      fmt::print("  {:<24} {:>4} posts  latest {}\n", v.handle, v.posts, v.latest_post);
    }
  }
}

void PrintText(const listen::ListenReportResult& r) {
  using listen::Act;
  fmt::print("{}: {} posts, {} to {} (by {})\n", r.brand, r.totals.posts, listen::UtcDate(r.since),
             listen::UtcDate(r.until - 1), listen::ReportBucketName(r.bucket));
  fmt::print("share of voice  ");
  for (const auto& v : r.share_of_voice) fmt::print("{} {:.1f}% ({})  ", v.brand, 100 * v.share, v.posts);
  fmt::print("\nnet sentiment   {}  (pos {}, neg {}, neu {})\n", Opt(r.net_sentiment, "{:+.3f}"),
             r.totals.sentiment.pos, r.totals.sentiment.neg, r.totals.sentiment.neu);
  fmt::print("act mix        ");
  for (size_t a = 0; a < listen::kActCount; ++a) {
    fmt::print(" {} {:.1f}%", listen::ActName(static_cast<Act>(a)), 100 * r.act_mix[a]);
  }
  fmt::print("\nWOM-to-share    {}  ((endorse {} + complain {}) / share {})\n", Opt(r.wom_to_share, "{:.2f}"),
             r.totals.of(Act::kEndorse), r.totals.of(Act::kComplain), r.totals.of(Act::kShare));
  fmt::print("\n{:<10} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6} {:>7} {:>7}\n", "period", "posts", "endorse", "complain",
             "share", "ask", "other", "SoV", "net");
  for (const auto& p : r.periods) {
    fmt::print("{:<10} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6} {:>7} {:>7}\n", listen::UtcDate(p.start), p.brand.posts,
               p.brand.of(Act::kEndorse), p.brand.of(Act::kComplain), p.brand.of(Act::kShare),
               p.brand.of(Act::kAsk), p.brand.of(Act::kOther), Opt(p.share_of_voice, "{:.2f}"),
               Opt(p.net_sentiment, "{:+.2f}"));
  }
  const bool trust = r.voice_weighting == "trust";
  const char* how = trust ? "weighted by reputation: posts x (1 + reputation) / 2"
                          : "by posts; run `vouch trust compute` to weight them by reputation";
  PrintVoices(fmt::format("top endorsers ({})", how).c_str(), r.top_endorsers, trust);
  PrintVoices(fmt::format("top complainers ({})", how).c_str(), r.top_complainers, trust);
  fmt::print("\nalerts\n");
  if (r.alerts.empty()) fmt::print("  (none)\n");
  for (const auto& a : r.alerts) {
    fmt::print("  {} {} spike: {} against a mean of {:.1f} (sd {:.1f}) over the {} {}s before: z = {:.1f} >= {:.1f}\n",
               listen::UtcDate(a.period_start), a.metric, a.value, a.baseline_mean, a.baseline_sd, a.window,
               listen::ReportBucketName(r.bucket), a.z, a.threshold);
  }
}

int RunListenReport(ListenReportCliOptions opts) {
  if (opts.json && opts.csv) return Fail(Status::InvalidArgument("--json and --csv: choose one"));
  auto bucket = listen::ParseReportBucket(opts.by);
  if (!bucket) return Fail(Status::InvalidArgument(fmt::format("--by '{}': expected day or week", opts.by)));
  opts.report.bucket = *bucket;
  if (!opts.since.empty()) {
    auto t = listen::ParseTimeOption("--since", opts.since);
    if (!t.ok()) return Fail(t.status());
    opts.report.since = *t;
  }
  if (!opts.until.empty()) {
    auto t = listen::ParseTimeOption("--until", opts.until);
    if (!t.ok()) return Fail(t.status());
    opts.report.until = *t;
  }
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto brand = listen::FindBrand((*ws)->config(), opts.brand);
  if (!brand.ok()) return Fail(brand.status());
  opts.report.brand = (*brand)->name;
  opts.report.competitors = (*brand)->competitors;
  auto mentions = listen::OpenMentionStore(**ws);
  if (!mentions.ok()) return Fail(mentions.status());
  listen::MentionQuery query;
  query.brands = opts.report.competitors;
  query.brands.insert(query.brands.begin(), opts.report.brand);
  query.since = opts.report.since;
  query.until = opts.report.until;
  auto rows = listen::ReadMentions(**mentions, query);
  if (!rows.ok()) return Fail(rows.status());
  auto trust = listen::LoadPersonTrust(**ws);
  if (!trust.ok()) return Fail(trust.status());
  listen::ListenReport report(std::move(*rows), opts.report, std::move(*trust));
  if (Status s = report.run(); !s.ok()) return Fail(s);
  if (opts.json) {
    fmt::print("{}\n", listen::ListenReportJson(report.result()).dump(2));
  } else if (opts.csv) {
    fmt::print("{}", listen::ListenReportCsv(report.result()));
  } else {
    PrintText(report.result());
  }
  return kExitOk;
}

void RegisterListenReport(CLI::App& app) {
  auto* cmd = ListenCommand(app).add_subcommand(
      "report", "What was said about a brand: volume by act, share of voice, sentiment, WOM-to-share, alerts");
  auto opts = std::make_shared<ListenReportCliOptions>();
  cmd->add_option("--brand,-b", opts->brand, "A [[brand]] of vouch.toml")->required();
  cmd->add_option("--since", opts->since, "From this time (date, RFC 3339 or epoch seconds; default: the first post)");
  cmd->add_option("--until", opts->until, "Up to this time, excluded (default: after the last post)");
  cmd->add_option("--by", opts->by, "Periods: day or week (ISO weeks, from Monday 00:00 UTC)")
      ->check(CLI::IsMember({"day", "week"}))
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print the whole report as JSON");
  cmd->add_flag("--csv", opts->csv, "Print one CSV row per period");
  cmd->add_option("--top", opts->report.top_people, "Endorsers and complainers to list")->capture_default_str();
  cmd->add_option("--alert-z", opts->report.alert_z, "z-score at which a spike alerts")->capture_default_str();
  cmd->add_option("--alert-window", opts->report.alert_window,
                  "Trailing periods of the alerts' baseline (0: 14 days or 8 weeks)")
      ->capture_default_str();
  cmd->add_option("--alert-min-count", opts->report.alert_min_count, "Smallest count that can alert")
      ->capture_default_str();
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->footer("Definitions: docs/listen.md (vouch listen report).\nExit status: 0 done; 1 error (an unknown brand "
              "too); 2 bad usage.");
  cmd->callback([opts] { Exit(RunListenReport(*opts)); });
}

}  // namespace
VOUCH_COMMAND(47, "listen", RegisterListenReport);
}  // namespace vouch::cli
