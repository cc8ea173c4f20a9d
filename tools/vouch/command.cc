#include "command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace vouch::cli {
namespace {

std::vector<std::pair<int, Registrar>>& Registry() {
  static std::vector<std::pair<int, Registrar>> registry;
  return registry;
}

}  // namespace

bool AddCommand(int order, Registrar registrar) {
  Registry().emplace_back(order, registrar);
  return true;
}

void RegisterAllCommands(CLI::App& app) {
  auto& registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, registrar] : registry) registrar(app);
}

void Exit(int code) {
  if (code != kExitOk) throw CLI::RuntimeError(code);
}

int Fail(const Status& status) {
  std::fflush(stdout);
  fmt::print(stderr, "vouch: {}\n", status.message());
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitUsage;
    case StatusCode::kCancelled: return kExitCancelled;
    default: return kExitError;
  }
}

void AddWorkspaceOption(CLI::App& cmd, std::string& dir) {
  dir = ".";
  cmd.add_option("--workspace,-w", dir, "Workspace directory (holds vouch.toml and vouch.db)")
      ->capture_default_str();
}

}  // namespace vouch::cli
