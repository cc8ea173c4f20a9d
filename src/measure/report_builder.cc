#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <chrono>
#include <toml++/toml.h>

#include "measure/followers.h"
#include "measure/report_sections.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using report::kDay;

std::string DayOf(int64_t epoch_seconds) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_seconds(seconds(epoch_seconds)))};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Result<int64_t> ParseReportTime(std::string_view text, std::string_view what) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string t(text);
  bool digits = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && t.size() > 8) return static_cast<int64_t>(std::stoll(t));
  char tail[8] = {0};
  int n = std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &y, &mo, &d, &h, &mi, &s, tail);
  bool ok = (n == 3 && t.size() == 10) || ((n == 6 || n == 7) && (n == 6 || std::string_view(tail) == "Z"));
  if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return Status::InvalidArgument(
        fmt::format("{}: '{}' is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or epoch seconds)", what, text));
  }
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return Status::InvalidArgument(fmt::format("{}: '{}' is not a valid date", what, text));
  return static_cast<int64_t>(sys_days(ymd).time_since_epoch().count()) * kDay + h * 3600 + mi * 60 + s;
}

Result<MeasureConfig> LoadMeasureConfig(const std::filesystem::path& toml_file) {
  MeasureConfig config;
  toml::table root;
  try {
    root = toml::parse_file(toml_file.string());
  } catch (const toml::parse_error& err) {
    return Status::InvalidArgument(fmt::format("{}:{}:{}: {}", toml_file.string(), err.source().begin.line,
                                               err.source().begin.column, err.description()));
  }
  if (auto cur = root["ingest"]["currency"].value<std::string>()) config.currency = *cur;
  const toml::table* m = root["measure"].as_table();
  if (m == nullptr) return config;
  auto field = [&](std::string_view key) { return fmt::format("{}: [measure] {}", toml_file.string(), key); };
  if (const toml::node* n = m->get("margin")) {
    auto v = n->value<double>();
    if (!v || *v < 0 || *v > 1) return Status::InvalidArgument(field("margin") + ": must be a number in [0, 1]");
    config.margin = *v;
  }
  if (const toml::node* n = m->get("program_cost")) {
    auto v = n->value<int64_t>();
    if (!v || *v < 0) {
      return Status::InvalidArgument(field("program_cost") + ": must be a non-negative integer (minor units)");
    }
    config.program_cost = *v;
  }
  if (const toml::node* n = m->get("cpm")) {
    const toml::table* t = n->as_table();
    if (t == nullptr) return Status::InvalidArgument(field("cpm") + ": must be a table of platform = minor units");
    for (const auto& [key, value] : *t) {
      auto v = value.value<int64_t>();
      if (!v || *v < 0) {
        return Status::InvalidArgument(field(fmt::format("cpm.{}", key.str())) +
                                       ": must be a non-negative integer (minor units per 1,000 impressions)");
      }
      config.cpm[std::string(key.str())] = *v;
    }
  }
  return config;
}

ReportBuilder::ReportBuilder(Workspace& workspace, ReportOptions options, const Clock& clock)
    : workspace_(workspace), options_(std::move(options)), clock_(clock) {}

ReportBuilder::~ReportBuilder() = default;

Result<const ReportData*> ReportBuilder::data() const {
  if (!done_) return Status::FailedPrecondition("ReportBuilder::data() before run() succeeded");
  return &data_;
}

Status ReportBuilder::run() {
  done_ = false;
  data_ = ReportData();
  const auto& brands = workspace_.config().brands;
  if (options_.brand.empty()) {
    if (brands.empty()) {
      return Status::FailedPrecondition(fmt::format(
          "{} has no [[brand]]: add one (docs/workspace.md) or pass --brand",
          (workspace_.dir() / Workspace::kConfigFile).string()));
    }
    options_.brand = brands.front().name;
  }
  data_.brand = options_.brand;
  for (const BrandConfig& b : brands) {
    if (b.name == options_.brand) data_.competitors = b.competitors;
  }
  data_.since = options_.since;
  data_.until = options_.until;
  data_.generated_at = clock_.NowSeconds();
  data_.workspace = workspace_.dir().string();
  VOUCH_ASSIGN_OR_RETURN(config_, LoadMeasureConfig(workspace_.dir() / Workspace::kConfigFile));
  VOUCH_ASSIGN_OR_RETURN(db_, store::SqliteDb::Open(workspace_.Path(Workspace::kDatabaseFile).string(), false));
  VOUCH_ASSIGN_OR_RETURN(int refer_version, db_->ComponentVersion("refer"));
  VOUCH_ASSIGN_OR_RETURN(int trust_version, db_->ComponentVersion("trust"));
  refer_ready_ = refer_version > 0;
  trust_ready_ = trust_version > 0;

  {
    VOUCH_ASSIGN_OR_RETURN(auto followers, FollowersByPerson(workspace_.dir(), *db_));
    followers_.insert(followers.begin(), followers.end());
  }

  VOUCH_TRY(FillVolume());
  VOUCH_TRY(FillShareOfVoice());
  VOUCH_TRY(FillSentiment());
  VOUCH_TRY(FillWom());
  VOUCH_TRY(FillAdvocates());
  VOUCH_TRY(FillAlerts());
  VOUCH_TRY(FillFunnel());
  VOUCH_TRY(FillGrowth());
  VOUCH_TRY(FillEconomics());
  VOUCH_TRY(FillEmv());
  VOUCH_TRY(FillCampaign());
  db_.reset();
  done_ = true;
  return Status::Ok();
}


}  // namespace vouch::measure
