// GraphPeopleMapper: the people behind the workspace graph's nodes, created when they are first needed.
//
// `vouch ingest graph` stores nodes only: their external ids (in the graph file), which are handles on the
// platform the file records, and a "people pending" flag (graph_file.h). Creating a person and an identity per
// node in the ingest cost ten times the graph's own work (646,247 of each for a 16-million-edge file), and most
// nodes of a follow graph are never asked for as people. So a consumer that needs every node as a person (`vouch
// trust compute`, the people verbs, `vouch export people`) runs this mapper first: each node's handle
// (identity/normalize.h rules) is resolved through Store::ResolveIdentities, a batch per transaction, exactly as
// the ingest used to do it. A handle that a post, rating or order created already maps to that identity's person
// (so people stay unified across sources, whichever came first); a new one gets a person of its own, named by the
// node id. Then the flag is cleared, and later runs cost one header read. Resolving is idempotent: an interrupted
// run, run again, completes.
//
// Consumers that need only some nodes' people look them up (trust::GraphPeople creates the missing ones of a
// pending graph itself); `vouch status` counts the pending ones with CountGraphOnlyPeople.
//
// Thread safety: one thread at a time (uses the workspace's Store).
#pragma once

#include <cstdint>
#include <string>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/workspace/workspace.h"

namespace vouch::graph {

struct GraphPeopleOptions {
  size_t batch = 100000;  // handles per transaction
};

struct GraphPeopleRecord {
  bool had_graph = false;  // the workspace holds a graph
  bool pending = false;    // its flag was set, so its nodes were resolved
  std::string platform;
  uint64_t nodes = 0;
  uint64_t identities_created = 0, identities_found = 0;
  double seconds = 0;
};

class GraphPeopleMapper final {
 public:
  GraphPeopleMapper(Workspace& workspace, GraphPeopleOptions options = {}, RunControl control = {});
  Status run();
  const GraphPeopleRecord& record() const;

 private:
  Workspace& workspace_;
  GraphPeopleOptions options_;
  RunControl control_;
  bool done_ = false;
  GraphPeopleRecord record_;
};

// The platform a workspace graph's node ids are handles on: the one its file records, else (a file from before
// the platform was recorded) the workspace's default platform.
std::string GraphPlatform(const Workspace& workspace, const std::string& recorded);

// How many people the workspace graph adds that have no identity yet: the distinct handles of its nodes that name
// no identity on its platform (what GraphPeopleMapper would create). 0 when there is no graph or nothing pending.
// Needs the SQLite store (reads every handle identity of the platform in one query).
Result<uint64_t> CountGraphOnlyPeople(Workspace& workspace);

}  // namespace vouch::graph
