#include "vouch/measure/people_export.h"

#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "measure/followers.h"
#include "vouch/measure/csv_cells.h"
#include "vouch/measure/report_data.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {
namespace {

// Runs sql (no parameters) and calls fn for each row.
template <typename Fn>
Status ForEachRow(store::SqliteDb& db, std::string_view sql, Fn fn) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q, db.Prepare(sql));
  return store::ForEachRow(*q, std::move(fn));
}

int ActIndexOf(std::string_view act) {
  for (int i = 0; i < kActCount; ++i) {
    if (act == kActs[i]) return i;
  }
  return kActCount - 1;
}

std::string Number(const std::optional<double>& v) { return v ? fmt::format("{:.6g}", *v) : std::string(); }

}  // namespace

Status PeopleExport::run(const std::function<Status(const PersonExportRow&)>& sink) {
  VOUCH_ASSIGN_OR_RETURN(auto db, store::SqliteDb::Open(workspace_.Path(Workspace::kDatabaseFile).string(), false));
  VOUCH_ASSIGN_OR_RETURN(int refer_version, db->ComponentVersion("refer"));
  VOUCH_ASSIGN_OR_RETURN(int trust_version, db->ComponentVersion("trust"));
  const std::string currency = workspace_.config().default_currency;

  std::map<int64_t, PersonExportRow> rows;
  VOUCH_TRY(ForEachRow(*db,
                       "SELECT p.id, p.display_name, i.kind, i.scope, i.value, i.display FROM people p "
                       "JOIN identities i ON i.person_id = p.id ORDER BY p.id, i.id",
                       [&](const store::Statement& q) {
                         PersonExportRow& r = rows[q.Int(0)];
                         r.person = q.Int(0);
                         r.name = q.Text(1);
                         r.currency = currency;
                         std::string kind = q.Text(2), value = q.Text(4), display = q.Text(5);
                         if (kind == "email") {
                           r.emails.push_back(value);
                         } else if (kind == "customer") {
                           r.customer_ids.push_back(display.empty() ? value : display);
                         } else {
                           r.handles.push_back(q.Text(3) + ":" + (display.empty() ? value : display));
                         }
                       }));
  auto at = [&rows](int64_t person) -> PersonExportRow* {
    auto it = rows.find(person);
    return it == rows.end() ? nullptr : &it->second;
  };
  VOUCH_TRY(ForEachRow(*db,
                       "SELECT i.person_id, COUNT(*) FROM posts p JOIN identities i ON i.id = p.author_identity "
                       "GROUP BY i.person_id",
                       [&](const store::Statement& q) {
                         if (auto* r = at(q.Int(0))) r->posts = q.Int(1);
                       }));
  VOUCH_TRY(ForEachRow(*db,
                       "SELECT i.person_id, m.act, COUNT(*) FROM mentions m JOIN posts p ON p.id = m.post_id "
                       "JOIN identities i ON i.id = p.author_identity GROUP BY i.person_id, m.act",
                       [&](const store::Statement& q) {
                         if (auto* r = at(q.Int(0))) {
                           r->acts[static_cast<size_t>(ActIndexOf(q.Text(1)))] += q.Int(2);
                           r->mentions += q.Int(2);
                         }
                       }));
  VOUCH_TRY(ForEachRow(*db,
                       "SELECT i.person_id, COUNT(*), COALESCE(SUM(o.amount_minor), 0) FROM orders o "
                       "JOIN identities i ON i.id = o.customer_identity GROUP BY i.person_id",
                       [&](const store::Statement& q) {
                         if (auto* r = at(q.Int(0))) {
                           r->orders = q.Int(1);
                           r->order_revenue = q.Int(2);
                         }
                       }));
  if (trust_version > 0) {
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT person_id, reputation, trust, fairness, ratings_received, ratings_given "
                         "FROM trust_reputation",
                         [&](const store::Statement& q) {
                           if (auto* r = at(q.Int(0))) {
                             r->reputation = q.Double(1);
                             r->trust = q.Double(2);
                             r->fairness = q.Double(3);
                             r->ratings_received = q.Int(4);
                             r->ratings_given = q.Int(5);
                           }
                         }));
  }
  if (refer_version > 0) {
    std::unordered_map<int64_t, int64_t> person_of_advocate;
    VOUCH_TRY(ForEachRow(*db, "SELECT id, person_id FROM refer_advocates", [&](const store::Statement& q) {
      person_of_advocate[q.Int(0)] = q.Int(1);
      if (auto* r = at(q.Int(1))) r->advocate_id = q.Int(0);
    }));
    auto advocate = [&](int64_t id) -> PersonExportRow* {
      auto it = person_of_advocate.find(id);
      return it == person_of_advocate.end() ? nullptr : at(it->second);
    };
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT l.advocate_id, COUNT(*) FROM refer_clicks c JOIN refer_links l ON l.id = c.link_id "
                         "WHERE c.counted = 1 GROUP BY l.advocate_id",
                         [&](const store::Statement& q) {
                           if (auto* r = advocate(q.Int(0))) r->referral_clicks = q.Int(1);
                         }));
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT l.advocate_id, COUNT(*) FROM refer_leads d JOIN refer_links l ON l.id = d.link_id "
                         "GROUP BY l.advocate_id",
                         [&](const store::Statement& q) {
                           if (auto* r = advocate(q.Int(0))) r->referral_leads = q.Int(1);
                         }));
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT l.advocate_id, COUNT(*), COALESCE(SUM(s.amount - s.refunded), 0) FROM refer_sales s "
                         "JOIN refer_leads d ON d.id = s.lead_id JOIN refer_links l ON l.id = d.link_id "
                         "GROUP BY l.advocate_id",
                         [&](const store::Statement& q) {
                           if (auto* r = advocate(q.Int(0))) {
                             r->referral_sales = q.Int(1);
                             r->referral_revenue = q.Int(2);
                           }
                         }));
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT advocate_id, COALESCE(SUM(amount - reversed), 0) FROM refer_commissions "
                         "WHERE status IN ('pending', 'approved', 'paid') GROUP BY advocate_id",
                         [&](const store::Statement& q) {
                           if (auto* r = advocate(q.Int(0))) r->commissions = q.Int(1);
                         }));
    VOUCH_TRY(ForEachRow(*db,
                         "SELECT c.person_id, COUNT(*) FROM refer_sales s JOIN refer_customers c "
                         "ON c.id = s.customer_id WHERE s.lead_id IS NOT NULL AND c.person_id > 0 "
                         "GROUP BY c.person_id",
                         [&](const store::Statement& q) {
                           if (auto* r = at(q.Int(0))) r->referred_purchases = q.Int(1);
                         }));
  }
  VOUCH_ASSIGN_OR_RETURN(auto followers, FollowersByPerson(workspace_.dir(), *db));
  for (const auto& [person, n] : followers) {
    if (auto* r = at(person)) r->followers = n;
  }
  for (const auto& [person, row] : rows) VOUCH_TRY(sink(row));
  return Status::Ok();
}

