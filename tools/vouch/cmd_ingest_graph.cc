// vouch ingest graph FILE [--undirected] [--platform P] [--workspace DIR] [--json]
// An edge list joins the workspace's social graph (vouch/graph/graph_ingest.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.h"
#include "ingest_command.h"
#include "terminal.h"
#include "vouch/graph/graph_ingest.h"

namespace vouch::cli {
namespace {

struct IngestGraphOptions {
  std::string workspace;
  std::string file;
  bool undirected = false;
  std::string platform;
  bool json = false;
};

int RunIngestGraph(const IngestGraphOptions& o) {
  auto ws = Workspace::Open(o.workspace);
  if (!ws.ok()) return Fail(ws.status());
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  graph::GraphIngestOptions opts;
  opts.undirected = o.undirected;
  opts.platform = o.platform;
  graph::GraphIngest ingest(**ws, o.file, opts, control);
  Status ran = ingest.run();
  bar.Finish();
  if (!ran.ok()) return Fail(ran);
  const auto& r = ingest.record();
  if (o.json) {
    nlohmann::json j = {{"graph", r.graph_path.string()},
                        {"lines", r.lines},
                        {"nodes", r.nodes},
                        {"arcs", r.edges},
                        {"nodes_added", r.nodes - r.nodes_before},
                        {"arcs_added", r.edges - r.edges_before},
                        {"platform", r.platform},
                        {"people_pending", r.people_pending},
                        {"times",
                         {{"parse_seconds", r.parse_seconds},
                          {"build_seconds", r.build_seconds},
                          {"write_seconds", r.write_seconds},
                          {"total_seconds", r.total_seconds}}}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("graph {}: {} people, {} arcs (+{} people, +{} arcs from {} lines)\n", r.graph_path.string(), r.nodes,
             r.edges, r.nodes - r.nodes_before, r.edges - r.edges_before, r.lines);
  fmt::print("node ids are {} handles; {:.2f} s (parse {:.2f} s, build {:.2f} s, write {:.2f} s)\n", r.platform,
             r.total_seconds, r.parse_seconds, r.build_seconds, r.write_seconds);
  if (r.people_pending) {
    fmt::print(
        "new nodes become people (with an identity each) when first needed: `vouch trust compute`, the "
        "people verbs, export\n");
  }
  return kExitOk;
}

void RegisterIngestGraph(CLI::App& app) {
  auto* cmd = IngestCommand(app).add_subcommand("graph", "A social graph (SNAP-style edge list) joins the workspace's graph");
  auto o = std::make_shared<IngestGraphOptions>();
  AddWorkspaceOption(*cmd, o->workspace);
  cmd->add_option("FILE", o->file, "Edge list: 'SOURCE TARGET [WEIGHT]' per line, '#' comments")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--undirected", o->undirected, "Each line is an undirected edge");
  cmd->add_option("--platform", o->platform, "Platform of the node ids as handles (default: the workspace's)");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] { Exit(RunIngestGraph(*o)); });
}

}  // namespace
VOUCH_COMMAND(90, "ingest", RegisterIngestGraph);
}  // namespace vouch::cli
