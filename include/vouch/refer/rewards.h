// Reward rules of a referral program and the commission they earn.
//
// A rule says which event earns (a counted click, a lead, a sale), and how much: a flat amount in the program's
// currency (minor units), or a percentage of the sale. Percentages are held as basis points (10% = 1000) so that
// no floating point ever touches money; the API accepts a percentage with at most two decimals ("value": 7.5).
// A percentage commission is rounded down to the minor unit: the brand never pays a fraction it did not promise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "vouch/core/status.h"

namespace vouch::refer {

enum class RewardEvent { kClick, kLead, kSale };
enum class RewardType { kPercent, kFlat };
// Who a rule rewards: the advocate (a commission) or the referred friend (a discount or credit recorded for the
// customer: two-sided programs).
enum class RewardSide { kAdvocate, kFriend };
// The period a cap counts over, in UTC calendar terms (a week starts on Monday); kAll never resets.
enum class CapPeriod { kNone, kDay, kWeek, kMonth, kYear, kAll };

const char* RewardEventName(RewardEvent event);
std::optional<RewardEvent> ParseRewardEvent(std::string_view name);
const char* CapPeriodName(CapPeriod period);
std::optional<CapPeriod> ParseCapPeriod(std::string_view name);

// A rate that applies once the advocate has made `after` referrals (distinct customers of the program with an
// attributed sale, the current one not counted): the 6th referral earns a tier with after = 5.
struct RewardTier {
  int64_t after = 0;
  int64_t value = 0;  // as RewardRule::value
  bool operator==(const RewardTier&) const = default;
};

struct RewardRule {
  RewardRule(RewardEvent e = RewardEvent::kSale, RewardType t = RewardType::kPercent, int64_t v = 0)
      : event(e), type(t), value(v) {}

  RewardEvent event = RewardEvent::kSale;
  RewardType type = RewardType::kPercent;
  int64_t value = 0;  // kFlat: minor units; kPercent: basis points (1/100 of a percent), 0..10000
  RewardSide side = RewardSide::kAdvocate;
  std::vector<RewardTier> tiers;  // ascending by after; the last one reached replaces value
  // At most cap minor units per advocate and cap_period from this program's rewards of this event (commissions
  // not reversed or rejected); a reward that would cross it is cut to what is left. cap 0: no cap.
  int64_t cap = 0;
  CapPeriod cap_period = CapPeriod::kNone;
  // Sale rules: later sales of a referred customer keep earning for this many calendar months after the
  // customer's first attributed sale, even outside the attribution window. 0: only attributed sales earn.
  int64_t recurring_months = 0;
  bool operator==(const RewardRule&) const = default;
};

// Parses the "rewards" array of a program. Errors name the element and field ("rewards[1].value: ...").
Result<std::vector<RewardRule>> ParseRewardRules(const nlohmann::json& rewards);
// The array as the API shows it (percent values back as numbers: 1000 bp -> 10, 750 bp -> 7.5).
nlohmann::json RewardRulesToJson(const std::vector<RewardRule>& rules);

// The stored form of rules (percentages as basis points, exact) and back. Errors name the program.
nlohmann::json RewardRulesToStorage(const std::vector<RewardRule>& rules);
Result<std::vector<RewardRule>> RewardRulesFromStorage(const nlohmann::json& stored, int64_t program_id);

// The value (as RewardRule::value) that applies after prior_referrals referrals: the last tier reached, else value.
int64_t TierValue(const RewardRule& rule, int64_t prior_referrals);

// The first second (epoch seconds, UTC) of the cap period that contains now_s; 0 for kAll and kNone.
int64_t CapPeriodStart(CapPeriod period, int64_t now_s);

// What a reward of amount becomes under a cap when earned_in_period has been earned already: never negative.
int64_t ApplyCap(int64_t amount, int64_t cap, int64_t earned_in_period);

// The commission one rule earns on an event. basis is the sale amount in minor units for kPercent on a sale; it
// is ignored for kFlat. A percentage of a click or a lead (no amount) earns nothing. Never negative.
int64_t ComputeReward(const RewardRule& rule, int64_t basis);
// The same with value in place of the rule's own (a tier's).
int64_t ComputeRewardAt(const RewardRule& rule, int64_t value, int64_t basis);

// The share of commission clawed back when refunded_total of sale_amount has been refunded (cumulative), rounded
// so that a full refund claws back exactly the whole commission.
int64_t ClawbackFor(int64_t commission, int64_t sale_amount, int64_t refunded_total);

}  // namespace vouch::refer