std::string PeopleCsvHeader() {
  return "person_id,name,emails,handles,customer_ids,posts,mentions,endorse,complain,share,ask,other,reputation,"
         "trust,fairness,ratings_received,ratings_given,followers,orders,order_revenue,advocate_id,referral_clicks,"
         "referral_leads,referral_sales,referral_revenue,commissions,referred_purchases,currency";
}

std::string PeopleCsvRow(const PersonExportRow& r) {
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", r.person,
                     CsvCell(r.name), CsvCell(JoinList(r.emails)), CsvCell(JoinList(r.handles)),
                     CsvCell(JoinList(r.customer_ids)), r.posts, r.mentions, r.acts[0], r.acts[1], r.acts[2], r.acts[3],
                     r.acts[4], Number(r.reputation), Number(r.trust), Number(r.fairness), r.ratings_received,
                     r.ratings_given, r.followers, r.orders, r.order_revenue,
                     r.advocate_id ? std::to_string(*r.advocate_id) : std::string(), r.referral_clicks,
                     r.referral_leads, r.referral_sales, r.referral_revenue, r.commissions, r.referred_purchases,
                     r.currency);
}

nlohmann::ordered_json PeopleJson(const PersonExportRow& r) {
  auto opt = [](const auto& v) { return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr); };
  return {{"person_id", r.person},
          {"name", r.name},
          {"emails", r.emails},
          {"handles", r.handles},
          {"customer_ids", r.customer_ids},
          {"posts", r.posts},
          {"mentions", r.mentions},
          {"endorse", r.acts[0]},
          {"complain", r.acts[1]},
          {"share", r.acts[2]},
          {"ask", r.acts[3]},
          {"other", r.acts[4]},
          {"reputation", opt(r.reputation)},
          {"trust", opt(r.trust)},
          {"fairness", opt(r.fairness)},
          {"ratings_received", r.ratings_received},
          {"ratings_given", r.ratings_given},
          {"followers", r.followers},
          {"orders", r.orders},
          {"order_revenue", r.order_revenue},
          {"advocate_id", opt(r.advocate_id)},
          {"referral_clicks", r.referral_clicks},
          {"referral_leads", r.referral_leads},
          {"referral_sales", r.referral_sales},
          {"referral_revenue", r.referral_revenue},
          {"commissions", r.commissions},
          {"referred_purchases", r.referred_purchases},
          {"currency", r.currency}};
}

}  // namespace vouch::measure
