#include "support/cases_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_paths.h"

namespace vouch::test {

std::vector<CaseRow> ReadCasesFile(const std::string& relative_path, size_t columns) {
  std::ifstream in(TestDataDir() + "/" + relative_path);
  EXPECT_TRUE(in.good()) << relative_path << " missing";
  std::vector<CaseRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    CaseRow row{number, {}};
    size_t start = 0;
    while (row.fields.size() + 1 < columns) {
      const size_t tab = line.find('\t', start);
      if (tab == std::string::npos) break;
      row.fields.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    row.fields.push_back(line.substr(start));
    EXPECT_EQ(row.fields.size(), columns) << relative_path << ":" << number << ": expected " << columns
                                          << " tab-separated fields";
    if (row.fields.size() == columns) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace vouch::test
