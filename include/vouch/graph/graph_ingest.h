// GraphIngest: `vouch ingest graph FILE`: an edge list joins the workspace's social graph.
//
// The workspace holds one graph, DIR/graph/social.vgraph (graph_file.h). Ingesting a file unions its arcs with
// the arcs already there (re-ingesting the same or an overlapping file adds nothing twice). Every node is a
// person: its id is a handle on `platform` (identity/normalize.h rules; an id that normalises to nothing is
// refused). The people are not created here but when first needed (graph_people.h): the file records the platform
// and, when the ingest added nodes, a "people pending" flag. The new graph is written to a temporary file renamed
// over the old one, so an interrupted ingest leaves the workspace as it was, and running it again completes it.
//
// A workspace graph has one platform: ingesting with another one than the graph records is InvalidArgument.
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
};

struct GraphIngestRecord {
  std::filesystem::path graph_path;
  uint64_t lines = 0;
  uint64_t nodes_before = 0, edges_before = 0;
  uint64_t nodes = 0, edges = 0;     // after
  std::string platform;
  bool people_pending = false;  // the written graph has nodes that may have no person yet (graph_people.h)
  double parse_seconds = 0, build_seconds = 0, write_seconds = 0, total_seconds = 0;
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
