#include "vouch/listen/listen_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <set>
#include <utility>

namespace vouch::listen {

namespace {

constexpr int64_t kDaySeconds = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

std::optional<double> NetSentiment(const SentimentCounts& s) {
  if (s.pos + s.neg == 0) return std::nullopt;
  return static_cast<double>(s.pos - s.neg) / static_cast<double>(s.pos + s.neg);
}

void Count(PostTally& tally, const MentionRow& row) {
  ++tally.posts;
  ++tally.acts[static_cast<size_t>(row.act)];
  switch (row.sentiment) {
    case Sentiment::kPositive: ++tally.sentiment.pos; break;
    case Sentiment::kNegative: ++tally.sentiment.neg; break;
    case Sentiment::kNeutral: ++tally.sentiment.neu; break;
  }
}

nlohmann::json Optional(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json TallyJson(const PostTally& t) {
  nlohmann::json acts = nlohmann::json::object();
  for (size_t a = 0; a < kActCount; ++a) acts[std::string(ActName(static_cast<Act>(a)))] = t.acts[a];
  return {{"posts", t.posts},
          {"acts", acts},
          {"sentiment", {{"pos", t.sentiment.pos}, {"neg", t.sentiment.neg}, {"neu", t.sentiment.neu}}}};
}

nlohmann::json VoicesJson(const std::vector<ReportVoice>& voices) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : voices) {
    out.push_back({{"person", v.person},
                   {"handle", v.handle},
                   {"posts", v.posts},
                   {"reputation", Optional(v.reputation)},
                   {"weight", v.weight},
                   {"score", v.score},
                   {"latest_post", v.latest_post}});
  }
  return out;
}

}  // namespace

std::string_view ReportBucketName(ReportBucket bucket) { return bucket == ReportBucket::kDay ? "day" : "week"; }

std::optional<ReportBucket> ParseReportBucket(std::string_view name) {
  if (name == "day") return ReportBucket::kDay;
  if (name == "week") return ReportBucket::kWeek;
  return std::nullopt;
}

int64_t BucketSeconds(ReportBucket bucket) { return bucket == ReportBucket::kDay ? kDaySeconds : 7 * kDaySeconds; }

int64_t BucketStart(ReportBucket bucket, int64_t t) {
  const int64_t day = FloorDiv(t, kDaySeconds);
  if (bucket == ReportBucket::kDay) return day * kDaySeconds;
  // 1970-01-01 was a Thursday: day d is (d + 3) mod 7 days after the Monday before it.
  const int64_t since_monday = ((day % 7) + 7 + 3) % 7;
  return (day - since_monday) * kDaySeconds;
}

std::string UtcDate(int64_t t) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{FloorDiv(t, kDaySeconds)}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

ListenReport::ListenReport(std::vector<MentionRow> mentions, ListenReportOptions options, PersonTrust trust)
    : mentions_(std::move(mentions)), options_(std::move(options)), trust_(std::move(trust)) {}

const ListenReportResult& ListenReport::result() const {
  assert(done_ && "ListenReport::result() before run()");
  return result_;
}

