#include "vouch/measure/report_render.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "vouch/core/source_dir.h"

namespace vouch::measure {
namespace {

using nlohmann::json;

json State(const SectionState& s) { return {{"available", s.available}, {"missing", s.missing}}; }

json RateJson(const Rate& r) {
  return {{"value", r.value()}, {"numerator", r.numerator}, {"denominator", r.denominator}};
}

json EstimateJson(const Estimate& e) { return {{"estimate", e.estimate}, {"lower", e.lower}, {"upper", e.upper}}; }

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

Result<std::string> ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A JSON text made safe inside <script>: "</" cannot close the element.
std::string ScriptSafe(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Fill(const PageAssets& assets, const std::string& mode, const std::string& data) {
  std::string page = assets.page;
  auto replace = [&page](std::string_view marker, const std::string& with) {
    size_t at = page.find(marker);
    if (at != std::string::npos) page.replace(at, marker.size(), with);
  };
  // The data first: the library's text must not be searched for markers.
  replace("/*@REPORT_DATA@*/null", data);
  replace("@REPORT_MODE@", mode);
  replace("/*@CHART_JS@*/", ScriptSafe(assets.chart_js));
  return page;
}

}  // namespace

const std::vector<std::string>& ReportSectionNames() {
  static const std::vector<std::string> names = {"kpis",   "volume", "share_of_voice", "sentiment",
                                                 "wom",    "advocates", "alerts",      "funnel",
                                                 "growth", "economics", "emv",         "campaign"};
  return names;
}

json ReportToJson(const ReportData& d) {
  json out;
  out["meta"] = {{"brand", d.brand},
                 {"competitors", d.competitors},
                 {"since", Optional(d.since)},
                 {"until", Optional(d.until)},
                 {"generated_at", d.generated_at},
                 {"workspace", d.workspace}};

  const VolumeSection& v = d.volume;
  json by_act = json::object();
  for (int a = 0; a < kActCount; ++a) {
    json series = json::array();
    for (const auto& day : v.by_act) series.push_back(day[static_cast<size_t>(a)]);
    by_act[kActs[a]] = series;
  }
  json totals = json::object();
  for (int a = 0; a < kActCount; ++a) totals[kActs[a]] = v.totals[static_cast<size_t>(a)];
  out["volume"] = {{"state", State(v.state)}, {"days", v.days}, {"by_act", by_act}, {"totals", totals},
                   {"mentions", v.mentions}};

  json sov = json::array();
  for (const auto& r : d.share_of_voice.brands) {
    sov.push_back({{"brand", r.brand}, {"mentions", r.mentions}, {"word_of_mouth", r.word_of_mouth},
                   {"share", r.share}, {"wom_share", r.wom_share}});
  }
  out["share_of_voice"] = {{"state", State(d.share_of_voice.state)}, {"brands", sov}};

  const SentimentSection& s = d.sentiment;
  out["sentiment"] = {{"state", State(s.state)}, {"days", s.days}, {"net", s.net}, {"positive", s.positive},
                      {"negative", s.negative}, {"neutral", s.neutral}, {"total_positive", s.total_positive},
                      {"total_negative", s.total_negative}, {"total_neutral", s.total_neutral},
                      {"overall", s.overall}};

  const WomSection& w = d.wom;
  out["wom"] = {{"state", State(w.state)}, {"endorse", w.endorse}, {"complain", w.complain}, {"share", w.share},
                {"ratio", w.ratio}, {"daily_ratio", w.daily_ratio}};

  json adv = json::array();
  for (const auto& r : d.advocates.rows) {
    adv.push_back({{"person", r.person}, {"name", r.name}, {"handle", r.handle}, {"reputation", r.reputation},
                   {"trust_received", r.trust_received}, {"ratings_received", r.ratings_received},
                   {"endorsements", r.endorsements}, {"complaints", r.complaints}, {"followers", r.followers},
                   {"expected_reach", Optional(r.expected_reach)}, {"why", r.why}});
  }
  out["advocates"] = {{"state", State(d.advocates.state)}, {"source", d.advocates.source}, {"rows", adv}};

  json alerts = json::array();
  for (const auto& a : d.alerts.alerts) {
    alerts.push_back({{"day", a.day}, {"kind", a.kind}, {"value", a.value}, {"baseline", a.baseline},
                      {"stddev", a.stddev}, {"z", a.z}, {"message", a.message}});
  }
  out["alerts"] = {{"state", State(d.alerts.state)}, {"baseline_days", d.alerts.baseline_days},
                   {"threshold_z", d.alerts.threshold_z}, {"min_count", d.alerts.min_count},
                   {"alerts", alerts}};

  const FunnelSection& f = d.funnel;
  out["funnel"] = {{"state", State(f.state)}, {"raw_clicks", f.raw_clicks}, {"clicks", f.clicks},
                   {"leads", f.leads}, {"sales", f.sales}, {"refunds", f.refunds}, {"revenue", f.revenue},
                   {"refunded", f.refunded}, {"currency", f.currency},
                   {"lead_per_click", RateJson(f.lead_per_click)}, {"sale_per_lead", RateJson(f.sale_per_lead)},
                   {"sale_per_click", RateJson(f.sale_per_click)},
                   {"refund_per_sale", RateJson(f.refund_per_sale)}, {"days", f.days},
                   {"daily_clicks", f.daily_clicks}, {"daily_leads", f.daily_leads},
                   {"daily_sales", f.daily_sales}};

  const GrowthSection& g = d.growth;
  out["growth"] = {{"state", State(g.state)}, {"advocates", g.advocates}, {"active_advocates", g.active_advocates},
                   {"referred_customers", g.referred_customers},
                   {"invitations_per_advocate", RateJson(g.invitations_per_advocate)},
                   {"conversion", RateJson(g.conversion)}, {"k_factor", g.k_factor},
                   {"cycle_time_days", Optional(g.cycle_time_days)}};

  const EconomicsSection& e = d.economics;
  out["economics"] = {{"state", State(e.state)}, {"currency", e.currency}, {"commissions", e.commissions},
                      {"commissions_held", e.commissions_held}, {"commissions_reversed", e.commissions_reversed},
                      {"fixed_cost", e.fixed_cost}, {"cost", e.cost}, {"net_revenue", e.net_revenue},
                      {"margin", e.margin}, {"acquisitions", e.acquisitions}, {"cpa", Optional(e.cpa)},
                      {"roi", Optional(e.roi)}, {"commissions_by_status", e.commissions_by_status},
                      {"fraud_hits", e.fraud_hits}};

  json emv = json::array();
  for (const auto& r : d.emv.platforms) {
    emv.push_back({{"platform", r.platform}, {"mentions", r.mentions}, {"impressions", r.impressions},
                   {"cpm", r.cpm}, {"value", r.value}});
  }
  out["emv"] = {{"state", State(d.emv.state)}, {"currency", d.emv.currency}, {"platforms", emv},
                {"total", d.emv.total}};

  json strategies = json::array();
  for (const auto& r : d.campaign.strategies) {
    strategies.push_back({{"strategy", r.strategy}, {"reach", EstimateJson(r.reach)},
                          {"adoptions", EstimateJson(r.adoptions)}, {"revenue", EstimateJson(r.revenue)},
                          {"margin", EstimateJson(r.margin)}, {"incentive_cost", EstimateJson(r.incentive_cost)},
                          {"roi", EstimateJson(r.roi)}});
  }
  out["campaign"] = {{"state", State(d.campaign.state)}, {"source", d.campaign.source},
                     {"strategies", strategies}};

  // The headline figures, each null when its section has no data.
  auto when = [](bool available, json value) { return available ? std::move(value) : json(nullptr); };
  out["kpis"] = {
      {"mentions", when(v.state.available, v.mentions)},
      {"net_sentiment", when(s.state.available, s.overall)},
      {"wom_to_share", when(w.state.available && w.share > 0, w.ratio)},
      {"share_of_voice", when(d.share_of_voice.state.available && !d.share_of_voice.brands.empty(),
                              d.share_of_voice.brands.empty() ? 0.0 : d.share_of_voice.brands.front().share)},
      {"referred_sales", when(f.state.available, f.sales)},
      {"referred_revenue", when(f.state.available, f.revenue - f.refunded)},
      {"k_factor", when(g.state.available, g.k_factor)},
      {"cpa", when(e.state.available && e.cpa.has_value(), Optional(e.cpa))},
      {"roi", when(e.state.available && e.roi.has_value(), Optional(e.roi))},
      {"emv", when(d.emv.state.available, d.emv.total)},
      {"alerts", when(d.alerts.state.available, d.alerts.alerts.size())},
      {"currency", f.currency}};
  return out;
}

Result<PageAssets> LoadPageAssets() {
  PageAssets assets;
  std::filesystem::path page = SourceDir() / "src" / "measure" / "report_page.html";
  auto p = ReadWhole(page);
  if (!p.ok()) return Status::NotFound(fmt::format("the report page {} is missing from the source tree", page.string()));
  assets.page = std::move(*p);
  std::filesystem::path chart;
  if (const char* env = std::getenv("VOUCH_CHARTJS"); env != nullptr && *env != '\0') {
    chart = env;
  } else {
    chart = SourceDir() / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js";
    if (!std::filesystem::exists(chart)) chart = SourceDir() / "node_modules" / "chart.js" / "dist" / "chart.umd.js";
  }
  auto c = ReadWhole(chart);
  if (!c.ok()) {
    return Status::NotFound(fmt::format("Chart.js is not installed ({} is missing): run scripts/install-deps.sh "
                                        "(npm chart.js in deps/packages.txt) or set VOUCH_CHARTJS",
                                        chart.string()));
  }
  assets.chart_js = std::move(*c);
  return assets;
}

std::string RenderReportHtml(const PageAssets& assets, const nlohmann::json& report) {
  return Fill(assets, "report", ScriptSafe(report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

std::string RenderDashboardHtml(const PageAssets& assets) { return Fill(assets, "dashboard", "null"); }

}  // namespace vouch::measure
