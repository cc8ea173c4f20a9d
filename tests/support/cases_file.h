// Classification cases kept as data: a tab-separated file under tests/data, one case a line, `#` comments and
// blank lines skipped. A line with the wrong number of fields fails the calling test with FILE:LINE.
#pragma once

#include <string>
#include <vector>

namespace vouch::test {

struct CaseRow {
  int line = 0;                     // 1-based line number in the file, for failure messages
  std::vector<std::string> fields;  // exactly the number asked for
};

// Reads TestDataDir()/relative_path; expects `columns` tab-separated fields a line (the last keeps any further tabs).
std::vector<CaseRow> ReadCasesFile(const std::string& relative_path, size_t columns);

}  // namespace vouch::test
