// FlaggedSalesExport: `vouch export flagged-sales`: every invoice whose commission the referral service held or
// rejected, or on which a fraud rule fired (vouch/refer/fraud_rules.h), one row per invoice. For scoring fraud
// detection against a world's planted fraud (scripts/eval/score-world.mjs) and for a finance review, without the
// database's table names. Columns are stable and documented in docs/metrics.md ("Flagged sales export").
//
// Reads through ReferralStore (commissions in id order, and their fraud hits); a workspace where the referral
// service never ran has no flagged sales (and gets no referral tables from the export). Commissions without an
// invoice (lead rewards) are left out. Rows come in the order of each invoice's first flagged commission.
//
// Thread safety: one run() per export.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/workspace/workspace.h"

namespace vouch::measure {

struct FlaggedSaleRow {
  std::string invoice_id;
  std::vector<std::string> statuses;  // of its flagged commissions, distinct ("hold", "rejected", ...)
  std::vector<std::string> rules;     // fraud rules that fired, distinct ("self_referral", ...)
};

class FlaggedSalesExport final {
 public:
  explicit FlaggedSalesExport(Workspace& workspace) : workspace_(workspace) {}
  // Calls sink for each flagged invoice; stops at the first error sink returns.
  Status run(const std::function<Status(const FlaggedSaleRow&)>& sink);

 private:
  Workspace& workspace_;
};

std::string FlaggedSalesCsvHeader();
std::string FlaggedSalesCsvRow(const FlaggedSaleRow& row);
nlohmann::ordered_json FlaggedSalesJson(const FlaggedSaleRow& row);

}  // namespace vouch::measure
