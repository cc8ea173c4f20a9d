// vouch: the command-line front end of libvouch. Verbs register themselves (command.h); this file only parses
// and dispatches, and turns failures into exit codes.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.h"

int main(int argc, char** argv) {
  CLI::App app{"Vouch: trusted word-of-mouth marketing", "vouch"};
  app.set_version_flag("--version", std::string("vouch ") + VOUCH_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success; 1 error; 2 bad usage or input; 3 some input records were rejected (the rest was "
      "stored, see the rejects file); 130 interrupted.");
  vouch::cli::RegisterCommands(app, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; a usage error is exit status 2 whatever CLI11's own code is.
    return app.exit(e) == 0 ? vouch::cli::kExitOk : vouch::cli::kExitUsage;
  }
  return 0;
}
