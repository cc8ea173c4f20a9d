// vouch serve --listen HOST:PORT: the referral service's HTTP API (docs/api.md) on the workspace's database.
// SIGTERM or SIGINT stops it gracefully.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "command.h"
#include "vouch/measure/report_routes.h"
#include "vouch/refer/http_server.h"
#include "vouch/refer/webhook_dispatcher.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop.store(true); }

struct ServeOptions {
  std::string workspace;
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string public_url;
  size_t max_body = 64 * 1024;
  std::string disposable_domains = refer::DisposableDomains::DefaultDir().string();
  refer::WebhookOptions webhooks;
  bool no_webhooks = false;
};

int RunServe(const ServeOptions& opts) {
  size_t colon = opts.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == opts.listen.size()) {
    return Fail(Status::InvalidArgument("--listen: expected HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  std::string host = opts.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(opts.listen.substr(colon + 1), &used);
    if (used != opts.listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) return Fail(Status::InvalidArgument("--listen: the port must be 0..65535"));
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());

  refer::ServerOptions options;
  options.host = host;
  options.port = static_cast<uint16_t>(port);
  options.threads = opts.threads;
  options.database = (*ws)->Path(Workspace::kDatabaseFile).string();
  options.service.public_base_url = opts.public_url;
  options.max_body_bytes = opts.max_body;
  if (std::filesystem::exists(std::filesystem::path(opts.disposable_domains) / "index.json")) {
    options.disposable_domains_dir = opts.disposable_domains;
  } else {
    fmt::print(stderr, "vouch serve: {} has no disposable-email-domains list (npm install it, see "
               "deps/packages.txt); the disposable_email rule is off\n", opts.disposable_domains);
  }
  // The dashboard at / and the report API (measure module).
  auto routes = measure::ReportRoutes::Open((*ws)->dir());
  if (!routes.ok()) return Fail(routes.status());
  options.extra_routes = std::move(*routes);
  refer::HttpServer server(options);
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  // Webhook delivery runs beside the server on its own connection; it resumes whatever the outbox still owes.
  std::unique_ptr<refer::WebhookWorker> webhooks;
  if (!opts.no_webhooks) {
    webhooks = std::make_unique<refer::WebhookWorker>(options.database, opts.webhooks);
    if (Status s = webhooks->Start(); !s.ok()) return Fail(s);
  }
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
  fmt::print(stderr, "vouch serve: listening on http://{}:{} (workspace {})\n", host, server.port(),
             (*ws)->dir().string());
  std::fflush(stderr);
  RunControl control;
  control.cancel = &g_stop;
  Status run = server.Run(control);
  if (webhooks) webhooks->Stop();
  if (!run.ok()) return Fail(run);
  auto stats = server.stats();
  fmt::print(stderr, "vouch serve: stopped after {} requests in {} commits, {} WAL syncs, {} checkpoints ({} on the "
             "database thread)\n",
             stats.requests, stats.commits, stats.syncs, stats.checkpoints, stats.writer_checkpoints);
  return kExitOk;
}

void RegisterServe(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Run the referral service: HTTP API, link redirects, tracking");
  auto opts = std::make_shared<ServeOptions>();
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  cmd->add_option("--threads", opts->threads, "I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_option("--public-url", opts->public_url,
                  "Base URL of links in API answers (default http://HOST:PORT)");
  cmd->add_option("--max-body", opts->max_body, "Largest request body in bytes")->capture_default_str();
  cmd->add_option("--disposable-domains", opts->disposable_domains,
                  "Folder of the npm package disposable-email-domains (env VOUCH_DISPOSABLE_DOMAINS)")
      ->capture_default_str();
  cmd->add_option("--webhook-retry-ms", opts->webhooks.base_delay_ms,
                  "Wait before the first webhook retry, doubled for each later one (with jitter)")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400'000}))
      ->capture_default_str();
  cmd->add_option("--webhook-attempts", opts->webhooks.max_attempts,
                  "Attempts before a webhook delivery is dead")
      ->check(CLI::Range(int64_t{1}, int64_t{100}))
      ->capture_default_str();
  cmd->add_option("--webhook-ca-file", opts->webhooks.ca_file,
                  "PEM file of the CAs that https:// webhook endpoints must chain to, instead of the system's store")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-webhooks", opts->no_webhooks, "Do not deliver webhooks from this process");
  cmd->callback([opts] { Exit(RunServe(*opts)); });
}

}  // namespace
VOUCH_COMMAND(80, "serve", RegisterServe);
}  // namespace vouch::cli
