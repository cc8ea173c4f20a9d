// How a verb joins the CLI. Each verb lives in its own cmd_<verb>.cc and registers itself:
//
//   static void RegisterStatus(CLI::App& app) {
//     auto* cmd = app.add_subcommand("status", "What the workspace holds");
//     auto opts = std::make_shared<StatusOptions>();
//     AddWorkspaceOption(*cmd, opts->workspace);
//     cmd->callback([opts] { Exit(RunStatus(*opts)); });
//   }
//   VOUCH_COMMAND(20, RegisterStatus);
//
// The number orders the verbs in --help. A verb parses options into a struct, calls the library and writes the
// result; it holds no logic of its own (STYLE.md: the CLI is thin).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "vouch/core/status.h"

namespace vouch::cli {

// Exit codes, documented in `vouch --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;   // some input records were rejected (the rest was stored)
inline constexpr int kExitCancelled = 130;

using Registrar = void (*)(CLI::App&);

// Returns true so it can initialise a static; called before main.
bool AddCommand(int order, Registrar registrar);
void RegisterAllCommands(CLI::App& app);

// Ends the verb with this exit code (thrown through CLI11 to main). 0 returns normally.
void Exit(int code);
// Prints "vouch: <message>" to stderr and returns the exit code a Status maps to.
int Fail(const Status& status);

// --workspace DIR on a verb, default the current directory.
void AddWorkspaceOption(CLI::App& cmd, std::string& dir);

}  // namespace vouch::cli

// __COUNTER__, not __LINE__: in a unity build several cmd_*.cc files share one translation unit, and two
// registrations on the same line number of different files would name the same variable.
#define VOUCH_COMMAND(order, fn) \
  static const bool VOUCH_CONCAT(vouch_command_registered_, __COUNTER__) = ::vouch::cli::AddCommand(order, fn)
