// Reward rules, attribution and the circular-referral search as pure functions; cases as data files
// (tests/data/refer/attribution.tsv, reward_rules.tsv) where a new case is a line.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_paths.h"
#include "vouch/refer/attribution.h"
#include "vouch/refer/fraud_rules.h"
#include "vouch/refer/rewards.h"

namespace vouch::refer {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace rewards_test {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::vector<std::vector<std::string>> Rows(const std::string& name) {
  std::ifstream in(vouch::test::TestDataDir() + "/refer/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) fields.push_back(field);
    if (!line.empty() && line.back() == '\t') fields.push_back("");
    rows.push_back(fields);
  }
  return rows;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  return out;
}

TEST(AttributionCases, FromDataFile) {
  auto rows = Rows("attribution.tsv");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u) << row[0];
    std::vector<AttributionCandidate> candidates;
    for (const std::string& c : Split(row[2], ',')) {
      auto f = Split(c, ':');
      ASSERT_EQ(f.size(), 5u) << row[0];
      candidates.push_back({std::stoll(f[0]) * kDayMs, std::stoll(f[1]), std::stoll(f[3]),
                            f[2] == "F" ? AttributionModel::kFirstClick : AttributionModel::kLastClick,
                            f[4] == "1"});
    }
    auto got = ChooseAttribution(candidates, std::stoll(row[1]) * kDayMs);
    if (row[3] == "none") {
      EXPECT_FALSE(got.has_value()) << row[0];
    } else {
      ASSERT_TRUE(got.has_value()) << row[0];
      EXPECT_EQ(*got, std::stoul(row[3])) << row[0];
    }
  }
}

TEST(RewardRuleCases, FromDataFile) {
  auto rows = Rows("reward_rules.tsv");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u) << row[0];
    auto rules = ParseRewardRules(nlohmann::json::array({nlohmann::json::parse(row[0])}));
    ASSERT_TRUE(rules.ok()) << row[0] << ": " << rules.status().ToString();
    const RewardRule& rule = (*rules)[0];
    int64_t value = TierValue(rule, std::stoll(row[1]));
    EXPECT_EQ(ComputeRewardAt(rule, value, std::stoll(row[2])), std::stoll(row[3])) << row[0];
    // Storage keeps every field exactly; the API form reads back to the same rule.
    auto stored = RewardRulesFromStorage(RewardRulesToStorage(*rules), 1);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(*stored, *rules) << row[0];
    auto shown = ParseRewardRules(RewardRulesToJson(*rules));
    ASSERT_TRUE(shown.ok()) << row[0];
    EXPECT_EQ(*shown, *rules) << row[0];
  }
}

TEST(RewardRules, BadExtensionsNameTheirField) {
  struct Case {
    const char* json;
    const char* field;
  };
  for (const Case& c : {Case{R"([{"event":"sale","type":"percent","value":10,"side":"both"}])", "rewards[0].side"},
                        Case{R"([{"event":"click","type":"flat","value":1,"side":"friend"}])", "rewards[0].side"},
                        Case{R"([{"event":"sale","type":"percent","value":10,"tiers":[{"after":0,"value":5}]}])",
                             "rewards[0].tiers[0].after"},
                        Case{R"([{"event":"sale","type":"percent","value":10,"tiers":[{"after":5,"value":101}]}])",
                             "rewards[0].tiers[0].value"},
                        Case{R"([{"event":"sale","type":"percent","value":10,"tiers":[{"after":5,"value":15},)"
                             R"({"after":3,"value":20}]}])",
                             "rewards[0].tiers[1].after"},
                        Case{R"([{"event":"sale","type":"flat","value":10,"cap":{"amount":0,"period":"month"}}])",
                             "rewards[0].cap.amount"},
                        Case{R"([{"event":"sale","type":"flat","value":10,"cap":{"amount":5,"period":"fortnight"}}])",
                             "rewards[0].cap.period"},
                        Case{R"([{"event":"lead","type":"flat","value":10,"recurring_months":3}])",
                             "rewards[0].recurring_months"},
                        Case{R"([{"event":"sale","type":"flat","value":10,"recurring_months":-1}])",
                             "rewards[0].recurring_months"}}) {
    auto r = ParseRewardRules(nlohmann::json::parse(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.field), std::string::npos) << r.status().message();
  }
}

TEST(RewardRules, CapPeriodsStartOnUtcCalendarBoundaries) {
  // 2023-11-15T10:20:30Z, a Wednesday.
  int64_t now = 1700043630;
  EXPECT_EQ(CapPeriodStart(CapPeriod::kDay, now), 1700006400);    // 2023-11-15T00:00Z
  EXPECT_EQ(CapPeriodStart(CapPeriod::kWeek, now), 1699833600);   // Monday 2023-11-13
  EXPECT_EQ(CapPeriodStart(CapPeriod::kMonth, now), 1698796800);  // 2023-11-01
  EXPECT_EQ(CapPeriodStart(CapPeriod::kYear, now), 1672531200);   // 2023-01-01
  EXPECT_EQ(CapPeriodStart(CapPeriod::kAll, now), 0);
  EXPECT_EQ(ApplyCap(700, 0, 123456), 700);
  EXPECT_EQ(ApplyCap(700, 1000, 0), 700);
  EXPECT_EQ(ApplyCap(700, 1000, 500), 500);
  EXPECT_EQ(ApplyCap(700, 1000, 1000), 0);
  EXPECT_EQ(ApplyCap(700, 1000, 1200), 0);  // a cap lowered below what was earned pays nothing more
}

TEST(Attribution, AddMonthsClampsToTheMonthsLastDay) {
  EXPECT_EQ(AddMonths(1700043630, 1), 1702635630);  // 2023-11-15 -> 2023-12-15, same time of day
  EXPECT_EQ(AddMonths(1706659200, 1), 1709164800);  // 2024-01-31 -> 2024-02-29 (leap year)
  EXPECT_EQ(AddMonths(1700043630, 12), 1731666030);  // -> 2024-11-15
  EXPECT_EQ(AddMonths(1700043630, 0), 1700043630);
}

TEST(CircularReferrals, FindsDirectAndLongerCyclesOnly) {
  // person -> people their links referred
  std::map<int64_t, std::vector<int64_t>> graph = {{1, {2}}, {2, {3, 4}}, {3, {5}}, {6, {7}}, {7, {6}}};
  auto referred_by = [&](int64_t p) { return graph.count(p) ? graph[p] : std::vector<int64_t>{}; };
  EXPECT_EQ(FindReferralPath(2, 1, referred_by), std::vector<int64_t>{});           // nobody led from 2 to 1
  EXPECT_EQ(FindReferralPath(1, 3, referred_by), (std::vector<int64_t>{1, 2, 3}));  // 1 -> 2 -> 3
  EXPECT_EQ(FindReferralPath(7, 6, referred_by), (std::vector<int64_t>{7, 6}));     // direct
  EXPECT_EQ(FindReferralPath(1, 5, referred_by, /*max_depth=*/2), std::vector<int64_t>{});  // too long a chain
  EXPECT_EQ(FindReferralPath(1, 5, referred_by), (std::vector<int64_t>{1, 2, 3, 5}));
  EXPECT_EQ(FindReferralPath(0, 5, referred_by), std::vector<int64_t>{});
}

}  // namespace rewards_test
}  // namespace vouch::refer
