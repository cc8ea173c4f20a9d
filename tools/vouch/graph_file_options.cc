#include "graph_file_options.h"

namespace vouch::cli {

void AddGraphFileOptions(CLI::App* cmd, GraphFileOptions& options, const std::string& what) {
  cmd->add_option("--graph", options.path, "SNAP-style edge list (or a .vgraph file)" + what)
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--undirected", options.undirected, "Each line is an undirected edge");
  cmd->add_flag("--no-cache", options.no_cache, "Neither read nor write FILE.vgraph");
}

Result<graph::Graph> LoadGraphFile(const GraphFileOptions& options, int threads, const RunControl& control,
                                   graph::GraphLoadRecord* record) {
  graph::GraphLoadOptions load;
  load.undirected = options.undirected;
  load.read_cache = load.write_cache = !options.no_cache;
  load.threads = threads;
  return graph::LoadGraph(options.path, load, control, record);
}

}  // namespace vouch::cli
