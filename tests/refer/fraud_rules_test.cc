#include "vouch/refer/fraud_rules.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "vouch/refer/disposable_domains.h"
#include "vouch/refer/email.h"
#include "support/test_paths.h"

namespace vouch::refer {
namespace {

FraudFacts Facts() {
  FraudFacts f;
  f.advocate.id = 1;
  f.advocate.email = "jane.doe@gmail.com";
  f.advocate.email_canonical = CanonicalEmail(f.advocate.email);
  f.advocate.person_id = 10;
  f.advocate.external_id = "cust-jane";
  f.customer.external_id = "cust-bob";
  f.customer.email = "bob@example.com";
  f.customer.email_canonical = CanonicalEmail(f.customer.email);
  f.customer.person_id = 20;
  Click c;
  c.at_ms = 1'000'000;
  c.ip = "203.0.113.5";
  c.user_agent = "Mozilla/5.0 Firefox";
  f.click = c;
  f.conversion_at_ms = c.at_ms + 60'000;
  return f;
}

std::vector<std::string> Rules(const FraudRules& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits()) out.push_back(h.rule);
  return out;
}

TEST(FraudRules, AnOrdinaryReferralPasses) {
  FraudRules r(Facts(), FraudMode::kStrict);
  r.run();
  EXPECT_TRUE(r.hits().empty());
  EXPECT_EQ(r.status(), CommissionStatus::kPending);
}

TEST(FraudRules, SelfReferralThroughAGmailAliasIsHeld) {
  FraudFacts f = Facts();
  f.customer.email = "janedoe+deals@gmail.com";
  f.customer.email_canonical = CanonicalEmail(f.customer.email);
  FraudRules r(f, FraudMode::kStrict);
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"self_referral"});
  EXPECT_NE(r.hits()[0].reason.find("janedoe+deals@gmail.com"), std::string::npos);
  EXPECT_EQ(r.status(), CommissionStatus::kHold);
}

TEST(FraudRules, LooseModeFlagsWithoutHolding) {
  FraudFacts f = Facts();
  f.customer.external_id = "cust-jane";
  FraudRules r(f, FraudMode::kLoose);
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"self_referral"});
  EXPECT_EQ(r.status(), CommissionStatus::kPending);
}

TEST(FraudRules, SamePersonInTheIdentityModel) {
  FraudFacts f = Facts();
  f.customer.person_id = f.advocate.person_id;  // e.g. merged by the identity module
  FraudRules r(f, FraudMode::kStrict);
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"self_referral"});
}

TEST(FraudRules, ClickFromTheAdvocatesOwnIpAndAgent) {
  FraudFacts f = Facts();
  f.advocate.signup_ip = f.click->ip;
  f.advocate.signup_user_agent = f.click->user_agent;
  FraudRules r(f, FraudMode::kStrict);
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"self_referral"});
  // The same IP with another browser (a shared office or household NAT) is not enough.
  f.advocate.signup_user_agent = "Mozilla/5.0 Chrome";
  FraudRules other(f, FraudMode::kStrict);
  other.run();
  EXPECT_TRUE(other.hits().empty());
}

TEST(FraudRules, TooSoonAfterTheClick) {
  FraudFacts f = Facts();
  f.conversion_at_ms = f.click->at_ms + 800;
  FraudRules r(f, FraudMode::kStrict, FraudConfig{3000, 600'000, 20});
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"too_soon"});
  FraudRules off(f, FraudMode::kStrict, FraudConfig{0, 600'000, 20});
  off.run();
  EXPECT_TRUE(off.hits().empty());
}

TEST(FraudRules, ClickBurst) {
  FraudFacts f = Facts();
  f.clicks_from_ip_in_window = 21;
  FraudRules r(f, FraudMode::kStrict, FraudConfig{3000, 600'000, 20});
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"click_burst"});
  f.clicks_from_ip_in_window = 20;
  FraudRules at_limit(f, FraudMode::kStrict, FraudConfig{3000, 600'000, 20});
  at_limit.run();
  EXPECT_TRUE(at_limit.hits().empty());
}

TEST(FraudRules, SeveralHitsAreAllRecorded) {
  FraudFacts f = Facts();
  f.customer.email_canonical = f.advocate.email_canonical;
  f.customer.external_id = f.advocate.external_id;
  f.conversion_at_ms = f.click->at_ms + 10;
  FraudRules r(f, FraudMode::kStrict);
  r.run();
  EXPECT_EQ(Rules(r), (std::vector<std::string>{"self_referral", "self_referral", "too_soon"}));
}

TEST(FraudRules, DisposableEmail) {
  FraudFacts f = Facts();
  f.disposable_email = true;
  FraudRules r(f, FraudMode::kStrict);
  r.run();
  EXPECT_EQ(Rules(r), std::vector<std::string>{"disposable_email"});
  EXPECT_EQ(r.status(), CommissionStatus::kHold);
}

TEST(DisposableDomains, ExactAndWildcardEntries) {
  auto list = DisposableDomains::Load(vouch::test::TestDataDir() + "/refer/disposable");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(list->IsDisposableEmail("x@throwaway.example"));
  EXPECT_TRUE(list->IsDisposableEmail("x@tempbox.example"));   // the list is lowercased
  EXPECT_FALSE(list->IsDisposableEmail("x@sub.throwaway.example"));  // exact entries cover no subdomain
  EXPECT_TRUE(list->IsDisposableEmail("x@burner.example"));
  EXPECT_TRUE(list->IsDisposableEmail("x@a.b.burner.example"));  // wildcard entries do
  EXPECT_FALSE(list->IsDisposableEmail("x@notburner.example"));
  EXPECT_FALSE(list->IsDisposableEmail("x@example.com"));
  EXPECT_FALSE(DisposableDomains::Load("/nonexistent").ok());
}

TEST(DisposableDomains, TheMaintainedPackageLoadsWhenInstalled) {
  auto dir = DisposableDomains::DefaultDir();
  if (!std::filesystem::exists(dir / "index.json")) GTEST_SKIP() << dir << " not installed (npm, deps/packages.txt)";
  auto list = DisposableDomains::Load(dir);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_GT(list->size(), 1000u);
  EXPECT_FALSE(list->IsDisposableEmail("someone@gmail.com"));
}

}  // namespace
}  // namespace vouch::refer
