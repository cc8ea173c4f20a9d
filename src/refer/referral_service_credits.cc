// ReferralService: the friend's credit of two-sided programs after it is granted (referral_service.cc grants it):
// clawed back on refunds of the sale that earned it, read per customer, and spent (redeemed) at checkout. Every
// movement is a balanced ledger transaction:
//   granted      brand:friend_reward_expense -> customer:ID:credit
//   clawed back  customer:ID:credit -> brand:friend_reward_expense
//   redeemed     customer:ID:credit -> customer:ID:redeemed
// so the customer's available credit is the balance of customer:ID:credit, which neither a redemption nor a
// clawback takes below zero.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "vouch/refer/referral_service.h"
#include "vouch/refer/rewards.h"

namespace vouch::refer {

Result<int64_t> ReferralService::AvailableCredit(int64_t customer_id, const std::string& currency) {
  VOUCH_ASSIGN_OR_RETURN(auto balances, store_.Balances(CustomerCreditAccount(customer_id)));
  for (const AccountBalance& b : balances) {
    if (b.currency == currency) return b.balance;
  }
  return int64_t{0};
}

Status ReferralService::ClawBackFriendRewards(const Sale& sale, std::vector<FriendReward>* out) {
  VOUCH_ASSIGN_OR_RETURN(auto rewards, store_.FriendRewardsOfSale(sale.id));
  int64_t now = clock_.NowSeconds();
  for (FriendReward& r : rewards) {
    // What the refunds so far call back in all (a full refund calls back exactly the whole reward), less what
    // earlier refunds already called back.
    int64_t delta = ClawbackFor(r.amount, sale.amount, sale.refunded) - r.reversed - r.unrecovered;
    if (delta > 0) {
      // Credit already spent cannot be taken back from the customer: what is missing is recorded as
      // unrecovered (the brand's loss), and the balance stays at zero rather than turning into a debt.
      VOUCH_ASSIGN_OR_RETURN(int64_t available, AvailableCredit(r.customer_id, r.currency));
      int64_t take = std::min(delta, std::max<int64_t>(available, 0));
      LedgerTxn txn{"friend_reward.clawback", fmt::format("friend_reward:{}", r.id), {}};
      txn.Transfer(CustomerCreditAccount(r.customer_id), kFriendRewardExpenseAccount, take, r.currency);
      if (!txn.entries.empty()) VOUCH_TRY(store_.PostLedger(txn, now).status());
      r.reversed += take;
      r.unrecovered += delta - take;
      VOUCH_TRY(store_.UpdateFriendReward(r));
      nlohmann::json payload = FriendRewardsToJson({r})[0];
      payload["invoice_id"] = sale.invoice_id;
      payload["clawed_back"] = take;
      VOUCH_TRY(Emit("friend_reward.clawed_back", payload));
    }
    if (out != nullptr) out->push_back(r);
  }
  return Status::Ok();
}

Result<std::vector<CreditBalance>> ReferralService::CustomerCredit(const std::string& customer_external_id) {
  VOUCH_ASSIGN_OR_RETURN(auto customer, store_.FindCustomer(customer_external_id));
  if (!customer) return Status::NotFound(fmt::format("no customer '{}'", customer_external_id));
  std::map<std::string, CreditBalance> by_currency;
  auto of = [&](const std::string& currency) -> CreditBalance& {
    CreditBalance& b = by_currency[currency];
    b.currency = currency;
    return b;
  };
  VOUCH_ASSIGN_OR_RETURN(auto rewards, store_.FriendRewardsOf(customer->id));
  for (const FriendReward& r : rewards) {
    CreditBalance& b = of(r.currency);
    b.earned += r.amount;
    b.clawed_back += r.reversed;
    b.unrecovered += r.unrecovered;
  }
  VOUCH_ASSIGN_OR_RETURN(auto available, store_.Balances(CustomerCreditAccount(customer->id)));
  for (const AccountBalance& a : available) of(a.currency).available = a.balance;
  VOUCH_ASSIGN_OR_RETURN(auto redeemed, store_.Balances(CustomerRedeemedAccount(customer->id)));
  for (const AccountBalance& a : redeemed) of(a.currency).redeemed = a.balance;
  std::vector<CreditBalance> out;
  for (auto& [currency, balance] : by_currency) out.push_back(balance);
  return out;
}

Result<RedeemOutcome> ReferralService::RedeemCredit(const RedeemInput& input) {
  if (input.redemption_id.empty() || input.redemption_id.size() > 200) {
    return Status::InvalidArgument("redemption_id: must be 1 to 200 characters");
  }
  if (input.customer_external_id.empty()) return Status::InvalidArgument("customer_external_id: must not be empty");
  if (input.amount <= 0) return Status::InvalidArgument("amount: must be a positive integer of minor units");
  if (input.currency.size() != 3 ||
      !std::all_of(input.currency.begin(), input.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Status::InvalidArgument("currency: must be an ISO 4217 code such as \"USD\"");
  }
  VOUCH_ASSIGN_OR_RETURN(auto customer, store_.FindCustomer(input.customer_external_id));
  if (!customer) {
    return Status::NotFound(fmt::format("customer_external_id: no customer '{}'", input.customer_external_id));
  }
  VOUCH_ASSIGN_OR_RETURN(auto previous, store_.FindRedemption(input.redemption_id));
  if (previous) {
    // Idempotent on the id: a retried checkout spends nothing twice. A different redemption under the same id is
    // a mistake of the caller's that must not pass for success.
    if (previous->customer_id != customer->id || previous->amount != input.amount ||
        previous->currency != input.currency) {
      return Status::AlreadyExists(fmt::format("redemption_id: '{}' was used for another redemption "
                                               "({} {} of customer {})",
                                               input.redemption_id, previous->amount, previous->currency,
                                               previous->customer_id == customer->id ? "the same" : "another"));
    }
    return RedeemOutcome{true, previous->response};
  }
  VOUCH_ASSIGN_OR_RETURN(int64_t available, AvailableCredit(customer->id, input.currency));
  if (input.amount > available) {
    return Status::FailedPrecondition(fmt::format("amount: {} exceeds the customer's available credit of {} {}",
                                                  input.amount, available, input.currency));
  }
  int64_t now = clock_.NowSeconds();
  CreditRedemption r;
  r.redemption_id = input.redemption_id;
  r.customer_id = customer->id;
  r.amount = input.amount;
  r.currency = input.currency;
  r.invoice_id = input.invoice_id;
  r.created_at = now;
  nlohmann::json body = {{"redemption_id", r.redemption_id},
                         {"customer_external_id", customer->external_id},
                         {"amount", r.amount},
                         {"currency", r.currency},
                         {"invoice_id", r.invoice_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.invoice_id)},
                         {"available", available - r.amount},
                         {"created_at", now}};
  r.response = body.dump();
  VOUCH_ASSIGN_OR_RETURN(r.id, store_.InsertRedemption(r));
  LedgerTxn txn{"credit.redeemed", fmt::format("redemption:{}", r.id), {}};
  txn.Transfer(CustomerCreditAccount(customer->id), CustomerRedeemedAccount(customer->id), r.amount, r.currency);
  VOUCH_TRY(store_.PostLedger(txn, now).status());
  VOUCH_TRY(Emit("credit.redeemed", body));
  return RedeemOutcome{false, r.response};
}

}  // namespace vouch::refer
