#include "vouch/refer/fraud_rules.h"

#include <fmt/format.h>

#include <cassert>

namespace vouch::refer {

void FraudRules::run() {
  hits_.clear();
  const Advocate& a = facts_.advocate;
  const Customer& c = facts_.customer;
  if (!c.email_canonical.empty() && c.email_canonical == a.email_canonical) {
    hits_.push_back({"self_referral", fmt::format("customer e-mail {} is the advocate's mailbox ({})", c.email,
                                                  a.email_canonical)});
  } else if (c.person_id != 0 && c.person_id == a.person_id) {
    hits_.push_back({"self_referral", fmt::format("customer and advocate are the same person ({})", a.person_id)});
  }
  if (!c.external_id.empty() && c.external_id == a.external_id) {
    hits_.push_back({"self_referral", fmt::format("customer id {} is the advocate's own", c.external_id)});
  }
  if (!a.signup_ip.empty()) {
    auto same = [&](const std::string& ip, const std::string& ua) {
      return ip == a.signup_ip && ua == a.signup_user_agent;
    };
    if (facts_.click && same(facts_.click->ip, facts_.click->user_agent)) {
      hits_.push_back({"self_referral", fmt::format("the click came from the advocate's own IP address {} and "
                                                    "user agent", a.signup_ip)});
    } else if (!facts_.request_ip.empty() && same(facts_.request_ip, facts_.request_user_agent)) {
      hits_.push_back({"self_referral", fmt::format("the conversion came from the advocate's own IP address {} "
                                                    "and user agent", a.signup_ip)});
    }
  }
  if (facts_.disposable_email) {
    hits_.push_back({"disposable_email", fmt::format("customer e-mail {} is at a disposable mailbox service", c.email)});
  }
  if (facts_.referral_cycle.size() >= 2) {
    std::string chain;
    for (int64_t person : facts_.referral_cycle) chain += fmt::format("{}person {}", chain.empty() ? "" : " -> ", person);
    hits_.push_back({"circular_referral",
                     fmt::format("the customer already referred the advocate (referrals {}), and now the advocate "
                                 "refers the customer", chain)});
  }
  if (facts_.click) {
    int64_t gap = facts_.conversion_at_ms - facts_.click->at_ms;
    if (gap >= 0 && gap < config_.min_click_to_conversion_ms) {
      hits_.push_back({"too_soon", fmt::format("converted {} ms after the click (minimum {} ms)", gap,
                                               config_.min_click_to_conversion_ms)});
    }
    if (facts_.clicks_from_ip_in_window > config_.burst_max_clicks) {
      hits_.push_back({"click_burst", fmt::format("{} clicks on the link from {} within {} s before this one",
                                                  facts_.clicks_from_ip_in_window, facts_.click->ip,
                                                  config_.burst_window_ms / 1000)});
    }
  }
  ran_ = true;
}

const std::vector<FraudHit>& FraudRules::hits() const {
  assert(ran_ && "FraudRules::hits() before run()");
  return hits_;
}

CommissionStatus FraudRules::status() const {
  assert(ran_ && "FraudRules::status() before run()");
  return (mode_ == FraudMode::kStrict && !hits_.empty()) ? CommissionStatus::kHold : CommissionStatus::kPending;
}

}  // namespace vouch::refer
