// ReportData: what `vouch report`, the dashboard and /api/v1/report/... show, as plain values (docs/metrics.md
// defines every figure). One struct per section of the report; ReportBuilder fills each section with one function
// of its own, so a section whose data comes from another module is wired in one place.
//
// Every section carries `available` and, when it is false, `missing`: the honest "no data" state that says which
// verb fills it ("run `vouch trust compute`"). A section never shows a zero that really means "not measured".
//
// Money is integer minor units of `currency` (never floating point); rates are fractions in [0, 1] with their
// numerator and denominator kept beside them, so a reader can always check the division.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vouch::measure {

// Shared by every section: whether it has data, and if not, what to run.
struct SectionState {
  bool available = false;
  std::string missing;  // empty when available
};

// A rate with its parts: value = numerator / denominator (0 when the denominator is 0).
struct Rate {
  int64_t numerator = 0;
  int64_t denominator = 0;
  double value() const { return denominator > 0 ? static_cast<double>(numerator) / static_cast<double>(denominator) : 0; }
};

// The five acts, in this order in every per-act array.
inline constexpr const char* kActs[] = {"endorse", "complain", "share", "ask", "other"};
inline constexpr int kActCount = 5;

// Mention volume of the report's brand per UTC day, split by act.
struct VolumeSection {
  SectionState state;
  std::vector<std::string> days;                 // "2026-03-02", consecutive, from the first to the last day
  std::vector<std::array<int64_t, 5>> by_act;    // per day, indexed as kActs
  std::array<int64_t, 5> totals{};               // over the window
  int64_t mentions = 0;
};

// Mentions of each brand (the report's brand and its competitors) over the window.
struct ShareOfVoiceRow {
  std::string brand;
  int64_t mentions = 0;
  int64_t word_of_mouth = 0;  // endorse + complain
  double share = 0;           // mentions / all brands' mentions
  double wom_share = 0;       // word_of_mouth / all brands' word_of_mouth
};
struct ShareOfVoiceSection {
  SectionState state;
  std::vector<ShareOfVoiceRow> brands;  // the report's brand first
};

// Net sentiment of the brand's mentions per day: (positive - negative) / mentions, in [-1, 1].
struct SentimentSection {
  SectionState state;
  std::vector<std::string> days;
  std::vector<double> net;        // per day; 0 on a day without mentions
  std::vector<int64_t> positive, negative, neutral;  // per day
  int64_t total_positive = 0, total_negative = 0, total_neutral = 0;
  double overall = 0;
};

// Word-of-mouth (endorse + complain) against sharing.
struct WomSection {
  SectionState state;
  int64_t endorse = 0, complain = 0, share = 0;
  double ratio = 0;  // (endorse + complain) / share; 0 when there is no share
  std::vector<double> daily_ratio;  // per day of VolumeSection.days, 0 on a day without shares
};

// The people to invite into the advocate program, with why.
struct AdvocateRow {
  int64_t person = 0;
  std::string name;
  std::string handle;
  double reputation = 0;        // trust module: global reputation in [-1, 1]
  double trust_received = 0;    // trust module: TrustRank mass from the trusted seeds
  int64_t ratings_received = 0;
  int64_t endorsements = 0, complaints = 0;  // of the report's brand
  int64_t followers = 0;        // in the workspace's social graph
  std::optional<double> expected_reach;  // marginal spread from `vouch advocates --json`, when given
  std::string why;
};
struct AdvocatesSection {
  SectionState state;
  std::string source;  // "seed set from FILE" or "highest reputation"
  std::vector<AdvocateRow> rows;
};

// Spikes in daily volume or in complaints (the statistic that fired is kept).
struct Alert {
  std::string day;
  std::string kind;      // "volume_spike" or "negative_wom_spike"
  int64_t value = 0;     // that day's count
  double baseline = 0;   // mean of the previous days in the window
  double stddev = 0;
  double z = 0;          // (value - baseline) / max(stddev, 1)
  std::string message;
};
struct AlertsSection {
  SectionState state;
  int baseline_days = 7;
  double threshold_z = 3.0;
  int64_t min_count = 5;
  std::vector<Alert> alerts;
};

