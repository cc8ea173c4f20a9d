// The `listen` verb's parent command, shared by the files that add its subcommands (train in cmd_listen.cc;
// classify, report, aspects, inbox in cmd_listen_<name>.cc): whichever registers first creates it.
#pragma once

#include <CLI/CLI.hpp>

namespace vouch::cli {

// The `listen` subcommand of app, created on first use.
CLI::App& ListenCommand(CLI::App& app);

}  // namespace vouch::cli
