#include "vouch/graph/node_list.h"

#include <charconv>
#include <fstream>
#include <string>

#include <fmt/format.h>

namespace vouch::graph {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Calls fn(line_number, fields) for each data line.
template <typename Fn>
Status ForEachLine(const std::filesystem::path& path, Fn fn) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(fmt::format("{}: cannot open", path.string()));
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string_view s = Trim(line);
    if (s.empty() || s.front() == '#') continue;
    VOUCH_TRY(fn(number, s));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<NodeId>> ReadNodeList(const Graph& graph, const std::filesystem::path& path) {
  std::vector<NodeId> out;
  VOUCH_TRY(ForEachLine(path, [&](uint64_t line, std::string_view id) -> Status {
    auto node = graph.FindNode(id);
    if (!node) return Status::InvalidArgument(fmt::format("{}:{}: '{}' is not in the graph", path.string(), line, id));
    out.push_back(*node);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<double>> ReadNodeCosts(const Graph& graph, const std::filesystem::path& path,
                                          double default_cost) {
  std::vector<double> cost(graph.num_nodes(), default_cost);
  VOUCH_TRY(ForEachLine(path, [&](uint64_t line, std::string_view s) -> Status {
    size_t cut = s.find_first_of(" \t,");
    if (cut == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format("{}:{}: expected 'ID COST'", path.string(), line));
    }
    std::string_view id = s.substr(0, cut), rest = Trim(s.substr(cut + 1));
    if (!rest.empty() && rest.front() == ',') rest = Trim(rest.substr(1));
    double c = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), c);
    if (ec != std::errc() || p != rest.data() + rest.size() || !(c > 0)) {
      return Status::InvalidArgument(fmt::format("{}:{}: cost '{}' is not a positive number", path.string(), line, rest));
    }
    auto node = graph.FindNode(id);
    if (!node) return Status::InvalidArgument(fmt::format("{}:{}: '{}' is not in the graph", path.string(), line, id));
    cost[*node] = c;
    return Status::Ok();
  }));
  return cost;
}

}  // namespace vouch::graph
