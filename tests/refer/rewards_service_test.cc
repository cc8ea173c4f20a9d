// Rewards, attribution options and the circular-referral rule through ReferralService: tiers, caps per advocate
// and period, recurring months, two-sided rewards, lifetime customers, first click, loose and strict modes. The
// ledger must balance after every test.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "service_fixture.h"

namespace vouch::refer {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace rewards_service_test {

using test::kDayMs;

class RewardsServiceTest : public test::ServiceTest {
 protected:
  int64_t MakeProgram(const std::string& rewards_json, bool lifetime = false,
                      AttributionModel model = AttributionModel::kLastClick, FraudMode mode = FraudMode::kStrict) {
    Program p;
    p.name = "Friends";
    p.destination_url = "https://shop.example/";
    p.rewards = ParseRewardRules(nlohmann::json::parse(rewards_json)).value();
    p.min_conversion_seconds = 0;
    p.lifetime_customers = lifetime;
    p.attribution = model;
    p.fraud_mode = mode;
    auto id = service_->CreateProgram(p);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  // The amount of the sale's only commission, 0 when it earned none.
  int64_t Earned(const nlohmann::json& sale) {
    return sale["commissions"].empty() ? 0 : sale["commissions"][0]["amount"].get<int64_t>();
  }
};

TEST_F(RewardsServiceTest, TiersRaiseTheRateAfterNReferrals) {
  int64_t p = MakeProgram(R"([{"event":"sale","type":"percent","value":10,"tiers":[{"after":2,"value":20}]}])");
  std::string code = LinkCode(p, Advocate("jane@example.com"));
  std::vector<int64_t> earned;
  for (int i = 1; i <= 4; ++i) {
    std::string customer = fmt::format("c{}", i);
    Lead(Click(code), customer);
    earned.push_back(Earned(Sale(customer, fmt::format("inv{}", i), 10000)));
  }
  EXPECT_EQ(earned, (std::vector<int64_t>{1000, 1000, 2000, 2000}));
  // A repeat purchase by an already counted customer does not count as a new referral.
  Lead(Click(code), "c1");
  EXPECT_EQ(Earned(Sale("c1", "inv5", 10000)), 2000);
}

TEST_F(RewardsServiceTest, CapsPerAdvocateAndMonth) {
  int64_t p = MakeProgram(R"([{"event":"sale","type":"flat","value":3000,"cap":{"amount":5000,"period":"month"}}])");
  int64_t jane = Advocate("jane@example.com");
  int64_t ann = Advocate("ann@example.com");
  std::string jane_code = LinkCode(p, jane);
  Lead(Click(jane_code), "c1");
  EXPECT_EQ(Earned(Sale("c1", "i1", 100)), 3000);
  Lead(Click(jane_code), "c2");
  EXPECT_EQ(Earned(Sale("c2", "i2", 100)), 2000);  // cut to what is left of the cap
  Lead(Click(jane_code), "c3");
  EXPECT_EQ(Sale("c3", "i3", 100)["commissions"].size(), 0u);  // nothing left this month
  // Another advocate has a cap of her own.
  Lead(Click(LinkCode(p, ann)), "c4");
  EXPECT_EQ(Earned(Sale("c4", "i4", 100)), 3000);
  // A refund frees its share of the cap.
  ASSERT_TRUE(service_->TrackRefund("i2", 0).ok());
  Lead(Click(jane_code), "c5");
  EXPECT_EQ(Earned(Sale("c5", "i5", 100)), 2000);
  // Next month the cap starts again (2023-11-14 + 20 days is in December).
  clock_.AdvanceMillis(20 * kDayMs);
  Lead(Click(jane_code), "c6");
  EXPECT_EQ(Earned(Sale("c6", "i6", 100)), 3000);
}

TEST_F(RewardsServiceTest, RecurringRewardsEarnOnLaterSalesForNMonths) {
  int64_t p = MakeProgram(R"([{"event":"sale","type":"percent","value":10,"recurring_months":3},
                              {"event":"sale","type":"flat","value":500}])");
  std::string code = LinkCode(p, Advocate("jane@example.com"));
  Lead(Click(code), "sub-1");
  auto first = Sale("sub-1", "m1", 2000);
  ASSERT_EQ(first["commissions"].size(), 2u);  // both rules on the attributed sale
  clock_.AdvanceMillis(45 * kDayMs);  // outside the 30-day window, inside 3 months
  auto second = Sale("sub-1", "m2", 2000);
  ASSERT_EQ(second["commissions"].size(), 1u);  // only the recurring rule
  EXPECT_EQ(second["commissions"][0]["amount"], 200);
  EXPECT_EQ(second["attributed"], true);
  clock_.AdvanceMillis(60 * kDayMs);  // past 3 months after the first sale
  auto third = Sale("sub-1", "m3", 2000);
  EXPECT_EQ(third["commissions"].size(), 0u);
  EXPECT_EQ(third["attributed"], false);
}

TEST_F(RewardsServiceTest, TwoSidedRewardsRecordTheFriendsCredit) {
  int64_t p = MakeProgram(R"([{"event":"sale","type":"percent","value":10},
                              {"event":"lead","type":"flat","value":1000,"side":"friend"},
                              {"event":"sale","type":"percent","value":5,"side":"friend"}])");
  std::string code = LinkCode(p, Advocate("jane@example.com"));
  LeadOutcome lead = Lead(Click(code), "bob", "bob@example.com");
  ASSERT_EQ(lead.friend_rewards.size(), 1u);
  EXPECT_EQ(lead.friend_rewards[0].amount, 1000);
  EXPECT_TRUE(lead.commissions.empty());
  auto sale = Sale("bob", "inv-1", 4000);
  EXPECT_EQ(Earned(sale), 400);
  ASSERT_EQ(sale["friend_rewards"].size(), 1u);
  EXPECT_EQ(sale["friend_rewards"][0]["amount"], 200);
  auto customer = refer_->FindCustomer("bob").value();
  ASSERT_TRUE(customer.has_value());
  auto credit = refer_->Balances(CustomerCreditAccount(customer->id)).value();
  ASSERT_EQ(credit.size(), 1u);
  EXPECT_EQ(credit[0].balance, 1200);
  EXPECT_EQ(refer_->FriendRewardsOf(customer->id).value().size(), 2u);
}

TEST_F(RewardsServiceTest, LifetimeCustomersStayWithTheirFirstReferrer) {
  int64_t life = MakeProgram(R"([{"event":"sale","type":"percent","value":10}])", /*lifetime=*/true);
  int64_t plain = MakeProgram(R"([{"event":"sale","type":"percent","value":10}])");
  int64_t jane = Advocate("jane@example.com");
  int64_t ann = Advocate("ann@example.com");
  Lead(Click(LinkCode(life, jane)), "c1");
  clock_.AdvanceMillis(200 * kDayMs);
  EXPECT_EQ(Sale("c1", "i1", 1000)["advocate_id"], jane);  // long after any window
  Lead(Click(LinkCode(plain, ann)), "c1");                     // a later click on another advocate's link
  EXPECT_EQ(Sale("c1", "i2", 1000)["advocate_id"], jane);
}

TEST_F(RewardsServiceTest, FirstClickOptionCreditsTheFirstAdvocate) {
  int64_t p = MakeProgram(R"([{"event":"sale","type":"percent","value":10}])", false, AttributionModel::kFirstClick);
  int64_t jane = Advocate("jane@example.com");
  int64_t ann = Advocate("ann@example.com");
  Lead(Click(LinkCode(p, jane)), "c1");
  clock_.AdvanceMillis(kDayMs);
  Lead(Click(LinkCode(p, ann)), "c1");
  EXPECT_EQ(Sale("c1", "i1", 1000)["advocate_id"], jane);
  int64_t last = MakeProgram(R"([{"event":"sale","type":"percent","value":10}])");
  Lead(Click(LinkCode(last, jane)), "c2");
  clock_.AdvanceMillis(kDayMs);
  Lead(Click(LinkCode(last, ann)), "c2");
  EXPECT_EQ(Sale("c2", "i2", 1000)["advocate_id"], ann);
}

TEST_F(RewardsServiceTest, CircularReferralsAreHeldInStrictModeAndFlaggedInLooseMode) {
  for (FraudMode mode : {FraudMode::kStrict, FraudMode::kLoose}) {
    SCOPED_TRACE(mode == FraudMode::kStrict ? "strict" : "loose");
    int64_t p = MakeProgram(R"([{"event":"sale","type":"flat","value":1000}])", false, AttributionModel::kLastClick,
                            mode);
    std::string tag = mode == FraudMode::kStrict ? "s" : "l";
    // A refers B, B refers C, C refers A: the last closes a cycle of three.
    std::string a = "a" + tag + "@example.com", b = "b" + tag + "@example.com", c = "c" + tag + "@example.com";
    int64_t adv_a = Advocate(a), adv_b = Advocate(b), adv_c = Advocate(c);
    Lead(Click(LinkCode(p, adv_a)), "cust-b" + tag, b);
    auto ab = Sale("cust-b" + tag, "ab" + tag, 100);
    EXPECT_EQ(ab["commissions"][0]["status"], "pending");
    Lead(Click(LinkCode(p, adv_b)), "cust-c" + tag, c);
    EXPECT_EQ(Sale("cust-c" + tag, "bc" + tag, 100)["commissions"][0]["status"], "pending");
    Lead(Click(LinkCode(p, adv_c)), "cust-a" + tag, a);
    auto ca = Sale("cust-a" + tag, "ca" + tag, 100);
    ASSERT_EQ(ca["commissions"].size(), 1u);
    EXPECT_EQ(ca["commissions"][0]["status"], mode == FraudMode::kStrict ? "hold" : "pending");
    bool found = false;
    for (const auto& hit : ca["commissions"][0]["fraud"]) found = found || hit["rule"] == "circular_referral";
    EXPECT_TRUE(found) << ca.dump();
    // Recorded with its reason, for a reviewer.
    auto hits = refer_->FraudHitsOf(ca["commissions"][0]["id"].get<int64_t>()).value();
    ASSERT_FALSE(hits.empty());
    EXPECT_NE(hits[0].reason.find("->"), std::string::npos) << hits[0].reason;
  }
}

TEST_F(RewardsServiceTest, ADirectSwapIsCircular) {
  int64_t p = MakeProgram(R"([{"event":"lead","type":"flat","value":100}])");
  int64_t a = Advocate("amy@example.com");
  int64_t b = Advocate("ben@example.com");
  EXPECT_EQ(Lead(Click(LinkCode(p, a)), "ben", "ben@example.com").commissions.at(0).commission.status,
            CommissionStatus::kPending);
  LeadOutcome back = Lead(Click(LinkCode(p, b)), "amy", "amy@example.com");
  ASSERT_EQ(back.commissions.size(), 1u);
  EXPECT_EQ(back.commissions[0].commission.status, CommissionStatus::kHold);
  EXPECT_EQ(back.commissions[0].hits.at(0).rule, "circular_referral");
}

}  // namespace rewards_service_test
}  // namespace vouch::refer
