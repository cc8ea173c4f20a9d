#include "vouch/ingest/record_fields.h"
#include "ingest/calendar.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace vouch::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses exactly n digits at text[pos], advancing pos.
bool Digits(std::string_view text, size_t& pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

using calendar::DaysInMonth;

// RFC 3339 date-time; nullopt-like false when text is not one.
bool ParseRfc3339(std::string_view t, int64_t& out) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!Digits(t, pos, 4, year) || pos >= t.size() || t[pos++] != '-' || !Digits(t, pos, 2, month) ||
      pos >= t.size() || t[pos++] != '-' || !Digits(t, pos, 2, day)) {
    return false;
  }
  if (pos >= t.size() || (t[pos] != 'T' && t[pos] != 't' && t[pos] != ' ')) return false;
  ++pos;
  if (!Digits(t, pos, 2, hour) || pos >= t.size() || t[pos++] != ':' || !Digits(t, pos, 2, minute) ||
      pos >= t.size() || t[pos++] != ':' || !Digits(t, pos, 2, second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return false;
  }
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && IsDigit(t[pos])) ++pos;
    if (pos == start) return false;
  }
  int64_t offset = 0;
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int sign = t[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!Digits(t, pos, 2, oh) || pos >= t.size() || t[pos++] != ':' || !Digits(t, pos, 2, om) || oh > 23 ||
        om > 59) {
      return false;
    }
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return false;  // RFC 3339 requires an offset: a local time is ambiguous
  }
  if (pos != t.size()) return false;
  out = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return true;
}

}  // namespace

std::string_view TrimField(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<int64_t> ParseAmountMinor(std::string_view field, std::string_view text) {
  std::string_view t = TrimField(text);
  if (t.empty()) return Status::InvalidArgument(fmt::format("{} is empty", field));
  for (char c : t) {
    if (!IsDigit(c)) {
      return Status::InvalidArgument(fmt::format(
          "{} '{}' is not a non-negative whole number of minor units (write 1250 for 12.50)", field, text));
    }
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return Status::InvalidArgument(fmt::format("{} '{}' is too large", field, text));
  }
  if (ec != std::errc() || end != t.data() + t.size()) {
    return Status::InvalidArgument(fmt::format("{} '{}' is not a whole number", field, text));
  }
  return value;
}

Result<std::string> ParseCurrency(std::string_view field, std::string_view text) {
  std::string_view t = TrimField(text);
  std::string out;
  for (char c : t) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') {
      out.clear();
      break;
    }
    out.push_back(c);
  }
  if (out.size() != 3) {
    return Status::InvalidArgument(
        fmt::format("{} '{}' is not an ISO 4217 currency code (three letters, e.g. USD)", field, text));
  }
  return out;
}

Result<int64_t> ParseTime(std::string_view field, std::string_view text) {
  std::string_view t = TrimField(text);
  if (t.empty()) return Status::InvalidArgument(fmt::format("{} is empty", field));
  // Epoch seconds, possibly with a fraction ("1289241911.72836", as SNAP's rating files have): the fraction is
  // dropped, rounding toward the past.
  size_t digits_from = t[0] == '-' ? 1 : 0;
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  bool numeric = whole.size() > digits_from && (dot == std::string_view::npos || !fraction.empty());
  for (size_t i = digits_from; i < whole.size(); ++i) numeric = numeric && IsDigit(whole[i]);
  for (char c : fraction) numeric = numeric && IsDigit(c);
  if (numeric) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
    if (ec != std::errc() || end != whole.data() + whole.size()) {
      return Status::InvalidArgument(fmt::format("{} '{}' is out of range", field, text));
    }
    bool past = digits_from == 1 && fraction.find_first_not_of('0') != std::string_view::npos;
    if (past && value == std::numeric_limits<int64_t>::min()) {
      return Status::InvalidArgument(fmt::format("{} '{}' is out of range", field, text));
    }
    return past ? value - 1 : value;
  }
  int64_t value = 0;
  if (ParseRfc3339(t, value)) return value;
  return Status::InvalidArgument(fmt::format(
      "{} '{}' is neither epoch seconds nor an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)", field, text));
}

Result<double> ParseFiniteNumber(std::string_view field, std::string_view text) {
  std::string_view t = TrimField(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);  // from_chars refuses a leading '+'
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(value)) {
    return Status::InvalidArgument(fmt::format("{} '{}' is not a finite number", field, text));
  }
  return value;
}

}  // namespace vouch::ingest
