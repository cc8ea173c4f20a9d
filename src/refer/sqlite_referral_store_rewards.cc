// SqliteReferralStore: the queries of rewards and attribution (tiers, caps, recurring rewards, the friend's side,
// circular referrals), apart from the core records in sqlite_referral_store.cc.
#include <fmt/format.h>

#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/rows.h"

namespace vouch::refer {

using store::FirstRow;
using store::ForEachRow;
using store::Statement;

namespace {

// The single integer a query answers (0 when it answers no row); resets q.
Result<int64_t> OneInt(Statement& q) {
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> n, store::FirstValue<int64_t>(q));
  return n.value_or(0);
}

}  // namespace

Result<int64_t> SqliteReferralStore::CountReferrals(int64_t advocate_id, int64_t program_id,
                                                    int64_t exclude_customer_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT COUNT(DISTINCT s.customer_id) FROM refer_sales s "
                                     "JOIN refer_leads l ON l.id = s.lead_id JOIN refer_links k ON k.id = l.link_id "
                                     "WHERE k.advocate_id = ? AND k.program_id = ? AND s.customer_id <> ?"));
  q->Bind(1, advocate_id).Bind(2, program_id).Bind(3, exclude_customer_id);
  return OneInt(*q);
}

Result<int64_t> SqliteReferralStore::EarnedSince(int64_t advocate_id, int64_t program_id, RewardEvent event,
                                                 int64_t since_s) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT COALESCE(SUM(amount - reversed), 0) FROM refer_commissions "
                                     "WHERE advocate_id = ? AND program_id = ? AND event = ? AND created_at >= ? "
                                     "AND status NOT IN ('reversed', 'rejected')"));
  q->Bind(1, advocate_id).Bind(2, program_id).Bind(3, RewardEventName(event)).Bind(4, since_s);
  return OneInt(*q);
}

Result<std::optional<Sale>> SqliteReferralStore::FirstAttributedSale(int64_t customer_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, invoice_id, customer_id, amount, currency, at, "
                                                    "lead_id, refunded FROM refer_sales "
                                                    "WHERE customer_id = ? AND lead_id IS NOT NULL "
                                                    "ORDER BY id LIMIT 1"));
  q->Bind(1, customer_id);
  return FirstRow(*q, [](const Statement& row) {
    Sale s;
    s.id = row.Int(0);
    s.invoice_id = row.Text(1);
    s.customer_id = row.Int(2);
    s.amount = row.Int(3);
    s.currency = row.Text(4);
    s.at = row.Int(5);
    s.lead_id = row.Int(6);
    s.refunded = row.Int(7);
    return s;
  });
}

Result<std::optional<Lead>> SqliteReferralStore::GetLead(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT l.id, l.click_id, l.customer_id, l.link_id, l.at, c.at_ms "
                                     "FROM refer_leads l JOIN refer_clicks c ON c.id = l.click_id WHERE l.id = ?"));
  q->Bind(1, id);
  return FirstRow(*q, [](const Statement& row) {
    return Lead{row.Int(0), row.Int(1), row.Int(2), row.Int(3), row.Int(4), row.Int(5)};
  });
}

Result<int64_t> SqliteReferralStore::InsertFriendReward(const FriendReward& r) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_friend_rewards (program_id, customer_id, "
                                                    "advocate_id, event, sale_id, amount, currency, created_at) "
                                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, r.program_id)
                .Bind(2, r.customer_id)
                .Bind(3, r.advocate_id)
                .Bind(4, RewardEventName(r.event))
                .Bind(5, r.sale_id)
                .Bind(6, r.amount)
                .Bind(7, r.currency)
                .Bind(8, r.created_at)
                .Run());
  return db_.LastInsertId();
}

// The columns ReadFriendRewards reads, in its order.
constexpr const char* kFriendRewardColumns =
    "id, program_id, customer_id, advocate_id, event, sale_id, amount, currency, created_at, reversed, unrecovered";

Result<std::vector<FriendReward>> SqliteReferralStore::ReadFriendRewards(Statement& q) {
  std::vector<FriendReward> out;
  VOUCH_TRY(ForEachRow(q, [&](const Statement& row) {
    FriendReward r;
    r.id = row.Int(0);
    r.program_id = row.Int(1);
    r.customer_id = row.Int(2);
    r.advocate_id = row.Int(3);
    r.event = ParseRewardEvent(row.Text(4)).value_or(RewardEvent::kLead);
    if (!row.IsNull(5)) r.sale_id = row.Int(5);
    r.amount = row.Int(6);
    r.currency = row.Text(7);
    r.created_at = row.Int(8);
    r.reversed = row.Int(9);
    r.unrecovered = row.Int(10);
    out.push_back(std::move(r));
  }));
  return out;
}

Result<std::vector<FriendReward>> SqliteReferralStore::FriendRewardsOf(int64_t customer_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_friend_rewards "
                                                                "WHERE customer_id = ? ORDER BY id",
                                                                kFriendRewardColumns)));
  q->Bind(1, customer_id);
  return ReadFriendRewards(*q);
}

Result<std::vector<FriendReward>> SqliteReferralStore::FriendRewardsOfSale(int64_t sale_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_friend_rewards "
                                                                "WHERE sale_id = ? ORDER BY id",
                                                                kFriendRewardColumns)));
  q->Bind(1, sale_id);
  return ReadFriendRewards(*q);
}

Status SqliteReferralStore::UpdateFriendReward(const FriendReward& r) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_friend_rewards SET reversed = ?, unrecovered = ? "
                                                    "WHERE id = ?"));
  return q->Bind(1, r.reversed).Bind(2, r.unrecovered).Bind(3, r.id).Run();
}

Result<std::optional<CreditRedemption>> SqliteReferralStore::FindRedemption(const std::string& redemption_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, redemption_id, customer_id, amount, currency, "
                                                    "invoice_id, created_at, response FROM refer_credit_redemptions "
                                                    "WHERE redemption_id = ?"));
  q->Bind(1, redemption_id);
  return FirstRow(*q, [](const Statement& row) {
    return CreditRedemption{row.Int(0),  row.Text(1), row.Int(2), row.Int(3),
                            row.Text(4), row.Text(5), row.Int(6), row.Text(7)};
  });
}

Result<int64_t> SqliteReferralStore::InsertRedemption(const CreditRedemption& r) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_credit_redemptions (redemption_id, "
                                                    "customer_id, amount, currency, invoice_id, created_at, response) "
                                                    "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, r.redemption_id)
                .Bind(2, r.customer_id)
                .Bind(3, r.amount)
                .Bind(4, r.currency)
                .Bind(5, r.invoice_id)
                .Bind(6, r.created_at)
                .Bind(7, r.response)
                .Run());
  return db_.LastInsertId();
}

Result<std::vector<int64_t>> SqliteReferralStore::PeopleReferredBy(int64_t person_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT DISTINCT c.person_id FROM refer_advocates a "
                                     "JOIN refer_links k ON k.advocate_id = a.id "
                                     "JOIN refer_leads l ON l.link_id = k.id "
                                     "JOIN refer_customers c ON c.id = l.customer_id "
                                     "WHERE a.person_id = ? AND c.person_id <> 0 ORDER BY c.person_id"));
  q->Bind(1, person_id);
  std::vector<int64_t> out;
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) { out.push_back(row.Int(0)); }));
  return out;
}

}  // namespace vouch::refer
