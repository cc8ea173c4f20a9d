// vouch init [DIR]: create a workspace (vouch.toml and vouch.db).
#include <fmt/format.h>

#include "command.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

void RegisterInit(CLI::App& app) {
  auto* cmd = app.add_subcommand("init", "Create a workspace: vouch.toml (brands, defaults) and vouch.db");
  auto dir = std::make_shared<std::string>(".");
  cmd->add_option("dir", *dir, "Directory of the workspace (created if missing)")->capture_default_str();
  cmd->callback([dir] {
    auto ws = Workspace::Init(*dir);
    if (!ws.ok()) Exit(Fail(ws.status()));
    fmt::print("Workspace ready in {} (edit {} to add your brands)\n", *dir,
               ((*ws)->dir() / Workspace::kConfigFile).string());
  });
}

}  // namespace
VOUCH_COMMAND(10, "init", RegisterInit);
}  // namespace vouch::cli
