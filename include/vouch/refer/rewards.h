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

const char* RewardEventName(RewardEvent event);
std::optional<RewardEvent> ParseRewardEvent(std::string_view name);

struct RewardRule {
  RewardEvent event = RewardEvent::kSale;
  RewardType type = RewardType::kPercent;
  int64_t value = 0;  // kFlat: minor units; kPercent: basis points (1/100 of a percent), 0..10000
  bool operator==(const RewardRule&) const = default;
};

// Parses the "rewards" array of a program. Errors name the element and field ("rewards[1].value: ...").
Result<std::vector<RewardRule>> ParseRewardRules(const nlohmann::json& rewards);
// The array as the API shows it (percent values back as numbers: 1000 bp -> 10, 750 bp -> 7.5).
nlohmann::json RewardRulesToJson(const std::vector<RewardRule>& rules);

// The commission one rule earns on an event. basis is the sale amount in minor units for kPercent on a sale; it
// is ignored for kFlat. A percentage of a click or a lead (no amount) earns nothing. Never negative.
int64_t ComputeReward(const RewardRule& rule, int64_t basis);

// The share of commission clawed back when refunded_total of sale_amount has been refunded (cumulative), rounded
// so that a full refund claws back exactly the whole commission.
int64_t ClawbackFor(int64_t commission, int64_t sale_amount, int64_t refunded_total);

}  // namespace vouch::refer
