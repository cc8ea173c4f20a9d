#include "vouch/ingest/post_time.h"

#include <gtest/gtest.h>

namespace vouch::ingest {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace post_time_test {

struct Case {
  const char* text;
  std::optional<int64_t> want;
};

// 2024-05-01T12:00:00Z is 1714564800.
const Case kCases[] = {
    {"2024-05-01T12:00:00Z", 1714564800},
    {"2024-05-01t12:00:00z", 1714564800},
    {"2024-05-01T12:00:00.123Z", 1714564800},
    {"2024-05-01T14:00:00+02:00", 1714564800},
    {"2024-05-01T07:30:00-04:30", 1714564800},
    {"2024-05-01T12:00:00+0000", 1714564800},
    {"2024-05-01 12:00:00Z", 1714564800},
    {"2024-05-01 12:00:00", 1714564800},        // no offset: UTC
    {"2024-05-01 04:00:00 -0800", 1714564800},  // the Kaggle airline-tweets spelling
    {"2015-02-24 11:35:52 -0800", 1424806552},
    {"2024-05-01", 1714521600},
    {"1714564800", 1714564800},
    {"1714564800.75", 1714564800},
    {" 1714564800 ", 1714564800},
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59Z", -1},
    {"2024-02-29T00:00:00Z", 1709164800},
    {"2023-02-29T00:00:00Z", std::nullopt},  // not a leap year
    {"2024-13-01T00:00:00Z", std::nullopt},
    {"2024-05-01T24:00:00Z", std::nullopt},
    {"2024-05-01T12:00:00+25:00", std::nullopt},
    {"2024-05-01T12:00:00Zjunk", std::nullopt},
    {"yesterday", std::nullopt},
    {"", std::nullopt},
    {"12ab", std::nullopt},
};

TEST(PostTimeTest, Cases) {
  for (const auto& c : kCases) {
    EXPECT_EQ(ParsePostTime(c.text), c.want) << "'" << c.text << "'";
  }
}

TEST(PostTimeTest, DaysFromCivilMatchesKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
}

}  // namespace post_time_test
}  // namespace vouch::ingest
