// vouch listen classify [--model FILE]: (re)writes the mentions of every stored post, after the brands in
// vouch.toml or the classifier's model changed. The work is listen::ClassifyStoredPosts's.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "command.h"
#include "listen_command.h"
#include "terminal.h"
#include "vouch/listen/workspace_listen.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ListenClassifyOptions {
  std::string workspace;
  std::string model;
};

int RunListenClassify(const ListenClassifyOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto mentions = listen::OpenMentionStore(**ws);
  if (!mentions.ok()) return Fail(mentions.status());
  auto writer = listen::OpenMentionWriter(**ws, **mentions, opts.model);
  if (!writer.ok()) return Fail(writer.status());
  if (*writer == nullptr) {
    return Fail(Status::FailedPrecondition(
        fmt::format("{}: no [[brand]] configured, so there is nothing to detect (see docs/workspace.md)",
                    ((*ws)->dir() / Workspace::kConfigFile).string())));
  }
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  auto done = listen::ClassifyStoredPosts((*ws)->store(), **mentions, **writer, control);
  if (!done.ok()) return Fail(done.status());
  fmt::print("classified {} posts: {} mention a brand, {} mentions stored\n", done->posts, done->posts_with_mentions,
             done->mentions);
  return kExitOk;
}

void RegisterListenClassify(CLI::App& app) {
  auto* cmd = ListenCommand(app).add_subcommand(
      "classify", "Detect brand mentions in every stored post and store them with act and sentiment, anew");
  auto opts = std::make_shared<ListenClassifyOptions>();
  cmd->add_option("--model,-m", opts->model, "A model from `vouch listen train` (default: zero-shot)");
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->footer(
      "Ingest already classifies the posts it stores; run this after changing the brands in vouch.toml or the "
      "model. The old mentions are replaced in one transaction.\nExit status: 0 done; 1 error; 130 interrupted "
      "(the old mentions stay).");
  cmd->callback([opts] { Exit(RunListenClassify(*opts)); });
}

}  // namespace
VOUCH_COMMAND(46, "listen", RegisterListenClassify);
}  // namespace vouch::cli
