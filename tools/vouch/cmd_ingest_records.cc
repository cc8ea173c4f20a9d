// vouch ingest ratings|orders|people FILE...: explicit ratings, a shop's orders and a CRM's contacts
// (docs/formats.md). Prints `read N, stored N, duplicate N, rejected N` per file; exit status 3 when any record
// was rejected (they are listed in the rejects file).
#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "command.h"
#include "ingest_command.h"
#include "terminal.h"
#include "vouch/ingest/orders_ingest.h"
#include "vouch/ingest/people_ingest.h"
#include "vouch/ingest/ratings_ingest.h"
#include "vouch/ingest/rejects.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

enum class RecordKind { kRatings, kOrders, kPeople };

struct RecordsOptions {
  RecordKind kind = RecordKind::kRatings;
  std::string workspace;
  std::vector<std::string> files;
  std::string rejects;   // empty: <workspace>/rejects/<basename>.rejects.jsonl per file
  std::string scale;     // ratings: MIN:MAX, empty to infer
  std::string platform;  // ratings and people: empty for the workspace's [ingest] platform
};

std::string Number(double v) { return fmt::format("{:g}", v); }

// Runs one file's ingest; fills summary and a note for the summary line ("scale -10:10, inferred").
Status IngestOne(const RecordsOptions& opts, Workspace& ws, const std::string& file, ingest::RejectSink& rejects,
                 const RunControl& control, ingest::IngestSummary& summary, std::string& note) {
  const std::string platform = opts.platform.empty() ? ws.config().default_platform : opts.platform;
  switch (opts.kind) {
    case RecordKind::kRatings: {
      ingest::RatingsIngestOptions o;
      o.platform = platform;
      if (!opts.scale.empty()) {
        VOUCH_ASSIGN_OR_RETURN(o.scale, ingest::ParseRatingScale(opts.scale));
      }
      ingest::RatingsIngest job(ws.store(), file, o, rejects, control);
      Status s = job.run();
      summary = job.summary();
      if (s.ok() && (summary.stored + summary.duplicate) > 0) {
        note = fmt::format("scale {}:{}{}", Number(job.scale().min), Number(job.scale().max),
                           job.scale_inferred() ? ", inferred from the file" : "");
      }
      return s;
    }
    case RecordKind::kOrders: {
      ingest::OrdersIngestOptions o;
      o.default_currency = ws.config().default_currency;
      ingest::OrdersIngest job(ws.store(), file, o, rejects, control);
      Status s = job.run();
      summary = job.summary();
      if (job.record().merges > 0) note = fmt::format("{} automatic merges of a customer id with an e-mail", job.record().merges);
      return s;
    }
    case RecordKind::kPeople: {
      ingest::PeopleIngestOptions o;
      o.platform = platform;
      ingest::PeopleIngest job(ws.store(), file, o, rejects, control);
      Status s = job.run();
      summary = job.summary();
      std::string merged = job.record().merges > 0 ? fmt::format("{} automatic merges", job.record().merges) : "";
      std::string apart = job.record().kept_apart > 0
                              ? fmt::format("{} left apart (their merge had been undone)", job.record().kept_apart)
                              : "";
      note = merged + (merged.empty() || apart.empty() ? "" : ", ") + apart;
      return s;
    }
  }
  return Status::Internal("unknown record kind");
}

