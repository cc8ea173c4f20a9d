// The friend's credit of two-sided programs after it is granted: refunds claw it back in proportion (partial and
// full, never below zero once spent), a customer's balance reads per currency, and redemptions spend it once per
// redemption id, never more than is available. The ledger balances after every test (the fixture checks).
#include <gtest/gtest.h>

#include <set>

#include "service_fixture.h"
#include "vouch/refer/api_router.h"

namespace vouch::refer {
namespace {

class FriendCreditTest : public test::ServiceTest {
 protected:
  // 10% to the advocate and 10% credit to the friend on each referred sale.
  void SetUp() override {
    test::ServiceTest::SetUp();
    Program p;
    p.name = "Two-sided";
    p.destination_url = "https://shop.example/";
    p.rewards = ParseRewardRules(nlohmann::json::parse(R"([
        {"event": "sale", "type": "percent", "value": 10},
        {"event": "sale", "type": "percent", "value": 10, "side": "friend"}])"))
                    .value();
    p.min_conversion_seconds = 0;
    program_ = service_->CreateProgram(p).value();
    code_ = LinkCode(program_, Advocate("jane@example.com"));
  }

  // A referred customer's sale; returns the friend credit it granted.
  int64_t ReferredSale(const std::string& customer, const std::string& invoice, int64_t amount) {
    Lead(Click(code_), customer);
    nlohmann::json sale = Sale(customer, invoice, amount);
    EXPECT_EQ(sale["friend_rewards"].size(), 1u) << sale.dump();
    return sale["friend_rewards"].empty() ? 0 : sale["friend_rewards"][0]["amount"].get<int64_t>();
  }

  CreditBalance Credit(const std::string& customer, const std::string& currency = "USD") {
    auto balances = service_->CustomerCredit(customer);
    EXPECT_TRUE(balances.ok()) << balances.status().ToString();
    for (const CreditBalance& b : balances.ok() ? *balances : std::vector<CreditBalance>{}) {
      if (b.currency == currency) {
        EXPECT_EQ(b.available, b.earned - b.clawed_back - b.redeemed) << currency;
        EXPECT_GE(b.available, 0);
        return b;
      }
    }
    return CreditBalance{currency};
  }

  Result<RedeemOutcome> Redeem(const std::string& id, const std::string& customer, int64_t amount,
                               const std::string& currency = "USD") {
    return service_->RedeemCredit({id, customer, amount, currency, "order-" + id});
  }

  std::multiset<std::string> EventTypes() {
    std::multiset<std::string> out;
    auto events = service_->ListEvents(0, 10'000);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    if (events.ok()) {
      for (const Event& e : events->first) out.insert(e.type);
    }
    return out;
  }

