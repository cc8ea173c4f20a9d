#include "vouch/refer/attribution.h"

#include <chrono>

namespace vouch::refer {

std::optional<size_t> ChooseAttribution(const std::vector<AttributionCandidate>& candidates, int64_t sale_at_ms) {
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  std::vector<size_t> eligible;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const AttributionCandidate& c = candidates[i];
    if (c.click_at_ms > sale_at_ms) continue;  // a click after the sale cannot have caused it
    if (c.lifetime || c.click_at_ms >= sale_at_ms - c.window_days * kDayMs) eligible.push_back(i);
  }
  if (eligible.empty()) return std::nullopt;
  for (size_t i : eligible) {
    if (candidates[i].lifetime) return i;  // oldest first: the first lifetime referrer keeps the customer
  }
  size_t last = eligible.back();
  if (candidates[last].model == AttributionModel::kFirstClick) {
    for (size_t i : eligible) {
      if (candidates[i].program_id == candidates[last].program_id) return i;
    }
  }
  return last;
}

int64_t AddMonths(int64_t start_s, int64_t months) {
  using namespace std::chrono;
  sys_seconds start{seconds(start_s)};
  sys_days day = floor<days>(start);
  seconds time_of_day = start - day;
  year_month_day ymd{day};
  year_month_day moved = ymd + std::chrono::months(months);
  if (!moved.ok()) moved = moved.year() / moved.month() / last;
  return (sys_days{moved} + time_of_day).time_since_epoch().count();
}

}  // namespace vouch::refer
