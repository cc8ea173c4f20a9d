// The referral service over an in-memory SQLite database and a fake clock: attribution, the commission life cycle,
// refunds and clawbacks, payouts, and the ledger balancing after every step.
#include "vouch/refer/referral_service.h"

#include <gtest/gtest.h>

#include "service_fixture.h"
#include "support/test_paths.h"

namespace vouch::refer {
namespace {

using test::kBrowser;
using test::kDayMs;

class ReferralServiceTest : public test::ServiceTest {
 protected:
  int64_t Program(std::vector<RewardRule> rules, int64_t hold_days = 30,
                  AttributionModel model = AttributionModel::kLastClick) {
    refer::Program p;
    p.name = "Friends";
    p.destination_url = "https://shop.example/welcome";
    p.rewards = std::move(rules);
    p.hold_days = hold_days;
    p.attribution = model;
    p.min_conversion_seconds = 0;
    auto id = service_->CreateProgram(p);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  int64_t TenPercent(int64_t hold_days = 30) {
    return Program({{RewardEvent::kSale, RewardType::kPercent, 1000}}, hold_days);
  }

  Commission Get(int64_t id) {
    auto c = refer_->GetCommission(id);
    EXPECT_TRUE(c.ok() && c->has_value());
    return c.ok() && c->has_value() ? **c : Commission{};
  }

  int64_t Balance(int64_t advocate, const std::string& bucket) {
    auto b = refer_->Balances(AdvocateAccount(advocate, bucket));
    EXPECT_TRUE(b.ok());
    return b.ok() && !b->empty() ? (*b)[0].balance : 0;
  }
};

TEST_F(ReferralServiceTest, ClickLeadSaleEarnsTheProgramsPercentage) {
  int64_t program = TenPercent();
  int64_t jane = Advocate("jane@example.com");
  ClickOutcome click = ClickOn(LinkCode(program, jane));
  EXPECT_TRUE(click.counted);
  EXPECT_EQ(click.location, "https://shop.example/welcome?vouch_click=" + click.token);
  Lead(click.token, "cust-1", "bob@example.com");
  auto body = Sale("cust-1", "inv-1", 12345);
  ASSERT_EQ(body["commissions"].size(), 1u);
  EXPECT_EQ(body["commissions"][0]["amount"], 1234);
  EXPECT_EQ(body["commissions"][0]["status"], "pending");
  EXPECT_EQ(body["advocate_id"], jane);
  EXPECT_EQ(Balance(jane, "pending"), 1234);
}

TEST_F(ReferralServiceTest, ReplayedSaleAnswersTheSameAndCreatesNothing) {
  int64_t program = TenPercent();
  ClickOutcome click = ClickOn(LinkCode(program, Advocate("jane@example.com")));
  Lead(click.token, "cust-1");
  SaleInput in{{"cust-1", ""}, "inv-1", 5000, "USD", "", "", ""};
  auto first = service_->TrackSale(in);
  ASSERT_TRUE(first.ok());
  in.amount = 999999;  // a replay is recognised by the invoice alone
  auto again = service_->TrackSale(in);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replay);
  EXPECT_EQ(again->body, first->body);
  auto all = refer_->ListCommissions(0, 0, 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(ReferralServiceTest, HoldPeriodThenApprovalThenPayout) {
  int64_t program = TenPercent(/*hold_days=*/30);
  int64_t jane = Advocate("jane@example.com");
  ClickOutcome click = ClickOn(LinkCode(program, jane));
  Lead(click.token, "cust-1");
  int64_t id = Sale("cust-1", "inv-1", 10000)["commissions"][0]["id"];
  clock_.AdvanceMillis(29 * kDayMs);
  ASSERT_TRUE(service_->ApproveDue().ok());
  EXPECT_EQ(Get(id).status, CommissionStatus::kPending);
  auto early = service_->CreatePayouts(0, "USD", 0);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  clock_.AdvanceMillis(1 * kDayMs);
  auto moved = service_->ApproveDue();
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 1);
  EXPECT_EQ(Get(id).status, CommissionStatus::kApproved);
  EXPECT_EQ(Balance(jane, "approved"), 1000);
  auto below = service_->CreatePayouts(1001, "USD", 0);
  ASSERT_TRUE(below.ok());
  EXPECT_TRUE(below->empty());
  auto paid = service_->CreatePayouts(1000, "USD", 0);
  ASSERT_TRUE(paid.ok());
  ASSERT_EQ(paid->size(), 1u);
  EXPECT_EQ((*paid)[0].amount, 1000);
  EXPECT_EQ((*paid)[0].advocate_id, jane);
  EXPECT_EQ(Get(id).status, CommissionStatus::kPaid);
  EXPECT_EQ(Balance(jane, "approved"), 0);
  EXPECT_EQ(Balance(jane, "paid"), 1000);
}

TEST_F(ReferralServiceTest, PartialThenFullRefundClawsBackProportionally) {
  int64_t program = TenPercent();
  int64_t jane = Advocate("jane@example.com");
  Lead(ClickOn(LinkCode(program, jane)).token, "cust-1");
  int64_t id = Sale("cust-1", "inv-1", 10000)["commissions"][0]["id"];
  auto part = service_->TrackRefund("inv-1", 2500);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->refunded_total, 2500);
  EXPECT_EQ(Get(id).reversed, 250);
  EXPECT_EQ(Get(id).status, CommissionStatus::kPending);
  EXPECT_EQ(Balance(jane, "pending"), 750);
  EXPECT_FALSE(service_->TrackRefund("inv-1", 7501).ok());
  auto rest = service_->TrackRefund("inv-1", 0);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->refunded_total, 10000);
  EXPECT_EQ(Get(id).status, CommissionStatus::kReversed);
  EXPECT_EQ(Get(id).reversed, 1000);
  EXPECT_EQ(Balance(jane, "pending"), 0);
  // Refunding a fully refunded sale again changes nothing.
  ASSERT_TRUE(service_->TrackRefund("inv-1", 0).ok());
  EXPECT_EQ(Get(id).reversed, 1000);
  EXPECT_EQ(service_->TrackRefund("inv-none", 0).status().code(), StatusCode::kNotFound);
}

TEST_F(ReferralServiceTest, RefundAfterPayoutLeavesADebtOffsetByTheNextPayout) {
  int64_t program = TenPercent(/*hold_days=*/0);
  int64_t jane = Advocate("jane@example.com");
  std::string code = LinkCode(program, jane);
  Lead(ClickOn(code).token, "cust-1");
  Sale("cust-1", "inv-1", 10000);
  ASSERT_TRUE(service_->CreatePayouts(0, "USD", 0).ok());
  EXPECT_EQ(Balance(jane, "paid"), 1000);
  ASSERT_TRUE(service_->TrackRefund("inv-1", 0).ok());
  EXPECT_EQ(Balance(jane, "approved"), -1000);
  EXPECT_EQ(Balance(jane, "paid"), 1000);  // what was really paid stays recorded
  Lead(ClickOn(code).token, "cust-2");
  Sale("cust-2", "inv-2", 15000);
  auto next = service_->CreatePayouts(0, "USD", 0);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].amount, 500);
}

