#include "ingest_command.h"

#include <fmt/format.h>

namespace vouch::cli {

CLI::App& IngestCommand(CLI::App& app) {
  // CLI11 2.1 has no get_subcommand_no_throw; a filtered search finds it without an exception.
  auto existing = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "ingest"; });
  if (!existing.empty()) return *existing.front();
  CLI::App* cmd = app.add_subcommand("ingest", "Ingest posts, graphs, ratings, orders and people into the workspace");
  cmd->require_subcommand(1);
  return *cmd;
}

std::string SummaryLine(const ingest::IngestSummary& s) {
  return fmt::format("read {}, stored {}, duplicate {}, rejected {}", s.read, s.stored, s.duplicate, s.rejected);
}

}  // namespace vouch::cli
