// ReferralStore: where the referral service keeps its records. The service talks to this interface only, so a
// PostgreSQL backend can join SqliteReferralStore (the embedded default) without touching the service.
//
// Transactions: the caller brackets work with Begin() ... Commit(); inside one, Savepoint() / Release() /
// RollbackToSavepoint() bracket one request, so a batch of requests can share one durable commit (group commit)
// while a failed request leaves nothing behind.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/refer/ledger.h"
#include "vouch/refer/records.h"

namespace vouch::refer {

struct AccountBalance {
  std::string account;
  std::string currency;
  int64_t balance = 0;
};

class ReferralStore {
 public:
  virtual ~ReferralStore() = default;

  // ---- transactions ----
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  virtual Status Savepoint() = 0;
  virtual Status Release() = 0;
  virtual void RollbackToSavepoint() = 0;

  // ---- API keys ----
  virtual Result<int64_t> InsertApiKey(const ApiKeyRecord& key) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& hash) = 0;

  // ---- programs, advocates, links ----
  virtual Result<int64_t> InsertProgram(const Program& program) = 0;
  virtual Result<std::optional<Program>> GetProgram(int64_t id) = 0;
  virtual Result<int64_t> InsertAdvocate(const Advocate& advocate) = 0;
  virtual Result<std::optional<Advocate>> GetAdvocate(int64_t id) = 0;
  virtual Result<std::optional<Advocate>> FindAdvocateByEmail(const std::string& email) = 0;
  // AlreadyExists when the code is taken.
  virtual Result<int64_t> InsertLink(const Link& link) = 0;
  virtual Result<std::optional<Link>> FindLink(const std::string& code) = 0;
  virtual Result<std::optional<Link>> GetLink(int64_t id) = 0;
  virtual Status SetLinkDisabled(int64_t link_id, bool disabled) = 0;
  // Raw clicks stored and counted clicks of a link.
  virtual Result<std::pair<int64_t, int64_t>> LinkClickCounts(int64_t link_id) = 0;

  // ---- clicks ----
  virtual Result<int64_t> InsertClick(const Click& click) = 0;
  virtual Result<std::optional<Click>> FindClick(const std::string& token) = 0;
  virtual Result<std::optional<Click>> GetClick(int64_t id) = 0;
  // Whether visitor has a counted click on the link at or after since_ms.
  virtual Result<bool> HasCountedClick(int64_t link_id, const std::string& visitor, int64_t since_ms) = 0;
  // Raw clicks on the link from ip in [since_ms, before_ms).
  virtual Result<int64_t> CountClicksFromIp(int64_t link_id, const std::string& ip, int64_t since_ms,
                                            int64_t before_ms) = 0;

  // ---- customers, leads, sales, refunds ----
  virtual Result<std::optional<Customer>> FindCustomer(const std::string& external_id) = 0;
  virtual Result<int64_t> InsertCustomer(const Customer& customer) = 0;
  virtual Status UpdateCustomerEmail(int64_t id, const std::string& email, const std::string& canonical,
                                     int64_t person_id) = 0;
  virtual Result<std::optional<Lead>> FindLead(int64_t click_id, int64_t customer_id) = 0;
  virtual Result<int64_t> InsertLead(const Lead& lead) = 0;
  // Every lead of a customer, oldest click first, with click_at_ms filled.
  virtual Result<std::vector<Lead>> LeadsOfCustomer(int64_t customer_id) = 0;
  virtual Result<std::optional<Sale>> FindSale(const std::string& invoice_id) = 0;
  virtual Result<int64_t> InsertSale(const Sale& sale) = 0;
  virtual Status SetSaleResponse(int64_t sale_id, const std::string& body) = 0;
  // Adds amount to the sale's refunded total and records the refund.
  virtual Status InsertRefund(int64_t sale_id, int64_t amount, int64_t at) = 0;

  // ---- commissions ----
  virtual Result<int64_t> InsertCommission(const Commission& commission) = 0;
  virtual Result<std::optional<Commission>> GetCommission(int64_t id) = 0;
  virtual Status UpdateCommission(const Commission& commission) = 0;  // status, reversed, payout_id
  virtual Result<std::vector<Commission>> CommissionsOfSale(int64_t sale_id) = 0;
  // Commissions by id, ascending, id > after_id; advocate_id 0 means every advocate.
  virtual Result<std::vector<Commission>> ListCommissions(int64_t advocate_id, int64_t after_id, int64_t limit) = 0;
  // Pending commissions whose hold period ended at or before now (epoch seconds).
  virtual Result<std::vector<Commission>> DueCommissions(int64_t now, int64_t limit) = 0;
  virtual Result<std::vector<Commission>> ApprovedCommissions(int64_t advocate_id, const std::string& currency) = 0;
  virtual Status InsertFraudHit(int64_t commission_id, const FraudHit& hit, int64_t at) = 0;
  virtual Result<std::vector<FraudHit>> FraudHitsOf(int64_t commission_id) = 0;

  // ---- rewards and attribution (tiers, caps, recurring, two-sided, circular referrals) ----
  // Distinct customers other than exclude_customer_id with a sale attributed to the advocate in the program.
  virtual Result<int64_t> CountReferrals(int64_t advocate_id, int64_t program_id, int64_t exclude_customer_id) = 0;
  // What the advocate earned from the program's rewards of event since since_s (epoch seconds), net of
  // clawbacks, not counting reversed or rejected commissions.
  virtual Result<int64_t> EarnedSince(int64_t advocate_id, int64_t program_id, RewardEvent event,
                                      int64_t since_s) = 0;
  // The customer's first sale that was attributed to a lead, if any.
  virtual Result<std::optional<Sale>> FirstAttributedSale(int64_t customer_id) = 0;
  virtual Result<std::optional<Lead>> GetLead(int64_t id) = 0;
  virtual Result<int64_t> InsertFriendReward(const FriendReward& reward) = 0;
  virtual Result<std::vector<FriendReward>> FriendRewardsOf(int64_t customer_id) = 0;
  virtual Result<std::vector<FriendReward>> FriendRewardsOfSale(int64_t sale_id) = 0;
  virtual Status UpdateFriendReward(const FriendReward& reward) = 0;  // reversed, unrecovered
  virtual Result<std::optional<CreditRedemption>> FindRedemption(const std::string& redemption_id) = 0;
  virtual Result<int64_t> InsertRedemption(const CreditRedemption& redemption) = 0;
  // The people (person ids) that advocates who are person_id referred: customers with a lead on their links.
  virtual Result<std::vector<int64_t>> PeopleReferredBy(int64_t person_id) = 0;

  // ---- ledger and payouts ----
  // Validates (balanced) and appends the transaction; returns its id.
  virtual Result<int64_t> PostLedger(const LedgerTxn& txn, int64_t at) = 0;
  // Balances of the accounts whose name matches a SQL LIKE pattern ("advocate:7:%"), non-zero ones only.
  virtual Result<std::vector<AccountBalance>> Balances(const std::string& account_like) = 0;
  // Sum of every entry per currency: all zero in a sound ledger.
  virtual Result<std::vector<AccountBalance>> LedgerTotals() = 0;
  virtual Result<int64_t> InsertPayout(const Payout& payout) = 0;
  virtual Result<std::vector<Payout>> ListPayouts(int64_t advocate_id) = 0;

  // ---- event outbox ----
  virtual Result<int64_t> InsertEvent(const Event& event) = 0;
  // Events with id > after_id, ascending, at most limit.
  virtual Result<std::vector<Event>> ListEvents(int64_t after_id, int64_t limit) = 0;
};

}  // namespace vouch::refer
