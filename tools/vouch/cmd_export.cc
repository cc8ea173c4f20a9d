// vouch export people --format csv|jsonl [--out FILE]: every person, one row each, for a CRM (docs/formats.md,
// "People export").
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.h"
#include "vouch/graph/graph_people.h"
#include "vouch/measure/people_export.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ExportOptions {
  std::string workspace;
  std::string format = "csv";
  std::string out = "-";
};

int RunExportPeople(const ExportOptions& o) {
  auto ws = Workspace::Open(o.workspace);
  if (!ws.ok()) return Fail(ws.status());
  // Every person, the social graph's too (created on first need: graph/graph_people.h).
  if (auto s = graph::GraphPeopleMapper(**ws).run(); !s.ok()) return Fail(s);
  std::ofstream file;
  if (o.out != "-") {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::IoError(fmt::format("cannot write {}", o.out)));
  }
  std::ostream& out = o.out == "-" ? std::cout : file;
  const bool csv = o.format == "csv";
  if (csv) out << measure::PeopleCsvHeader() << '\n';
  int64_t n = 0;
  measure::PeopleExport exporter(**ws);
  Status s = exporter.run([&](const measure::PersonExportRow& row) {
    if (csv) {
      out << measure::PeopleCsvRow(row) << '\n';
    } else {
      out << measure::PeopleJson(row).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    }
    ++n;
    return out ? Status::Ok() : Status::IoError(fmt::format("cannot write {}", o.out));
  });
  if (!s.ok()) return Fail(s);
  out.flush();
  if (!out) return Fail(Status::IoError(fmt::format("cannot write {}", o.out)));
  if (o.out != "-") fmt::print(stderr, "exported {} people to {}\n", n, o.out);
  return kExitOk;
}

void RegisterExport(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export the workspace's data for other tools (a CRM)");
  cmd->require_subcommand(1);
  auto* people = cmd->add_subcommand(
      "people", "Every person, one row each: identities, acts, trust, reputation, reach, referral results");
  auto o = std::make_shared<ExportOptions>();
  AddWorkspaceOption(*people, o->workspace);
  people->add_option("--format", o->format, "csv or jsonl")->check(CLI::IsMember({"csv", "jsonl"}))->capture_default_str();
  people->add_option("--out", o->out, "File to write ('-': standard output)")->capture_default_str();
  people->callback([o] { Exit(RunExportPeople(*o)); });
}

}  // namespace
VOUCH_COMMAND(92, RegisterExport);
}  // namespace vouch::cli
