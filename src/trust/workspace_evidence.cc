#include "vouch/trust/workspace_evidence.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_set>

#include "vouch/identity/normalize.h"
#include "vouch/store/rows.h"

namespace vouch::trust {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A purchase made on someone's word, before its outcome is known.
struct Purchase {
  PersonId customer = 0, referrer = 0;
  int64_t time = 0;
  std::optional<int64_t> refunded_at;
};

constexpr int64_t kDay = 86400;

}  // namespace

Result<bool> HasTable(store::SqliteDb& db, std::string_view table) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  q->Bind(1, table);
  VOUCH_ASSIGN_OR_RETURN(auto row, store::FirstValue<int64_t>(*q));
  return row.has_value();
}

Result<std::unordered_map<PersonId, MentionActs>> ReadMentionActs(store::SqliteDb& db, std::string_view brand) {
  std::unordered_map<PersonId, MentionActs> acts;
  VOUCH_ASSIGN_OR_RETURN(bool has, HasTable(db, "mentions"));
  if (!has) return acts;
  VOUCH_ASSIGN_OR_RETURN(
      store::Statement * q,
      db.Prepare("SELECT i.person_id, m.act, COUNT(*) FROM mentions m JOIN posts p ON p.id = m.post_id "
                 "JOIN identities i ON i.id = p.author_identity "
                 "WHERE m.act IN ('endorse', 'complain') AND (?1 = '' OR m.brand = ?1) "
                 "GROUP BY i.person_id, m.act"));
  q->Bind(1, std::string(brand));  // an empty view may have no data: bound as NULL, not ''
  VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) {
    MentionActs& a = acts[row.Int(0)];
    (row.Text(1) == "endorse" ? a.endorsements : a.complaints) += row.Int(2);
  }));
  return acts;
}

