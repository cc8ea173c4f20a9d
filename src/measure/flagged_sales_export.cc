#include "vouch/measure/flagged_sales_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "vouch/measure/csv_cells.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/workspace_evidence.h"

namespace vouch::measure {
namespace {

constexpr int64_t kPage = 1000;

void AddDistinct(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

Status FlaggedSalesExport::run(const std::function<Status(const FlaggedSaleRow&)>& sink) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&workspace_.store());
  if (sqlite == nullptr) return Status::FailedPrecondition("the flagged sales export needs the SQLite store");
  // Opening the referral store would create its tables: a workspace without them has nothing flagged.
  VOUCH_ASSIGN_OR_RETURN(bool has_commissions, trust::HasTable(sqlite->db(), "refer_commissions"));
  if (!has_commissions) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(auto referrals, refer::SqliteReferralStore::Open(sqlite->db()));

  std::vector<FlaggedSaleRow> rows;
  std::unordered_map<std::string, size_t> row_of;
  for (int64_t after = 0;;) {
    VOUCH_ASSIGN_OR_RETURN(auto page, referrals->ListCommissions(0, after, kPage));
    for (const refer::Commission& c : page) {
      after = c.id;
      if (!c.invoice_id) continue;
      VOUCH_ASSIGN_OR_RETURN(auto hits, referrals->FraudHitsOf(c.id));
      const bool held =
          c.status == refer::CommissionStatus::kHold || c.status == refer::CommissionStatus::kRejected;
      if (!held && hits.empty()) continue;
      auto [it, added] = row_of.try_emplace(*c.invoice_id, rows.size());
      if (added) rows.push_back({*c.invoice_id, {}, {}});
      FlaggedSaleRow& row = rows[it->second];
      AddDistinct(row.statuses, refer::CommissionStatusName(c.status));
      for (const refer::FraudHit& h : hits) AddDistinct(row.rules, h.rule);
    }
    if (static_cast<int64_t>(page.size()) < kPage) break;
  }
  for (const FlaggedSaleRow& row : rows) VOUCH_TRY(sink(row));
  return Status::Ok();
}

std::string FlaggedSalesCsvHeader() {
  return "invoice_id,statuses,rules";
}

std::string FlaggedSalesCsvRow(const FlaggedSaleRow& r) {
  return fmt::format("{},{},{}", CsvCell(r.invoice_id), CsvCell(JoinList(r.statuses)), CsvCell(JoinList(r.rules)));
}

nlohmann::ordered_json FlaggedSalesJson(const FlaggedSaleRow& r) {
  return {{"invoice_id", r.invoice_id}, {"statuses", r.statuses}, {"rules", r.rules}};
}

}  // namespace vouch::measure
