#include "vouch/trust/rating_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string_view>

namespace vouch::trust {
namespace {

Result<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open for reading", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("{}: read failed", path));
  return std::move(buf).str();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits line on commas into at most fields.size() trimmed fields; returns how many there were (possibly more).
size_t Split(std::string_view line, std::array<std::string_view, 4>& fields) {
  size_t n = 0;
  for (;;) {
    const size_t comma = line.find(',');
    if (n < fields.size()) fields[n] = Trim(line.substr(0, comma));
    ++n;
    if (comma == std::string_view::npos) return n;
    line.remove_prefix(comma + 1);
  }
}

bool ParseDouble(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // "+1" as in REV2's files
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

// Calls fn(line_number, line) for each non-blank line.
template <typename Fn>
Status ForEachLine(const std::string& text, Fn&& fn) {
  size_t pos = 0;
  int64_t number = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++number;
    std::string_view line = Trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    VOUCH_TRY(fn(number, line));
  }
  return Status::Ok();
}

bool IsHeaderWord(std::string_view s) {
  static constexpr std::array<std::string_view, 18> kWords = {
      "rater",   "ratee", "source", "target", "src",  "dst",  "from", "to",     "truster",
      "trustee", "u",     "v",      "user",   "item", "node", "id",   "person", "rating"};
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!lower.empty() && (lower.front() == '#' || lower.front() == '"')) return true;
  for (auto w : kWords) {
    if (lower.starts_with(w)) return true;
  }
  return false;
}

}  // namespace

Result<RatingTable> ReadRatingsCsv(const std::string& path) {
  VOUCH_ASSIGN_OR_RETURN(std::string text, Slurp(path));
  RatingTable table;
  bool first = true;
  bool timed = false;
  table.min_raw = INFINITY;
  table.max_raw = -INFINITY;
  std::array<std::string_view, 4> f;
  VOUCH_TRY(ForEachLine(text, [&](int64_t number, std::string_view line) -> Status {
    const size_t n = Split(line, f);
    const bool was_first = first;
    first = false;
    auto error = [&](std::string_view what) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: {} (expected rater,ratee,rating[,time])", path, number, what));
    };
    double rating = 0;
    if (n >= 3 && was_first && !ParseDouble(f[2], rating)) {
      table.has_header = true;
      return Status::Ok();
    }
    if (n < 3) return error(fmt::format("{} field{}", n, n == 1 ? "" : "s"));
    if (n > 4) return error(fmt::format("{} fields", n));
    if (f[0].empty()) return error("empty rater");
    if (f[1].empty()) return error("empty ratee");
    if (!ParseDouble(f[2], rating)) return error(fmt::format("rating '{}' is not a number", f[2]));
    const bool has_time = n == 4;
    if (table.edges.size() == 0) {
      timed = has_time;
    } else if (has_time != timed) {
      return error(timed ? "no time, but earlier lines have one" : "a time, but earlier lines have none");
    }
    const NodeId u = table.people.Intern(f[0]);
    const NodeId v = table.people.Intern(f[1]);
    if (has_time) {
      double t = 0;
      if (!ParseDouble(f[3], t)) return error(fmt::format("time '{}' is not a number of epoch seconds", f[3]));
      table.edges.Add(u, v, static_cast<float>(rating), static_cast<int64_t>(t));
    } else {
      table.edges.Add(u, v, static_cast<float>(rating));
    }
    table.min_raw = std::min(table.min_raw, rating);
    table.max_raw = std::max(table.max_raw, rating);
    return Status::Ok();
  }));
  if (table.edges.size() == 0) table.min_raw = table.max_raw = 0;
  return table;
}

Status ScaleRatings(RatingTable& table, const RatingScale& scale, const std::string& path) {
  for (size_t i = 0; i < table.edges.size(); ++i) {
    const double raw = table.edges.value[i];
    if (raw < scale.min - 1e-9 || raw > scale.max + 1e-9) {
      return Status::InvalidArgument(fmt::format("{}: rating {} of {} -> {} is outside the scale {}:{}", path, raw,
                                                 table.people.Name(table.edges.rater[i]),
                                                 table.people.Name(table.edges.ratee[i]), scale.min, scale.max));
    }
    table.edges.value[i] = static_cast<float>(std::clamp(scale.ToUnit(raw), -1.0, 1.0));
  }
  return Status::Ok();
}

Result<PairTable> ReadPairsCsv(const std::string& path, const PersonIndex& known) {
  VOUCH_ASSIGN_OR_RETURN(std::string text, Slurp(path));
  PairTable pairs;
  bool first = true;
  std::array<std::string_view, 4> f;
  VOUCH_TRY(ForEachLine(text, [&](int64_t number, std::string_view line) -> Status {
    const size_t n = Split(line, f);
    const bool was_first = first;
    first = false;
    if (n < 2 || f[0].empty() || f[1].empty()) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: expected rater,ratee (got '{}')", path, number, line.substr(0, 80)));
    }
    if (was_first && IsHeaderWord(f[0]) && IsHeaderWord(f[1]) && known.Find(f[0]) == kNoNode &&
        known.Find(f[1]) == kNoNode) {
      pairs.has_header = true;
      pairs.header = std::string(line);
      return Status::Ok();
    }
    pairs.rater.emplace_back(f[0]);
    pairs.ratee.emplace_back(f[1]);
    return Status::Ok();
  }));
  return pairs;
}

}  // namespace vouch::trust
