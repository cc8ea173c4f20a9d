// Reward computation, clawbacks, the ledger's double entry, codes and hashes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <cctype>
#include <set>

#include "vouch/refer/codes.h"
#include "vouch/refer/ledger.h"
#include "vouch/refer/rewards.h"

namespace vouch::refer {
namespace {

using nlohmann::json;

TEST(Rewards, ParsesPercentAsBasisPointsAndFlatAsMinorUnits) {
  auto rules = ParseRewardRules(json::parse(R"([{"event":"sale","type":"percent","value":10},
      {"event":"sale","type":"percent","value":7.25},{"event":"lead","type":"flat","value":500}])"));
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_EQ((*rules)[0].value, 1000);
  EXPECT_EQ((*rules)[1].value, 725);
  EXPECT_EQ((*rules)[2].type, RewardType::kFlat);
  EXPECT_EQ((*rules)[2].value, 500);
  EXPECT_EQ(RewardRulesToJson(*rules)[1]["value"].get<double>(), 7.25);
  EXPECT_EQ(RewardRulesToJson(*rules)[0]["value"].get<int64_t>(), 10);
}

TEST(Rewards, RefusesBadRulesNamingTheField) {
  struct Case {
    const char* json;
    const char* field;
  };
  for (const Case& c : {Case{R"([{"event":"sale","type":"percent","value":101}])", "rewards[0].value"},
                        Case{R"([{"event":"sale","type":"percent","value":1.234}])", "rewards[0].value"},
                        Case{R"([{"event":"sale","type":"flat","value":1.5}])", "rewards[0].value"},
                        Case{R"([{"event":"sale","type":"flat","value":-5}])", "rewards[0].value"},
                        Case{R"([{"event":"sale","type":"flat"}])", "rewards[0].value"},
                        Case{R"([{"event":"lead","type":"percent","value":5}])", "rewards[0].type"},
                        Case{R"([{"event":"view","type":"flat","value":5}])", "rewards[0].event"},
                        Case{R"([{"event":"sale","type":"flat","value":5}, 3])", "rewards[1]"},
                        Case{R"([])", "rewards"},
                        Case{R"({"event":"sale"})", "rewards"}}) {
    auto rules = ParseRewardRules(json::parse(c.json));
    ASSERT_FALSE(rules.ok()) << c.json;
    EXPECT_EQ(rules.status().message().rfind(c.field, 0), 0u) << c.json << " -> " << rules.status().message();
  }
}

TEST(Rewards, PercentRoundsDownToTheMinorUnit) {
  RewardRule ten{RewardEvent::kSale, RewardType::kPercent, 1000};
  EXPECT_EQ(ComputeReward(ten, 12345), 1234);
  EXPECT_EQ(ComputeReward(ten, 9), 0);
  RewardRule odd{RewardEvent::kSale, RewardType::kPercent, 725};  // 7.25%
  EXPECT_EQ(ComputeReward(odd, 10000), 725);
  EXPECT_EQ(ComputeReward(odd, 199), 14);  // 14.4275
  // No overflow for amounts whose product with the rate exceeds 64 bits.
  EXPECT_EQ(ComputeReward(ten, int64_t{4'000'000'000'000'000'000}), int64_t{400'000'000'000'000'000});
}

TEST(Rewards, FlatIgnoresTheAmountAndPercentNeedsOne) {
  RewardRule flat{RewardEvent::kLead, RewardType::kFlat, 500};
  EXPECT_EQ(ComputeReward(flat, 0), 500);
  EXPECT_EQ(ComputeReward(flat, 99999), 500);
  RewardRule pct{RewardEvent::kSale, RewardType::kPercent, 1000};
  EXPECT_EQ(ComputeReward(pct, 0), 0);
  EXPECT_EQ(ComputeReward(pct, -100), 0);
}

TEST(Rewards, ClawbackIsProportionalAndWholeOnAFullRefund) {
  EXPECT_EQ(ClawbackFor(1234, 12345, 0), 0);
  EXPECT_EQ(ClawbackFor(1234, 12345, 6000), 599);  // 599.74
  EXPECT_EQ(ClawbackFor(1234, 12345, 12345), 1234);
  EXPECT_EQ(ClawbackFor(1234, 12345, 20000), 1234);
  EXPECT_EQ(ClawbackFor(500, 3, 1), 166);
}

TEST(Ledger, TransfersBalancePerCurrency) {
  LedgerTxn txn{"commission.created", "commission:1", {}};
  txn.Transfer(kExpenseAccount, AdvocateAccount(7, "pending"), 1234, "USD");
  txn.Transfer(kExpenseAccount, AdvocateAccount(7, "pending"), 99, "EUR");
  ASSERT_EQ(txn.entries.size(), 4u);
  EXPECT_TRUE(txn.Validate().ok());
  EXPECT_EQ(txn.entries[0].amount, -1234);
  EXPECT_EQ(txn.entries[1].account, "advocate:7:pending");
}

TEST(Ledger, RefusesUnbalancedAndEmptyTransactions) {
  LedgerTxn empty{"x", "y", {}};
  EXPECT_FALSE(empty.Validate().ok());
  LedgerTxn zero{"x", "y", {}};
  zero.Transfer("a", "b", 0, "USD");
  EXPECT_TRUE(zero.entries.empty());
  LedgerTxn bad{"x", "y", {{"a", -100, "USD"}, {"b", 100, "EUR"}}};
  EXPECT_FALSE(bad.Validate().ok());
  LedgerTxn lopsided{"x", "y", {{"a", -100, "USD"}, {"b", 99, "USD"}}};
  EXPECT_FALSE(lopsided.Validate().ok());
}

TEST(Ledger, StatusAccounts) {
  EXPECT_EQ(AccountForStatus(3, CommissionStatus::kHold), "advocate:3:hold");
  EXPECT_EQ(AccountForStatus(3, CommissionStatus::kApproved), "advocate:3:approved");
  EXPECT_EQ(AccountForStatus(3, CommissionStatus::kReversed), kExpenseAccount);
  EXPECT_EQ(AccountForStatus(3, CommissionStatus::kRejected), kExpenseAccount);
}

TEST(Codes, LinkCodesAreBase62AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto code = GenerateLinkCode();
    ASSERT_TRUE(code.ok());
    ASSERT_EQ(code->size(), kLinkCodeLength);
    for (char c : *code) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << *code;
    seen.insert(*code);
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(Codes, EveryBase62CharacterAppears) {
  // Rejection sampling must reach the whole alphabet (a modulo bug would starve the tail).
  auto token = RandomToken(20000);
  ASSERT_TRUE(token.ok());
  std::set<char> chars(token->begin(), token->end());
  EXPECT_EQ(chars.size(), 62u);
}

TEST(Codes, VanityCodes) {
  EXPECT_TRUE(ValidateVanityCode("JANE10").ok());
  EXPECT_TRUE(ValidateVanityCode("spring_sale-2026").ok());
  EXPECT_FALSE(ValidateVanityCode("ab").ok());
  EXPECT_FALSE(ValidateVanityCode("has space").ok());
  EXPECT_FALSE(ValidateVanityCode("../etc").ok());
  EXPECT_FALSE(ValidateVanityCode(std::string(33, 'a')).ok());
}

TEST(Codes, ApiKeysAndHashes) {
  auto key = GenerateApiKey();
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->rfind("vk_", 0), 0u);
  EXPECT_EQ(key->size(), 43u);
  // FIPS 180-2 and RFC 4231 test vectors.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace vouch::refer
