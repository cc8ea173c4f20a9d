// The `vouch ingest` parent verb, shared by its subcommands (posts, ratings, orders, people, graph), each of which
// lives in its own cmd_ingest_<what>.cc and adds itself under it.
#pragma once

#include <CLI/CLI.hpp>

namespace vouch::cli {

// The `ingest` subcommand of app, created on the first call (whichever cmd_ingest_*.cc registers first).
CLI::App& IngestCommand(CLI::App& app);

}  // namespace vouch::cli
