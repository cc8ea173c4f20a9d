// The proleptic Gregorian calendar arithmetic the ingest parsers share. Internal to vouch/ingest.
#pragma once

namespace vouch::ingest::calendar {

inline bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days in month m (1..12) of year y.
inline int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace vouch::ingest::calendar