TEST_F(ReferralServiceTest, AttributionWindow) {
  int64_t program = TenPercent();
  ClickOutcome click = ClickOn(LinkCode(program, Advocate("jane@example.com")));
  Lead(click.token, "cust-1");
  clock_.AdvanceMillis(31 * kDayMs);
  auto late = Sale("cust-1", "inv-late", 10000);
  EXPECT_EQ(late["attributed"], false);
  EXPECT_TRUE(late["commissions"].empty());
}

TEST_F(ReferralServiceTest, LastClickByDefaultFirstClickByChoice) {
  for (AttributionModel model : {AttributionModel::kLastClick, AttributionModel::kFirstClick}) {
    int64_t program = Program({{RewardEvent::kSale, RewardType::kPercent, 1000}}, 30, model);
    std::string suffix = model == AttributionModel::kLastClick ? "last" : "first";
    int64_t first = Advocate("first-" + suffix + "@example.com");
    int64_t last = Advocate("last-" + suffix + "@example.com");
    std::string customer = "cust-" + suffix;
    Lead(ClickOn(LinkCode(program, first)).token, customer);
    clock_.AdvanceMillis(3600 * 1000);
    Lead(ClickOn(LinkCode(program, last)).token, customer);
    auto body = Sale(customer, "inv-" + suffix, 1000);
    EXPECT_EQ(body["advocate_id"], model == AttributionModel::kLastClick ? last : first) << suffix;
  }
}

TEST_F(ReferralServiceTest, RepeatBotAndHeadClicksAreStoredButNotCounted) {
  int64_t program = Program({{RewardEvent::kClick, RewardType::kFlat, 5}});
  int64_t jane = Advocate("jane@example.com");
  std::string code = LinkCode(program, jane);
  ClickOutcome first = ClickOn(code);
  EXPECT_TRUE(first.counted);
  EXPECT_FALSE(ClickOn(code, first.visitor).counted);
  EXPECT_FALSE(ClickOn(code, "", "Twitterbot/1.0").counted);
  EXPECT_FALSE(ClickOn(code, "", kBrowser, /*head=*/true).counted);
  clock_.AdvanceMillis(3600 * 1000 + 1);
  EXPECT_TRUE(ClickOn(code, first.visitor).counted);
  auto link = refer_->FindLink(code);
  ASSERT_TRUE(link.ok() && link->has_value());
  auto counts = refer_->LinkClickCounts((*link)->id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->first, 5);
  EXPECT_EQ(counts->second, 2);
  EXPECT_EQ(Balance(jane, "pending"), 10);  // a flat click reward per counted click
}

