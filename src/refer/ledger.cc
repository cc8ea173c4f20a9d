#include "vouch/refer/ledger.h"

#include <fmt/format.h>

#include <map>

namespace vouch::refer {

std::string AdvocateAccount(int64_t advocate_id, std::string_view bucket) {
  return fmt::format("advocate:{}:{}", advocate_id, bucket);
}

std::string CustomerCreditAccount(int64_t customer_id) { return fmt::format("customer:{}:credit", customer_id); }

std::string CustomerRedeemedAccount(int64_t customer_id) {
  return fmt::format("customer:{}:redeemed", customer_id);
}

std::string AccountForStatus(int64_t advocate_id, CommissionStatus status) {
  switch (status) {
    case CommissionStatus::kPending: return AdvocateAccount(advocate_id, "pending");
    case CommissionStatus::kHold: return AdvocateAccount(advocate_id, "hold");
    case CommissionStatus::kApproved: return AdvocateAccount(advocate_id, "approved");
    case CommissionStatus::kPaid: return AdvocateAccount(advocate_id, "paid");
    case CommissionStatus::kReversed:
    case CommissionStatus::kRejected: return std::string(kExpenseAccount);
  }
  return std::string(kExpenseAccount);
}

LedgerTxn& LedgerTxn::Transfer(std::string_view from, std::string_view to, int64_t amount,
                               std::string_view currency) {
  if (amount == 0 || from == to) return *this;
  entries.push_back({std::string(from), -amount, std::string(currency)});
  entries.push_back({std::string(to), amount, std::string(currency)});
  return *this;
}

Status LedgerTxn::Validate() const {
  if (entries.empty()) return Status::Internal(fmt::format("ledger transaction {} {} has no entries", kind, ref));
  std::map<std::string, int64_t> sums;
  for (const LedgerEntry& e : entries) {
    if (e.currency.empty() || e.account.empty()) {
      return Status::Internal(fmt::format("ledger transaction {} {}: an entry lacks account or currency", kind, ref));
    }
    sums[e.currency] += e.amount;
  }
  for (const auto& [currency, sum] : sums) {
    if (sum != 0) {
      return Status::Internal(fmt::format("ledger transaction {} {} does not balance: {} {}", kind, ref, sum,
                                          currency));
    }
  }
  return Status::Ok();
}

}  // namespace vouch::refer
