// ReportBuilder's referral-program sections: funnel, growth, economics.
#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "measure/report_sections.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using namespace report;  // NOLINT: the section helpers (report_sections.h)

namespace {
constexpr const char* kNoReferrals =
    "no referral traffic: run `vouch serve`, create a program, advocates and links, and send clicks, leads and "
    "sales to its API (docs/api.md)";
}

Status ReportBuilder::FillFunnel() {
  FunnelSection& s = data_.funnel;
  s.currency = config_.currency;
  if (!refer_ready_) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * c,
                         db_->Prepare("SELECT COUNT(*), COALESCE(SUM(counted), 0), MIN(at_ms), MAX(at_ms) "
                                      "FROM refer_clicks WHERE at_ms >= ?1 AND at_ms < ?2"));
  c->Bind(1, since * 1000).Bind(2, until * 1000);
  VOUCH_ASSIGN_OR_RETURN(auto clicks, FirstRow(*c, Columns<int64_t, int64_t, int64_t, int64_t>));
  int64_t first = 0, last = 0;
  if (clicks) {
    std::tie(s.raw_clicks, s.clicks, first, last) = *clicks;
    first /= 1000;
    last /= 1000;
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * l,
                         db_->Prepare("SELECT COUNT(*) FROM refer_leads WHERE at >= ?1 AND at < ?2"));
  l->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto leads, FirstValue<int64_t>(*l));
  if (leads) s.leads = *leads;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * sale,
                         db_->Prepare("SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(refunded > 0), 0), "
                                      "COALESCE(SUM(refunded), 0), (SELECT currency FROM refer_sales GROUP BY "
                                      "currency ORDER BY COUNT(*) DESC LIMIT 1) FROM refer_sales "
                                      "WHERE lead_id IS NOT NULL AND at >= ?1 AND at < ?2"));
  sale->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto sales,
                         FirstRow(*sale, Columns<int64_t, int64_t, int64_t, int64_t, std::optional<std::string>>));
  if (sales) {
    std::optional<std::string> currency;
    std::tie(s.sales, s.revenue, s.refunds, s.refunded, currency) = std::move(*sales);
    if (currency) s.currency = std::move(*currency);
  }
  if (s.raw_clicks == 0 && s.leads == 0 && s.sales == 0) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  s.lead_per_click = {s.leads, s.clicks};
  s.sale_per_lead = {s.sales, s.leads};
  s.sale_per_click = {s.sales, s.clicks};
  s.refund_per_sale = {s.refunds, s.sales};
  // Daily series by the service's own time stamps.
  if (s.raw_clicks > 0) {
    s.days = DaysBetween(first, last);
    size_t n = s.days.size();
    s.daily_clicks.assign(n, 0);
    s.daily_leads.assign(n, 0);
    s.daily_sales.assign(n, 0);
    int64_t base = DayStart(first);
    auto bucket = [&](std::string_view sql, int64_t divisor, std::vector<int64_t>& out) -> Status {
      VOUCH_ASSIGN_OR_RETURN(store::Statement * q, db_->Prepare(sql));
      q->Bind(1, base * divisor).Bind(2, (last + kDay) * divisor).Bind(3, kDay * divisor);
      return ForEachRow(*q, [&](const Statement& row) {
        int64_t d = row.Int(0);
        if (d >= 0 && static_cast<size_t>(d) < n) out[static_cast<size_t>(d)] = row.Int(1);
      });
    };
    VOUCH_TRY(bucket("SELECT (at_ms - ?1) / ?3, COUNT(*) FROM refer_clicks WHERE counted = 1 AND at_ms >= ?1 "
                     "AND at_ms < ?2 GROUP BY 1", 1000, s.daily_clicks));
    VOUCH_TRY(bucket("SELECT (at - ?1) / ?3, COUNT(*) FROM refer_leads WHERE at >= ?1 AND at < ?2 GROUP BY 1", 1,
                     s.daily_leads));
    VOUCH_TRY(bucket("SELECT (at - ?1) / ?3, COUNT(*) FROM refer_sales WHERE lead_id IS NOT NULL AND at >= ?1 "
                     "AND at < ?2 GROUP BY 1", 1, s.daily_sales));
  }
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillGrowth() {
  GrowthSection& s = data_.growth;
  if (!refer_ready_ || !data_.funnel.state.available) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * a, db_->Prepare("SELECT COUNT(*) FROM refer_advocates"));
  VOUCH_ASSIGN_OR_RETURN(auto advocates, FirstValue<int64_t>(*a));
  if (advocates) s.advocates = *advocates;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * act,
                         db_->Prepare("SELECT COUNT(DISTINCT l.advocate_id) FROM refer_clicks c JOIN refer_links l "
                                      "ON l.id = c.link_id WHERE c.counted = 1 AND c.at_ms >= ?1 AND c.at_ms < ?2"));
  act->Bind(1, since * 1000).Bind(2, until * 1000);
  VOUCH_ASSIGN_OR_RETURN(auto active, FirstValue<int64_t>(*act));
  if (active) s.active_advocates = *active;
  VOUCH_ASSIGN_OR_RETURN(store::Statement * cust,
                         db_->Prepare("SELECT COUNT(DISTINCT customer_id) FROM refer_sales WHERE lead_id IS NOT NULL "
                                      "AND refunded < amount AND at >= ?1 AND at < ?2"));
  cust->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto customers, FirstValue<int64_t>(*cust));
  if (customers) s.referred_customers = *customers;
  s.invitations_per_advocate = {data_.funnel.clicks, s.advocates};
  s.conversion = {s.referred_customers, data_.funnel.clicks};
  s.k_factor = s.invitations_per_advocate.value() * s.conversion.value();
  VOUCH_ASSIGN_OR_RETURN(store::Statement * cyc,
                         db_->Prepare("SELECT s.at - c.at_ms / 1000 FROM refer_sales s JOIN refer_leads l "
                                      "ON l.id = s.lead_id JOIN refer_clicks c ON c.id = l.click_id "
                                      "WHERE s.at >= ?1 AND s.at < ?2"));
  cyc->Bind(1, since).Bind(2, until);
  std::vector<double> gaps;
  VOUCH_TRY(ForEachRow(*cyc, [&](const Statement& row) {
    gaps.push_back(static_cast<double>(std::max<int64_t>(0, row.Int(0))) / static_cast<double>(kDay));
  }));
  if (!gaps.empty()) s.cycle_time_days = Median(std::move(gaps));
  s.state.available = true;
  return Status::Ok();
}

