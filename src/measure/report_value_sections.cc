// ReportBuilder's value sections: earned media value and the simulated campaign.
#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "measure/report_sections.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using namespace report;  // NOLINT: the section helpers (report_sections.h)

namespace {

Estimate ReadEstimate(const nlohmann::json& j, const char* key) {
  Estimate e;
  auto it = j.find(key);
  if (it == j.end()) return e;
  if (it->is_number()) {
    e.estimate = e.lower = e.upper = it->get<double>();
  } else if (it->is_object()) {
    // `vouch simulate campaign --json` writes {"mean", "stddev", "low", "high"}; {"estimate", "lower", "upper"}
    // is accepted too.
    e.estimate = it->contains("mean") ? it->value("mean", 0.0) : it->value("estimate", 0.0);
    e.lower = it->contains("low") ? it->value("low", e.estimate) : it->value("lower", e.estimate);
    e.upper = it->contains("high") ? it->value("high", e.estimate) : it->value("upper", e.estimate);
  }
  return e;
}

}  // namespace

Status ReportBuilder::FillEmv() {
  EmvSection& s = data_.emv;
  s.currency = config_.currency;
  if (!data_.volume.state.available) {
    s.state.missing = kNoMentions;
    return Status::Ok();
  }
  if (followers_.empty()) {
    s.state.missing = "no social graph in the workspace (impressions are the authors' followers): run "
                      "`vouch ingest graph FILE`";
    return Status::Ok();
  }
  VOUCH_ASSIGN_OR_RETURN(auto rows, BrandMentions(*db_, data_.brand, options_.since.value_or(kMinTime),
                                                  options_.until.value_or(kMaxTime)));
  std::map<std::string, EmvRow> by_platform;
  for (const MentionRow& r : rows) {
    EmvRow& e = by_platform[r.platform];
    e.platform = r.platform;
    ++e.mentions;
    auto f = followers_.find(r.person);
    if (f != followers_.end()) e.impressions += f->second;
  }
  for (auto& [platform, e] : by_platform) {
    auto c = config_.cpm.find(platform);
    if (c == config_.cpm.end()) c = config_.cpm.find("generic");
    e.cpm = c == config_.cpm.end() ? 0 : c->second;
    e.value = e.impressions * e.cpm / 1000;
    s.total += e.value;
    s.platforms.push_back(e);
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillCampaign() {
  CampaignSection& s = data_.campaign;
  std::filesystem::path file = options_.campaign_json;
  if (file.empty()) file = workspace_.Path("campaign.json");
  if (!std::filesystem::exists(file)) {
    s.state.missing = fmt::format("no campaign simulation: run `vouch simulate campaign --json` "
                                  "and save its output as {} (or pass --campaign FILE)", file.string());
    return Status::Ok();
  }
  std::ifstream in(file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(fmt::format("{}: not JSON: {}", file.string(), e.what()));
  }
  if (!j.contains("strategies") || !j["strategies"].is_array()) {
    return Status::InvalidArgument(fmt::format("{}: no \"strategies\" array", file.string()));
  }
  for (const auto& st : j["strategies"]) {
    StrategyRow r;
    r.strategy = st.value("strategy", "");
    r.reach = ReadEstimate(st, "reach");
    r.adoptions = ReadEstimate(st, "adoptions");
    // Money in minor units, as `vouch simulate campaign --json` writes it.
    r.revenue = ReadEstimate(st, "revenue_minor");
    r.margin = ReadEstimate(st, "gross_margin_minor");
    r.incentive_cost = ReadEstimate(st, "incentive_cost_minor");
    r.roi = ReadEstimate(st, "roi");
    s.strategies.push_back(r);
  }
  s.source = file.filename().string();
  s.state.available = !s.strategies.empty();
  if (!s.state.available) s.state.missing = fmt::format("{} lists no strategy", file.string());
  return Status::Ok();
}

}  // namespace vouch::measure
