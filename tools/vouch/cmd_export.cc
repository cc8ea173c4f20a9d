// vouch export people|acts|flagged-sales --format csv|jsonl [--out FILE]: the workspace's data for other tools,
// one row per line (docs/metrics.md, "People export", "Acts export", "Flagged sales export"):
//   people         every person, for a CRM
//   acts           the act of each post that names a brand, as classified at ingest
//   flagged-sales  each invoice whose commission was held, rejected or hit by a fraud rule
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

#include "command.h"
#include "vouch/graph/graph_people.h"
#include "vouch/measure/acts_export.h"
#include "vouch/measure/flagged_sales_export.h"
#include "vouch/measure/people_export.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ExportOptions {
  std::string workspace;
  std::string format = "csv";
  std::string out = "-";
};

// How one export target runs and writes its rows.
template <typename Exporter, typename Row>
struct ExportTarget {
  const char* rows_name;  // "people", "posts", ...: for "exported N <rows_name> to FILE"
  std::string (*csv_header)();
  std::string (*csv_row)(const Row&);
  nlohmann::ordered_json (*json)(const Row&);
};

template <typename Exporter, typename Row>
int RunExport(const ExportOptions& o, const ExportTarget<Exporter, Row>& target) {
  auto ws = Workspace::Open(o.workspace);
  if (!ws.ok()) return Fail(ws.status());
  // The social graph's people are created on first need (graph/graph_people.h): exports see every person.
  if (auto s = graph::GraphPeopleMapper(**ws).run(); !s.ok()) return Fail(s);
  std::ofstream file;
  if (o.out != "-") {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::IoError(fmt::format("cannot write {}", o.out)));
  }
  std::ostream& out = o.out == "-" ? std::cout : file;
  const bool csv = o.format == "csv";
  if (csv) out << target.csv_header() << '\n';
  int64_t n = 0;
  Exporter exporter(**ws);
  Status s = exporter.run([&](const Row& row) {
    if (csv) {
      out << target.csv_row(row) << '\n';
    } else {
      out << target.json(row).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    }
    ++n;
    return out ? Status::Ok() : Status::IoError(fmt::format("cannot write {}", o.out));
  });
  if (!s.ok()) return Fail(s);
  out.flush();
  if (!out) return Fail(Status::IoError(fmt::format("cannot write {}", o.out)));
  if (o.out != "-") fmt::print(stderr, "exported {} {} to {}\n", n, target.rows_name, o.out);
  return kExitOk;
}

template <typename Exporter, typename Row>
void AddTarget(CLI::App& parent, const char* name, const char* description, ExportTarget<Exporter, Row> target) {
  auto* cmd = parent.add_subcommand(name, description);
  auto o = std::make_shared<ExportOptions>();
  AddWorkspaceOption(*cmd, o->workspace);
  cmd->add_option("--format", o->format, "csv or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--out", o->out, "File to write ('-': standard output)")->capture_default_str();
  cmd->callback([o, target] { Exit(RunExport(*o, target)); });
}

void RegisterExport(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export the workspace's data for other tools (a CRM, scoring scripts)");
  cmd->require_subcommand(1);
  AddTarget(*cmd, "people",
            "Every person, one row each: identities, acts, trust, reputation, reach, referral results",
            ExportTarget<measure::PeopleExport, measure::PersonExportRow>{
                "people", measure::PeopleCsvHeader, measure::PeopleCsvRow, measure::PeopleJson});
  AddTarget(*cmd, "acts",
            "The act of each post that names a brand (id, time, author, brand, act, sentiment), as classified at "
            "ingest",
            ExportTarget<measure::ActsExport, measure::PostActRow>{"posts", measure::ActsCsvHeader,
                                                                   measure::ActsCsvRow, measure::ActsJson});
  AddTarget(
      *cmd, "flagged-sales",
      "Each invoice whose commission was held, rejected or hit by a fraud rule (invoice_id, statuses, rules)",
      ExportTarget<measure::FlaggedSalesExport, measure::FlaggedSaleRow>{
          "flagged sales", measure::FlaggedSalesCsvHeader, measure::FlaggedSalesCsvRow,
          measure::FlaggedSalesJson});
}

}  // namespace
VOUCH_COMMAND(92, "export", RegisterExport);
}  // namespace vouch::cli