TEST_F(ReferralServiceTest, UnknownAndDisabledCodesAreNotFound) {
  int64_t program = TenPercent();
  std::string code = LinkCode(program, Advocate("jane@example.com"));
  EXPECT_EQ(service_->RecordClick({"nosuch", "", kBrowser, "", false, false}).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(service_->SetLinkDisabled(code, true).ok());
  EXPECT_EQ(service_->RecordClick({code, "", kBrowser, "", false, false}).status().code(), StatusCode::kNotFound);
}

TEST_F(ReferralServiceTest, SelfReferralIsHeldAndCanBeReviewed) {
  int64_t program = TenPercent(/*hold_days=*/0);
  int64_t jane = Advocate("Jane.Doe@gmail.com");
  std::string code = LinkCode(program, jane);
  Lead(ClickOn(code).token, "cust-9", "janedoe+x@googlemail.com");
  auto body = Sale("cust-9", "inv-self", 10000);
  EXPECT_EQ(body["commissions"][0]["status"], "hold");
  EXPECT_EQ(body["commissions"][0]["fraud"][0]["rule"], "self_referral");
  int64_t id = body["commissions"][0]["id"];
  EXPECT_EQ(Balance(jane, "hold"), 1000);
  // A held commission is not paid out.
  auto payouts = service_->CreatePayouts(0, "USD", 0);
  ASSERT_TRUE(payouts.ok());
  EXPECT_TRUE(payouts->empty());
  auto rejected = service_->ReviewCommission(id, /*approve=*/false);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, CommissionStatus::kRejected);
  EXPECT_EQ(Balance(jane, "hold"), 0);
  EXPECT_FALSE(service_->ReviewCommission(id, true).ok());
}

TEST_F(ReferralServiceTest, ApprovingAHeldCommissionReleasesIt) {
  int64_t program = TenPercent(/*hold_days=*/0);
  int64_t jane = Advocate("jane@example.com");
  Lead(ClickOn(LinkCode(program, jane)).token, "cust-1", "JANE@example.com");
  int64_t id = Sale("cust-1", "inv-1", 10000)["commissions"][0]["id"];
  EXPECT_EQ(Get(id).status, CommissionStatus::kHold);
  auto released = service_->ReviewCommission(id, /*approve=*/true);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->status, CommissionStatus::kApproved);
  EXPECT_EQ(Balance(jane, "approved"), 1000);
}

