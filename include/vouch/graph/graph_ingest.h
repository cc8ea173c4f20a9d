// GraphIngest: `vouch ingest graph FILE`: an edge list joins the workspace's social graph.
//
// The workspace holds one graph, DIR/graph/social.vgraph (graph_file.h). Ingesting a file unions its arcs with
// the arcs already there (re-ingesting the same or an overlapping file adds nothing twice) and maps every node
// that is new to the graph to a person: the node id is a handle on `platform`, resolved through
// Store::ResolveIdentities (identity/normalize.h rules) in batched transactions. Identities are resolved before the
// graph file is replaced, so an interrupted ingest, run again, completes (resolving is idempotent).
#pragma once

#include <filesystem>
#include <string>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/graph/graph_file.h"
#include "vouch/workspace/workspace.h"

namespace vouch::graph {

struct GraphIngestOptions {
  bool undirected = false;
  std::string platform;      // empty: the workspace's default platform
  int threads = 0;           // 0: all cores
  size_t batch = 100000;     // identities per transaction (each batch resolved in bulk)
};

struct GraphIngestRecord {
  std::filesystem::path graph_path;
  uint64_t lines = 0;
  uint64_t nodes_before = 0, edges_before = 0;
  uint64_t nodes = 0, edges = 0;     // after
  uint64_t identities_created = 0, identities_found = 0;
  double parse_seconds = 0, build_seconds = 0, write_seconds = 0, identity_seconds = 0, total_seconds = 0;
};

// DIR/graph/social.vgraph
std::filesystem::path WorkspaceGraphPath(const std::filesystem::path& workspace_dir);
// The workspace graph's counts from its header (for `vouch status`); nodes = edges = 0 when it has no graph yet.
Result<GraphFileInfo> WorkspaceGraphCounts(const std::filesystem::path& workspace_dir);

class GraphIngest final {
 public:
  GraphIngest(Workspace& workspace, std::filesystem::path source, GraphIngestOptions options,
              RunControl control = {});
  Status run();
  const GraphIngestRecord& record() const;

 private:
  Workspace& workspace_;
  std::filesystem::path source_;
  GraphIngestOptions options_;
  RunControl control_;
  bool done_ = false;
  GraphIngestRecord record_;
};

}  // namespace vouch::graph
