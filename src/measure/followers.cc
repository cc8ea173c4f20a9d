#include "measure/followers.h"

#include <string>

#include "vouch/graph/graph_file.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/identity/normalize.h"
#include "vouch/store/rows.h"

namespace vouch::measure {

Result<std::unordered_map<int64_t, int64_t>> FollowersByPerson(const std::filesystem::path& workspace_dir,
                                                               store::SqliteDb& db) {
  std::unordered_map<int64_t, int64_t> followers;
  std::filesystem::path path = graph::WorkspaceGraphPath(workspace_dir);
  if (!std::filesystem::exists(path)) return followers;
  VOUCH_ASSIGN_OR_RETURN(graph::Graph g, graph::OpenGraphFile(path));
  std::unordered_map<std::string, int64_t> person_of_handle;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db.Prepare("SELECT value, person_id FROM identities WHERE kind = 'handle'"));
  VOUCH_TRY(store::ForEachRow(
      *q, [&](const store::Statement& row) { person_of_handle.emplace(row.Text(0), row.Int(1)); }));
  for (graph::NodeId u = 0; u < g.num_nodes(); ++u) {
    auto it = person_of_handle.find(identity::NormalizeHandle("", g.ExternalId(u)));
    if (it != person_of_handle.end()) followers[it->second] += g.OutDegree(u);
  }
  return followers;
}

}  // namespace vouch::measure
