// ReportRoutes: the dashboard and the read-only report API, served by `vouch serve` through the referral
// router's ExtraRoutes hook (refer/api_router.h):
//   GET /                          the dashboard page (no data in it; it asks for an API key and reads the API)
//   GET /api/v1/report/all         every section (ReportToJson), ?brand=&since=&until= as `vouch report`
//   GET /api/v1/report/{section}   one section ("kpis", "volume", "funnel", ...; ReportSectionNames())
// A read key suffices. Each request builds the report afresh from the workspace (ReportBuilder opens its own
// read connection, so it sees every commit so far).
//
// Thread safety: Handle runs on the server's database thread, one request at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "vouch/core/status.h"
#include "vouch/measure/report_builder.h"
#include "vouch/measure/report_render.h"
#include "vouch/refer/api_router.h"
#include "vouch/workspace/workspace.h"

namespace vouch::measure {

class ReportRoutes final : public refer::ExtraRoutes {
 public:
  // Opens the workspace now (before the server takes its write connection) and loads the page's assets; a
  // missing Chart.js does not fail: the dashboard then answers 503 naming what to install.
  static Result<std::unique_ptr<ReportRoutes>> Open(const std::filesystem::path& workspace_dir,
                                                    ReportOptions defaults = {});
  std::optional<refer::ApiResponse> Handle(const refer::ApiRequest& request, const std::string& path,
                                           const std::string& query) override;

 private:
  ReportRoutes(std::unique_ptr<Workspace> workspace, ReportOptions defaults, Result<PageAssets> assets)
      : workspace_(std::move(workspace)), defaults_(std::move(defaults)), assets_(std::move(assets)) {}
  std::unique_ptr<Workspace> workspace_;
  ReportOptions defaults_;
  Result<PageAssets> assets_;
};

}  // namespace vouch::measure
