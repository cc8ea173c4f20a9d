#include "vouch/measure/report_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vouch::measure {
namespace {

std::string QueryParam(const std::string& query, std::string_view key) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view part(query.data() + pos, (amp == std::string::npos ? query.size() : amp) - pos);
    size_t eq = part.find('=');
    if (part.substr(0, eq) == key && eq != std::string_view::npos) {
      // Percent-decoding of the few characters a brand name or date may carry.
      std::string out;
      std::string_view v = part.substr(eq + 1);
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '+') {
          out += ' ';
        } else if (v[i] == '%' && i + 2 < v.size() && std::isxdigit(static_cast<unsigned char>(v[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(v[i + 2]))) {
          out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
          i += 2;
        } else {
          out += v[i];
        }
      }
      return out;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return {};
}

refer::ApiResponse JsonResponse(int status, const nlohmann::json& body) {
  refer::ApiResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

refer::ApiResponse FromStatus(const Status& s) {
  int status = s.code() == StatusCode::kInvalidArgument ? 400 : s.code() == StatusCode::kNotFound ? 404 : 500;
  return refer::ErrorResponse(status, status == 400 ? "invalid_argument" : status == 404 ? "not_found" : "internal",
                              s.message());
}

}  // namespace

Result<std::unique_ptr<ReportRoutes>> ReportRoutes::Open(const std::filesystem::path& workspace_dir,
                                                         ReportOptions defaults) {
  VOUCH_ASSIGN_OR_RETURN(auto ws, Workspace::Open(workspace_dir));
  return std::unique_ptr<ReportRoutes>(new ReportRoutes(std::move(ws), std::move(defaults), LoadPageAssets()));
}

std::optional<refer::ApiResponse> ReportRoutes::Handle(const refer::ApiRequest& request, const std::string& path,
                                                       const std::string& query) {
  constexpr std::string_view kApi = "/api/v1/report/";
  bool page = path == "/" || path == "/dashboard";
  bool api = path.rfind(kApi, 0) == 0;
  if (!page && !api) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") {
    return refer::ErrorResponse(405, "method_not_allowed", "the report answers GET");
  }
  if (page) {
    if (!assets_.ok()) return refer::ErrorResponse(503, "unavailable", assets_.status().message());
    refer::ApiResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = RenderDashboardHtml(*assets_);
    return r;
  }
  std::string section = path.substr(kApi.size());
  const auto& names = ReportSectionNames();
  if (section != "all" && std::find(names.begin(), names.end(), section) == names.end()) {
    return refer::ErrorResponse(404, "not_found",
                                fmt::format("no report section '{}' (all, kpis, volume, share_of_voice, sentiment, "
                                            "wom, advocates, alerts, funnel, growth, economics, emv, campaign)",
                                            section));
  }
  ReportOptions options = defaults_;
  if (std::string b = QueryParam(query, "brand"); !b.empty()) options.brand = b;
  for (auto [key, field] : {std::pair{"since", &options.since}, std::pair{"until", &options.until}}) {
    std::string v = QueryParam(query, key);
    if (v.empty()) continue;
    auto t = ParseReportTime(v, key);
    if (!t.ok()) return FromStatus(t.status());
    *field = *t;
  }
  ReportBuilder builder(*workspace_, options);
  if (Status s = builder.run(); !s.ok()) return FromStatus(s);
  nlohmann::json report = ReportToJson(**builder.data());
  if (section == "all") return JsonResponse(200, report);
  return JsonResponse(200, {{"meta", report["meta"]}, {section, report[section]}});
}

}  // namespace vouch::measure
