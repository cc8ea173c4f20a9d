// vouch keys create --scope read|write: a new API key for `vouch serve`, printed alone on standard output.
// Only its SHA-256 is stored: the key cannot be shown again.
#include <fmt/format.h>

#include "command.h"
#include "vouch/refer/referral_service.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct KeysCreateOptions {
  std::string workspace;
  std::string scope = "read";
};

int RunKeysCreate(const KeysCreateOptions& opts) {
  auto scope = refer::ParseKeyScope(opts.scope);
  if (!scope) return Fail(Status::InvalidArgument("--scope: must be read or write"));
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto* sqlite = dynamic_cast<SqliteStore*>(&(*ws)->store());
  if (sqlite == nullptr) return Fail(Status::FailedPrecondition("API keys need the SQLite store"));
  auto store = refer::SqliteReferralStore::Open(sqlite->db());
  if (!store.ok()) return Fail(store.status());
  refer::ReferralService service(**store, *sqlite, SystemClock::Instance());
  auto key = service.CreateApiKey(*scope);
  if (!key.ok()) return Fail(key.status());
  fmt::print("{}\n", *key);
  return kExitOk;
}

void RegisterKeys(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "API keys of the referral service (vouch serve)");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand("create", "Create an API key and print it (alone) on standard output");
  auto opts = std::make_shared<KeysCreateOptions>();
  AddWorkspaceOption(*create, opts->workspace);
  create->add_option("--scope", opts->scope, "read (GET only) or write (everything)")
      ->check(CLI::IsMember({"read", "write"}))
      ->capture_default_str();
  create->callback([opts] { Exit(RunKeysCreate(*opts)); });
}

}  // namespace
VOUCH_COMMAND(81, "keys", RegisterKeys);
}  // namespace vouch::cli
