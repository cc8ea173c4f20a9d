// Time parsing for post records: the spellings real exports use, all turned into epoch seconds (UTC).
//
//   RFC 3339 / ISO 8601     "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123+02:00", "2024-05-01 12:00:00Z"
//   Kaggle-style CSV         "2015-02-24 11:35:52 -0800" (an offset after a space), "2015-02-24 11:35:52" (UTC)
//   epoch seconds as text    "1714564800" (CSV cells, pushshift's string created_utc)
//
// Fractions of a second are dropped (Vouch stores seconds). Pure functions, thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vouch::ingest {

// Epoch seconds, or nullopt when text is none of the spellings above or names an impossible date or time.
std::optional<int64_t> ParsePostTime(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace vouch::ingest
