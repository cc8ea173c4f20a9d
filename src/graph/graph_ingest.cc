#include "vouch/graph/graph_ingest.h"

#include <fmt/format.h>

#include "graph/stopwatch.h"
#include "vouch/graph/edge_list_parser.h"
#include "vouch/graph/graph_builder.h"
#include "vouch/identity/normalize.h"

namespace vouch::graph {

std::filesystem::path WorkspaceGraphPath(const std::filesystem::path& workspace_dir) {
  return workspace_dir / "graph" / "social.vgraph";
}

Result<GraphFileInfo> WorkspaceGraphCounts(const std::filesystem::path& workspace_dir) {
  auto info = ReadGraphFileInfo(WorkspaceGraphPath(workspace_dir));
  if (!info.ok() && info.status().code() == StatusCode::kNotFound) return GraphFileInfo{};
  return info;
}

GraphIngest::GraphIngest(Workspace& workspace, std::filesystem::path source, GraphIngestOptions options,
                         RunControl control)
    : workspace_(workspace), source_(std::move(source)), options_(std::move(options)), control_(control) {}

const GraphIngestRecord& GraphIngest::record() const {
  assert(done_ && "GraphIngest::record before run() succeeded");
  return record_;
}

Status GraphIngest::run() {
  Stopwatch total, lap;
  record_ = GraphIngestRecord{};
  record_.graph_path = WorkspaceGraphPath(workspace_.dir());
  const std::string platform =
      options_.platform.empty() ? workspace_.config().default_platform : options_.platform;

  EdgeListParser parser(source_, {options_.threads}, control_);
  VOUCH_TRY(parser.run());
  record_.lines = parser.lines();
  RawEdges raw = parser.TakeEdges();
  record_.parse_seconds = lap.Lap();
  if (options_.undirected) {
    // --undirected speaks of this file only: its lines become arcs both ways before the union, and the
    // workspace graph stays a set of arcs that later directed files can join.
    for (EdgeChunk& c : raw.chunks) {
      const size_t m = c.source.size();
      c.source.reserve(2 * m);
      c.target.reserve(2 * m);
      for (size_t i = 0; i < m; ++i) {
        c.source.push_back(c.target[i]);
        c.target.push_back(c.source[i]);
      }
      if (!c.weight.empty()) c.weight.insert(c.weight.end(), c.weight.begin(), c.weight.begin() + static_cast<ptrdiff_t>(m));
    }
  }

  // The graph already there, if any: its arcs join the new ones, and its nodes already have identities.
  std::optional<Graph> before;
  if (std::filesystem::exists(record_.graph_path)) {
    VOUCH_ASSIGN_OR_RETURN(Graph g, OpenGraphFile(record_.graph_path));
    record_.nodes_before = g.num_nodes();
    record_.edges_before = g.num_edges();
    RawEdges old = ToRawEdges(g);
    AppendRawEdges(old, std::move(raw));
    raw = std::move(old);
    before.emplace(std::move(g));
  }
  GraphBuilder builder(std::move(raw), false);
  VOUCH_TRY(builder.run());
  Graph merged = builder.TakeGraph();
  record_.nodes = merged.num_nodes();
  record_.edges = merged.num_edges();
  record_.build_seconds = lap.Lap();

  // People for the nodes that are new to the workspace, a batch of them per transaction, each batch resolved in
  // bulk (Store::ResolveIdentities: looked up and created in key order).
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
  for (NodeId u = 0; u < merged.num_nodes(); ++u) {
    std::string id = merged.ExternalId(u);
    if (before && before->FindNode(id).has_value()) continue;
    IdentityKey key = identity::HandleKey(platform, id);
    if (key.value.empty()) {
      return Status::InvalidArgument(fmt::format("{}: node id '{}' is not a usable {} handle", source_.string(), id,
                                                 platform));
    }
    ids.push_back(std::move(id));
    keys.push_back(std::move(key));
    if (keys.size() >= batch) {
      VOUCH_TRY(flush());
      control_.Report({"mapping graph nodes to people", u + 1, merged.num_nodes(), "nodes", 0});
      if (control_.Cancelled()) return Status::Cancelled("graph ingest cancelled");
    }
  }
  VOUCH_TRY(flush());
  record_.identity_seconds = lap.Lap();

  std::error_code ec;
  std::filesystem::create_directories(record_.graph_path.parent_path(), ec);
  if (ec) return Status::IoError(fmt::format("{}: {}", record_.graph_path.parent_path().string(), ec.message()));
  // The file is renamed over the old one; the old mapping (before) stays valid until this object goes.
  VOUCH_TRY(WriteGraphFile(merged, record_.graph_path));
  record_.write_seconds = lap.Lap();
  record_.total_seconds = total.Seconds();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::graph
