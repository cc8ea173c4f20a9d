// Attribution: which of a customer's leads (each a click on some advocate's link) earns a sale.
//
// A lead is eligible when its click lies within its program's window (attribution_window_days, default 30) before
// the sale, or at any time when the program keeps lifetime customers. Among eligible leads:
//   - lifetime customers: when a lifetime program has a lead of the customer, the customer belongs to the advocate
//     who referred them first in such a program, whatever came later (the earliest lifetime lead wins);
//   - otherwise last click wins (the latest click), unless that click's program credits the first click: then the
//     earliest eligible click of that same program wins.
// A customer with no eligible lead may still earn a recurring reward: see RecurringUntil.
//
// Pure functions over values; thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vouch/refer/records.h"

namespace vouch::refer {

struct AttributionCandidate {
  int64_t click_at_ms = 0;
  int64_t program_id = 0;
  int64_t window_days = 30;
  AttributionModel model = AttributionModel::kLastClick;
  bool lifetime = false;
};

// The index of the candidate that earns a sale at sale_at_ms, or none. candidates must be ordered by click time,
// oldest first (ReferralStore::LeadsOfCustomer's order).
std::optional<size_t> ChooseAttribution(const std::vector<AttributionCandidate>& candidates, int64_t sale_at_ms);

// The end (epoch seconds) of a recurring period of months calendar months that starts at start_s (UTC): the same
// day of the month, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
int64_t AddMonths(int64_t start_s, int64_t months);

}  // namespace vouch::refer
