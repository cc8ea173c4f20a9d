#include "vouch/graph/graph_people.h"

#include <fmt/format.h>

#include <unordered_set>
#include <vector>

#include "graph/stopwatch.h"
#include "vouch/graph/graph_file.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/identity/normalize.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::graph {

std::string GraphPlatform(const Workspace& workspace, const std::string& recorded) {
  return recorded.empty() ? workspace.config().default_platform : recorded;
}

GraphPeopleMapper::GraphPeopleMapper(Workspace& workspace, GraphPeopleOptions options, RunControl control)
    : workspace_(workspace), options_(options), control_(control) {}

const GraphPeopleRecord& GraphPeopleMapper::record() const {
  assert(done_ && "GraphPeopleMapper::record before run() succeeded");
  return record_;
}

Status GraphPeopleMapper::run() {
  Stopwatch total;
  record_ = GraphPeopleRecord{};
  const std::filesystem::path path = WorkspaceGraphPath(workspace_.dir());
  if (!std::filesystem::exists(path)) {
    done_ = true;
    return Status::Ok();
  }
  record_.had_graph = true;
  VOUCH_ASSIGN_OR_RETURN(GraphFileInfo info, ReadGraphFileInfo(path));
  record_.platform = GraphPlatform(workspace_, info.tags.platform);
  record_.nodes = info.nodes;
  if (!info.tags.people_pending) {
    done_ = true;
    return Status::Ok();
  }
  record_.pending = true;
  VOUCH_ASSIGN_OR_RETURN(Graph g, OpenGraphFile(path));

  Store& store = workspace_.store();
  const size_t batch = options_.batch == 0 ? 1 : options_.batch;
  std::vector<std::string> ids;
  std::vector<IdentityKey> keys;
  std::vector<std::string_view> displays;
  std::vector<IdentityRef> refs;
  auto flush = [&]() -> Status {
    if (keys.empty()) return Status::Ok();
    displays.assign(ids.begin(), ids.end());
    VOUCH_TRY(store.Begin());
    Status s = store.ResolveIdentities(keys, displays, refs);
    if (s.ok()) s = store.Commit();
    if (!s.ok()) {
      store.Rollback();
      return s;
    }
    for (const IdentityRef& ref : refs) (ref.created ? record_.identities_created : record_.identities_found)++;
    ids.clear();
    keys.clear();
    return Status::Ok();
  };
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    std::string id = g.ExternalId(u);
    IdentityKey key = identity::HandleKey(record_.platform, id);
    // The ingest refused ids that are no handle; a file from elsewhere may still hold one: it names nobody.
    if (key.value.empty()) continue;
    ids.push_back(std::move(id));
    keys.push_back(std::move(key));
    if (keys.size() >= batch) {
      VOUCH_TRY(flush());
      control_.Report({"mapping graph nodes to people", u + 1, g.num_nodes(), "nodes", 0});
      if (control_.Cancelled()) return Status::Cancelled("mapping graph nodes to people cancelled");
    }
  }
  VOUCH_TRY(flush());
  VOUCH_TRY(ClearGraphPeoplePending(path, info.nodes, info.edges));
  record_.seconds = total.Seconds();
  done_ = true;
  return Status::Ok();
}

Result<uint64_t> CountGraphOnlyPeople(Workspace& workspace) {
  const std::filesystem::path path = WorkspaceGraphPath(workspace.dir());
  if (!std::filesystem::exists(path)) return uint64_t{0};
  VOUCH_ASSIGN_OR_RETURN(GraphFileInfo info, ReadGraphFileInfo(path));
  if (!info.tags.people_pending) return uint64_t{0};
  auto* sqlite = dynamic_cast<SqliteStore*>(&workspace.store());
  if (sqlite == nullptr) return Status::FailedPrecondition("counting the graph's people needs the SQLite store");
  const std::string platform = GraphPlatform(workspace, info.tags.platform);
  const std::string scope = identity::HandleKey(platform, "x").scope;
  std::unordered_set<std::string> known;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         sqlite->db().Prepare("SELECT value FROM identities WHERE kind = 'handle' AND scope = ?"));
  q->Reset().Bind(1, scope);
  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    known.insert(q->Text(0));
  }
  q->Reset();
  VOUCH_ASSIGN_OR_RETURN(Graph g, OpenGraphFile(path));
  std::unordered_set<std::string> fresh;
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    std::string value = identity::NormalizeHandle(platform, g.ExternalId(u));
    if (!value.empty() && !known.contains(value)) fresh.insert(std::move(value));
  }
  return static_cast<uint64_t>(fresh.size());
}

}  // namespace vouch::graph
