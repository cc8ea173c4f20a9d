// Classifier cases as data files: a new case is a line in tests/data/refer/*.tsv.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "vouch/refer/click_filter.h"
#include "vouch/refer/email.h"
#include "support/test_paths.h"

namespace vouch::refer {
namespace {

std::vector<std::vector<std::string>> ReadTsv(const std::string& name) {
  std::ifstream in(vouch::test::TestDataDir() + "/refer/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    std::vector<std::string> fields;
    size_t pos = 0;
    for (;;) {
      size_t tab = line.find('\t', pos);
      fields.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
      if (tab == std::string::npos) break;
      pos = tab + 1;
    }
    if (line.empty()) continue;
    rows.push_back(fields);
  }
  return rows;
}

TEST(ClickFilterCases, UserAgents) {
  auto rows = ReadTsv("user_agents.tsv");
  ASSERT_GT(rows.size(), 10u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u) << row[0];
    EXPECT_EQ(IsBotUserAgent(row[0]), row[1] == "bot") << "'" << row[0] << "'";
  }
}

TEST(ClickFilterCases, Prefetch) {
  EXPECT_TRUE(IsPrefetch("prefetch"));
  EXPECT_TRUE(IsPrefetch("prefetch;prerender"));
  EXPECT_TRUE(IsPrefetch("Preview"));
  EXPECT_FALSE(IsPrefetch("navigate"));
}

TEST(EmailCases, NormalizeAndCanonical) {
  auto rows = ReadTsv("emails.tsv");
  ASSERT_GT(rows.size(), 5u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u) << row[0];
    auto normalized = NormalizeEmail(row[0]);
    if (row[1] == "invalid") {
      EXPECT_FALSE(normalized.ok()) << row[0];
      continue;
    }
    ASSERT_TRUE(normalized.ok()) << row[0] << ": " << normalized.status().ToString();
    EXPECT_EQ(*normalized, row[1]);
    EXPECT_EQ(CanonicalEmail(*normalized), row[2]) << row[0];
  }
}

TEST(EmailCases, ErrorNamesTheField) {
  auto bad = NormalizeEmail("nope", "customer.email");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("customer.email:", 0), 0u) << bad.status().message();
}

}  // namespace
}  // namespace vouch::refer
