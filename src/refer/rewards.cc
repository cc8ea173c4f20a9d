#include "vouch/refer/rewards.h"

#include <fmt/format.h>

#include <chrono>
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

const char* CapPeriodName(CapPeriod period) {
  switch (period) {
    case CapPeriod::kNone: return "none";
    case CapPeriod::kDay: return "day";
    case CapPeriod::kWeek: return "week";
    case CapPeriod::kMonth: return "month";
    case CapPeriod::kYear: return "year";
    case CapPeriod::kAll: return "all";
  }
  return "none";
}

std::optional<CapPeriod> ParseCapPeriod(std::string_view name) {
  for (auto p : {CapPeriod::kDay, CapPeriod::kWeek, CapPeriod::kMonth, CapPeriod::kYear, CapPeriod::kAll}) {
    if (name == CapPeriodName(p)) return p;
  }
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

// A rule's value (or a tier's) as the API gives it: a percentage for kPercent, minor units for kFlat.
Result<int64_t> ParseValue(const RewardRule& rule, const nlohmann::json& value, const std::string& field) {
  if (rule.type == RewardType::kPercent) return PercentToBasisPoints(value, field);
  if (!value.is_number_integer()) {
    return Status::InvalidArgument(field + ": a flat reward is an integer number of minor units");
  }
  int64_t v = value.get<int64_t>();
  if (v < 0) return Status::InvalidArgument(field + ": must not be negative");
  return v;
}

nlohmann::json ValueToJson(const RewardRule& rule, int64_t value) {
  if (rule.type == RewardType::kPercent && value % 100 != 0) {
    return static_cast<double>(value) / 100.0;  // display only; stored as basis points
  }
  return rule.type == RewardType::kPercent ? value / 100 : value;
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
    if (rule.type == RewardType::kPercent && rule.event != RewardEvent::kSale) {
      return Status::InvalidArgument(at + ".type: a percentage needs an amount: only sale rewards take one");
    }
    auto value = r.find("value");
    if (value == r.end()) return Status::InvalidArgument(at + ".value: missing");
    VOUCH_ASSIGN_OR_RETURN(rule.value, ParseValue(rule, *value, at + ".value"));
    if (auto side = r.find("side"); side != r.end()) {
      if (!side->is_string() || (*side != "advocate" && *side != "friend")) {
        return Status::InvalidArgument(at + ".side: must be \"advocate\" or \"friend\"");
      }
      rule.side = *side == "friend" ? RewardSide::kFriend : RewardSide::kAdvocate;
      if (rule.side == RewardSide::kFriend && rule.event == RewardEvent::kClick) {
        return Status::InvalidArgument(at + ".side: a friend is rewarded on a lead or a sale, not a click");
      }
    }
    if (auto tiers = r.find("tiers"); tiers != r.end()) {
      if (!tiers->is_array()) return Status::InvalidArgument(at + ".tiers: must be an array of {after, value}");
      for (size_t t = 0; t < tiers->size(); ++t) {
        const auto& tier = (*tiers)[t];
        std::string tat = fmt::format("{}.tiers[{}]", at, t);
        if (!tier.is_object()) return Status::InvalidArgument(tat + ": must be an object {after, value}");
        auto after = tier.find("after");
        if (after == tier.end() || !after->is_number_integer() || after->get<int64_t>() < 1) {
          return Status::InvalidArgument(tat + ".after: must be a positive integer number of referrals");
        }
        auto tv = tier.find("value");
        if (tv == tier.end()) return Status::InvalidArgument(tat + ".value: missing");
        RewardTier parsed;
        parsed.after = after->get<int64_t>();
        VOUCH_ASSIGN_OR_RETURN(parsed.value, ParseValue(rule, *tv, tat + ".value"));
        if (!rule.tiers.empty() && parsed.after <= rule.tiers.back().after) {
          return Status::InvalidArgument(tat + ".after: tiers must be in ascending order of after");
        }
        rule.tiers.push_back(parsed);
      }
    }
    if (auto cap = r.find("cap"); cap != r.end() && !cap->is_null()) {
      if (!cap->is_object()) return Status::InvalidArgument(at + ".cap: must be an object {amount, period}");
      auto amount = cap->find("amount");
      if (amount == cap->end() || !amount->is_number_integer() || amount->get<int64_t>() < 1) {
        return Status::InvalidArgument(at + ".cap.amount: must be a positive integer of minor units");
      }
      auto period = cap->find("period");
      std::optional<CapPeriod> parsed;
      if (period != cap->end() && period->is_string()) parsed = ParseCapPeriod(period->get<std::string>());
      if (!parsed) {
        return Status::InvalidArgument(at + ".cap.period: must be \"day\", \"week\", \"month\", \"year\" or \"all\"");
      }
      rule.cap = amount->get<int64_t>();
      rule.cap_period = *parsed;
    }
    if (auto rec = r.find("recurring_months"); rec != r.end() && !rec->is_null()) {
      if (!rec->is_number_integer() || rec->get<int64_t>() < 0 || rec->get<int64_t>() > 120) {
        return Status::InvalidArgument(at + ".recurring_months: must be an integer 0..120");
      }
      if (rule.event != RewardEvent::kSale && rec->get<int64_t>() > 0) {
        return Status::InvalidArgument(at + ".recurring_months: only sale rewards recur");
      }
      rule.recurring_months = rec->get<int64_t>();
    }
    rules.push_back(rule);
  }
  return rules;
}

