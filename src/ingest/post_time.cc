#include "vouch/ingest/post_time.h"
#include "ingest/calendar.h"

namespace vouch::ingest {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool Digits(int n, int& out) {
    if (s_.size() < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = s_[static_cast<size_t>(i)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    out = v;
    s_.remove_prefix(static_cast<size_t>(n));
    return true;
  }
  bool Char(char c) {
    if (s_.empty() || s_.front() != c) return false;
    s_.remove_prefix(1);
    return true;
  }
  bool AnyOf(std::string_view set) {
    if (s_.empty() || set.find(s_.front()) == std::string_view::npos) return false;
    s_.remove_prefix(1);
    return true;
  }
  char Peek() const { return s_.empty() ? '\0' : s_.front(); }
  void Skip() { s_.remove_prefix(1); }
  bool Done() const { return s_.empty(); }

 private:
  std::string_view s_;
};

using calendar::DaysInMonth;

std::optional<int64_t> EpochDigits(std::string_view s) {
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  // Seconds; a fraction ("1425000000.5") is dropped.
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (whole.empty() || whole.size() > 12) return std::nullopt;
  int64_t v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (dot != std::string_view::npos) {
    for (char c : s.substr(dot + 1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  return negative ? -v : v;
}

}  // namespace

std::optional<int64_t> ParsePostTime(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() < 10 || text[4] != '-') return EpochDigits(text);
  Cursor c(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!c.Digits(4, year) || !c.Char('-') || !c.Digits(2, month) || !c.Char('-') || !c.Digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  if (!c.Done()) {
    if (!c.AnyOf("Tt ")) return std::nullopt;
    if (!c.Digits(2, hour) || !c.Char(':') || !c.Digits(2, minute)) return std::nullopt;
    if (c.Char(':') && !c.Digits(2, second)) return std::nullopt;
    if (c.Char('.') || c.Char(',')) {
      int digit = 0;
      if (!c.Digits(1, digit)) return std::nullopt;
      while (c.Peek() >= '0' && c.Peek() <= '9') c.Skip();
    }
  }
  // 60: a leap second, counted as the next second's start.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset = 0;
  c.Char(' ');  // "2015-02-24 11:35:52 -0800"
  if (c.AnyOf("Zz")) {
    // UTC
  } else if (c.Peek() == '+' || c.Peek() == '-') {
    int sign = c.Peek() == '-' ? -1 : 1;
    c.Skip();
    int oh = 0, om = 0;
    if (!c.Digits(2, oh)) return std::nullopt;
    c.Char(':');
    if (!c.Done() && !c.Digits(2, om)) return std::nullopt;
    if (oh > 23 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else if (c.Peek() == 'U') {
    if (!c.Char('U') || !c.Char('T') || !c.Char('C')) return std::nullopt;
  }
  if (!c.Done()) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace vouch::ingest