Status ListenReport::run() {
  const ListenReportOptions& o = options_;
  if (o.brand.empty()) return Status::InvalidArgument("listen report: no brand given");
  for (const auto& c : o.competitors) {
    if (c == o.brand) return Status::InvalidArgument(fmt::format("brand '{}' is listed as its own competitor", c));
  }
  if (o.since && o.until && *o.since >= *o.until) {
    return Status::InvalidArgument(fmt::format("--since ({}) must be before --until ({})", UtcDate(*o.since),
                                               UtcDate(*o.until)));
  }
  ListenReportResult r;
  r.brand = o.brand;
  r.competitors = o.competitors;
  r.bucket = o.bucket;
  r.voice_weighting = trust_.computed ? "trust" : "count";

  // Brand index: 0 is the brand, 1.. its competitors; rows of other brands are dropped. One post counts once
  // per brand however many spans name it.
  auto brand_index = [&](const std::string& name) -> int {
    if (name == o.brand) return 0;
    for (size_t i = 0; i < o.competitors.size(); ++i) {
      if (o.competitors[i] == name) return static_cast<int>(i) + 1;
    }
    return -1;
  };
  std::vector<std::pair<int, const MentionRow*>> posts;
  {
    std::set<std::pair<int, int64_t>> seen;
    for (const MentionRow& row : mentions_) {
      const int b = brand_index(row.brand);
      if (b < 0) continue;
      if (o.since && row.time < *o.since) continue;
      if (o.until && row.time >= *o.until) continue;
      if (seen.emplace(b, row.post_row).second) posts.emplace_back(b, &row);
    }
  }
  std::sort(posts.begin(), posts.end(), [](const auto& a, const auto& b) {
    return a.second->time != b.second->time ? a.second->time < b.second->time : a.second->id < b.second->id;
  });

  const int64_t step = BucketSeconds(o.bucket);
  if (o.since) {
    r.since = *o.since;
  } else {
    r.since = posts.empty() ? 0 : BucketStart(o.bucket, posts.front().second->time);
  }
  if (o.until) {
    r.until = *o.until;
  } else {
    r.until = posts.empty() ? r.since : BucketStart(o.bucket, posts.back().second->time) + step;
  }
  // Periods: every bucket overlapping [since, until), empty ones included (the alerts' baseline needs them).
  for (int64_t start = BucketStart(o.bucket, r.since); start < r.until; start += step) {
    ReportPeriod p;
    p.start = start;
    p.end = start + step;
    r.periods.push_back(p);
  }
  const int64_t first = r.periods.empty() ? 0 : r.periods.front().start;

  std::vector<int64_t> voice(o.competitors.size() + 1, 0);
  struct Voice {
    int64_t posts = 0;
    std::string handle;
    std::string latest;
  };
  std::unordered_map<PersonId, Voice> endorsers, complainers;
  for (const auto& [b, row] : posts) {
    ++voice[static_cast<size_t>(b)];
    ReportPeriod& period = r.periods[static_cast<size_t>((row->time - first) / step)];
    if (b != 0) {
      ++period.competitor_posts;
      continue;
    }
    Count(r.totals, *row);
    Count(period.brand, *row);
    if (row->act == Act::kEndorse || row->act == Act::kComplain) {
      Voice& v = (row->act == Act::kEndorse ? endorsers : complainers)[row->author];
      ++v.posts;
      if (v.handle.empty()) v.handle = row->author_handle;
      v.latest = fmt::format("{}:{}", row->platform, row->post_id);  // rows are in time order
    }
  }
  for (ReportPeriod& p : r.periods) {
    p.share_of_voice = Ratio(p.brand.posts, p.brand.posts + p.competitor_posts);
    p.net_sentiment = NetSentiment(p.brand.sentiment);
  }

  int64_t all_voice = 0;
  for (int64_t v : voice) all_voice += v;
  for (size_t i = 0; i < voice.size(); ++i) {
    r.share_of_voice.push_back(
        {i == 0 ? o.brand : o.competitors[i - 1], voice[i], Ratio(voice[i], all_voice).value_or(0)});
  }
  r.net_sentiment = NetSentiment(r.totals.sentiment);
  for (size_t a = 0; a < kActCount; ++a) r.act_mix[a] = Ratio(r.totals.acts[a], r.totals.posts).value_or(0);
  r.wom_to_share = Ratio(r.totals.of(Act::kEndorse) + r.totals.of(Act::kComplain), r.totals.of(Act::kShare));

  auto rank = [&](const std::unordered_map<PersonId, Voice>& people) {
    std::vector<ReportVoice> out;
    out.reserve(people.size());
    for (const auto& [person, v] : people) {
      ReportVoice rv;
      rv.person = person;
      rv.handle = v.handle;
      rv.posts = v.posts;
      rv.latest_post = v.latest;
      if (trust_.computed) {
        auto it = trust_.reputation.find(person);
        if (it != trust_.reputation.end()) rv.reputation = it->second;
        // Unknown to the trust computation (nobody rated them): neither trusted nor distrusted.
        rv.weight = (1.0 + std::clamp(rv.reputation.value_or(0.0), -1.0, 1.0)) / 2.0;
      }
      rv.score = static_cast<double>(rv.posts) * rv.weight;
      out.push_back(std::move(rv));
    }
    std::sort(out.begin(), out.end(), [](const ReportVoice& a, const ReportVoice& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.posts != b.posts) return a.posts > b.posts;
      return a.person < b.person;
    });
    if (out.size() > o.top_people) out.resize(o.top_people);
    return out;
  };
  r.top_endorsers = rank(endorsers);
  r.top_complainers = rank(complainers);

  const size_t window = o.alert_window > 0 ? o.alert_window : (o.bucket == ReportBucket::kDay ? 14 : 8);
  auto detect = [&](const char* metric, auto value_of) {
    for (size_t i = std::max<size_t>(o.alert_min_history, 1); i < r.periods.size(); ++i) {
      const size_t n = std::min(window, i);
      double mean = 0;
      for (size_t k = i - n; k < i; ++k) mean += static_cast<double>(value_of(r.periods[k]));
      mean /= static_cast<double>(n);
      double var = 0;
      for (size_t k = i - n; k < i; ++k) {
        const double d = static_cast<double>(value_of(r.periods[k])) - mean;
        var += d * d;
      }
      const double sd = std::sqrt(var / static_cast<double>(n));
      const int64_t x = value_of(r.periods[i]);
      const double z = (static_cast<double>(x) - mean) / std::max(sd, std::sqrt(std::max(mean, 1.0)));
      if (z >= o.alert_z && x >= o.alert_min_count) {
        r.alerts.push_back({metric, r.periods[i].start, x, mean, sd, n, z, o.alert_z});
      }
    }
  };
  detect("volume", [](const ReportPeriod& p) { return p.brand.posts; });
  detect("complaints", [](const ReportPeriod& p) { return p.brand.of(Act::kComplain); });
  std::stable_sort(r.alerts.begin(), r.alerts.end(),
                   [](const ReportAlert& a, const ReportAlert& b) { return a.period_start < b.period_start; });

  result_ = std::move(r);
  done_ = true;
  return Status::Ok();
}

