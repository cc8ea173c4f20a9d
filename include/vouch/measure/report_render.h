// The report as JSON (the shape of /api/v1/report/... and of the data embedded in report.html) and as one
// self-contained HTML page.
//
// The page is src/measure/report_page.html (layout, styles and the script that draws every section) with the
// charting library's minified script (Chart.js, from the npm package pinned in deps/packages.txt) inlined, so the
// file opens offline. The same page is the dashboard of `vouch serve`: there it carries no data and fetches
// /api/v1/report/all with the API key the user types in.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "vouch/core/status.h"
#include "vouch/measure/report_data.h"

namespace vouch::measure {

// Every section, keyed by its name ("volume", "share_of_voice", ...), plus "meta" and "kpis".
nlohmann::json ReportToJson(const ReportData& data);
// The section names ReportToJson writes, for the API's /api/v1/report/{section}.
const std::vector<std::string>& ReportSectionNames();

struct PageAssets {
  std::string page;      // report_page.html
  std::string chart_js;  // chart.umd.min.js
};

// Reads the page and the charting library: the page from SourceDir()/src/measure, Chart.js from
// $VOUCH_CHARTJS or SourceDir()/node_modules/chart.js/dist; errors say how to install it.
Result<PageAssets> LoadPageAssets();

// The static report: data embedded.
std::string RenderReportHtml(const PageAssets& assets, const nlohmann::json& report);
// The dashboard: no data; the page asks for an API key and reads the API.
std::string RenderDashboardHtml(const PageAssets& assets);

}  // namespace vouch::measure