TEST_F(ReferralServiceTest, AdvocatesAreFoundationPeople) {
  int64_t jane = Advocate("jane@example.com");
  auto advocate = refer_->GetAdvocate(jane);
  ASSERT_TRUE(advocate.ok() && advocate->has_value());
  auto identity = identity_->FindIdentity({IdentityKind::kEmail, "", "jane@example.com"});
  ASSERT_TRUE(identity.ok() && identity->has_value());
  EXPECT_EQ((*identity)->person, (*advocate)->person_id);
  auto again = service_->CreateAdvocate({"Jane", " JANE@example.com ", "", "", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->first, jane);
  EXPECT_FALSE(again->second);
}

TEST_F(ReferralServiceTest, LeadsAreIdempotentAndFlatLeadRewardsPaidOnce) {
  int64_t program = Program({{RewardEvent::kLead, RewardType::kFlat, 300}});
  int64_t jane = Advocate("jane@example.com");
  ClickOutcome click = ClickOn(LinkCode(program, jane));
  auto first = service_->TrackLead({click.token, "", {"cust-1", ""}, "", ""});
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->commissions.size(), 1u);
  auto again = service_->TrackLead({click.token, "", {"cust-1", ""}, "", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->lead_id, first->lead_id);
  EXPECT_TRUE(again->commissions.empty());
  EXPECT_EQ(Balance(jane, "pending"), 300);
  EXPECT_EQ(service_->TrackLead({"nosuchclick", "", {"cust-1", ""}, "", ""}).status().code(), StatusCode::kNotFound);
}

TEST_F(ReferralServiceTest, CodeTypedAtCheckoutAttributes) {
  int64_t program = TenPercent();
  int64_t jane = Advocate("jane@example.com");
  std::string code = LinkCode(program, jane);
  ASSERT_TRUE(service_->TrackLead({"", code, {"cust-1", ""}, "", ""}).ok());
  EXPECT_EQ(Sale("cust-1", "inv-1", 1000)["advocate_id"], jane);
}

TEST_F(ReferralServiceTest, ConversionTooSoonAfterTheClickIsHeld) {
  refer::Program p;
  p.name = "Strict";
  p.destination_url = "https://shop.example/";
  p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
  p.min_conversion_seconds = 5;
  auto program = service_->CreateProgram(p);
  ASSERT_TRUE(program.ok());
  ClickOutcome click = ClickOn(LinkCode(*program, Advocate("jane@example.com")));
  clock_.AdvanceMillis(2000);
  Lead(click.token, "cust-1");
  auto body = Sale("cust-1", "inv-1", 1000);
  EXPECT_EQ(body["commissions"][0]["status"], "hold");
  EXPECT_EQ(body["commissions"][0]["fraud"][0]["rule"], "too_soon");
}

TEST_F(ReferralServiceTest, DisposableMailboxIsHeldWhenTheListIsLoaded) {
  auto list = DisposableDomains::Load(vouch::test::TestDataDir() + "/refer/disposable");
  ASSERT_TRUE(list.ok());
  ServiceConfig config;
  config.disposable_domains = &*list;
  service_ = std::make_unique<ReferralService>(*refer_, *identity_, clock_, config);
  int64_t program = TenPercent();
  std::string code = LinkCode(program, Advocate("jane@example.com"));
  Lead(ClickOn(code).token, "cust-1", "someone@throwaway.example");
  auto body = Sale("cust-1", "inv-1", 1000);
  EXPECT_EQ(body["commissions"][0]["status"], "hold");
  EXPECT_EQ(body["commissions"][0]["fraud"][0]["rule"], "disposable_email");
  Lead(ClickOn(code).token, "cust-2", "someone@example.org");
  EXPECT_EQ(Sale("cust-2", "inv-2", 1000)["commissions"][0]["status"], "pending");
}

TEST_F(ReferralServiceTest, EveryChangeLeavesAnEventInTheOutbox) {
  int64_t program = TenPercent(/*hold_days=*/0);
  int64_t jane = Advocate("jane@example.com");
  Lead(ClickOn(LinkCode(program, jane)).token, "cust-1");
  Sale("cust-1", "inv-1", 10000);
  Sale("cust-1", "inv-2", 5000);
  ASSERT_TRUE(service_->TrackRefund("inv-2", 1000).ok());
  ASSERT_TRUE(service_->TrackRefund("inv-2", 0).ok());
  ASSERT_TRUE(service_->CreatePayouts(0, "USD", 0).ok());
  std::vector<std::string> types;
  int64_t after = 0;
  for (int page = 0; page < 20; ++page) {
    auto events = service_->ListEvents(after, 3);
    ASSERT_TRUE(events.ok());
    for (const Event& e : events->first) types.push_back(e.type);
    if (!events->second) break;
    after = *events->second;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"commission.created", "sale.created", "commission.created",
                                             "sale.created", "refund.created", "commission.clawed_back",
                                             "refund.created", "commission.reversed", "commission.approved",
                                             "payout.created"}));
  auto last = service_->ListEvents(0, 100);
  ASSERT_TRUE(last.ok());
  auto reversed = nlohmann::json::parse(last->first[7].payload);
  EXPECT_EQ(reversed["invoice_id"], "inv-2");
  EXPECT_EQ(reversed["reversed_amount"], 500);
}

TEST_F(ReferralServiceTest, RefusesBadPrograms) {
  refer::Program p;
  p.name = "X";
  p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
  for (const char* url : {"", "javascript:alert(1)", "//evil.example", "https://", "ftp://x.example",
                          "https://x.example/a b"}) {
    p.destination_url = url;
    auto id = service_->CreateProgram(p);
    ASSERT_FALSE(id.ok()) << url;
    EXPECT_EQ(id.status().message().rfind("destination_url", 0), 0u);
  }
  p.destination_url = "https://x.example";
  p.currency = "usd";
  EXPECT_FALSE(service_->CreateProgram(p).ok());
}

TEST_F(ReferralServiceTest, ApiKeysAreStoredHashed) {
  auto key = service_->CreateApiKey(KeyScope::kWrite);
  ASSERT_TRUE(key.ok());
  auto scope = service_->Authenticate(*key);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(*scope, KeyScope::kWrite);
  EXPECT_EQ(service_->Authenticate(*key + "x").status().code(), StatusCode::kNotFound);
  auto raw = identity_->db().Prepare("SELECT count(*) FROM refer_api_keys WHERE hash = ?");
  ASSERT_TRUE(raw.ok());
  (*raw)->Bind(1, *key);
  ASSERT_TRUE((*raw)->Step().ok());
  EXPECT_EQ((*raw)->Int(0), 0);  // the key itself is nowhere in the database
  (*raw)->Reset();
}

}  // namespace
}  // namespace vouch::refer
