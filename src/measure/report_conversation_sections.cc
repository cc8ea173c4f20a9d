// ReportBuilder's conversation sections: volume, share of voice, sentiment, word-of-mouth, alerts.
#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "measure/report_sections.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using namespace report;  // NOLINT: the section helpers (report_sections.h)

namespace report {

Result<std::vector<MentionRow>> BrandMentions(store::SqliteDb& db, const std::string& brand, int64_t since,
                                              int64_t until) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db.Prepare("SELECT p.time, m.act, m.sentiment, p.platform, i.person_id FROM mentions m "
                                    "JOIN posts p ON p.id = m.post_id JOIN identities i ON i.id = p.author_identity "
                                    "WHERE m.brand = ?1 AND p.time >= ?2 AND p.time < ?3 ORDER BY p.time"));
  q->Bind(1, brand).Bind(2, since).Bind(3, until);
  std::vector<MentionRow> rows;
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) {
    rows.push_back({row.Int(0), ActIndex(row.Text(1)), row.Text(2), row.Text(3), row.Int(4)});
  }));
  return rows;
}

}  // namespace report

Status ReportBuilder::FillVolume() {
  VolumeSection& s = data_.volume;
  VOUCH_ASSIGN_OR_RETURN(auto rows, BrandMentions(*db_, data_.brand, options_.since.value_or(kMinTime),
                                                  options_.until.value_or(kMaxTime)));
  if (rows.empty()) {
    s.state.missing = kNoMentions;
    return Status::Ok();
  }
  int64_t first = options_.since.value_or(rows.front().time);
  int64_t last = options_.until ? *options_.until - 1 : rows.back().time;
  s.days = DaysBetween(first, last);
  s.by_act.assign(s.days.size(), {});
  int64_t base = DayStart(first);
  for (const MentionRow& r : rows) {
    size_t d = static_cast<size_t>((r.time - base) / kDay);
    if (d >= s.days.size()) continue;
    ++s.by_act[d][static_cast<size_t>(r.act)];
    ++s.totals[static_cast<size_t>(r.act)];
    ++s.mentions;
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillShareOfVoice() {
  ShareOfVoiceSection& s = data_.share_of_voice;
  std::vector<std::string> brands = {data_.brand};
  for (const std::string& c : data_.competitors) brands.push_back(c);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db_->Prepare("SELECT COUNT(*), COALESCE(SUM(m.act IN ('endorse', 'complain')), 0) "
                                      "FROM mentions m JOIN posts p ON p.id = m.post_id "
                                      "WHERE m.brand = ?1 AND p.time >= ?2 AND p.time < ?3"));
  int64_t all = 0, all_wom = 0;
  for (const std::string& b : brands) {
    q->Bind(1, b).Bind(2, options_.since.value_or(kMinTime)).Bind(3, options_.until.value_or(kMaxTime));
    VOUCH_ASSIGN_OR_RETURN(auto counts, FirstRow(*q, Columns<int64_t, int64_t>));
    ShareOfVoiceRow r;
    r.brand = b;
    if (counts) std::tie(r.mentions, r.word_of_mouth) = *counts;
    all += r.mentions;
    all_wom += r.word_of_mouth;
    s.brands.push_back(r);
  }
  if (all == 0) {
    s.state.missing = "no mentions of the brand or its competitors ([[brand]] competitors in vouch.toml) in the "
                      "window: mentions are stored when posts are ingested (`vouch ingest posts`)";
    return Status::Ok();
  }
  for (ShareOfVoiceRow& r : s.brands) {
    r.share = static_cast<double>(r.mentions) / static_cast<double>(all);
    r.wom_share = all_wom > 0 ? static_cast<double>(r.word_of_mouth) / static_cast<double>(all_wom) : 0;
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillSentiment() {
  SentimentSection& s = data_.sentiment;
  if (!data_.volume.state.available) {
    s.state.missing = kNoMentions;
    return Status::Ok();
  }
  VOUCH_ASSIGN_OR_RETURN(auto rows, BrandMentions(*db_, data_.brand, options_.since.value_or(kMinTime),
                                                  options_.until.value_or(kMaxTime)));
  s.days = data_.volume.days;
  size_t n = s.days.size();
  s.positive.assign(n, 0);
  s.negative.assign(n, 0);
  s.neutral.assign(n, 0);
  s.net.assign(n, 0);
  int64_t base = DayStart(options_.since.value_or(rows.front().time));
  for (const MentionRow& r : rows) {
    size_t d = static_cast<size_t>((r.time - base) / kDay);
    if (d >= n) continue;
    if (r.sentiment == "pos") {
      ++s.positive[d];
      ++s.total_positive;
    } else if (r.sentiment == "neg") {
      ++s.negative[d];
      ++s.total_negative;
    } else {
      ++s.neutral[d];
      ++s.total_neutral;
    }
  }
  for (size_t d = 0; d < n; ++d) {
    int64_t all = s.positive[d] + s.negative[d] + s.neutral[d];
    s.net[d] = all > 0 ? static_cast<double>(s.positive[d] - s.negative[d]) / static_cast<double>(all) : 0;
  }
  int64_t all = s.total_positive + s.total_negative + s.total_neutral;
  s.overall = all > 0 ? static_cast<double>(s.total_positive - s.total_negative) / static_cast<double>(all) : 0;
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillWom() {
  WomSection& s = data_.wom;
  const VolumeSection& v = data_.volume;
  if (!v.state.available) {
    s.state.missing = kNoMentions;
    return Status::Ok();
  }
  s.endorse = v.totals[0];
  s.complain = v.totals[1];
  s.share = v.totals[2];
  s.ratio = s.share > 0 ? static_cast<double>(s.endorse + s.complain) / static_cast<double>(s.share) : 0;
  for (const auto& day : v.by_act) {
    s.daily_ratio.push_back(day[2] > 0 ? static_cast<double>(day[0] + day[1]) / static_cast<double>(day[2]) : 0);
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillAlerts() {
  AlertsSection& s = data_.alerts;
  const VolumeSection& v = data_.volume;
  if (!v.state.available) {
    s.state.missing = kNoMentions;
    return Status::Ok();
  }
  auto scan = [&](const char* kind, auto value_of) {
    for (size_t d = 3; d < v.days.size(); ++d) {
      size_t from = d >= static_cast<size_t>(s.baseline_days) ? d - static_cast<size_t>(s.baseline_days) : 0;
      double sum = 0, sq = 0;
      for (size_t i = from; i < d; ++i) sum += static_cast<double>(value_of(v.by_act[i]));
      double n = static_cast<double>(d - from);
      double mean = sum / n;
      for (size_t i = from; i < d; ++i) {
        double x = static_cast<double>(value_of(v.by_act[i])) - mean;
        sq += x * x;
      }
      double sd = std::sqrt(sq / n);
      int64_t x = value_of(v.by_act[d]);
      double z = (static_cast<double>(x) - mean) / std::max(sd, 1.0);
      if (z >= s.threshold_z && x >= s.min_count) {
        Alert a{v.days[d], kind, x, mean, sd, z, ""};
        a.message = fmt::format("{} {} on {}: {} against a {}-day mean of {:.1f} (sd {:.1f}, z = {:.1f})",
                                data_.brand, std::string_view(kind) == "volume_spike" ? "mentions" : "complaints",
                                v.days[d], x, d - from, mean, sd, z);
        s.alerts.push_back(std::move(a));
      }
    }
  };
  scan("volume_spike", [](const std::array<int64_t, 5>& day) {
    int64_t t = 0;
    for (int64_t c : day) t += c;
    return t;
  });
  scan("negative_wom_spike", [](const std::array<int64_t, 5>& day) { return day[1]; });
  std::sort(s.alerts.begin(), s.alerts.end(), [](const Alert& a, const Alert& b) { return a.day < b.day; });
  s.state.available = true;
  return Status::Ok();
}

}  // namespace vouch::measure
