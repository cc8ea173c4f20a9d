// vouch listen aspects --brand NAME [--since] [--until] [--json]: the phrases that distinguish the brand's
// endorsements from its complaints (and from its competitors' endorsements), with example posts. The work is
// listen::AspectMiner's (the statistic is in its header and docs/listen.md).
#include <fmt/format.h>

#include <memory>
#include <string>

#include "command.h"
#include "listen_command.h"
#include "vouch/listen/aspect_miner.h"
#include "vouch/listen/workspace_listen.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ListenAspectsOptions {
  std::string workspace;
  std::string brand;
  std::string since, until;
  bool json = false;
  listen::AspectOptions aspects;
};

void PrintList(const char* title, const char* other, const std::vector<listen::Aspect>& aspects) {
  fmt::print("\n{}\n", title);
  if (aspects.empty()) fmt::print("  (no phrase stands out)\n");
  for (const auto& a : aspects) {
    fmt::print("  {:<28} z {:>5.2f}  {} posts ({} {})\n", a.phrase, a.z, a.posts, a.other_posts, other);
    for (const auto& e : a.examples) fmt::print("      {}  {}\n", e.post, OneLine(e.text, 110));
  }
}

int RunListenAspects(const ListenAspectsOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto brand = listen::FindBrand((*ws)->config(), opts.brand);
  if (!brand.ok()) return Fail(brand.status());
  listen::MentionQuery query;
  query.brands = (*brand)->competitors;
  query.brands.insert(query.brands.begin(), (*brand)->name);
  query.with_text = true;
  if (!opts.since.empty()) {
    auto t = listen::ParseTimeOption("--since", opts.since);
    if (!t.ok()) return Fail(t.status());
    query.since = *t;
  }
  if (!opts.until.empty()) {
    auto t = listen::ParseTimeOption("--until", opts.until);
    if (!t.ok()) return Fail(t.status());
    query.until = *t;
  }
  auto mentions = listen::OpenMentionStore(**ws);
  if (!mentions.ok()) return Fail(mentions.status());
  auto rows = listen::ReadMentions(**mentions, query);
  if (!rows.ok()) return Fail(rows.status());
  listen::AspectMiner miner(std::move(*rows), (*brand)->name, (*brand)->competitors, (*ws)->config().brands,
                            opts.aspects);
  if (Status s = miner.run(); !s.ok()) return Fail(s);
  const auto& r = miner.result();
  if (opts.json) {
    fmt::print("{}\n", listen::AspectResultJson(r).dump(2));
    return kExitOk;
  }
  fmt::print("{}: {} endorsements, {} complaints; competitors' endorsements: {}\n", r.brand, r.endorsements,
             r.complaints, r.competitor_endorsements);
  fmt::print("(log-odds z-scores with an informative Dirichlet prior, Monroe et al. 2008; z >= {:.2f}, at least {} "
             "posts)\n",
             opts.aspects.min_z, opts.aspects.min_count);
  PrintList("praised (endorsements against complaints)", "in complaints", r.praise);
  PrintList("complained about (complaints against endorsements)", "in endorsements", r.complaint);
  PrintList("selling points (endorsements against competitors' endorsements)", "for competitors",
            r.selling_points);
  return kExitOk;
}

void RegisterListenAspects(CLI::App& app) {
  auto* cmd = ListenCommand(app).add_subcommand(
      "aspects", "What people praise and complain about: the phrases that set endorsements and complaints apart");
  auto opts = std::make_shared<ListenAspectsOptions>();
  cmd->add_option("--brand,-b", opts->brand, "A [[brand]] of vouch.toml")->required();
  cmd->add_option("--since", opts->since, "From this time (date, RFC 3339 or epoch seconds)");
  cmd->add_option("--until", opts->until, "Up to this time, excluded");
  cmd->add_option("--top", opts->aspects.top, "Phrases per list")->capture_default_str();
  cmd->add_option("--min-count", opts->aspects.min_count, "Posts a phrase needs in its group")
      ->capture_default_str();
  cmd->add_option("--min-z", opts->aspects.min_z, "Smallest z-score listed")->capture_default_str();
  cmd->add_option("--prior", opts->aspects.prior_strength, "Strength of the background prior (pseudo-counts)")
      ->capture_default_str();
  cmd->add_option("--max-words", opts->aspects.max_ngram, "Longest phrase, in words")
      ->check(CLI::Range(size_t{1}, size_t{6}))
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print JSON");
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->footer("The statistic: docs/listen.md (vouch listen aspects).\nExit status: 0 done; 1 error (an unknown "
              "brand too); 2 bad usage.");
  cmd->callback([opts] { Exit(RunListenAspects(*opts)); });
}

}  // namespace
VOUCH_COMMAND(48, "listen", RegisterListenAspects);
}  // namespace vouch::cli
