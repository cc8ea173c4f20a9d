// FraudRules: the checks run on every conversion (lead or sale) before its commissions are created.
//
// Rules, each hit recorded with its reason:
//   self_referral  the customer is the advocate: the same mailbox (CanonicalEmail: Gmail dots, +tags), the same
//                  person in the identity model, the same shop customer id, or the converting click / request came
//                  from the IP address and user agent the advocate signed up with;
//   too_soon       the conversion came implausibly soon after its click (below min_click_to_conversion_ms);
//   click_burst    the converting click's IP address sent more than burst_max_clicks clicks on the link within
//                  burst_window_ms before it (a script or a click farm);
//   disposable_email  the customer's e-mail is at a throwaway mailbox service (DisposableDomains);
//   circular_referral the customer, as an advocate, already referred the advocate, directly (B referred A, now A
//                  refers B) or through a chain of advocates and customers (B -> C -> A): people trading referrals
//                  to farm rewards. People are the identity model's persons (e-mail based).
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
  // A referral chain from the customer's person back to the advocate's (customer, ..., advocate), empty when
  // there is none (FindReferralCycle).
  std::vector<int64_t> referral_cycle;
};

// Searches the referral graph (person -> people their links referred; referred_by answers one person's) from
// `from` for a path to `to` of at most max_depth referrals, visiting at most max_visits people. Returns the path
// (from, ..., to) or empty. Deterministic: breadth first, neighbours in the order given.
template <typename ReferredBy>
std::vector<int64_t> FindReferralPath(int64_t from, int64_t to, ReferredBy referred_by, int max_depth = 6,
                                      size_t max_visits = 2000);

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

template <typename ReferredBy>
std::vector<int64_t> FindReferralPath(int64_t from, int64_t to, ReferredBy referred_by, int max_depth,
                                      size_t max_visits) {
  if (from == 0 || to == 0 || from == to) return {};
  std::vector<std::pair<int64_t, size_t>> seen = {{from, 0}};  // person, index of the parent in seen
  std::vector<int> depth = {0};
  for (size_t head = 0; head < seen.size() && seen.size() < max_visits; ++head) {
    if (depth[head] >= max_depth) continue;
    for (int64_t next : referred_by(seen[head].first)) {
      bool known = false;
      for (const auto& s : seen) known = known || s.first == next;
      if (known) continue;
      seen.push_back({next, head});
      depth.push_back(depth[head] + 1);
      if (next == to) {
        std::vector<int64_t> path;
        for (size_t i = seen.size() - 1;; i = seen[i].second) {
          path.insert(path.begin(), seen[i].first);
          if (i == 0) break;
        }
        return path;
      }
    }
  }
  return {};
}

}  // namespace vouch::refer
