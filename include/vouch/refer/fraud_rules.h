// FraudRules: the checks run on every conversion (lead or sale) before its commissions are created.
//
// Rules, each hit recorded with its reason:
//   self_referral  the customer is the advocate: the same mailbox (CanonicalEmail: Gmail dots, +tags), the same
//                  person in the identity model, the same shop customer id, or the converting click / request came
//                  from the IP address and user agent the advocate signed up with;
//   too_soon       the conversion came implausibly soon after its click (below min_click_to_conversion_ms);
//   click_burst    the converting click's IP address sent more than burst_max_clicks clicks on the link within
//                  burst_window_ms before it (a script or a click farm);
//   disposable_email  the customer's e-mail is at a throwaway mailbox service (DisposableDomains).
// In strict mode any hit holds the commission (status hold) for a person to review; in loose mode hits are only
// recorded (flagged) and the commission follows the normal pending -> approved path.
//
// Pure computation: the caller gathers the facts (FraudFacts) from storage. Not thread safe; one per conversion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vouch/refer/records.h"

namespace vouch::refer {

struct FraudConfig {
  int64_t min_click_to_conversion_ms = 3000;
  int64_t burst_window_ms = 10 * 60 * 1000;
  int64_t burst_max_clicks = 20;
};

struct FraudFacts {
  Advocate advocate;
  Customer customer;
  std::optional<Click> click;        // the attributed click, when the conversion came through one
  int64_t conversion_at_ms = 0;
  std::string request_ip;            // as the shop reported the customer's, may be empty
  std::string request_user_agent;
  int64_t clicks_from_ip_in_window = 0;  // raw clicks on the link from click->ip within burst_window_ms before it
  bool disposable_email = false;         // the customer's e-mail domain is a throwaway mailbox service
};

class FraudRules final {
 public:
  FraudRules(FraudFacts facts, FraudMode mode, FraudConfig config = {})
      : facts_(std::move(facts)), mode_(mode), config_(config) {}
  void run();

  const std::vector<FraudHit>& hits() const;
  // The status a new commission gets: hold (strict mode and a hit) or pending.
  CommissionStatus status() const;

 private:
  FraudFacts facts_;
  FraudMode mode_;
  FraudConfig config_;
  std::vector<FraudHit> hits_;
  bool ran_ = false;
};

}  // namespace vouch::refer
