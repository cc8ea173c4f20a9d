// Internal to the report builder: what its section files (report_*_sections.cc) share: the time window's bounds,
// days, acts, medians, and the brand's mentions in the window. Not part of the public API.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/measure/report_builder.h"
#include "vouch/measure/report_data.h"
#include "vouch/store/rows.h"

namespace vouch::store {
class SqliteDb;
}

namespace vouch::measure::report {

// The row readers every section uses (vouch/store/rows.h).
using store::Columns;
using store::FirstRow;
using store::FirstValue;
using store::ForEachRow;
using store::Statement;

inline constexpr int64_t kDay = 86400;
// Open window ends: far enough out for any post, small enough that seconds * 1000 (the referral tables' ms) fits.
inline constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min() / 2000;
inline constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max() / 2000;

inline constexpr const char* kNoMentions =
    "no mentions of this brand in the window: mentions are stored with their act and sentiment when posts are "
    "ingested (`vouch ingest posts`)";

inline int ActIndex(std::string_view act) {
  for (int i = 0; i < kActCount; ++i) {
    if (act == kActs[i]) return i;
  }
  return kActCount - 1;  // an act this build does not know counts as "other"
}

inline int64_t DayStart(int64_t t) { return t - (((t % kDay) + kDay) % kDay); }

// Consecutive days covering [first, last] (epoch seconds).
inline std::vector<std::string> DaysBetween(int64_t first, int64_t last) {
  std::vector<std::string> days;
  for (int64_t d = DayStart(first); d <= last; d += kDay) days.push_back(DayOf(d));
  return days;
}

inline double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One mention of the brand in the window.
struct MentionRow {
  int64_t time;
  int act;  // index into kActs
  std::string sentiment;
  std::string platform;
  int64_t person;  // the author
};

// The brand's mentions with since <= time < until, in time order (report_conversation_sections.cc).
Result<std::vector<MentionRow>> BrandMentions(store::SqliteDb& db, const std::string& brand, int64_t since,
                                              int64_t until);

}  // namespace vouch::measure::report
