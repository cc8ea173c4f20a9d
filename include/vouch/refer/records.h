// The records of the referral service: programs, advocates, links, clicks, customers, leads, sales, refunds,
// commissions, fraud hits, payouts and ledger entries.
//
// Money is always an integer number of minor units (cents) with an ISO 4217 currency code; never floating point.
// Times are epoch milliseconds where a name ends in _ms, epoch seconds otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/refer/rewards.h"

namespace vouch::refer {

enum class KeyScope { kRead, kWrite };
const char* KeyScopeName(KeyScope scope);
std::optional<KeyScope> ParseKeyScope(std::string_view name);

struct ApiKeyRecord {
  int64_t id = 0;
  std::string hash;     // SHA-256 of the key, hex; the key itself is never stored
  std::string prefix;   // the first characters of the key, to tell keys apart in listings
  KeyScope scope = KeyScope::kRead;
  int64_t created_at = 0;
  bool revoked = false;
};

enum class AttributionModel { kLastClick, kFirstClick };
enum class FraudMode { kStrict, kLoose };  // strict: a rule hit holds the commission; loose: it only flags

struct Program {
  int64_t id = 0;
  std::string name;
  std::string destination_url;   // the only place GET /r/{code} ever redirects to (no open redirect)
  std::string currency = "USD";  // currency of flat rewards
  std::vector<RewardRule> rewards;
  int64_t hold_days = 30;        // a commission stays pending this long before it is approved
  int64_t attribution_window_days = 30;
  AttributionModel attribution = AttributionModel::kLastClick;
  FraudMode fraud_mode = FraudMode::kStrict;
  int64_t min_conversion_seconds = 3;  // a conversion sooner than this after its click hits the too_soon rule
  int64_t created_at = 0;
  bool lifetime_customers = false;  // a referred customer stays the advocate's for good (attribution.h)
};

struct Advocate {
  int64_t id = 0;
  std::string name;
  std::string email;            // normalised (lowercase, trimmed)
  std::string email_canonical;  // CanonicalEmail(): Gmail dots and +tags removed, for fraud rules
  std::string external_id;      // the advocate's own customer id at the shop, may be empty
  int64_t person_id = 0;        // the Foundation's person behind the e-mail
  std::string signup_ip;        // where the advocate signed up from, may be empty (self-referral rule)
  std::string signup_user_agent;
  int64_t created_at = 0;
};

struct Link {
  int64_t id = 0;
  std::string code;
  int64_t program_id = 0;
  int64_t advocate_id = 0;
  bool vanity = false;
  bool disabled = false;
  int64_t created_at = 0;
};

struct Click {
  int64_t id = 0;
  std::string token;     // the public click id (vouch_click=...): random, unguessable
  int64_t link_id = 0;
  int64_t at_ms = 0;
  std::string ip;
  std::string user_agent;
  std::string visitor;   // the first-party cookie's visitor id
  bool counted = false;  // a unique human GET: not a bot, a preview, a HEAD, nor a repeat within the hour
  bool bot = false;
  bool head = false;
};

struct Customer {
  int64_t id = 0;
  std::string external_id;
  std::string email;
  std::string email_canonical;
  int64_t person_id = 0;  // 0 when the customer came without an e-mail
};

struct Lead {
  int64_t id = 0;
  int64_t click_id = 0;
  int64_t customer_id = 0;
  int64_t link_id = 0;
  int64_t at = 0;
  int64_t click_at_ms = 0;  // of the click, for attribution windows and the too-soon rule
};

struct Sale {
  int64_t id = 0;
  std::string invoice_id;
  int64_t customer_id = 0;
  int64_t amount = 0;
  std::string currency;
  int64_t at = 0;
  std::optional<int64_t> lead_id;  // the attributed lead; none when the sale was not referred
  int64_t refunded = 0;            // minor units refunded so far
  std::string response;            // the body answered the first time (a replay answers it again)
};

enum class CommissionStatus { kPending, kApproved, kPaid, kReversed, kHold, kRejected };
const char* CommissionStatusName(CommissionStatus status);
std::optional<CommissionStatus> ParseCommissionStatus(std::string_view name);

struct Commission {
  int64_t id = 0;
  int64_t program_id = 0;
  int64_t advocate_id = 0;
  RewardEvent event = RewardEvent::kSale;
  std::optional<int64_t> sale_id;
  std::optional<std::string> invoice_id;
  int64_t amount = 0;      // as earned
  int64_t reversed = 0;    // clawed back so far (a partial refund reverses part)
  std::string currency;
  CommissionStatus status = CommissionStatus::kPending;
  int64_t approve_at = 0;  // epoch seconds when a pending commission becomes approved
  std::optional<int64_t> payout_id;
  int64_t created_at = 0;
};

// The friend's reward of a two-sided program: what the referred customer is owed (a discount or store credit the
// shop applies), posted to the ledger as brand:friend_reward_expense -> customer:ID:credit.
struct FriendReward {
  int64_t id = 0;
  int64_t program_id = 0;
  int64_t customer_id = 0;
  int64_t advocate_id = 0;
  RewardEvent event = RewardEvent::kLead;
  std::optional<int64_t> sale_id;
  int64_t amount = 0;
  std::string currency;
  int64_t created_at = 0;
  // Refunds of the sale claw the reward back in proportion: reversed was taken back from the customer's credit,
  // unrecovered was owed back but already spent (the credit never goes below zero).
  int64_t reversed = 0;
  int64_t unrecovered = 0;
};

// Credit a customer spent (customer:ID:credit -> customer:ID:redeemed), once per redemption_id.
struct CreditRedemption {
  int64_t id = 0;
  std::string redemption_id;  // the shop's idempotency key (an order id, a checkout id)
  int64_t customer_id = 0;
  int64_t amount = 0;
  std::string currency;
  std::string invoice_id;     // the order the credit was spent on; may be empty
  int64_t created_at = 0;
  std::string response;       // the body answered the first time
};

struct FraudHit {
  std::string rule;    // "self_referral", "too_soon", "click_burst"
  std::string reason;  // for people: "customer e-mail j.doe+x@gmail.com is the advocate's"
};

struct Payout {
  int64_t id = 0;
  int64_t advocate_id = 0;
  int64_t amount = 0;
  std::string currency;
  int64_t commissions = 0;  // how many commissions it paid
  int64_t created_at = 0;
};

// An event of the outbox (sale.created, commission.created, commission.approved, commission.reversed,
// commission.rejected, refund.created, payout.created), committed with the change it reports.
struct Event {
  int64_t id = 0;
  std::string type;
  std::string payload;  // JSON object
  int64_t created_at = 0;
};

// One leg of a ledger transaction. Amounts are signed: an account's balance is the sum of its entries; the
// entries of one transaction sum to zero per currency (double entry).
struct LedgerEntry {
  std::string account;  // "brand:commission_expense", "advocate:7:pending", ...
  int64_t amount = 0;
  std::string currency;
};

}  // namespace vouch::refer
