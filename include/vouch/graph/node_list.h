// Node lists: files that name people of a graph by their external ids, one per line (seed sets, candidates,
// exclusions), or with a number after the id (costs). Blank lines and lines starting with '#' are skipped.
// An id the graph does not hold, or a bad number, is InvalidArgument naming FILE:LINE.
#pragma once

#include <filesystem>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"

namespace vouch::graph {

Result<std::vector<NodeId>> ReadNodeList(const Graph& graph, const std::filesystem::path& path);

// "ID COST" per line; people not listed cost default_cost.
Result<std::vector<double>> ReadNodeCosts(const Graph& graph, const std::filesystem::path& path,
                                          double default_cost);

}  // namespace vouch::graph