// The referral program's funnel (refer module's tables).
struct FunnelSection {
  SectionState state;
  int64_t raw_clicks = 0;     // every request to /r/{code}
  int64_t clicks = 0;         // counted clicks (no bots, previews, HEAD or repeats)
  int64_t leads = 0, sales = 0, refunds = 0;
  int64_t revenue = 0;        // minor units, all referred sales
  int64_t refunded = 0;       // minor units
  Rate lead_per_click, sale_per_lead, sale_per_click, refund_per_sale;
  std::string currency;
  std::vector<std::string> days;   // daily clicks/leads/sales by the service's time stamps
  std::vector<int64_t> daily_clicks, daily_leads, daily_sales;
};

// Viral growth: K = invitations per advocate x conversion per invitation.
struct GrowthSection {
  SectionState state;
  int64_t advocates = 0;           // enrolled in any program
  int64_t active_advocates = 0;    // with at least one counted click
  int64_t referred_customers = 0;  // distinct customers with an attributed, not fully refunded sale
  Rate invitations_per_advocate;   // counted clicks / advocates
  Rate conversion;                 // referred customers / counted clicks
  double k_factor = 0;             // = invitations_per_advocate x conversion = referred customers / advocates
  std::optional<double> cycle_time_days;  // median click-to-sale time of attributed sales
};

// What the program cost and earned.
struct EconomicsSection {
  SectionState state;
  std::string currency;
  int64_t commissions = 0;          // owed or paid: pending + approved + paid (minor units)
  int64_t commissions_held = 0;     // held or rejected by fraud rules (not counted as cost)
  int64_t commissions_reversed = 0;
  int64_t fixed_cost = 0;           // [measure] program_cost in vouch.toml
  int64_t cost = 0;                 // commissions + fixed_cost
  int64_t net_revenue = 0;          // referred revenue - refunds
  double margin = 0;                // [measure] margin
  int64_t acquisitions = 0;         // referred customers
  std::optional<int64_t> cpa;       // cost / acquisitions
  std::optional<double> roi;        // (net_revenue x margin - cost) / cost
  std::map<std::string, int64_t> commissions_by_status;
  int64_t fraud_hits = 0;
};

// Earned media value: what the brand's mentions would have cost as paid impressions.
struct EmvRow {
  std::string platform;
  int64_t mentions = 0;
  int64_t impressions = 0;  // followers of each mention's author, summed
  int64_t cpm = 0;          // minor units per 1,000 impressions
  int64_t value = 0;        // impressions x cpm / 1000, minor units
};
struct EmvSection {
  SectionState state;
  std::string currency;
  std::vector<EmvRow> platforms;
  int64_t total = 0;
};

// The campaign simulation: a sharing strategy against a word-of-mouth strategy.
struct Estimate {
  double estimate = 0, lower = 0, upper = 0;
};
struct StrategyRow {
  std::string strategy;  // "share", "wom"
  Estimate reach, adoptions, revenue, margin, incentive_cost, roi;
};
struct CampaignSection {
  SectionState state;
  std::string source;
  std::vector<StrategyRow> strategies;
};

struct ReportData {
  std::string brand;
  std::vector<std::string> competitors;
  std::optional<int64_t> since, until;  // epoch seconds, as asked
  int64_t generated_at = 0;
  std::string workspace;
  VolumeSection volume;
  ShareOfVoiceSection share_of_voice;
  SentimentSection sentiment;
  WomSection wom;
  AdvocatesSection advocates;
  AlertsSection alerts;
  FunnelSection funnel;
  GrowthSection growth;
  EconomicsSection economics;
  EmvSection emv;
  CampaignSection campaign;
};

}  // namespace vouch::measure
