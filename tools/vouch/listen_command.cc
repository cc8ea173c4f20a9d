#include "listen_command.h"

namespace vouch::cli {

CLI::App& ListenCommand(CLI::App& app) {
  // CLI11 2.1 has no get_subcommand_no_throw; a filtered search finds it without an exception.
  auto existing = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "listen"; });
  if (!existing.empty()) return *existing.front();
  CLI::App* cmd = app.add_subcommand("listen", "Brand listening: mentions, reports, aspects, inbox, training");
  cmd->require_subcommand(1);
  return *cmd;
}

}  // namespace vouch::cli
