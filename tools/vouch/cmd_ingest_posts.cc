// vouch ingest posts FILE...: load social posts (generic JSON Lines, X/Twitter API v2, Reddit, Mastodon, CSV;
// plain, gzip or zstd) into the workspace. The work is vouch::ingest::PostIngester's; this file parses options
// and prints the summary.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "ingest_command.h"
#include "terminal.h"
#include "vouch/ingest/post_ingester.h"
#include "vouch/listen/workspace_listen.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

namespace fs = std::filesystem;

struct IngestPostsOptions {
  std::string workspace;
  std::vector<std::string> files;
  std::string format = "auto";
  std::vector<std::string> maps;  // FIELD=COLUMN
  std::string platform;
  std::string rejects;
  std::string model;
  size_t batch_size = 10000;
  size_t max_line_bytes = size_t{16} << 20;
};

// The default rejects file of an input: <workspace>/rejects/<file name>.rejects.jsonl.
fs::path DefaultRejectsPath(const Workspace& ws, const std::string& input) {
  std::string base = input == "-" ? "stdin" : fs::path(input).filename().string();
  return ws.dir() / "rejects" / (base + ".rejects.jsonl");
}

int RunIngestPosts(const IngestPostsOptions& opts) {
  auto format = ingest::ParsePostFormat(opts.format);
  if (!format) return Fail(Status::InvalidArgument(fmt::format("unknown --format '{}'", opts.format)));
  ingest::PostIngestOptions options;
  options.format = *format;
  options.batch_size = opts.batch_size;
  options.max_line_bytes = opts.max_line_bytes;
  for (const auto& m : opts.maps) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(Status::InvalidArgument(fmt::format("--map '{}': expected FIELD=COLUMN, e.g. id=tweet_id", m)));
    }
    options.reader.column_map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  if (!options.reader.column_map.empty() && *format != ingest::PostFormat::kCsv &&
      *format != ingest::PostFormat::kAuto) {
    return Fail(
        Status::InvalidArgument(fmt::format("--map applies to CSV files, not to --format {}", opts.format)));
  }

  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  options.reader.default_platform = opts.platform.empty() ? (*ws)->config().default_platform : opts.platform;

  // Listen: each stored post that mentions a [[brand]] is classified and its mentions stored with it. Without the
  // classifier the posts are still stored (and `vouch listen classify` catches up later).
  std::unique_ptr<listen::MentionStore> mention_store;
  std::unique_ptr<listen::MentionWriter> mention_writer;
  if (auto m = listen::OpenMentionStore(**ws); m.ok()) {
    mention_store = std::move(*m);
    auto w = listen::OpenMentionWriter(**ws, *mention_store, opts.model);
    if (!w.ok()) {
      fmt::print(stderr, "vouch: brand mentions will not be stored: {}\n", w.status().message());
    } else {
      mention_writer = std::move(*w);
      options.observer = mention_writer.get();
    }
  }

  // Rejects: one file for all inputs (--rejects) or one per input in the workspace. Each run starts them afresh,
  // so they list the rejects of the latest ingest of that input.
  std::vector<std::unique_ptr<ingest::RejectsFile>> rejects;
  std::vector<ingest::PostSource> sources;
  std::vector<ingest::RejectsFile*> rejects_of;  // per input
  std::error_code ec;
  if (!opts.rejects.empty()) {
    fs::remove(opts.rejects, ec);
    rejects.push_back(std::make_unique<ingest::RejectsFile>(opts.rejects));
  } else {
    fs::create_directories((*ws)->dir() / "rejects", ec);
    if (ec) return Fail(Status::IoError(fmt::format("{}: {}", ((*ws)->dir() / "rejects").string(), ec.message())));
  }
  for (const auto& file : opts.files) {
    if (opts.rejects.empty()) {
      fs::path path = DefaultRejectsPath(**ws, file);
      fs::remove(path, ec);
      rejects.push_back(std::make_unique<ingest::RejectsFile>(path.string()));
    }
    sources.push_back({file, rejects.back().get()});
    rejects_of.push_back(rejects.back().get());
  }

  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  ingest::PostIngester ingester((*ws)->store(), sources, options, control);
  Status status = ingester.run();
  for (auto& r : rejects) {
    Status closed = r->Close();
    if (status.ok() && !closed.ok()) status = closed;
  }

  const auto& files = ingester.files();
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& f = files[i];
    std::string how(ingest::PostFormatName(f.format));
    if (f.compression != ingest::Compression::kNone)
      how += fmt::format(", {}", ingest::CompressionName(f.compression));
    fmt::print("{}: {} ({})\n", f.path, SummaryLine(f.summary), how);
    if (f.summary.rejected > 0) fmt::print("  rejects: {}\n", rejects_of[i]->path());
  }
  ingest::IngestSummary total = ingester.total();
  if (files.size() > 1) fmt::print("total: {}\n", SummaryLine(total));
  const auto& rec = ingester.record();
  if (mention_writer != nullptr) {
    const auto& m = mention_writer->record();
    fmt::print("mentions: {} of the new posts mention a brand, {} mentions stored with act and sentiment\n",
               m.posts_with_mentions, m.mentions);
  }
  fmt::print("{:.1f} s, {:.0f} records/s\n", rec.seconds, rec.records_per_second());
  if (!status.ok()) return Fail(status);
  return total.rejected > 0 ? kExitRejected : kExitOk;
}

void RegisterIngestPosts(CLI::App& app) {
  auto* cmd = IngestCommand(app).add_subcommand(
      "posts",
      "Load social posts: generic JSON Lines, X/Twitter API v2, Reddit, Mastodon or CSV (docs/formats.md)");
  auto opts = std::make_shared<IngestPostsOptions>();
  cmd->add_option("files", opts->files, "Posts files: plain, gzip or zstd ('-' reads standard input)")->required();
  cmd->add_option("--format,-f", opts->format, "auto|jsonl|twitter-v2|reddit|mastodon|csv")
      ->check(CLI::IsMember({"auto", "jsonl", "twitter-v2", "reddit", "mastodon", "csv"}))
      ->capture_default_str();
  cmd->add_option("--map", opts->maps,
                  "CSV: FIELD=COLUMN, the column holding a post field (e.g. --map id=tweet_id --map time=created)")
      ->allow_extra_args(false);
  cmd->add_option("--platform", opts->platform,
                  "Platform of records that name none (jsonl, csv); default the workspace's [ingest] platform");
  cmd->add_option("--rejects", opts->rejects,
                  "Write every input's rejects to this file (default <workspace>/rejects/<file>.rejects.jsonl)");
  cmd->add_option("--model", opts->model,
                  "Classify brand mentions with a model from `vouch listen train` (default: zero-shot)");
  cmd->add_option("--batch-size", opts->batch_size, "Posts per transaction")
      ->check(CLI::Range(size_t{1}, size_t{10000000}))
      ->capture_default_str();
  cmd->add_option("--max-line-bytes", opts->max_line_bytes, "Longer lines (records) are rejected")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->footer(
      "Idempotent: posts are keyed by platform and id, so ingesting a file again stores nothing twice. Every "
      "rejected record is written to the rejects file (JSON Lines: file, line, reason, record) and the rest is "
      "stored.\nExit status: 0 all stored; 3 some records were rejected (the rest was stored); 1 error; 2 bad "
      "usage; 130 interrupted (committed batches stay; run the same command again to complete).");
  cmd->callback([opts] { Exit(RunIngestPosts(*opts)); });
}

}  // namespace
VOUCH_COMMAND(30, "ingest", RegisterIngestPosts);
}  // namespace vouch::cli
