// ReferralService: the referral program's operations (programs, advocates, links, clicks, leads, sales, refunds,
// commissions, payouts) over a ReferralStore, the Foundation's identity Store and a Clock.
//
// Every operation assumes the caller opened a transaction (the HTTP server runs each request inside a savepoint of
// a group-committed transaction); an operation that fails has written nothing the caller keeps, because the caller
// rolls the savepoint back. Every money movement is posted to the double-entry ledger in the same transaction as
// the status change it reflects.
//
// Attribution: a lead ties a customer to a click; a sale is attributed to the customer's lead whose click lies
// within the program's window (default 30 days) before the sale, the last such click by default, the first one
// when the program says first_click.
//
// Thread safety: one thread at a time (it shares the store's connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "vouch/core/clock.h"
#include "vouch/core/status.h"
#include "vouch/refer/disposable_domains.h"
#include "vouch/refer/fraud_rules.h"
#include "vouch/refer/referral_store.h"
#include "vouch/store/store.h"

namespace vouch::refer {

struct ServiceConfig {
  FraudConfig fraud;
  int64_t repeat_click_window_ms = 60 * 60 * 1000;  // repeat clicks by one visitor within this count once
  std::string public_base_url = "http://localhost";  // links are public_base_url + "/r/" + code
  // Throwaway mailbox domains for the disposable_email rule; null turns the rule off. Must outlive the service.
  const DisposableDomains* disposable_domains = nullptr;
};

struct AdvocateInput {
  std::string name;
  std::string email;
  std::string external_id;
  std::string signup_ip;
  std::string signup_user_agent;
};

struct ClickInput {
  std::string code;
  std::string ip;
  std::string user_agent;
  std::string visitor;  // from the first-party cookie; empty for a new visitor (one is made)
  bool head = false;
  bool prefetch = false;
};

struct ClickOutcome {
  std::string location;  // destination with vouch_click=TOKEN
  std::string token;
  std::string visitor;
  bool counted = false;
};

struct CustomerInput {
  std::string external_id;
  std::string email;  // may be empty
};

struct LeadInput {
  std::string click_token;  // the vouch_click parameter; or
  std::string code;         // a code the customer typed in
  CustomerInput customer;
  std::string ip;
  std::string user_agent;
};

struct CommissionView {
  Commission commission;
  std::vector<FraudHit> hits;
};

struct LeadOutcome {
  int64_t lead_id = 0;
  bool created = false;
  std::vector<CommissionView> commissions;
  std::vector<FriendReward> friend_rewards;
};

struct SaleInput {
  CustomerInput customer;
  std::string invoice_id;
  int64_t amount = 0;
  std::string currency;
  std::string click_token;  // optional: attributes the sale to this click directly
  std::string ip;
  std::string user_agent;
};

struct SaleOutcome {
  int64_t sale_id = 0;
  bool replay = false;
  std::string body;  // the JSON answered, byte for byte the same on a replay
};

struct RefundOutcome {
  int64_t sale_id = 0;
  int64_t refunded_total = 0;
  std::vector<Commission> commissions;  // the sale's commissions after the clawback
  std::vector<FriendReward> friend_rewards;  // the sale's friend rewards after the clawback
};

// Spending a referred customer's friend credit (a discount at checkout).
struct RedeemInput {
  std::string redemption_id;  // the shop's idempotency key: one redemption per id, a replay answers the first
  std::string customer_external_id;
  int64_t amount = 0;         // minor units, positive
  std::string currency;
  std::string invoice_id;     // optional: the order the credit is spent on
};

struct RedeemOutcome {
  bool replay = false;
  std::string body;  // the JSON answered, byte for byte the same on a replay
};

// A customer's friend credit in one currency. available = earned - clawed_back - redeemed, never negative.
struct CreditBalance {
  std::string currency;
  int64_t available = 0;    // the balance of customer:ID:credit
  int64_t earned = 0;       // friend rewards, as granted
  int64_t clawed_back = 0;  // taken back by refunds of the sales that earned them
  int64_t unrecovered = 0;  // owed back by refunds but already spent (not taken: the credit stays >= 0)
  int64_t redeemed = 0;     // the balance of customer:ID:redeemed
};

struct CommissionPage {
  std::vector<CommissionView> data;
  std::optional<int64_t> next_after;  // the cursor for the next page; none on the last page
};

class ReferralService final {
 public:
  ReferralService(ReferralStore& store, Store& identity, const Clock& clock, ServiceConfig config = {})
      : store_(store), identity_(identity), clock_(clock), config_(std::move(config)) {}

  // A new API key of scope, stored hashed; the key itself is returned once and never again.
  Result<std::string> CreateApiKey(KeyScope scope);
  // The scope of key; NotFound for an unknown or revoked key.
  Result<KeyScope> Authenticate(const std::string& key);

  Result<int64_t> CreateProgram(Program program);
  // The advocate for the e-mail; created (true) unless one exists with it already (false).
  Result<std::pair<int64_t, bool>> CreateAdvocate(const AdvocateInput& input);
  Result<Link> CreateLink(int64_t program_id, int64_t advocate_id, const std::string& vanity_code);
  std::string LinkUrl(const std::string& code) const;
  Status SetLinkDisabled(const std::string& code, bool disabled);