int RunRecordsIngest(const RecordsOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  namespace fs = std::filesystem;
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};

  // One rejects file for all inputs when --rejects names it; otherwise one per input in <workspace>/rejects.
  // Either is started afresh, so it lists this run's rejects only.
  std::optional<ingest::RejectsFile> shared;
  std::error_code ec;
  if (!opts.rejects.empty()) {
    fs::remove(opts.rejects, ec);
    shared.emplace(opts.rejects);
  } else {
    fs::create_directories((*ws)->Path("rejects"), ec);
    if (ec) {
      return Fail(Status::IoError(fmt::format("cannot create {}: {}", (*ws)->Path("rejects").string(), ec.message())));
    }
  }

  ingest::IngestSummary total;
  for (const std::string& file : opts.files) {
    std::optional<ingest::RejectsFile> own;
    if (!shared) {
      fs::path path = (*ws)->Path("rejects") / ((file == "-" ? std::string("stdin") : fs::path(file).filename().string()) + ".rejects.jsonl");
      fs::remove(path, ec);
      own.emplace(path.string());
    }
    ingest::RejectsFile& rejects = shared ? *shared : *own;
    uint64_t rejects_before = rejects.count();
    ingest::IngestSummary summary;
    std::string note;
    Status s = IngestOne(opts, **ws, file, rejects, control, summary, note);
    bar.Finish();
    total += summary;
    Status closed = own ? own->Close() : Status::Ok();
    if (!s.ok() && s.code() != StatusCode::kCancelled) return Fail(s);
    fmt::print("{}: {}{}\n", file, SummaryLine(summary), note.empty() ? "" : fmt::format(" ({})", note));
    if (rejects.count() > rejects_before) fmt::print("  rejected records listed in {}\n", rejects.path());
    if (!closed.ok()) return Fail(closed);
    if (!s.ok()) return Fail(s);  // cancelled: what was committed is reported above
  }
  if (shared) {
    Status closed = shared->Close();
    if (!closed.ok()) return Fail(closed);
  }
  if (opts.files.size() > 1) fmt::print("total: {}\n", SummaryLine(total));
  return total.rejected > 0 ? kExitRejected : kExitOk;
}

CLI::App* AddRecordsCommand(CLI::App& ingest_cmd, RecordKind kind, const char* name, const char* description) {
  auto opts = std::make_shared<RecordsOptions>();
  opts->kind = kind;
  CLI::App* cmd = ingest_cmd.add_subcommand(name, description);
  AddWorkspaceOption(*cmd, opts->workspace);
  cmd->add_option("files", opts->files, "Input files: CSV, plain, gzip or zstd (\"-\" reads standard input)")
      ->required();
  cmd->add_option("--rejects", opts->rejects,
                  "Write rejected records (JSON Lines: file, line, reason, record) here instead of "
                  "<workspace>/rejects/<file name>.rejects.jsonl");
  cmd->footer("Exit status 3 when some records were rejected (the others are stored). Ingesting a file again "
              "stores nothing twice.");
  cmd->callback([opts] { Exit(RunRecordsIngest(*opts)); });
  if (kind == RecordKind::kRatings) {
    cmd->add_option("--scale", opts->scale,
                    "The ratings' scale MIN:MAX, e.g. -10:10 or 1:5 (default: inferred from the file's smallest "
                    "and largest rating)");
  }
  if (kind != RecordKind::kOrders) {
    cmd->add_option("--platform", opts->platform,
                    kind == RecordKind::kRatings
                        ? "Platform of the rater and ratee handles (default: the workspace's [ingest] platform)"
                        : "Platform of handles on rows that name none (default: the workspace's [ingest] platform)");
  }
  return cmd;
}

void RegisterIngestRecords(CLI::App& app) {
  CLI::App& ingest_cmd = IngestCommand(app);
  AddRecordsCommand(ingest_cmd, RecordKind::kRatings, "ratings",
                    "Explicit ratings between people: CSV rater,ratee,rating[,time] (header optional); stored "
                    "scaled to [-1,1]");
  AddRecordsCommand(ingest_cmd, RecordKind::kOrders, "orders",
                    "A shop's orders: CSV with header order_id,customer_id,email,amount_minor,currency,time,"
                    "referral_code (a row's customer id and e-mail are linked to one person)");
  AddRecordsCommand(ingest_cmd, RecordKind::kPeople, "people",
                    "CRM contacts: CSV with header customer_id,email,platform,handle,name (a row's identifiers "
                    "become one person)");
}

}  // namespace
VOUCH_COMMAND(32, "ingest", RegisterIngestRecords);
}  // namespace vouch::cli