nlohmann::json ListenReportJson(const ListenReportResult& r) {
  nlohmann::json sov = nlohmann::json::array();
  for (const auto& v : r.share_of_voice) sov.push_back({{"brand", v.brand}, {"posts", v.posts}, {"share", v.share}});
  nlohmann::json mix = nlohmann::json::object();
  for (size_t a = 0; a < kActCount; ++a) mix[std::string(ActName(static_cast<Act>(a)))] = r.act_mix[a];
  nlohmann::json periods = nlohmann::json::array();
  for (const auto& p : r.periods) {
    nlohmann::json j = TallyJson(p.brand);
    j["start"] = p.start;
    j["date"] = UtcDate(p.start);
    j["competitor_posts"] = p.competitor_posts;
    j["share_of_voice"] = Optional(p.share_of_voice);
    j["net_sentiment"] = Optional(p.net_sentiment);
    periods.push_back(std::move(j));
  }
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : r.alerts) {
    alerts.push_back({{"metric", a.metric},
                      {"period_start", a.period_start},
                      {"date", UtcDate(a.period_start)},
                      {"value", a.value},
                      {"baseline_mean", a.baseline_mean},
                      {"baseline_sd", a.baseline_sd},
                      {"window", a.window},
                      {"z", a.z},
                      {"threshold", a.threshold}});
  }
  return {{"brand", r.brand},
          {"competitors", r.competitors},
          {"since", r.since},
          {"until", r.until},
          {"by", std::string(ReportBucketName(r.bucket))},
          {"totals", TallyJson(r.totals)},
          {"share_of_voice", sov},
          {"net_sentiment", Optional(r.net_sentiment)},
          {"act_mix", mix},
          {"wom_to_share", Optional(r.wom_to_share)},
          {"voice_weighting", r.voice_weighting},
          {"top_endorsers", VoicesJson(r.top_endorsers)},
          {"top_complainers", VoicesJson(r.top_complainers)},
          {"periods", periods},
          {"alerts", alerts}};
}

std::string ListenReportCsv(const ListenReportResult& r) {
  std::string out = "period,posts";
  for (size_t a = 0; a < kActCount; ++a) out += fmt::format(",{}", ActName(static_cast<Act>(a)));
  out += ",pos,neg,neu,competitor_posts,share_of_voice,net_sentiment\n";
  auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : std::string(); };
  for (const auto& p : r.periods) {
    out += fmt::format("{},{}", UtcDate(p.start), p.brand.posts);
    for (int64_t n : p.brand.acts) out += fmt::format(",{}", n);
    out += fmt::format(",{},{},{},{},{},{}\n", p.brand.sentiment.pos, p.brand.sentiment.neg, p.brand.sentiment.neu,
                       p.competitor_posts, opt(p.share_of_voice), opt(p.net_sentiment));
  }
  return out;
}

}  // namespace vouch::listen
