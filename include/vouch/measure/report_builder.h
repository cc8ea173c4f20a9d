// ReportBuilder: fills a ReportData (report_data.h) from a workspace: the brand's mentions (core `mentions` and
// `posts`), trust (the trust module's tables), the social graph (followers), the referral service's tables, and
// optional files (the seed set of `vouch advocates --json`, a campaign simulation's JSON).
//
// Each section is filled by one function (Fill*), reading only what that section needs; a source that is not
// there (no mentions yet, trust never computed, no referral traffic) leaves the section unavailable with the verb
// that fills it, never a misleading zero. Definitions of every figure: docs/metrics.md. The Fill* functions live in
// src/measure/report_*_section(s).cc by theme (conversation, advocates, referral program, value).
//
// The workspace's database is opened read-only through its own connection, so a report can be built while
// `vouch serve` writes (SQLite WAL: readers see the last commit).
//
// Thread safety: one run() per builder.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "vouch/core/clock.h"
#include "vouch/core/status.h"
#include "vouch/measure/report_data.h"
#include "vouch/workspace/workspace.h"

namespace vouch::store {
class SqliteDb;
}

namespace vouch::measure {

// The [measure] table of vouch.toml (docs/metrics.md):
//   [measure]
//   margin = 0.4                 # gross margin on referred revenue, for ROI
//   program_cost = 0             # fixed cost of the program over the window, minor units
//   [measure.cpm]                # earned media: minor units per 1,000 impressions, per platform
//   x = 650
//   reddit = 400
struct MeasureConfig {
  double margin = 0.4;
  int64_t program_cost = 0;
  std::map<std::string, int64_t> cpm = {{"x", 650}, {"reddit", 400}, {"mastodon", 250}, {"generic", 500}};
  std::string currency = "USD";
};

// Reads [measure] from a vouch.toml (absent: the defaults above); errors name the file and the field.
Result<MeasureConfig> LoadMeasureConfig(const std::filesystem::path& toml_file);

struct ReportOptions {
  std::string brand;                 // empty: the first [[brand]] of vouch.toml
  std::optional<int64_t> since;      // epoch seconds, inclusive
  std::optional<int64_t> until;      // epoch seconds, exclusive
  std::filesystem::path seeds_json;  // `vouch advocates --json` output; empty: workspace/advocates.json if there,
                                     // else the people of top reputation
  std::filesystem::path campaign_json;  // `vouch simulate campaign --json` output; empty: workspace/campaign.json
  int top_advocates = 10;
};

class ReportBuilder final {
 public:
  // workspace and clock must outlive the builder.
  ReportBuilder(Workspace& workspace, ReportOptions options, const Clock& clock = SystemClock::Instance());
  ~ReportBuilder();
  Status run();
  // The report; refuses before run() succeeded.
  Result<const ReportData*> data() const;

 private:
  Status FillVolume();
  Status FillShareOfVoice();
  Status FillSentiment();
  Status FillWom();
  Status FillAdvocates();
  Status FillAlerts();
  Status FillFunnel();
  Status FillGrowth();
  Status FillEconomics();
  Status FillEmv();
  Status FillCampaign();

  Workspace& workspace_;
  ReportOptions options_;
  const Clock& clock_;
  MeasureConfig config_;
  std::unique_ptr<store::SqliteDb> db_;
  bool refer_ready_ = false;  // the refer component's tables exist
  bool trust_ready_ = false;
  std::map<int64_t, int64_t> followers_;  // person -> followers in the social graph (loaded once)
  bool done_ = false;
  ReportData data_;
};

// Parses "2026-03-02" or "2026-03-02T10:00:00Z" (UTC) or epoch seconds; errors name `what`.
Result<int64_t> ParseReportTime(std::string_view text, std::string_view what);
// "2026-03-02" for an epoch second.
std::string DayOf(int64_t epoch_seconds);

}  // namespace vouch::measure
