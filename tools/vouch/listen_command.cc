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

std::string OneLine(std::string_view text, size_t max_bytes) {
  std::string out;
  for (char c : text) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (out.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    out = out.substr(0, cut) + "...";
  }
  return out;
}

}  // namespace vouch::cli
