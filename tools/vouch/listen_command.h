// The `listen` verb's parent command, shared by the files that add its subcommands (train in cmd_listen.cc;
// classify, report, aspects, inbox in cmd_listen_<name>.cc): whichever registers first creates it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace vouch::cli {

// The `listen` subcommand of app, created on first use.
CLI::App& ListenCommand(CLI::App& app);

// text on one line (newlines and tabs made spaces), cut to at most max_bytes (not inside a UTF-8 character) with
// "..." when longer: how the listen verbs quote a post.
std::string OneLine(std::string_view text, size_t max_bytes);

}  // namespace vouch::cli
