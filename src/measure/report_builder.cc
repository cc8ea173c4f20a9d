#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "measure/followers.h"
#include "vouch/identity/normalize.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using store::Columns;
using store::FirstRow;
using store::FirstValue;
using store::ForEachRow;
using store::Statement;

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min() / 2000;
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max() / 2000;

int ActIndex(std::string_view act) {
  for (int i = 0; i < kActCount; ++i) {
    if (act == kActs[i]) return i;
  }
  return kActCount - 1;  // an act this build does not know counts as "other"
}

int64_t DayStart(int64_t t) { return t - (((t % kDay) + kDay) % kDay); }

// Consecutive days covering [first, last] (epoch seconds).
std::vector<std::string> DaysBetween(int64_t first, int64_t last) {
  std::vector<std::string> days;
  for (int64_t d = DayStart(first); d <= last; d += kDay) days.push_back(DayOf(d));
  return days;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

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

namespace {

constexpr const char* kNoMentions =
    "no mentions of this brand in the window: mentions are stored with their act and sentiment when posts are "
    "ingested (`vouch ingest posts`)";

// The brand's mentions in the window: (time, act index, sentiment, platform, author person).
struct MentionRow {
  int64_t time;
  int act;
  std::string sentiment;
  std::string platform;
  int64_t person;
};

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

}  // namespace

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

Status ReportBuilder::FillAdvocates() {
  AdvocatesSection& s = data_.advocates;
  // Who: the seed set `vouch advocates` chose (in its order, with the reach each adds), else the people of
  // highest reputation.
  std::vector<std::pair<int64_t, std::optional<double>>> people;
  if (options_.seeds_json.empty() && std::filesystem::exists(workspace_.Path("advocates.json"))) {
    options_.seeds_json = workspace_.Path("advocates.json");
  }
  if (!options_.seeds_json.empty()) {
    std::ifstream in(options_.seeds_json);
    if (!in) return Status::IoError(fmt::format("cannot read {}", options_.seeds_json.string()));
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      return Status::InvalidArgument(fmt::format("{}: not JSON: {}", options_.seeds_json.string(), e.what()));
    }
    if (!j.contains("seeds") || !j["seeds"].is_array()) {
      return Status::InvalidArgument(
          fmt::format("{}: no \"seeds\" array (expected `vouch advocates --json` output)", options_.seeds_json.string()));
    }
    VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                           db_->Prepare("SELECT person_id FROM identities WHERE kind = 'handle' AND value = ?1 "
                                        "ORDER BY id LIMIT 1"));
    for (const auto& seed : j["seeds"]) {
      std::string id = seed.value("id", "");
      q->Bind(1, identity::NormalizeHandle("", id));
      VOUCH_ASSIGN_OR_RETURN(auto person, FirstRow(*q, [](const Statement& row) { return row.Int(0); }));
      if (!person) continue;
      std::optional<double> reach;
      if (seed.contains("marginal_spread") && seed["marginal_spread"].is_number()) {
        reach = seed["marginal_spread"].get<double>();
      }
      people.emplace_back(*person, reach);
      if (static_cast<int>(people.size()) >= options_.top_advocates) break;
    }
    s.source = fmt::format("seed set of `vouch advocates` ({})", options_.seeds_json.filename().string());
  } else if (trust_ready_) {
    VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                           db_->Prepare("SELECT person_id FROM trust_reputation "
                                        "ORDER BY reputation DESC, ratings_received DESC LIMIT ?1"));
    q->Bind(1, options_.top_advocates);
    VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) { people.emplace_back(row.Int(0), std::nullopt); }));
    s.source = "highest reputation (pass --advocates with `vouch advocates --json` output for the chosen seed set)";
  }
  if (people.empty()) {
    s.state.missing = "no advocates: run `vouch trust compute`, or `vouch advocates ... --json` with its output saved "
                      "as advocates.json in the workspace (or passed with --advocates FILE)";
    return Status::Ok();
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * name,
                         db_->Prepare("SELECT p.display_name, COALESCE((SELECT display FROM identities i WHERE "
                                      "i.person_id = p.id AND i.kind = 'handle' ORDER BY i.id LIMIT 1), '') "
                                      "FROM people p WHERE p.id = ?1"));
  VOUCH_ASSIGN_OR_RETURN(store::Statement * acts,
                         db_->Prepare("SELECT COALESCE(SUM(m.act = 'endorse'), 0), COALESCE(SUM(m.act = 'complain'), 0) "
                                      "FROM mentions m JOIN posts p ON p.id = m.post_id "
                                      "JOIN identities i ON i.id = p.author_identity "
                                      "WHERE i.person_id = ?1 AND m.brand = ?2"));
  for (const auto& [person, reach] : people) {
    AdvocateRow r;
    r.person = person;
    r.expected_reach = reach;
    name->Bind(1, person);
    VOUCH_ASSIGN_OR_RETURN(auto names, FirstRow(*name, Columns<std::string, std::string>));
    if (names) std::tie(r.name, r.handle) = std::move(*names);
    acts->Bind(1, person).Bind(2, data_.brand);
    VOUCH_ASSIGN_OR_RETURN(auto counts, FirstRow(*acts, Columns<int64_t, int64_t>));
    if (counts) std::tie(r.endorsements, r.complaints) = *counts;
    if (trust_ready_) {
      VOUCH_ASSIGN_OR_RETURN(store::Statement * t,
                             db_->Prepare("SELECT reputation, trust, ratings_received FROM trust_reputation "
                                          "WHERE person_id = ?1"));
      t->Bind(1, person);
      VOUCH_ASSIGN_OR_RETURN(auto trust, FirstRow(*t, Columns<double, double, int64_t>));
      if (trust) std::tie(r.reputation, r.trust_received, r.ratings_received) = *trust;
    }
    auto f = followers_.find(person);
    r.followers = f == followers_.end() ? 0 : f->second;
    std::vector<std::string> why;
    if (r.endorsements > 0) why.push_back(fmt::format("endorsed {} {} time{}", data_.brand, r.endorsements,
                                                      r.endorsements == 1 ? "" : "s"));
    if (r.ratings_received > 0) {
      why.push_back(fmt::format("reputation {:.2f} from {} rating{}", r.reputation, r.ratings_received,
                                r.ratings_received == 1 ? "" : "s"));
    }
    if (r.expected_reach) why.push_back(fmt::format("adds {:.1f} people of expected reach", *r.expected_reach));
    if (r.followers > 0) why.push_back(fmt::format("{} followers", r.followers));
    if (r.complaints > 0) why.push_back(fmt::format("but complained {} time{}", r.complaints, r.complaints == 1 ? "" : "s"));
    for (size_t i = 0; i < why.size(); ++i) r.why += (i ? "; " : "") + why[i];
    s.rows.push_back(std::move(r));
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

namespace {
constexpr const char* kNoReferrals =
    "no referral traffic: run `vouch serve`, create a program, advocates and links, and send clicks, leads and "
    "sales to its API (docs/api.md)";
}

Status ReportBuilder::FillFunnel() {
  FunnelSection& s = data_.funnel;
  s.currency = config_.currency;
  if (!refer_ready_) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * c,
                         db_->Prepare("SELECT COUNT(*), COALESCE(SUM(counted), 0), MIN(at_ms), MAX(at_ms) "
                                      "FROM refer_clicks WHERE at_ms >= ?1 AND at_ms < ?2"));
  c->Bind(1, since * 1000).Bind(2, until * 1000);
  VOUCH_ASSIGN_OR_RETURN(auto clicks, FirstRow(*c, Columns<int64_t, int64_t, int64_t, int64_t>));
  int64_t first = 0, last = 0;
  if (clicks) {
    std::tie(s.raw_clicks, s.clicks, first, last) = *clicks;
    first /= 1000;
    last /= 1000;
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * l,
                         db_->Prepare("SELECT COUNT(*) FROM refer_leads WHERE at >= ?1 AND at < ?2"));
  l->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto leads, FirstValue<int64_t>(*l));
  if (leads) s.leads = *leads;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * sale,
                         db_->Prepare("SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(refunded > 0), 0), "
                                      "COALESCE(SUM(refunded), 0), (SELECT currency FROM refer_sales GROUP BY "
                                      "currency ORDER BY COUNT(*) DESC LIMIT 1) FROM refer_sales "
                                      "WHERE lead_id IS NOT NULL AND at >= ?1 AND at < ?2"));
  sale->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto sales,
                         FirstRow(*sale, Columns<int64_t, int64_t, int64_t, int64_t, std::optional<std::string>>));
  if (sales) {
    std::optional<std::string> currency;
    std::tie(s.sales, s.revenue, s.refunds, s.refunded, currency) = std::move(*sales);
    if (currency) s.currency = std::move(*currency);
  }
  if (s.raw_clicks == 0 && s.leads == 0 && s.sales == 0) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  s.lead_per_click = {s.leads, s.clicks};
  s.sale_per_lead = {s.sales, s.leads};
  s.sale_per_click = {s.sales, s.clicks};
  s.refund_per_sale = {s.refunds, s.sales};
  // Daily series by the service's own time stamps.
  if (s.raw_clicks > 0) {
    s.days = DaysBetween(first, last);
    size_t n = s.days.size();
    s.daily_clicks.assign(n, 0);
    s.daily_leads.assign(n, 0);
    s.daily_sales.assign(n, 0);
    int64_t base = DayStart(first);
    auto bucket = [&](std::string_view sql, int64_t divisor, std::vector<int64_t>& out) -> Status {
      VOUCH_ASSIGN_OR_RETURN(store::Statement * q, db_->Prepare(sql));
      q->Bind(1, base * divisor).Bind(2, (last + kDay) * divisor).Bind(3, kDay * divisor);
      return ForEachRow(*q, [&](const Statement& row) {
        int64_t d = row.Int(0);
        if (d >= 0 && static_cast<size_t>(d) < n) out[static_cast<size_t>(d)] = row.Int(1);
      });
    };
    VOUCH_TRY(bucket("SELECT (at_ms - ?1) / ?3, COUNT(*) FROM refer_clicks WHERE counted = 1 AND at_ms >= ?1 "
                     "AND at_ms < ?2 GROUP BY 1", 1000, s.daily_clicks));
    VOUCH_TRY(bucket("SELECT (at - ?1) / ?3, COUNT(*) FROM refer_leads WHERE at >= ?1 AND at < ?2 GROUP BY 1", 1,
                     s.daily_leads));
    VOUCH_TRY(bucket("SELECT (at - ?1) / ?3, COUNT(*) FROM refer_sales WHERE lead_id IS NOT NULL AND at >= ?1 "
                     "AND at < ?2 GROUP BY 1", 1, s.daily_sales));
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillGrowth() {
  GrowthSection& s = data_.growth;
  if (!refer_ready_ || !data_.funnel.state.available) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * a, db_->Prepare("SELECT COUNT(*) FROM refer_advocates"));
  VOUCH_ASSIGN_OR_RETURN(auto advocates, FirstValue<int64_t>(*a));
  if (advocates) s.advocates = *advocates;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * act,
                         db_->Prepare("SELECT COUNT(DISTINCT l.advocate_id) FROM refer_clicks c JOIN refer_links l "
                                      "ON l.id = c.link_id WHERE c.counted = 1 AND c.at_ms >= ?1 AND c.at_ms < ?2"));
  act->Bind(1, since * 1000).Bind(2, until * 1000);
  VOUCH_ASSIGN_OR_RETURN(auto active, FirstValue<int64_t>(*act));
  if (active) s.active_advocates = *active;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * cust,
                         db_->Prepare("SELECT COUNT(DISTINCT customer_id) FROM refer_sales WHERE lead_id IS NOT NULL "
                                      "AND refunded < amount AND at >= ?1 AND at < ?2"));
  cust->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto customers, FirstValue<int64_t>(*cust));
  if (customers) s.referred_customers = *customers;
  s.invitations_per_advocate = {data_.funnel.clicks, s.advocates};
  s.conversion = {s.referred_customers, data_.funnel.clicks};
  s.k_factor = s.invitations_per_advocate.value() * s.conversion.value();
  VOUCH_ASSIGN_OR_RETURN(store::Statement * cyc,
                         db_->Prepare("SELECT s.at - c.at_ms / 1000 FROM refer_sales s JOIN refer_leads l "
                                      "ON l.id = s.lead_id JOIN refer_clicks c ON c.id = l.click_id "
                                      "WHERE s.at >= ?1 AND s.at < ?2"));
  cyc->Bind(1, since).Bind(2, until);
  std::vector<double> gaps;
  VOUCH_TRY(ForEachRow(*cyc, [&](const Statement& row) {
    gaps.push_back(static_cast<double>(std::max<int64_t>(0, row.Int(0))) / static_cast<double>(kDay));
  }));
  if (!gaps.empty()) s.cycle_time_days = Median(std::move(gaps));
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillEconomics() {
  EconomicsSection& s = data_.economics;
  s.currency = data_.funnel.currency;
  s.margin = config_.margin;
  s.fixed_cost = config_.program_cost;
  if (!refer_ready_ || !data_.funnel.state.available) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db_->Prepare("SELECT status, COALESCE(SUM(amount), 0), COALESCE(SUM(reversed), 0) "
                                      "FROM refer_commissions WHERE created_at >= ?1 AND created_at < ?2 "
                                      "AND currency = ?3 GROUP BY status"));
  q->Bind(1, since).Bind(2, until).Bind(3, s.currency);
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) {
    auto [status, amount, reversed] = Columns<std::string, int64_t, int64_t>(row);
    s.commissions_by_status[status] = amount;
    s.commissions_reversed += reversed;
    if (status == "pending" || status == "approved" || status == "paid") {
      s.commissions += amount - reversed;
    } else if (status == "hold" || status == "rejected") {
      s.commissions_held += amount;
    }
  }));
  VOUCH_ASSIGN_OR_RETURN(store::Statement * h, db_->Prepare("SELECT COUNT(*) FROM refer_fraud_hits "
                                                             "WHERE at >= ?1 AND at < ?2"));
  h->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto fraud_hits, FirstValue<int64_t>(*h));
  if (fraud_hits) s.fraud_hits = *fraud_hits;
  s.cost = s.commissions + s.fixed_cost;
  s.net_revenue = data_.funnel.revenue - data_.funnel.refunded;
  s.acquisitions = data_.growth.referred_customers;
  if (s.acquisitions > 0) s.cpa = s.cost / s.acquisitions;
  if (s.cost > 0) {
    s.roi = (static_cast<double>(s.net_revenue) * s.margin - static_cast<double>(s.cost)) / static_cast<double>(s.cost);
  }
  s.state.available = true;
  return Status::Ok();
}

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