Result<WorkspaceEvidence> ReadWorkspaceEvidence(Store& store, store::SqliteDb* db, WorkspaceEvidenceOptions options) {
  WorkspaceEvidence ev;
  // Interactions: replies and reshares need the author of the target post; mentions need the handle's person.
  std::unordered_map<std::string, PersonId> author_of;  // "platform\x1fpost id" -> author
  VOUCH_TRY(store.ForEachPost([&](const Store::StoredPost& p) {
    author_of.emplace(p.post.platform + '\x1f' + p.post.id, p.author_person);
    return true;
  }));
  std::unordered_map<std::string, std::optional<PersonId>> person_of_handle;  // "platform\x1fhandle"
  Status lookup_error;
  VOUCH_TRY(store.ForEachPost([&](const Store::StoredPost& p) {
    auto link = [&](const std::optional<std::string>& target, std::vector<PersonInteraction>& out) {
      if (!target) return;
      auto it = author_of.find(p.post.platform + '\x1f' + *target);
      if (it == author_of.end() || it->second == p.author_person) return;
      out.push_back({p.author_person, it->second, p.post.time});
    };
    link(p.post.reply_to, ev.replies);
    link(p.post.reshare_of, ev.reshares);
    std::unordered_set<PersonId> mentioned;  // one mention per person per post
    for (const std::string& handle : p.post.mentions) {
      auto [it, added] = person_of_handle.try_emplace(p.post.platform + '\x1f' + handle);
      if (added) {
        IdentityKey key = identity::HandleKey(p.post.platform, handle);
        if (key.value.empty()) continue;
        auto found = store.FindIdentity(key);
        if (!found.ok()) {
          lookup_error = found.status();
          return false;
        }
        if (found->has_value()) it->second = (*found)->person;
      }
      if (!it->second) {
        ++ev.unresolved_mentions;
        continue;
      }
      if (*it->second == p.author_person || !mentioned.insert(*it->second).second) continue;
      ev.mentions.push_back({p.author_person, *it->second, p.post.time});
    }
    return true;
  }));
  VOUCH_TRY(lookup_error);

  // Outcomes: who bought on whose word, and what became of it.
  std::unordered_map<std::string, PersonId> referrer_of_code;  // upper-cased code -> the advocate's person
  std::unordered_map<std::string, std::optional<int64_t>> refund_of_invoice;  // invoice -> refunded at
  std::vector<Purchase> purchases;
  std::unordered_set<std::string> invoices_seen;
  bool sales = false;
  if (db != nullptr) {
    VOUCH_ASSIGN_OR_RETURN(bool links, HasTable(*db, "refer_links"));
    VOUCH_ASSIGN_OR_RETURN(bool advocates, HasTable(*db, "refer_advocates"));
    ev.referral_tables = links && advocates;
    if (ev.referral_tables) {
      VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                             db->Prepare("SELECT l.code, a.person_id FROM refer_links l "
                                         "JOIN refer_advocates a ON a.id = l.advocate_id WHERE a.person_id > 0"));
      VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) {
        referrer_of_code.emplace(Upper(row.Text(0)), row.Int(1));
      }));
    }
    VOUCH_ASSIGN_OR_RETURN(bool has_sales, HasTable(*db, "refer_sales"));
    VOUCH_ASSIGN_OR_RETURN(bool has_refunds, HasTable(*db, "refer_refunds"));
    sales = has_sales && has_refunds;
    if (sales) {
      VOUCH_ASSIGN_OR_RETURN(
          store::Statement * q,
          db->Prepare("SELECT s.invoice_id, s.refunded, "
                      "(SELECT MIN(r.at) FROM refer_refunds r WHERE r.sale_id = s.id), s.at FROM refer_sales s"));
      VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) {
        std::optional<int64_t> at = store::Column<std::optional<int64_t>>(row, 2);
        // Refunded with no refund row: the sale's own time is all we know.
        if (!at && row.Int(1) != 0) at = row.Int(3);
        refund_of_invoice.emplace(row.Text(0), at);
      }));
    }
  }
  VOUCH_TRY(store.ForEachOrder([&](const Store::StoredOrder& o) {
    if (o.order.referral_code.empty()) return true;
    auto it = referrer_of_code.find(Upper(o.order.referral_code));
    if (it == referrer_of_code.end()) {
      ++ev.unresolved_codes;
      return true;
    }
    invoices_seen.insert(o.order.order_id);
    Purchase p{o.customer, it->second, o.order.time, std::nullopt};
    if (auto r = refund_of_invoice.find(o.order.order_id); r != refund_of_invoice.end()) p.refunded_at = r->second;
    purchases.push_back(p);
    return true;
  }));
  if (sales && ev.referral_tables) {
    // Sales the referral service attributed that the shop's order export did not hold.
    VOUCH_ASSIGN_OR_RETURN(bool has_customers, HasTable(*db, "refer_customers"));
    VOUCH_ASSIGN_OR_RETURN(bool has_leads, HasTable(*db, "refer_leads"));
    if (has_customers && has_leads) {
      VOUCH_ASSIGN_OR_RETURN(
          store::Statement * q,
          db->Prepare("SELECT s.invoice_id, c.person_id, a.person_id, s.at FROM refer_sales s "
                      "JOIN refer_customers c ON c.id = s.customer_id JOIN refer_leads ld ON ld.id = s.lead_id "
                      "JOIN refer_links l ON l.id = ld.link_id JOIN refer_advocates a ON a.id = l.advocate_id "
                      "WHERE c.person_id > 0 AND a.person_id > 0"));
      VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) {
        std::string invoice = row.Text(0);
        if (invoices_seen.count(invoice) != 0) return;
        Purchase p{row.Int(1), row.Int(2), row.Int(3), std::nullopt};
        if (auto r = refund_of_invoice.find(invoice); r != refund_of_invoice.end()) p.refunded_at = r->second;
        purchases.push_back(p);
      }));
    }
  }
  // First-hand complaints per person, by time, for "complained after acting on v's word".
  std::unordered_map<PersonId, std::vector<int64_t>> complaints_of;
  if (db != nullptr && !purchases.empty()) {
    VOUCH_ASSIGN_OR_RETURN(bool has_mentions, HasTable(*db, "mentions"));
    if (has_mentions) {
      VOUCH_ASSIGN_OR_RETURN(
          store::Statement * q,
          db->Prepare("SELECT i.person_id, p.time FROM mentions m JOIN posts p ON p.id = m.post_id "
                      "JOIN identities i ON i.id = p.author_identity WHERE m.act = 'complain'"));
      VOUCH_TRY(store::ForEachRow(
          *q, [&](const store::Statement& row) { complaints_of[row.Int(0)].push_back(row.Int(1)); }));
      for (auto& [person, times] : complaints_of) std::sort(times.begin(), times.end());
    }
  }
  const int64_t window = options.complaint_window_days * kDay;
  for (const Purchase& p : purchases) {
    if (p.customer == p.referrer) continue;
    if (p.refunded_at) {
      ev.refunds.push_back({p.customer, p.referrer, *p.refunded_at});
      continue;
    }
    if (auto c = complaints_of.find(p.customer); c != complaints_of.end()) {
      auto first = std::upper_bound(c->second.begin(), c->second.end(), p.time - 1);
      if (first != c->second.end() && *first <= p.time + window) {
        ev.complaints.push_back({p.customer, p.referrer, *first});
        continue;
      }
    }
    ev.kept.push_back({p.customer, p.referrer, p.time});
  }
  return ev;
}

}  // namespace vouch::trust
