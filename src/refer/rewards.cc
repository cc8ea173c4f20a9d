#include "vouch/refer/rewards.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace vouch::refer {

const char* RewardEventName(RewardEvent event) {
  switch (event) {
    case RewardEvent::kClick: return "click";
    case RewardEvent::kLead: return "lead";
    case RewardEvent::kSale: return "sale";
  }
  return "sale";
}

std::optional<RewardEvent> ParseRewardEvent(std::string_view name) {
  if (name == "click") return RewardEvent::kClick;
  if (name == "lead") return RewardEvent::kLead;
  if (name == "sale") return RewardEvent::kSale;
  return std::nullopt;
}

namespace {

// 128-bit intermediates for money products, so that amount * rate cannot overflow before the division.
__extension__ typedef __int128 Int128;

// A JSON percentage (10, 7.5, 12.25) as basis points, refusing anything finer than a basis point. The JSON parser
// hands decimals over as doubles; scaling by 100 and checking the result is within a tiny distance of an integer
// recovers the exact value the user typed for every percentage with at most two decimals.
Result<int64_t> PercentToBasisPoints(const nlohmann::json& v, const std::string& field) {
  if (v.is_number_integer()) {
    int64_t p = v.get<int64_t>();
    if (p < 0 || p > 100) return Status::InvalidArgument(fmt::format("{}: a percentage must be 0..100", field));
    return p * 100;
  }
  if (v.is_number_float()) {
    double p = v.get<double>();
    if (!std::isfinite(p) || p < 0 || p > 100) {
      return Status::InvalidArgument(fmt::format("{}: a percentage must be 0..100", field));
    }
    double bp = p * 100.0;
    double rounded = std::round(bp);
    if (std::fabs(bp - rounded) > 1e-6) {
      return Status::InvalidArgument(fmt::format("{}: a percentage takes at most two decimals", field));
    }
    return static_cast<int64_t>(rounded);
  }
  return Status::InvalidArgument(fmt::format("{}: must be a number", field));
}

}  // namespace

Result<std::vector<RewardRule>> ParseRewardRules(const nlohmann::json& rewards) {
  if (!rewards.is_array()) return Status::InvalidArgument("rewards: must be an array of reward rules");
  if (rewards.empty()) return Status::InvalidArgument("rewards: a program needs at least one reward rule");
  std::vector<RewardRule> rules;
  for (size_t i = 0; i < rewards.size(); ++i) {
    const auto& r = rewards[i];
    std::string at = fmt::format("rewards[{}]", i);
    if (!r.is_object()) return Status::InvalidArgument(at + ": must be an object");
    RewardRule rule;
    auto event = r.find("event");
    if (event == r.end() || !event->is_string()) {
      return Status::InvalidArgument(at + ".event: must be \"click\", \"lead\" or \"sale\"");
    }
    auto ev = ParseRewardEvent(event->get<std::string>());
    if (!ev) return Status::InvalidArgument(at + ".event: must be \"click\", \"lead\" or \"sale\"");
    rule.event = *ev;
    auto type = r.find("type");
    if (type == r.end() || !type->is_string() ||
        (type->get<std::string>() != "percent" && type->get<std::string>() != "flat")) {
      return Status::InvalidArgument(at + ".type: must be \"percent\" or \"flat\"");
    }
    rule.type = type->get<std::string>() == "percent" ? RewardType::kPercent : RewardType::kFlat;
    auto value = r.find("value");
    if (value == r.end()) return Status::InvalidArgument(at + ".value: missing");
    if (rule.type == RewardType::kPercent) {
      if (rule.event != RewardEvent::kSale) {
        return Status::InvalidArgument(at + ".type: a percentage needs an amount: only sale rewards take one");
      }
      VOUCH_ASSIGN_OR_RETURN(rule.value, PercentToBasisPoints(*value, at + ".value"));
    } else {
      if (!value->is_number_integer()) {
        return Status::InvalidArgument(at + ".value: a flat reward is an integer number of minor units");
      }
      rule.value = value->get<int64_t>();
      if (rule.value < 0) return Status::InvalidArgument(at + ".value: must not be negative");
    }
    rules.push_back(rule);
  }
  return rules;
}

nlohmann::json RewardRulesToJson(const std::vector<RewardRule>& rules) {
  nlohmann::json out = nlohmann::json::array();
  for (const RewardRule& rule : rules) {
    nlohmann::json r = {{"event", RewardEventName(rule.event)},
                        {"type", rule.type == RewardType::kPercent ? "percent" : "flat"}};
    if (rule.type == RewardType::kPercent && rule.value % 100 != 0) {
      r["value"] = static_cast<double>(rule.value) / 100.0;  // display only; stored as basis points
    } else {
      r["value"] = rule.type == RewardType::kPercent ? rule.value / 100 : rule.value;
    }
    out.push_back(std::move(r));
  }
  return out;
}

int64_t ComputeReward(const RewardRule& rule, int64_t basis) {
  if (rule.type == RewardType::kFlat) return rule.value;
  if (rule.event != RewardEvent::kSale || basis <= 0) return 0;
  Int128 product = static_cast<Int128>(basis) * rule.value;
  return static_cast<int64_t>(product / 10000);
}

int64_t ClawbackFor(int64_t commission, int64_t sale_amount, int64_t refunded_total) {
  if (sale_amount <= 0 || refunded_total <= 0) return 0;
  if (refunded_total >= sale_amount) return commission;
  Int128 product = static_cast<Int128>(commission) * refunded_total;
  return static_cast<int64_t>(product / sale_amount);
}

}  // namespace vouch::refer
