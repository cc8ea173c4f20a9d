#include "vouch/ingest/record_fields.h"

#include <gtest/gtest.h>

#include <limits>

namespace vouch::ingest {
namespace {

TEST(ParseAmountMinor, AcceptsWholeNonNegativeNumbers) {
  EXPECT_EQ(*ParseAmountMinor("amount_minor", "1250"), 1250);
  EXPECT_EQ(*ParseAmountMinor("amount_minor", " 0 "), 0);
  EXPECT_EQ(*ParseAmountMinor("amount_minor", "9223372036854775807"), std::numeric_limits<int64_t>::max());
}

TEST(ParseAmountMinor, RejectsEverythingElseNamingTheField) {
  for (const char* bad : {"12.50", "-3", "+3", "1e3", "", "  ", "12 50", "0x10", "9223372036854775808", "١٢"}) {
    auto r = ParseAmountMinor("amount_minor", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("amount_minor"), std::string::npos) << r.status().message();
  }
}

TEST(ParseCurrency, ThreeLettersUpperCased) {
  EXPECT_EQ(*ParseCurrency("currency", "usd"), "USD");
  EXPECT_EQ(*ParseCurrency("currency", " EuR "), "EUR");
  for (const char* bad : {"US", "USDT", "U$D", "", "12a"}) EXPECT_FALSE(ParseCurrency("currency", bad).ok()) << bad;
}

TEST(ParseTime, EpochSecondsAndRfc3339) {
  EXPECT_EQ(*ParseTime("time", "1714564800"), 1714564800);
  EXPECT_EQ(*ParseTime("time", "-86400"), -86400);
  EXPECT_EQ(*ParseTime("time", "1289241911.72836"), 1289241911);
  EXPECT_EQ(*ParseTime("time", "-1.5"), -2);
  EXPECT_EQ(*ParseTime("time", "-1.0"), -1);
  EXPECT_EQ(*ParseTime("time", "2024-05-01T12:00:00Z"), 1714564800);
  EXPECT_EQ(*ParseTime("time", "2024-05-01T14:00:00+02:00"), 1714564800);
  EXPECT_EQ(*ParseTime("time", "2024-05-01 07:00:00.250-05:00"), 1714564800);
  EXPECT_EQ(*ParseTime("time", "1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseTime("time", "2000-02-29T00:00:00Z"), 951782400);
}

TEST(ParseTime, RejectsMalformedAndImpossibleTimes) {
  for (const char* bad : {"", "yesterday", "2024-05-01", "2024-05-01T12:00:00", "2023-02-29T00:00:00Z",
                          "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00+2:00",
                          "99999999999999999999", "2024-05-01T12:00:00Zjunk",
                          "12.", ".5", "-", "1.2.3"}) {
    auto r = ParseTime("time", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("time"), std::string::npos);
  }
}

TEST(ParseFiniteNumber, FiniteOnly) {
  EXPECT_EQ(*ParseFiniteNumber("rating", "4"), 4.0);
  EXPECT_EQ(*ParseFiniteNumber("rating", "-2.5"), -2.5);
  EXPECT_EQ(*ParseFiniteNumber("rating", "+1e-1"), 0.1);
  for (const char* bad : {"", "nan", "inf", "-inf", "1e999", "four", "1,5"}) {
    EXPECT_FALSE(ParseFiniteNumber("rating", bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vouch::ingest
