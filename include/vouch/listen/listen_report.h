// ListenReport: what people said about one brand over a time range, from its stored mentions (MentionStore), for
// `vouch listen report` and the Measure module's HTML report.
//
// Definitions (docs/listen.md, "vouch listen report"). All counts are of *posts*: a post that names the brand
// twice counts once for it; a post that names the brand and a competitor counts once for each.
//  - volume: posts mentioning the brand, per period (UTC day, or ISO week from Monday 00:00 UTC) and split by act;
//  - share of voice: brand posts / (brand posts + posts of each competitor), competitors from vouch.toml;
//  - net sentiment: (pos - neg) / (pos + neg) over the brand's posts, in [-1, 1]; absent when no post is pos/neg;
//  - act mix: each act's fraction of the brand's posts;
//  - word-of-mouth-to-share ratio: (endorse + complain) / share: first-hand word-of-mouth per post passing content
//    on; absent when no post was a share;
//  - top endorsers / complainers: per person (after identity merges), score = posts x weight, where weight is
//    (1 + reputation) / 2 in [0, 1] when `vouch trust compute` has run (0.5 for a person without a reputation:
//    nobody rated them), else 1 (plain counts); the result says which;
//  - alerts: for volume and for complaints (negative word-of-mouth), each period's count x against the trailing
//    window of W earlier periods (mean m, standard deviation s): z = (x - m) / max(s, sqrt(max(m, 1))), the floor
//    being the Poisson noise of a count, so a quiet past does not make every blip an alert. An alert fires when
//    z >= alert_z (3) and x >= alert_min_count (5), with at least alert_min_history (3) earlier periods.
//
// Thread safety: none needed (no shared state); one object per report.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/listen/mention_store.h"
#include "vouch/store/records.h"

namespace vouch::listen {

enum class ReportBucket : uint8_t { kDay, kWeek };
std::string_view ReportBucketName(ReportBucket bucket);  // "day", "week"
std::optional<ReportBucket> ParseReportBucket(std::string_view name);
// The start (epoch seconds, UTC) of the day or ISO week (Monday) holding t.
int64_t BucketStart(ReportBucket bucket, int64_t t);
int64_t BucketSeconds(ReportBucket bucket);
// "2026-03-02" for an epoch second.
std::string UtcDate(int64_t t);

// The reputation `vouch trust compute` stored, per person; computed = false when it never ran.
struct PersonTrust {
  bool computed = false;
  std::unordered_map<PersonId, double> reputation;  // in [-1, 1]
};

struct ListenReportOptions {
  std::string brand;
  std::vector<std::string> competitors;  // for share of voice
  std::optional<int64_t> since;          // [since, until), epoch seconds; default: the data's first period
  std::optional<int64_t> until;          // default: the end of the data's last period
  ReportBucket bucket = ReportBucket::kDay;
  size_t top_people = 10;
  size_t alert_window = 0;          // trailing periods; 0: 14 for days, 8 for weeks
  size_t alert_min_history = 3;     // earlier periods needed before a period can alert
  double alert_z = 3.0;
  int64_t alert_min_count = 5;
};

struct SentimentCounts {
  int64_t pos = 0, neg = 0, neu = 0;
};

struct PostTally {
  std::array<int64_t, kActCount> acts{};  // by Act
  SentimentCounts sentiment;
  int64_t posts = 0;
  int64_t of(Act a) const { return acts[static_cast<size_t>(a)]; }
};

struct ReportPeriod {
  int64_t start = 0, end = 0;  // [start, end), epoch seconds
  PostTally brand;
  int64_t competitor_posts = 0;            // summed over competitors
  std::optional<double> share_of_voice;    // absent when nobody posted about any of them
  std::optional<double> net_sentiment;
};

struct VoiceShare {
  std::string brand;
  int64_t posts = 0;
  double share = 0;
};

struct ReportVoice {
  PersonId person = 0;
  std::string handle;                 // as first seen
  int64_t posts = 0;
  std::optional<double> reputation;   // when trust was computed and the person has one
  double weight = 1;
  double score = 0;                   // posts x weight
  std::string latest_post;            // "platform:id" of their latest such post
};

struct ReportAlert {
  std::string metric;   // "volume" or "complaints"
  int64_t period_start = 0;
  int64_t value = 0;
  double baseline_mean = 0, baseline_sd = 0;
  size_t window = 0;    // earlier periods the baseline used
  double z = 0;
  double threshold = 0;
};

struct ListenReportResult {
  std::string brand;
  std::vector<std::string> competitors;
  int64_t since = 0, until = 0;
  ReportBucket bucket = ReportBucket::kDay;
  PostTally totals;
  std::vector<VoiceShare> share_of_voice;  // the brand first, then its competitors
  std::optional<double> net_sentiment;
  std::array<double, kActCount> act_mix{};
  std::optional<double> wom_to_share;
  std::string voice_weighting;  // "trust" or "count"
  std::vector<ReportVoice> top_endorsers, top_complainers;
  std::vector<ReportPeriod> periods;
  std::vector<ReportAlert> alerts;
};

// The JSON form (docs/listen.md): the object `vouch listen report --json` prints.
nlohmann::json ListenReportJson(const ListenReportResult& result);
// One CSV row per period: start date, volume, each act, pos/neg/neu, competitor posts, share of voice, net sentiment.
std::string ListenReportCsv(const ListenReportResult& result);

class ListenReport final {
 public:
  // mentions: rows of the brand and of its competitors (others are ignored), in any order.
  ListenReport(std::vector<MentionRow> mentions, ListenReportOptions options, PersonTrust trust = {});
  // InvalidArgument for an empty brand, since >= until, or a competitor equal to the brand.
  Status run();
  const ListenReportResult& result() const;

 private:
  std::vector<MentionRow> mentions_;
  ListenReportOptions options_;
  PersonTrust trust_;
  bool done_ = false;
  ListenReportResult result_;
};

}  // namespace vouch::listen
