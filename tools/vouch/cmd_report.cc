// vouch report --workspace DIR --out report.html [--brand B] [--since D] [--until D] [--advocates FILE]
//              [--campaign FILE] [--json]: the Measure report (docs/metrics.md) as one self-contained HTML file.
#include <fmt/format.h>

#include <fstream>

#include "command.h"
#include "vouch/measure/report_builder.h"
#include "vouch/measure/report_render.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ReportCliOptions {
  std::string workspace;
  std::string out = "report.html";
  std::string brand, since, until, advocates, campaign;
  int top = 10;
  bool json = false;
};

int RunReport(const ReportCliOptions& o) {
  auto ws = Workspace::Open(o.workspace);
  if (!ws.ok()) return Fail(ws.status());
  measure::ReportOptions options;
  options.brand = o.brand;
  if (!o.since.empty()) {
    auto t = measure::ParseReportTime(o.since, "--since");
    if (!t.ok()) return Fail(t.status());
    options.since = *t;
  }
  if (!o.until.empty()) {
    auto t = measure::ParseReportTime(o.until, "--until");
    if (!t.ok()) return Fail(t.status());
    options.until = *t;
  }
  options.seeds_json = o.advocates;
  options.campaign_json = o.campaign;
  options.top_advocates = o.top;
  measure::ReportBuilder builder(**ws, options);
  if (Status s = builder.run(); !s.ok()) return Fail(s);
  nlohmann::json report = measure::ReportToJson(**builder.data());
  if (o.json) {
    fmt::print("{}\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  auto assets = measure::LoadPageAssets();
  if (!assets.ok()) return Fail(assets.status());
  std::string html = measure::RenderReportHtml(*assets, report);
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out << html;
  out.close();
  if (!out) return Fail(Status::IoError(fmt::format("cannot write {}", o.out)));
  int missing = 0;
  for (const std::string& name : measure::ReportSectionNames()) {
    if (report[name].contains("state") && !report[name]["state"]["available"].get<bool>()) ++missing;
  }
  fmt::print("report written to {} ({} KiB; {} of {} sections without data)\n", o.out, html.size() / 1024, missing,
             measure::ReportSectionNames().size() - 1);
  return kExitOk;
}

void RegisterReport(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Write the Measure report: one self-contained HTML file (docs/metrics.md)");
  auto o = std::make_shared<ReportCliOptions>();
  AddWorkspaceOption(*cmd, o->workspace);
  cmd->add_option("--out", o->out, "The HTML file to write")->capture_default_str();
  cmd->add_option("--brand", o->brand, "Brand (default: the first [[brand]] of vouch.toml)");
  cmd->add_option("--since", o->since, "From this day (YYYY-MM-DD, UTC, inclusive)");
  cmd->add_option("--until", o->until, "Until this day (YYYY-MM-DD, UTC, exclusive)");
  cmd->add_option("--advocates", o->advocates, "`vouch advocates --json` output: the seed set to show");
  cmd->add_option("--campaign", o->campaign, "`vouch simulate campaign --json` output (default DIR/campaign.json)");
  cmd->add_option("--top", o->top, "Advocates to list")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the report's data as JSON instead of writing HTML");
  cmd->callback([o] { Exit(RunReport(*o)); });
}

}  // namespace
VOUCH_COMMAND(90, "report", RegisterReport);
}  // namespace vouch::cli
