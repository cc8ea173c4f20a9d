// Followers of each person in the workspace's social graph: an arc u -> v means v follows u (graph_ingest.h), so a
// person's followers are the out-degree of their handle's node, summed over their handles in the graph.
#pragma once

#include <cstdint>
#include <filesystem>
#include <unordered_map>

#include "vouch/core/status.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

// Empty when the workspace has no graph.
Result<std::unordered_map<int64_t, int64_t>> FollowersByPerson(const std::filesystem::path& workspace_dir,
                                                               store::SqliteDb& db);

}  // namespace vouch::measure