  // NotFound for an unknown or disabled code.
  // input is taken by value: its strings move into the stored click (no copies on the redirect's hot path).
  Result<ClickOutcome> RecordClick(ClickInput input);
  // The same for a link and its program the caller has already looked up (the server caches them; input.code is
  // not read). NotFound for a disabled link.
  Result<ClickOutcome> RecordClick(const Link& link, const Program& program, ClickInput input);
  Result<LeadOutcome> TrackLead(const LeadInput& input);
  Result<SaleOutcome> TrackSale(const SaleInput& input);
  // amount 0 refunds what is left of the sale. Refunding an already fully refunded sale changes nothing. The
  // sale's commissions and friend rewards are clawed back in proportion to what has been refunded in all.
  Result<RefundOutcome> TrackRefund(const std::string& invoice_id, int64_t amount);

  // ---- friend credit (referral_service_credits.cc) ----
  // The customer's (the shop's customer id) friend credit per currency; NotFound for an unknown customer.
  Result<std::vector<CreditBalance>> CustomerCredit(const std::string& customer_external_id);
  // Spends amount of the customer's credit: customer:ID:credit -> customer:ID:redeemed in the ledger, and a
  // credit.redeemed event. FailedPrecondition when it exceeds the available credit (nothing is spent: the
  // balance never goes below zero); a replay of a redemption_id answers the first answer and spends nothing,
  // AlreadyExists when the replay differs (another customer, amount or currency).
  Result<RedeemOutcome> RedeemCredit(const RedeemInput& input);

  // Commissions with id > after (0: from the start), at most limit, advocate_id 0 for all.
  Result<CommissionPage> ListCommissions(int64_t advocate_id, int64_t after, int64_t limit);
  // A reviewer's decision on a held commission: approve releases it (pending, or approved when its hold period
  // is over), reject voids it.
  Result<Commission> ReviewCommission(int64_t id, bool approve);
  // Moves pending commissions whose hold period is over to approved; returns how many moved.
  Result<int64_t> ApproveDue();
  // For every advocate (or one) whose approved balance in currency reaches minimum: a payout of that balance,
  // its approved commissions marked paid.
  Result<std::vector<Payout>> CreatePayouts(int64_t minimum, const std::string& currency, int64_t advocate_id);

  // Outbox events with id > after, at most limit; next_after as for commissions.
  Result<std::pair<std::vector<Event>, std::optional<int64_t>>> ListEvents(int64_t after, int64_t limit);

  ReferralStore& store() { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<Customer> ResolveCustomer(const CustomerInput& input);
  Result<PersonId> ResolvePerson(const std::string& email, const std::string& display);
  // What Reward needs to know beyond the event: the customer (lead and sale: tiers, the friend's side), the time
  // of the customer's first attributed sale when only recurring rules may earn, where friend rewards go.
  struct RewardContext {
    const Customer* customer = nullptr;
    std::optional<int64_t> recurring_since;
    std::vector<FriendReward>* friend_rewards = nullptr;
  };
  // Creates the commissions (and friend rewards) that program's rules of event earn, posting each to the ledger:
  // tiers by the advocate's referrals so far, caps per advocate and period, recurring months (rewards.h).
  Result<std::vector<CommissionView>> Reward(const Program& program, const Link& link, RewardEvent event,
                                             int64_t basis, const std::string& currency,
                                             const std::optional<int64_t>& sale_id,
                                             const std::optional<std::string>& invoice_id,
                                             const std::vector<FraudHit>& hits, CommissionStatus status,
                                             const RewardContext& context);
  // Claws back the friend rewards of a sale in proportion to its refunded total, never taking the customer's
  // credit below zero; appends the sale's friend rewards, updated, to out.
  Status ClawBackFriendRewards(const Sale& sale, std::vector<FriendReward>* out);
  // The balance of the customer's credit account in currency.
  Result<int64_t> AvailableCredit(int64_t customer_id, const std::string& currency);
  // Moves a commission to status `to`, moving its outstanding money between ledger accounts.
  Status Transition(Commission& c, CommissionStatus to, const std::string& why);
  Result<std::vector<FraudHit>> CheckFraud(const Program& program, const Link& link, const Customer& customer,
                                           const std::optional<Click>& click, const std::string& ip,
                                           const std::string& user_agent, CommissionStatus* status);

  Status Emit(const std::string& type, const nlohmann::json& payload);

  ReferralStore& store_;
  Store& identity_;
  const Clock& clock_;
  ServiceConfig config_;
  // Authenticate's memo of key -> SHA-256 hex (a pure function of the key; emptied when it reaches the bound).
  // Like the rest of the service, used by one thread at a time.
  static constexpr size_t kKeyHashCacheSize = 256;
  std::unordered_map<std::string, std::string> key_hashes_;
};

// The JSON of friend rewards as the API shows them.
nlohmann::json FriendRewardsToJson(const std::vector<FriendReward>& rewards);
// The JSON of a commission as the API shows it.
nlohmann::json CommissionToJson(const CommissionView& view);

}  // namespace vouch::refer
