#include "ingest_command.h"

namespace vouch::cli {

CLI::App& IngestCommand(CLI::App& app) {
  // CLI11 2.1 has no get_subcommand_no_throw: look the verb up by name.
  auto found = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "ingest"; });
  if (!found.empty()) return *found.front();
  CLI::App* cmd =
      app.add_subcommand("ingest", "Load posts, graphs, ratings, orders and people into the workspace");
  cmd->require_subcommand(1);
  return *cmd;
}

}  // namespace vouch::cli
