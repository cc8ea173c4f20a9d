// vouch listen inbox --brand NAME [--n N]: the complaints and questions worth answering now, ranked by how far
// and how trusted the author's voice is and how fresh the post is, each with the reasons. The work is
// listen::InboxRanker's (the score is in its header and docs/listen.md).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>

#include "command.h"
#include "listen_command.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/graph/graph_loader.h"
#include "vouch/listen/inbox_ranker.h"
#include "vouch/listen/workspace_listen.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ListenInboxOptions {
  std::string workspace;
  std::string brand;
  std::string since;
  std::string now;
  bool json = false;
  listen::InboxOptions inbox;
};

int RunListenInbox(ListenInboxOptions opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto brand = listen::FindBrand((*ws)->config(), opts.brand);
  if (!brand.ok()) return Fail(brand.status());
  listen::MentionQuery query;
  query.brands = {(*brand)->name};
  query.with_text = true;
  if (!opts.since.empty()) {
    auto t = listen::ParseTimeOption("--since", opts.since);
    if (!t.ok()) return Fail(t.status());
    query.since = *t;
  }
  if (!opts.now.empty()) {
    auto t = listen::ParseTimeOption("--now", opts.now);
    if (!t.ok()) return Fail(t.status());
    opts.inbox.now = *t;
  }
  auto mentions = listen::OpenMentionStore(**ws);
  if (!mentions.ok()) return Fail(mentions.status());
  auto rows = listen::ReadMentions(**mentions, query);
  if (!rows.ok()) return Fail(rows.status());

  // Reach comes from the workspace's social graph, when one was ingested.
  std::unordered_map<PersonId, int64_t> followers;
  const std::filesystem::path graph_path = graph::WorkspaceGraphPath((*ws)->dir());
  bool have_graph = std::filesystem::exists(graph_path);
  if (have_graph) {
    auto g = graph::LoadGraph(graph_path, {});
    if (!g.ok()) return Fail(g.status());
    std::vector<PersonId> authors;
    for (const auto& r : *rows) {
      if (r.act == listen::Act::kComplain || r.act == listen::Act::kAsk) authors.push_back(r.author);
    }
    auto f = listen::WorkspaceFollowers((*ws)->store(), *g, authors);
    if (!f.ok()) return Fail(f.status());
    followers = std::move(*f);
  }
  auto trust = listen::LoadPersonTrust(**ws);
  if (!trust.ok()) return Fail(trust.status());
  const bool trust_computed = trust->computed;
  auto answered = listen::AnsweredByBrand(**mentions, **brand);
  if (!answered.ok()) return Fail(answered.status());
  listen::InboxRanker ranker(std::move(*rows), std::move(followers), std::move(*trust), std::move(*answered),
                             opts.inbox);
  if (Status s = ranker.run(); !s.ok()) return Fail(s);
  if (opts.json) {
    fmt::print("{}\n", listen::InboxJson(ranker.items(), trust_computed).dump(2));
    return kExitOk;
  }
  fmt::print("{}: {} posts to answer first (score = reach x trust x recency; {}{})\n", (*brand)->name,
             ranker.items().size(), have_graph ? "reach from the social graph" : "no social graph: reach 1 for all",
             trust_computed ? ", trust from reputation" : ", trust not computed: run `vouch trust compute`");
  int rank = 0;
  for (const auto& it : ranker.items()) {
    fmt::print("\n{:>2}. {:.2f}  {}:{}  {}  {}\n    {}\n    why: {}\n", ++rank, it.score, it.post.platform,
               it.post.post_id, it.post.author_handle, listen::UtcDate(it.post.time), OneLine(it.post.text, 200),
               it.why);
  }
  return kExitOk;
}

void RegisterListenInbox(CLI::App& app) {
  auto* cmd = ListenCommand(app).add_subcommand(
      "inbox", "Complaints and questions worth answering now, by the reach and trust of their authors");
  auto opts = std::make_shared<ListenInboxOptions>();
  cmd->add_option("--brand,-b", opts->brand, "A [[brand]] of vouch.toml")->required();
  cmd->add_option("--n", opts->inbox.n, "Posts to list")->capture_default_str();
  cmd->add_option("--since", opts->since, "Only posts from this time (date, RFC 3339 or epoch seconds)");
  cmd->add_option("--now", opts->now, "The moment recency is measured from (default: the brand's latest post)");
  cmd->add_option("--half-life", opts->inbox.half_life_hours, "Hours after which a post's recency halves")
      ->capture_default_str();
  cmd->add_option("--min-confidence", opts->inbox.min_confidence, "Leave out posts whose act is less sure")
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print JSON");
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->footer("Posts the brand's own handles already replied to are left out. The score: docs/listen.md (vouch "
              "listen inbox).\nExit status: 0 done; 1 error (an unknown brand too); 2 bad usage.");
  cmd->callback([opts] { Exit(RunListenInbox(*opts)); });
}

}  // namespace
VOUCH_COMMAND(49, "listen", RegisterListenInbox);
}  // namespace vouch::cli
