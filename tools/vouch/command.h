// How a verb joins the CLI. Each verb lives in its own cmd_<verb>.cc and registers itself:
//
//   static void RegisterStatus(CLI::App& app) {
//     auto* cmd = app.add_subcommand("status", "What the workspace holds");
//     auto opts = std::make_shared<StatusOptions>();
//     AddWorkspaceOption(*cmd, opts->workspace);
//     cmd->callback([opts] { Exit(RunStatus(*opts)); });
//   }
//   VOUCH_COMMAND(20, "status", RegisterStatus);
//
// The number orders the verbs in --help. The name is the top-level verb the registrar adds to (several registrars
// may share one, e.g. "ingest"): a run builds the options of the verbs its arguments name only (see
// RegisterCommands). A verb parses options into a struct, calls the library and writes the result; it holds no
// logic of its own (STYLE.md: the CLI is thin).
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

// Returns true so it can initialise a static; called before main. `verb` is a string literal.
bool AddCommand(int order, const char* verb, Registrar registrar);
// Registers, in their order, the verbs named by one of argv[1..argc), or every verb when none is named (`vouch`,
// `vouch --help`, a misspelt verb), so that help and errors read as if all were there; none for `vouch --version`.
void RegisterCommands(CLI::App& app, int argc, const char* const* argv);

// Ends the verb with this exit code (thrown through CLI11 to main). 0 returns normally.
void Exit(int code);
// Prints "vouch: <message>" to stderr and returns the exit code a Status maps to.
int Fail(const Status& status);

// --workspace DIR on a verb, default the current directory.
void AddWorkspaceOption(CLI::App& cmd, std::string& dir);

}  // namespace vouch::cli

// __COUNTER__, not __LINE__: in a unity build several cmd_*.cc files share one translation unit, and two
// registrations on the same line number of different files would name the same variable.
#define VOUCH_COMMAND(order, verb, fn)                                     \
  static const bool VOUCH_CONCAT(vouch_command_registered_, __COUNTER__) = \
      ::vouch::cli::AddCommand(order, verb, fn)
