// The `ingest` verb's parent command, shared by the files that add its subcommands (posts, graph, ratings,
// orders, people): whichever registers first creates it.
#pragma once

#include <CLI/CLI.hpp>

namespace vouch::cli {

// The `ingest` subcommand of app, created on first use.
CLI::App& IngestCommand(CLI::App& app);

}  // namespace vouch::cli
