#include <gtest/gtest.h>

#include "vouch/core/money.h"

namespace vouch {
namespace {

TEST(MoneyTest, ParsesDecimalsExactly) {
  EXPECT_EQ(*ParseMoney("49.99", 2), 4999);
  EXPECT_EQ(*ParseMoney("0.29", 2), 29);  // not 28, as a float round trip could give
  EXPECT_EQ(*ParseMoney("12", 2), 1200);
  EXPECT_EQ(*ParseMoney("12.5", 2), 1250);
  EXPECT_EQ(*ParseMoney(".5", 2), 50);
  EXPECT_EQ(*ParseMoney("1200", 0), 1200);
  EXPECT_EQ(*ParseMoney("1.234", 3), 1234);
}

TEST(MoneyTest, RefusesWhatIsNotAnAmount) {
  for (const char* bad : {"", ".", "-1", "1,50", "1.999", "abc", "1e3", "99999999999999999999"}) {
    auto r = ParseMoney(bad, 2);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("amount"), std::string::npos) << bad;
  }
  EXPECT_FALSE(ParseMoney("1.5", 0).ok());  // yen have no decimals
}

TEST(MoneyTest, KnowsTheMinorUnitOfACurrency) {
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("EUR"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
}

TEST(MoneyTest, FormatsMinorUnits) {
  EXPECT_EQ(FormatMoney(4999, 2), "49.99");
  EXPECT_EQ(FormatMoney(1234.6, 2), "12.35");
  EXPECT_EQ(FormatMoney(-959, 2), "-9.59");
  EXPECT_EQ(FormatMoney(1200, 0), "1200");
}

}  // namespace
}  // namespace vouch
