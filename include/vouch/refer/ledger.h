// The double-entry ledger of the referral service. Every money movement is one transaction of signed entries that
// sum to zero per currency; every balance (what an advocate has pending, held, approved, been paid) is the sum of
// an account's entries, never a stored number.
//
// Accounts:
//   brand:commission_expense   what the brand owes or paid in commissions, as a negative balance
//   advocate:ID:pending        earned, inside the hold period
//   advocate:ID:hold           held by a fraud rule
//   advocate:ID:approved       payable; a clawback after payout leaves it negative (offset against the next payout)
//   advocate:ID:paid           paid out
//   brand:friend_reward_expense  the friend's side of two-sided programs, as a negative balance
//   customer:ID:credit         a referred customer's discount or credit, never negative
//   customer:ID:redeemed       the credit the customer has spent
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/refer/records.h"

namespace vouch::refer {

inline constexpr std::string_view kExpenseAccount = "brand:commission_expense";
// The friend's side of two-sided programs: what the brand owes referred customers (discounts, credits).
inline constexpr std::string_view kFriendRewardExpenseAccount = "brand:friend_reward_expense";
// "customer:12:credit": what the referred customer 12 is owed.
std::string CustomerCreditAccount(int64_t customer_id);
// "customer:12:redeemed": the credit customer 12 has spent.
std::string CustomerRedeemedAccount(int64_t customer_id);

// "advocate:7:pending"; bucket is pending, hold, approved or paid.
std::string AdvocateAccount(int64_t advocate_id, std::string_view bucket);
// The advocate account where a commission's money sits while it has this status; reversed and rejected money
// has gone back to the expense account.
std::string AccountForStatus(int64_t advocate_id, CommissionStatus status);

// A ledger transaction under construction.
struct LedgerTxn {
  std::string kind;  // "commission.created", "commission.approved", "commission.reversed", "payout.created", ...
  std::string ref;   // what it is about: "commission:12", "payout:3"
  std::vector<LedgerEntry> entries;

  // Moves amount (minor units, may be 0: then nothing is added) from one account to another.
  LedgerTxn& Transfer(std::string_view from, std::string_view to, int64_t amount, std::string_view currency);
  // OK when the entries sum to zero in every currency and none is empty.
  Status Validate() const;
};

}  // namespace vouch::refer
