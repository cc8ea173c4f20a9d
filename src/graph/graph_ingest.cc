#include "vouch/graph/graph_ingest.h"

#include <fmt/format.h>

#include "graph/stopwatch.h"
#include "vouch/graph/edge_list_parser.h"
#include "vouch/graph/graph_builder.h"
#include "vouch/graph/graph_people.h"
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
  // The platform: --platform, else the one the workspace graph records, else the workspace's default.
  std::optional<GraphFileInfo> info_before;
  if (std::filesystem::exists(record_.graph_path)) {
    VOUCH_ASSIGN_OR_RETURN(GraphFileInfo info, ReadGraphFileInfo(record_.graph_path));
    info_before = std::move(info);
  }
  const std::string recorded = info_before ? info_before->tags.platform : std::string();
  const std::string platform =
      identity::HandleKey(options_.platform.empty() ? GraphPlatform(workspace_, recorded) : options_.platform, "x")
          .scope;
  if (!recorded.empty() && platform != recorded) {
    return Status::InvalidArgument(fmt::format(
        "{}: the workspace graph's nodes are {} handles; a graph has one platform (ingest with --platform {})",
        source_.string(), recorded, recorded));
  }
  if (platform.size() > kMaxGraphPlatformBytes) {
    return Status::InvalidArgument(
        fmt::format("--platform '{}' is longer than {} bytes", platform, kMaxGraphPlatformBytes));
  }
  record_.platform = platform;

  EdgeListParser parser(source_, {options_.threads}, control_);
  VOUCH_TRY(parser.run());
  record_.lines = parser.lines();
  RawEdges raw = parser.TakeEdges();
  // Every node must be a usable handle. Integer ids always are (digits survive every platform's rules).
  for (const std::string& id : raw.strings) {
    if (identity::NormalizeHandle(platform, id).empty()) {
      return Status::InvalidArgument(
          fmt::format("{}: node id '{}' is not a usable {} handle", source_.string(), id, platform));
    }
  }
  record_.parse_seconds = lap.Lap();
  if (options_.undirected) {
    // --undirected speaks of this file only: its lines become arcs both ways before the union, and the
    // workspace graph stays a set of arcs that later directed files can join.
    auto add_reverse = [](auto& source, auto& target) {
      const size_t m = source.size();
      source.reserve(2 * m);
      target.reserve(2 * m);
      for (size_t i = 0; i < m; ++i) {
        source.push_back(target[i]);
        target.push_back(source[i]);
      }
    };
    for (EdgeChunk& c : raw.chunks) {
      const size_t m = c.size();
      if (c.narrow()) {
        add_reverse(c.source32, c.target32);
      } else {
        add_reverse(c.source, c.target);
      }
      if (!c.weight.empty()) {
        // Not insert(end, begin, ...): a range from the vector itself is undefined behaviour.
        c.weight.reserve(2 * m);
        for (size_t i = 0; i < m; ++i) c.weight.push_back(c.weight[i]);
      }
    }
  }

  // The graph already there, if any: its arcs join the new ones (as external ids, copied out of its mapping).
  if (info_before) {
    VOUCH_ASSIGN_OR_RETURN(Graph g, OpenGraphFile(record_.graph_path));
    record_.nodes_before = g.num_nodes();
    record_.edges_before = g.num_edges();
    RawEdges old = ToRawEdges(g);
    AppendRawEdges(old, std::move(raw));
    raw = std::move(old);
  }
  GraphBuilder builder(std::move(raw), false);
  VOUCH_TRY(builder.run());
  Graph merged = builder.TakeGraph();
  record_.nodes = merged.num_nodes();
  record_.edges = merged.num_edges();
  record_.build_seconds = lap.Lap();
  // Pending when some node may lack a person: new nodes, or ones a previous ingest left pending.
  record_.people_pending =
      record_.nodes > record_.nodes_before || (info_before && info_before->tags.people_pending);

  std::error_code ec;
  std::filesystem::create_directories(record_.graph_path.parent_path(), ec);
  if (ec) return Status::IoError(fmt::format("{}: {}", record_.graph_path.parent_path().string(), ec.message()));
  // Written beside and renamed over the old file: a reader (or an interrupted ingest) sees the old or the new.
  VOUCH_TRY(WriteGraphFile(merged, record_.graph_path, {}, {platform, record_.people_pending}));
  record_.write_seconds = lap.Lap();
  record_.total_seconds = total.Seconds();
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::graph
