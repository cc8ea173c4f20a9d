// SqliteReferralStore: the ReferralStore on the workspace's SQLite file (schema component "refer").
//
// It borrows a connection (store::SqliteDb) rather than owning one, so the service can run identity resolution
// (SqliteStore, component "core") and referral writes in one transaction on one connection. Prepared statements
// only.
#pragma once

#include <memory>

#include "vouch/refer/referral_store.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::refer {

class SqliteReferralStore final : public ReferralStore {
 public:
  // Migrates the "refer" component of db (which must outlive the store).
  static Result<std::unique_ptr<SqliteReferralStore>> Open(store::SqliteDb& db);

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;
  Status Savepoint() override;
  Status Release() override;
  void RollbackToSavepoint() override;

  Result<int64_t> InsertApiKey(const ApiKeyRecord& key) override;
  Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& hash) override;

  Result<int64_t> InsertProgram(const Program& program) override;
  Result<std::optional<Program>> GetProgram(int64_t id) override;
  Result<int64_t> InsertAdvocate(const Advocate& advocate) override;
  Result<std::optional<Advocate>> GetAdvocate(int64_t id) override;
  Result<std::optional<Advocate>> FindAdvocateByEmail(const std::string& email) override;
  Result<int64_t> InsertLink(const Link& link) override;
  Result<std::optional<Link>> FindLink(const std::string& code) override;
  Result<std::optional<Link>> GetLink(int64_t id) override;
  Status SetLinkDisabled(int64_t link_id, bool disabled) override;
  Result<std::pair<int64_t, int64_t>> LinkClickCounts(int64_t link_id) override;

  Result<int64_t> InsertClick(const Click& click) override;
  Result<std::optional<Click>> FindClick(const std::string& token) override;
  Result<std::optional<Click>> GetClick(int64_t id) override;
  Result<bool> HasCountedClick(int64_t link_id, const std::string& visitor, int64_t since_ms) override;
  Result<int64_t> CountClicksFromIp(int64_t link_id, const std::string& ip, int64_t since_ms,
                                    int64_t before_ms) override;

  Result<std::optional<Customer>> FindCustomer(const std::string& external_id) override;
  Result<int64_t> InsertCustomer(const Customer& customer) override;
  Status UpdateCustomerEmail(int64_t id, const std::string& email, const std::string& canonical,
                             int64_t person_id) override;
  Result<std::optional<Lead>> FindLead(int64_t click_id, int64_t customer_id) override;
  Result<int64_t> InsertLead(const Lead& lead) override;
  Result<std::vector<Lead>> LeadsOfCustomer(int64_t customer_id) override;
  Result<std::optional<Sale>> FindSale(const std::string& invoice_id) override;
  Result<int64_t> InsertSale(const Sale& sale) override;
  Status SetSaleResponse(int64_t sale_id, const std::string& body) override;
  Status InsertRefund(int64_t sale_id, int64_t amount, int64_t at) override;

  Result<int64_t> InsertCommission(const Commission& commission) override;
  Result<std::optional<Commission>> GetCommission(int64_t id) override;
  Status UpdateCommission(const Commission& commission) override;
  Result<std::vector<Commission>> CommissionsOfSale(int64_t sale_id) override;
  Result<std::vector<Commission>> ListCommissions(int64_t advocate_id, int64_t after_id, int64_t limit) override;
  Result<std::vector<Commission>> DueCommissions(int64_t now, int64_t limit) override;
  Result<std::vector<Commission>> ApprovedCommissions(int64_t advocate_id, const std::string& currency) override;
  Status InsertFraudHit(int64_t commission_id, const FraudHit& hit, int64_t at) override;
  Result<std::vector<FraudHit>> FraudHitsOf(int64_t commission_id) override;

  Result<int64_t> CountReferrals(int64_t advocate_id, int64_t program_id, int64_t exclude_customer_id) override;
  Result<int64_t> EarnedSince(int64_t advocate_id, int64_t program_id, RewardEvent event, int64_t since_s) override;
  Result<std::optional<Sale>> FirstAttributedSale(int64_t customer_id) override;
  Result<std::optional<Lead>> GetLead(int64_t id) override;
  Result<int64_t> InsertFriendReward(const FriendReward& reward) override;
  Result<std::vector<FriendReward>> FriendRewardsOf(int64_t customer_id) override;
  Result<std::vector<FriendReward>> FriendRewardsOfSale(int64_t sale_id) override;
  Status UpdateFriendReward(const FriendReward& reward) override;
  Result<std::optional<CreditRedemption>> FindRedemption(const std::string& redemption_id) override;
  Result<int64_t> InsertRedemption(const CreditRedemption& redemption) override;
  Result<std::vector<int64_t>> PeopleReferredBy(int64_t person_id) override;

  Result<int64_t> PostLedger(const LedgerTxn& txn, int64_t at) override;
  Result<std::vector<AccountBalance>> Balances(const std::string& account_like) override;
  Result<std::vector<AccountBalance>> LedgerTotals() override;
  Result<int64_t> InsertPayout(const Payout& payout) override;
  Result<std::vector<Payout>> ListPayouts(int64_t advocate_id) override;
  Result<int64_t> InsertEvent(const Event& event) override;
  Result<std::vector<Event>> ListEvents(int64_t after_id, int64_t limit) override;

 private:
  explicit SqliteReferralStore(store::SqliteDb& db) : db_(db) {}
  Result<std::vector<Commission>> ReadCommissions(store::Statement& q);
  Result<std::vector<FriendReward>> ReadFriendRewards(store::Statement& q);
  store::SqliteDb& db_;
};

}  // namespace vouch::refer