namespace {

// API and storage differ only in how a value is written: a percentage for people, basis points on disk.
nlohmann::json RulesJson(const std::vector<RewardRule>& rules, bool storage) {
  nlohmann::json out = nlohmann::json::array();
  for (const RewardRule& rule : rules) {
    auto value = [&](int64_t v) { return storage ? nlohmann::json(v) : ValueToJson(rule, v); };
    nlohmann::json r = {{"event", RewardEventName(rule.event)},
                        {"type", rule.type == RewardType::kPercent ? "percent" : "flat"},
                        {"value", value(rule.value)}};
    if (rule.side == RewardSide::kFriend) r["side"] = "friend";
    if (!rule.tiers.empty()) {
      nlohmann::json tiers = nlohmann::json::array();
      for (const RewardTier& t : rule.tiers) tiers.push_back({{"after", t.after}, {"value", value(t.value)}});
      r["tiers"] = std::move(tiers);
    }
    if (rule.cap > 0) r["cap"] = {{"amount", rule.cap}, {"period", CapPeriodName(rule.cap_period)}};
    if (rule.recurring_months > 0) r["recurring_months"] = rule.recurring_months;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

nlohmann::json RewardRulesToJson(const std::vector<RewardRule>& rules) { return RulesJson(rules, false); }

nlohmann::json RewardRulesToStorage(const std::vector<RewardRule>& rules) { return RulesJson(rules, true); }

Result<std::vector<RewardRule>> RewardRulesFromStorage(const nlohmann::json& stored, int64_t program_id) {
  if (!stored.is_array()) return Status::Corruption(fmt::format("program {}: stored reward rules are not JSON", program_id));
  std::vector<RewardRule> rules;
  for (const auto& r : stored) {
    if (!r.is_object()) return Status::Corruption(fmt::format("program {}: a stored reward rule is not an object", program_id));
    auto ev = ParseRewardEvent(r.value("event", ""));
    if (!ev) return Status::Corruption(fmt::format("program {}: stored reward rule has no event", program_id));
    RewardRule rule(*ev, r.value("type", "") == "percent" ? RewardType::kPercent : RewardType::kFlat,
                    r.value("value", int64_t{0}));
    rule.side = r.value("side", "") == "friend" ? RewardSide::kFriend : RewardSide::kAdvocate;
    if (auto tiers = r.find("tiers"); tiers != r.end() && tiers->is_array()) {
      for (const auto& t : *tiers) rule.tiers.push_back({t.value("after", int64_t{0}), t.value("value", int64_t{0})});
    }
    if (auto cap = r.find("cap"); cap != r.end() && cap->is_object()) {
      rule.cap = cap->value("amount", int64_t{0});
      rule.cap_period = ParseCapPeriod(cap->value("period", "")).value_or(CapPeriod::kNone);
    }
    rule.recurring_months = r.value("recurring_months", int64_t{0});
    rules.push_back(std::move(rule));
  }
  return rules;
}

int64_t TierValue(const RewardRule& rule, int64_t prior_referrals) {
  int64_t value = rule.value;
  for (const RewardTier& t : rule.tiers) {
    if (prior_referrals >= t.after) value = t.value;
  }
  return value;
}

int64_t CapPeriodStart(CapPeriod period, int64_t now_s) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_seconds{seconds(now_s)});
  year_month_day ymd{day};
  sys_days start = day;
  switch (period) {
    case CapPeriod::kNone:
    case CapPeriod::kAll: return 0;
    case CapPeriod::kDay: break;
    case CapPeriod::kWeek: start = day - (weekday{day} - Monday); break;
    case CapPeriod::kMonth: start = sys_days{ymd.year() / ymd.month() / 1}; break;
    case CapPeriod::kYear: start = sys_days{ymd.year() / January / 1}; break;
  }
  return duration_cast<seconds>(start.time_since_epoch()).count();
}

int64_t ApplyCap(int64_t amount, int64_t cap, int64_t earned_in_period) {
  if (cap <= 0) return amount;
  int64_t left = cap - earned_in_period;
  if (left <= 0) return 0;
  return amount < left ? amount : left;
}

int64_t ComputeReward(const RewardRule& rule, int64_t basis) { return ComputeRewardAt(rule, rule.value, basis); }

int64_t ComputeRewardAt(const RewardRule& rule, int64_t value, int64_t basis) {
  if (rule.type == RewardType::kFlat) return value;
  if (rule.event != RewardEvent::kSale || basis <= 0) return 0;
  Int128 product = static_cast<Int128>(basis) * value;
  return static_cast<int64_t>(product / 10000);
}

int64_t ClawbackFor(int64_t commission, int64_t sale_amount, int64_t refunded_total) {
  if (sale_amount <= 0 || refunded_total <= 0) return 0;
  if (refunded_total >= sale_amount) return commission;
  Int128 product = static_cast<Int128>(commission) * refunded_total;
  return static_cast<int64_t>(product / sale_amount);
}

}  // namespace vouch::refer
