// CSV cells for the exports (people_export.h, acts_export.h, flagged_sales_export.h): RFC 4180 quoting and list
// cells joined with ';'.
#pragma once

#include <string>
#include <vector>

namespace vouch::measure {

// Quoted when the cell holds a comma, quote or line break (quotes doubled).
inline std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A list cell: the items joined with ';' (not quoted; pass the result through CsvCell).
inline std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ";" : "") + items[i];
  return out;
}

}  // namespace vouch::measure