Status ReportBuilder::FillEconomics() {
  EconomicsSection& s = data_.economics;
  s.currency = data_.funnel.currency;
  s.margin = config_.margin;
  s.fixed_cost = config_.program_cost;
  if (!refer_ready_ || !data_.funnel.state.available) {
    s.state.missing = kNoReferrals;
    return Status::Ok();
  }
  int64_t since = options_.since.value_or(kMinTime), until = options_.until.value_or(kMaxTime);
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db_->Prepare("SELECT status, COALESCE(SUM(amount), 0), COALESCE(SUM(reversed), 0) "
                                      "FROM refer_commissions WHERE created_at >= ?1 AND created_at < ?2 "
                                      "AND currency = ?3 GROUP BY status"));
  q->Bind(1, since).Bind(2, until).Bind(3, s.currency);
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) {
    auto [status, amount, reversed] = Columns<std::string, int64_t, int64_t>(row);
    s.commissions_by_status[status] = amount;
    s.commissions_reversed += reversed;
    if (status == "pending" || status == "approved" || status == "paid") {
      s.commissions += amount - reversed;
    } else if (status == "hold" || status == "rejected") {
      s.commissions_held += amount;
    }
  }));
  VOUCH_ASSIGN_OR_RETURN(store::Statement * h, db_->Prepare("SELECT COUNT(*) FROM refer_fraud_hits "
                                                             "WHERE at >= ?1 AND at < ?2"));
  h->Bind(1, since).Bind(2, until);
  VOUCH_ASSIGN_OR_RETURN(auto fraud_hits, FirstValue<int64_t>(*h));
  if (fraud_hits) s.fraud_hits = *fraud_hits;
  s.cost = s.commissions + s.fixed_cost;
  s.net_revenue = data_.funnel.revenue - data_.funnel.refunded;
  s.acquisitions = data_.growth.referred_customers;
  if (s.acquisitions > 0) s.cpa = s.cost / s.acquisitions;
  if (s.cost > 0) {
    s.roi = (static_cast<double>(s.net_revenue) * s.margin - static_cast<double>(s.cost)) / static_cast<double>(s.cost);
  }
  s.state.available = true;
  return Status::Ok();
}

}  // namespace vouch::measure