  int64_t program_ = 0;
  std::string code_;
};

TEST_F(FriendCreditTest, PartialRefundsClawBackInProportionAndAFullRefundTakesTheRest) {
  EXPECT_EQ(ReferredSale("bob", "inv-1", 10'001), 1000);
  ASSERT_TRUE(service_->TrackRefund("inv-1", 2500).ok());  // a quarter: 249.98, rounded down
  EXPECT_EQ(Credit("bob").available, 751);
  auto second = service_->TrackRefund("inv-1", 2501);      // half in all
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->friend_rewards.size(), 1u);
  EXPECT_EQ(second->friend_rewards[0].reversed, 500);
  EXPECT_EQ(Credit("bob").available, 500);
  ASSERT_TRUE(service_->TrackRefund("inv-1", 0).ok());     // the rest
  CreditBalance b = Credit("bob");
  EXPECT_EQ(b.available, 0);
  EXPECT_EQ(b.earned, 1000);
  EXPECT_EQ(b.clawed_back, 1000);
  EXPECT_EQ(b.unrecovered, 0);
  EXPECT_EQ(EventTypes().count("friend_reward.clawed_back"), 3u);
  // A refund of nothing more changes nothing.
  ASSERT_TRUE(service_->TrackRefund("inv-1", 0).ok());
  EXPECT_EQ(EventTypes().count("friend_reward.clawed_back"), 3u);
}

TEST_F(FriendCreditTest, ARefundOnlyTouchesTheCreditOfItsOwnSale) {
  EXPECT_EQ(ReferredSale("bob", "inv-1", 10'000), 1000);
  Lead(Click(code_), "bob");
  EXPECT_EQ(Sale("bob", "inv-2", 5'000)["friend_rewards"][0]["amount"], 500);
  ASSERT_TRUE(service_->TrackRefund("inv-2", 0).ok());
  CreditBalance b = Credit("bob");
  EXPECT_EQ(b.earned, 1500);
  EXPECT_EQ(b.clawed_back, 500);
  EXPECT_EQ(b.available, 1000);
}

TEST_F(FriendCreditTest, SpentCreditIsNotTakenBelowZeroByALaterRefund) {
  EXPECT_EQ(ReferredSale("bob", "inv-1", 10'000), 1000);
  auto spent = Redeem("r1", "bob", 800);
  ASSERT_TRUE(spent.ok()) << spent.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(spent->body)["available"], 200);
  auto refund = service_->TrackRefund("inv-1", 0);
  ASSERT_TRUE(refund.ok());
  ASSERT_EQ(refund->friend_rewards.size(), 1u);
  EXPECT_EQ(refund->friend_rewards[0].reversed, 200);
  EXPECT_EQ(refund->friend_rewards[0].unrecovered, 800);
  CreditBalance b = Credit("bob");
  EXPECT_EQ(b.available, 0);
  EXPECT_EQ(b.redeemed, 800);
  EXPECT_EQ(b.clawed_back, 200);
  EXPECT_EQ(b.unrecovered, 800);
  auto ledger = refer_->Balances("customer:%");
  ASSERT_TRUE(ledger.ok());
  for (const AccountBalance& a : *ledger) EXPECT_GE(a.balance, 0) << a.account;
}

TEST_F(FriendCreditTest, RedemptionSpendsOncePerIdAndNeverMoreThanIsAvailable) {
  EXPECT_EQ(ReferredSale("bob", "inv-1", 10'000), 1000);
  auto too_much = Redeem("r0", "bob", 1001);
  EXPECT_EQ(too_much.status().code(), StatusCode::kFailedPrecondition) << too_much.status().ToString();
  EXPECT_EQ(Redeem("r0", "bob", 100, "EUR").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Credit("bob").available, 1000);

  auto first = Redeem("r1", "bob", 600);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->replay);
  auto again = Redeem("r1", "bob", 600);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->replay);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(Credit("bob").available, 400);
  EXPECT_EQ(Credit("bob").redeemed, 600);
  // The same id for another redemption is refused, not taken for a replay.
  EXPECT_EQ(Redeem("r1", "bob", 300).status().code(), StatusCode::kAlreadyExists);
  // What is left can be spent, and not a minor unit more.
  ASSERT_TRUE(Redeem("r2", "bob", 400).ok());
  EXPECT_EQ(Redeem("r3", "bob", 1).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Credit("bob").available, 0);
  EXPECT_EQ(EventTypes().count("credit.redeemed"), 2u);

  EXPECT_EQ(Redeem("r4", "nobody", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Redeem("r4", "bob", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Redeem("", "bob", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Redeem("r4", "bob", 1, "usd").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(FriendCreditTest, TheApiReadsAndRedeemsCredit) {
  EXPECT_EQ(ReferredSale("bob", "inv-1", 10'000), 1000);
  ApiRouter router(*service_);
  ApiRequest request;
  request.authorization = "Bearer " + service_->CreateApiKey(KeyScope::kWrite).value();
  auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
    ApiRequest r = request;
    r.method = method;
    r.target = target;
    r.body = body;
    return router.Handle(r);
  };
  std::string redeem = R"({"redemption_id": "chk-1", "customer_external_id": "bob", "amount": 250,
                           "currency": "USD", "invoice_id": "inv-9"})";
  ApiResponse first = call("POST", "/api/v1/credits/redeem", redeem);
  EXPECT_EQ(first.status, 201) << first.body;
  ApiResponse replay = call("POST", "/api/v1/credits/redeem", redeem);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(nlohmann::json::parse(first.body)["available"], 750);

  ApiResponse read = call("GET", "/api/v1/credits/bob");
  ASSERT_EQ(read.status, 200) << read.body;
  nlohmann::json credit = nlohmann::json::parse(read.body)["data"];
  ASSERT_EQ(credit.size(), 1u);
  EXPECT_EQ(credit[0]["currency"], "USD");
  EXPECT_EQ(credit[0]["available"], 750);
  EXPECT_EQ(credit[0]["earned"], 1000);
  EXPECT_EQ(credit[0]["redeemed"], 250);

  ApiResponse over = call("POST", "/api/v1/credits/redeem",
                          R"({"redemption_id": "chk-2", "customer_external_id": "bob", "amount": 751,
                              "currency": "USD"})");
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_NE(over.body.find("available credit"), std::string::npos) << over.body;
  ApiResponse missing = call("POST", "/api/v1/credits/redeem", R"({"customer_external_id": "bob", "amount": 1})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("redemption_id"), std::string::npos) << missing.body;
  EXPECT_EQ(call("GET", "/api/v1/credits/nobody").status, 404);
}

}  // namespace
}  // namespace vouch::refer
