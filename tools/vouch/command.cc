#include "command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace vouch::cli {
namespace {

struct Registration {
  int order;
  const char* verb;
  Registrar registrar;
};

std::vector<Registration>& Registry() {
  static std::vector<Registration> registry;
  return registry;
}

}  // namespace

bool AddCommand(int order, const char* verb, Registrar registrar) {
  Registry().push_back({order, verb, registrar});
  return true;
}

void RegisterCommands(CLI::App& app, int argc, const char* const* argv) {
  auto& registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const Registration& a, const Registration& b) { return a.order < b.order; });
  // Building every verb's options (a few hundred CLI11 options with their strings and callbacks) takes a quarter
  // of a megabyte of heap and faults in the code and strings of every verb: about 0.5 MB of a short `vouch
  // advocates` run's 12 MB peak (docs/benchmarks.md, Influence). So a run builds only the verbs its arguments
  // name. Any argument that equals a verb counts, not just the first, so that a parse that meets a second verb
  // name (`vouch export people`, or a stray verb) still finds it registered and reads as it did; CLI11 2.1 matches
  // verbs exactly (no prefixes, no case folding), so a verb that no argument names cannot be the one run.
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) return;  // prints the version only
  auto named = [&](const char* verb) {
    for (int i = 1; i < argc; ++i) {
      if (std::strcmp(argv[i], verb) == 0) return true;
    }
    return false;
  };
  bool any = std::any_of(registry.begin(), registry.end(), [&](const Registration& r) { return named(r.verb); });
  for (const Registration& r : registry) {
    if (!any || named(r.verb)) r.registrar(app);
  }
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
