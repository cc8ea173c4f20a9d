// The `ingest` verb's parent command, shared by the files that add its subcommands (posts, graph, ratings,
// orders, people): whichever registers first creates it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "vouch/ingest/rejects.h"

namespace vouch::cli {

// The `ingest` subcommand of app, created on first use.
CLI::App& IngestCommand(CLI::App& app);

// "read R, stored S, duplicate D, rejected J": the summary line every ingest verb prints.
std::string SummaryLine(const ingest::IngestSummary& s);

}  // namespace vouch::cli
