// vouch status [--json]: what the workspace holds.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/graph/graph_people.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct StatusOptions {
  std::string workspace;
  bool json = false;
};

int RunStatus(const StatusOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto counts = (*ws)->store().Counts();
  if (!counts.ok()) return Fail(counts.status());
  auto versions = (*ws)->store().SchemaVersions();
  if (!versions.ok()) return Fail(versions.status());
  // The social graph is a binary file beside the database, not rows in it (DESIGN.md: compact structures).
  auto graph = graph::WorkspaceGraphCounts((*ws)->dir());
  if (!graph.ok()) return Fail(graph.status());
  // People known only as graph nodes have no row yet (graph/graph_people.h) but are people all the same.
  auto graph_only = graph::CountGraphOnlyPeople(**ws);
  if (!graph_only.ok()) return Fail(graph_only.status());
  const WorkspaceCounts& c = *counts;
  const int64_t people = c.people + static_cast<int64_t>(*graph_only);
  if (opts.json) {
    nlohmann::json schema = nlohmann::json::object();
    for (const auto& [component, version] : *versions) schema[component] = version;
    nlohmann::json out = {{"workspace", (*ws)->dir().string()},
                          {"people", people},
                          {"people_only_in_graph", *graph_only},
                          {"identities", c.identities},
                          {"merges", c.merges},
                          {"posts", c.posts},
                          {"mentions", c.mentions},
                          {"ratings", c.ratings},
                          {"orders", c.orders},
                          {"social_nodes", graph->nodes},
                          {"social_edges", graph->edges},
                          {"brands", (*ws)->config().brands.size()},
                          {"schema", schema}};
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  fmt::print("workspace   {}\n", (*ws)->dir().string());
  fmt::print("brands      {}\n", (*ws)->config().brands.size());
  fmt::print("people      {}{}\n", people,
             *graph_only > 0 ? fmt::format(" ({} known only as social graph nodes so far)", *graph_only) : "");
  fmt::print("identities  {}\n", c.identities);
  fmt::print("merges      {}\n", c.merges);
  fmt::print("posts       {}\n", c.posts);
  fmt::print("mentions    {}\n", c.mentions);
  fmt::print("ratings     {}\n", c.ratings);
  fmt::print("orders      {}\n", c.orders);
  fmt::print("social      {} nodes, {} edges\n", graph->nodes, graph->edges);
  std::string schema;
  for (const auto& [component, version] : *versions) {
    schema += fmt::format("{}{} {}", schema.empty() ? "" : ", ", component, version);
  }
  fmt::print("schema      {}\n", schema);
  return kExitOk;
}

void RegisterStatus(CLI::App& app) {
  auto* cmd = app.add_subcommand("status", "What the workspace holds: people, identities, posts, mentions, ...");
  auto opts = std::make_shared<StatusOptions>();
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->add_flag("--json", opts->json, "Print JSON instead of a table");
  cmd->callback([opts] { Exit(RunStatus(*opts)); });
}

}  // namespace
VOUCH_COMMAND(20, "status", RegisterStatus);
}  // namespace vouch::cli
