// The options by which a verb reads a social graph from a file (--graph, --undirected, --no-cache) and the one way
// they load it, shared by the verbs that take a graph file (simulate spread, simulate campaign).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/graph/graph.h"
#include "vouch/graph/graph_loader.h"

namespace vouch::cli {

struct GraphFileOptions {
  std::string path;
  bool undirected = false;
  bool no_cache = false;
};

// Adds --graph (required, an existing file; `what` follows its help text), --undirected and --no-cache to cmd.
void AddGraphFileOptions(CLI::App* cmd, GraphFileOptions& options, const std::string& what = "");

// Loads the graph (reading and writing its FILE.vgraph cache unless --no-cache) with threads (0: all cores).
Result<graph::Graph> LoadGraphFile(const GraphFileOptions& options, int threads, const RunControl& control,
                                   graph::GraphLoadRecord* record = nullptr);

}  // namespace vouch::cli
